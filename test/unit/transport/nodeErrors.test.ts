/**
 * n8n's convention: bad input is a NodeOperationError (no HTTP code, the field in the description), an answer from
 * Chatwoot or a failure reaching it is a NodeApiError with Chatwoot's own words.
 */
import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';

import {
	classifyChatwootFailure,
	instanceNotFound,
	integrationNotConfigured,
	invalidBody,
} from '../../../nodes/shared/chatwoot/errors';
import { errorJson, toNodeError } from '../../../nodes/shared/transport/nodeErrors';

const node: INode = {
	id: 'n1',
	name: 'Chatwoot Bridge Integration',
	type: 'n8n-nodes-chatwoot-bridge.chatwootBridgeIntegration',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const ctx = { baseUrl: 'http://127.0.0.1:3000', accountId: 1, method: 'GET' as const, path: '/api/v1/accounts/1/inboxes' };

describe('toNodeError: input errors are NodeOperationError naming the field', () => {
	it('invalid body: the field in the description, the item index kept, no HTTP code', () => {
		const error = toNodeError(node, invalidBody('days_limit_import_messages', 'must be at least 1'), 2);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error).not.toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('invalid body: days_limit_import_messages: must be at least 1');
		expect(error.description).toBe('Field "days_limit_import_messages": must be at least 1');
		expect((error as { httpCode?: unknown }).httpCode ?? undefined).toBeUndefined();
		expect(error.context.itemIndex).toBe(2);
	});

	it('an unknown instance and a missing integration or credential are input errors too', () => {
		for (const cause of [
			instanceNotFound('nobody'),
			integrationNotConfigured('instance'),
			integrationNotConfigured('gateway', 'Node does not have any credentials set'),
		]) {
			const error = toNodeError(node, cause, 0);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(cause.message);
		}
		expect(toNodeError(node, integrationNotConfigured('gateway', 'no credential')).description).toBe('Detail: no credential');
	});

	it('any other error that names its field (a bad JSON parameter, a WhatsApp payload) says which one', () => {
		const error = toNodeError(node, Object.assign(new Error('settingsJson is not valid JSON'), { field: 'settingsJson' }), 1);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.description).toBe('Field "settingsJson"');
		expect(error.context.itemIndex).toBe(1);
	});
});

describe('toNodeError: Chatwoot answers and network failures stay NodeApiError', () => {
	it('a Chatwoot 404 keeps the HTTP code and Chatwoot\'s words', () => {
		const error = toNodeError(node, classifyChatwootFailure({ status: 404, body: { error: 'Resource could not be found' }, headers: {} }, ctx), 0);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('400');
		expect(error.description).toBe('Chatwoot said: Resource could not be found');
	});

	it('a refused connection is a NodeApiError with the cause, not n8n\'s generic text', () => {
		const error = toNodeError(node, classifyChatwootFailure({ code: 'ECONNREFUSED' }, ctx), 0);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('502');
		expect(error.message).toMatch(/^Chatwoot is unreachable at http:\/\/127\.0\.0\.1:3000 .*Detail: ECONNREFUSED/);
	});
});

describe('errorJson: the continue-on-fail item keeps its documented fields', () => {
	it('input error: error, httpCode (the seed code), kind, detail, itemIndex and field', () => {
		expect(errorJson(invalidBody('instance', 'must not be empty'), 3)).toEqual({
			error: 'invalid body: instance: must not be empty',
			httpCode: 400,
			kind: 'invalidBody',
			detail: 'must not be empty',
			itemIndex: 3,
			field: 'instance',
		});
	});

	it('Chatwoot answer: no field', () => {
		const json = errorJson(classifyChatwootFailure({ status: 401, body: { error: 'Invalid Access Token' }, headers: {} }, ctx), 0);
		expect(json).toMatchObject({ httpCode: 401, kind: 'tokenRejected', detail: 'Invalid Access Token', itemIndex: 0 });
		expect(json).not.toHaveProperty('field');
	});
});
