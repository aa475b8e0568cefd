import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import { ChatwootError } from '../chatwoot/errors';

/** n8n's error for a failure of one item, keeping our actionable message instead of n8n's generic HTTP texts. */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof ChatwootError) {
		const nodeError = new NodeApiError(node, error.toJSON() as JsonObject, {
			message: error.message,
			// Only an answer from Chatwoot is "what Chatwoot said"; our own checks carry their reason in the message.
			description: error.detail
				? `${error.chatwootStatus !== undefined ? 'Chatwoot said' : 'Detail'}: ${error.detail}`
				: undefined,
			httpCode: String(error.httpCode),
			itemIndex,
		});
		// NodeApiError swaps messages that mention ECONNREFUSED, ETIMEDOUT… for a generic text: keep ours.
		nodeError.message = error.message;
		return nodeError;
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, message, { itemIndex });
}

/** The error as an output item's json under "continue on fail": message, the field at fault, Chatwoot's detail. */
export function errorJson(error: unknown, itemIndex: number): JsonObject {
	if (error instanceof ChatwootError) {
		return { error: error.message, httpCode: error.httpCode, kind: error.kind, detail: error.detail, itemIndex };
	}
	const field = (error as { field?: unknown })?.field;
	return {
		error: error instanceof Error ? error.message : String(error),
		...(typeof field === 'string' ? { field } : {}),
		itemIndex,
	};
}
