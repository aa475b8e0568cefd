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
import * as remove from './actions/delete.operation';
import * as importHistory from './actions/import.operation';
import * as list from './actions/list.operation';
import * as set from './actions/set.operation';

/**
 * The operations, in the order the editor lists them (alphabetical by name). Adding one (e.g. `import`) = one file
 * under actions/ exporting `option`, `description` and `execute`, plus one line here.
 */
const operations = [remove, importHistory, list, set];

type Operation = (typeof operations)[number];

export class ChatwootBridgeIntegration implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Chatwoot Bridge Integration',
		name: 'chatwootBridgeIntegration',
		icon: { light: 'file:chatwootBridgeIntegration.svg', dark: 'file:chatwootBridgeIntegration.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ($parameter["instance"] ? ": " + $parameter["instance"] : "")}}',
		description:
			'Sets, lists, removes and imports history into the Chatwoot integration of a WhatsApp instance',
		defaults: { name: 'Chatwoot Bridge Integration' },
		// Not an AI tool: Delete, Set and Import change Chatwoot, and n8n 2.8 offers a node to agents whole (its
		// `usableAsTool.replacements` cannot hide operations), so the read-only List cannot be offered alone.
		usableAsTool: undefined,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'chatwootBridgeApi', required: true },
			// The import fetches media with the gateway credential chosen in "Gateway Credential".
			{ name: 'chatwootBridgeEvolutionApi', required: true, displayOptions: gatewayCredentialShown('import', 'evolution') },
			{ name: 'chatwootBridgeWahaApi', required: true, displayOptions: gatewayCredentialShown('import', 'waha') },
			{ name: 'chatwootBridgeWhatsAppCloudApi', required: true, displayOptions: gatewayCredentialShown('import', 'cloud') },
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'set',
				options: operations.map((operation) => operation.option),
			},
			...operations.flatMap((operation) => operation.description),
		],
	};

	methods = { listSearch: { searchInstances } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const name = this.getNodeParameter('operation', 0) as string;
		const operation: Operation | undefined = operations.find((candidate) => candidate.option.value === name);
		if (!operation) {
			throw unknownOperation(this.getNode(), name, operations.map((candidate) => String(candidate.option.value)));
		}
		return await runWithChatwoot(this, async (connection) => await operation.execute.call(this, connection));
	}
}
