import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { settle } from '../settle';
import { connectChatwoot, type ChatwootConnection } from './chatwootClient';
import { errorJson, toNodeError } from './nodeErrors';

/**
 * The frame of every regular node of the package: connect to Chatwoot once, run the operation, and turn failures
 * into actionable node errors. When the credential is unusable, "continue on fail" gives one error item per input.
 */
export async function runWithChatwoot(
	ctx: IExecuteFunctions,
	operation: (connection: ChatwootConnection) => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[][]> {
	const connection = await settle(connectChatwoot(ctx));
	if (!connection.ok) {
		if (!ctx.continueOnFail()) throw toNodeError(ctx.getNode(), connection.error);
		return [
			ctx.getInputData().map((_item, itemIndex) => ({
				json: { status: 'failed', ...errorJson(connection.error, itemIndex) },
				pairedItem: { item: itemIndex },
			})),
		];
	}
	const result = await settle(operation(connection.value));
	if (!result.ok) throw toNodeError(ctx.getNode(), result.error);
	return [result.value];
}
