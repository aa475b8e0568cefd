import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { gatewayCredentialShown } from '../shared/descriptions/gateway';
import { unknownOperation } from '../shared/transport/nodeErrors';
import { searchInstances } from '../shared/transport/instanceLocator';
import { runWithChatwoot } from '../shared/transport/runWithChatwoot';
import * as reportSendResult from './actions/reportSendResult.operation';
import * as sync from './actions/sync.operation';

const operations = { sync: sync.execute, reportSendResult: reportSendResult.execute };

export class SyncWhatsAppMessage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sync WhatsApp Message',
		name: 'syncWhatsAppMessage',
		icon: { light: 'file:syncWhatsAppMessage.svg', dark: 'file:syncWhatsAppMessage.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "sync" ? "WhatsApp → Chatwoot" : "Report send result"}}',
		description:
			'Makes Chatwoot match a WhatsApp event from Evolution API, WAHA or the WhatsApp Cloud API, exactly once',
		defaults: { name: 'Sync WhatsApp Message' },
		// Not an AI tool: both operations write into Chatwoot on a customer's behalf, from whatever event they are given.
		usableAsTool: undefined,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'chatwootBridgeApi', required: true },
			// Each gateway credential shows for its choice of "Gateway Credential" (sync only).
			{ name: 'chatwootBridgeEvolutionApi', required: true, displayOptions: gatewayCredentialShown('sync', 'evolution') },
			{ name: 'chatwootBridgeWahaApi', required: true, displayOptions: gatewayCredentialShown('sync', 'waha') },
			{ name: 'chatwootBridgeWhatsAppCloudApi', required: true, displayOptions: gatewayCredentialShown('sync', 'cloud') },
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'sync',
				options: [
					{
						name: 'Sync Event',
						value: 'sync',
						action: 'Sync a message event',
						description: 'Contact, conversation, message, media, reply, reaction, edit, delete or delivery status',
					},
					{
						name: 'Report Send Result',
						value: 'reportSendResult',
						action: 'Report a send result',
						description: 'Marks the agent message sent, or failed with the gateway\'s error, in Chatwoot',
					},
				],
			},
			...sync.description,
			...reportSendResult.description,
		],
	};

	methods = { listSearch: { searchInstances } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const name = this.getNodeParameter('operation', 0) as string;
		if (!Object.prototype.hasOwnProperty.call(operations, name)) throw unknownOperation(this.getNode(), name, Object.keys(operations));
		const run = operations[name as keyof typeof operations];
		return await runWithChatwoot(this, async (connection) => await run.call(this, connection));
	}
}
