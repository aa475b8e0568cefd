import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { integrationNotConfigured } from '../shared/chatwoot/errors';
import { connectChatwoot, type ChatwootConnection } from '../shared/transport/chatwootClient';
import { errorJson, toNodeError } from '../shared/transport/nodeErrors';
import { CredentialSettingsError } from '../shared/transport/settings';
import * as remove from './actions/delete.operation';
import * as list from './actions/list.operation';
import * as set from './actions/set.operation';

/**
 * The operations, in the order the editor lists them (alphabetical by name). Adding one (e.g. `import`) = one file
 * under actions/ exporting `option`, `description` and `execute`, plus one line here.
 */
const operations = [remove, list, set];

type Operation = (typeof operations)[number];

/**
 * n8n's NodeApiError replaces any message that mentions ECONNREFUSED, ETIMEDOUT, ENOTFOUND… with its own generic
 * text, which would drop the seed's "Chatwoot is unreachable at <url> - …" message: put ours back.
 */
function keepSeedMessage(error: NodeApiError | NodeOperationError): NodeApiError | NodeOperationError {
	const response = (error as { errorResponse?: { name?: unknown; message?: unknown } }).errorResponse;
	if (error instanceof NodeApiError && response?.name === 'ChatwootError' && typeof response.message === 'string') {
		error.message = response.message;
	}
	return error;
}

export class ChatwootBridgeIntegration implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Chatwoot Bridge Integration',
		name: 'chatwootBridgeIntegration',
		icon: { light: 'file:chatwootBridgeIntegration.svg', dark: 'file:chatwootBridgeIntegration.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ($parameter["instance"] ? ": " + $parameter["instance"] : "")}}',
		description:
			'Sets, lists and removes the Chatwoot integration of a WhatsApp instance, stored on its Chatwoot API inbox',
		defaults: { name: 'Chatwoot Bridge Integration' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'chatwootBridgeApi', required: true }],
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

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const name = this.getNodeParameter('operation', 0) as string;
		const operation: Operation | undefined = operations.find((candidate) => candidate.option.value === name);
		if (!operation) throw toNodeError(this.getNode(), new Error(`Unknown operation "${name}"`));
		let connection: ChatwootConnection;
		try {
			connection = await connectChatwoot(this);
		} catch (cause) {
			// Seed 003: without a usable credential the bridge is "not configured" (503), whatever is wrong with it.
			const error =
				cause instanceof CredentialSettingsError ? integrationNotConfigured('gateway', cause.message) : cause;
			if (!this.continueOnFail()) throw keepSeedMessage(toNodeError(this.getNode(), error));
			return [
				this.getInputData().map((_item, itemIndex) => ({
					json: { status: 'failed', ...errorJson(error, itemIndex) },
					pairedItem: { item: itemIndex },
				})),
			];
		}
		try {
			return [await operation.execute.call(this, connection)];
		} catch (error) {
			throw keepSeedMessage(toNodeError(this.getNode(), error));
		}
	}
}
