import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import { ChatwootError, isInputError } from '../chatwoot/errors';

function fieldOf(error: unknown): string | undefined {
	const field = (error as { field?: unknown } | undefined)?.field;
	return typeof field === 'string' ? field : undefined;
}

/**
 * n8n's error for a failure of one item, keeping our actionable message instead of n8n's generic HTTP texts:
 * a NodeApiError for what Chatwoot answered (or a failure reaching it), a NodeOperationError for bad input.
 */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const field = fieldOf(error);
	if (error instanceof ChatwootError && !isInputError(error)) {
		const nodeError = new NodeApiError(node, error.toJSON() as JsonObject, {
			message: error.message,
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
	const detail = error instanceof ChatwootError ? error.detail : '';
	const description = field
		? `Field "${field}"${detail ? `: ${detail}` : ''}`
		: detail
			? `Detail: ${detail}`
			: undefined;
	return new NodeOperationError(node, message, { itemIndex, description });
}

/** The node was given an operation it does not have (an old workflow, a hand-edited JSON): never run another. */
export function unknownOperation(node: INode, name: string, known: readonly string[]): NodeOperationError {
	return new NodeOperationError(node, `Unknown operation "${name}"`, {
		description: `Field "operation": expected one of ${known.join(', ')}`,
	});
}

/** The error as an output item's json under "continue on fail": message, the field at fault, Chatwoot's detail. */
export function errorJson(error: unknown, itemIndex: number): JsonObject {
	const field = fieldOf(error);
	const fieldJson: JsonObject = field !== undefined ? { field } : {};
	if (error instanceof ChatwootError) {
		return { error: error.message, httpCode: error.httpCode, kind: error.kind, detail: error.detail, itemIndex, ...fieldJson };
	}
	return { error: error instanceof Error ? error.message : String(error), ...fieldJson, itemIndex };
}
