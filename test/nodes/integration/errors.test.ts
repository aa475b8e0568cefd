/**
 * Every row of the seed-004 error table, produced by the node against the sandbox Chatwoot: HTTP code, actionable
 * message with Chatwoot's own words after `Detail:`, and never the API token.
 */
import * as net from 'net';

import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { exposedText } from '../../support/exposure';
import { INBOX_NAME, startHarness, TRIGGER_URL, type Harness, type RunOptions } from './harness';

type Op = 'set' | 'list' | 'delete';

describe('Chatwoot Bridge Integration: the seed-004 error table', () => {
	let h: Harness;
	beforeEach(async () => {
		h = await startHarness();
	});
	afterEach(async () => {
		await h.close();
	});

	const TOKENS = ['test-admin-token', 'test-agent-token', 'test-bot-token', 'wrong-token-0123456789'];

	/**
	 * Runs, expects the failure, checks code and message, the token scan, and the continue-on-fail item. A Chatwoot
	 * answer (or a failure reaching it) is a NodeApiError with the HTTP code; our own checks are a NodeOperationError
	 * without one, and only the continue-on-fail item carries the table's code.
	 */
	async function expectFailure(op: Op, parameters: Record<string, unknown>, options: RunOptions, httpCode: number, message: RegExp, input = false) {
		const error = await h.fail(op, parameters, options);
		expect(error.message).toMatch(message);
		if (input) {
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.httpCode ?? undefined).toBeUndefined();
		} else {
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.httpCode).toBe(String(httpCode));
		}
		const [item] = await h.run(op, parameters, { ...options, continueOnFail: true });
		expect(item.json).toMatchObject({ status: 'failed', httpCode, itemIndex: 0 });
		expect(item.json.error).toMatch(message);
		expect(item.pairedItem).toEqual({ item: 0 });
		for (const token of TOKENS) {
			expect(exposedText(error)).not.toContain(token);
			expect(exposedText(item.json)).not.toContain(token);
		}
		return error;
	}

	it('400 Chatwoot account or endpoint not found: wrong account id (Chatwoot 404)', async () => {
		for (const op of ['set', 'list', 'delete'] as const) {
			const error = await expectFailure(op, {}, { credentials: { accountId: 999 } }, 400,
				/^Chatwoot account or endpoint not found - verify the base URL \(http:\/\/127\.0\.0\.1:\d+\) and account ID \(999\)\. Detail: Resource could not be found$/);
			expect(error.description).toBe('Chatwoot said: Resource could not be found');
		}
	});

	it('400 Chatwoot account or endpoint not found: wrong base URL path', async () => {
		await expectFailure('set', {}, { credentials: { baseUrl: `${h.sb.baseUrl}/chatwoot` } }, 400,
			/^Chatwoot account or endpoint not found - verify the base URL \(http:\/\/127\.0\.0\.1:\d+\/chatwoot\) and account ID \(1\)\. Detail: /);
	});

	it('400 Chatwoot rejected the request as invalid: Chatwoot 422 on the inbox PATCH', async () => {
		// A foreign key Chatwoot validates (agent_reply_time_window must be a positive integer) is sent back as is.
		h.sb.createInbox({ name: INBOX_NAME, additionalAttributes: { agent_reply_time_window: 'soon' } });
		await expectFailure('set', {}, {}, 400,
			/^Chatwoot rejected the request as invalid \(PATCH \/api\/v1\/accounts\/1\/inboxes\/\d+\)\. Detail: Additional attributes agent_reply_time_window must be a positive integer$/);
	});

	it('400 invalid body: our validation, naming the field', async () => {
		const days = await expectFailure('set', { additionalFields: { days_limit_import_messages: 0 } }, {}, 400,
			/^invalid body: days_limit_import_messages: must be at least 1$/, true);
		expect(days.description).toBe('Field "days_limit_import_messages": must be at least 1');
		const instance = await expectFailure('delete', { instance: '' }, {}, 400, /^invalid body: instance: must not be empty$/, true);
		expect(instance.description).toBe('Field "instance": must not be empty');
		const [item] = await h.run('delete', { instance: '' }, { continueOnFail: true });
		expect(item.json).toMatchObject({ kind: 'invalidBody', field: 'instance', detail: 'must not be empty' });
	});

	it('401 Chatwoot rejected the API token', async () => {
		for (const op of ['set', 'list', 'delete'] as const) {
			await expectFailure(op, {}, { credentials: { apiAccessToken: 'wrong-token-0123456789' } }, 401,
				/^Chatwoot rejected the API token - verify the API access token in the credential\. Detail: Invalid Access Token$/);
		}
	});

	it('403 admin scope: an agent token creating the inbox (Chatwoot 401 "not authorized to do this action")', async () => {
		await expectFailure('set', { webhookUrl: TRIGGER_URL }, { credentials: { apiAccessToken: 'test-agent-token' } }, 403,
			/^Chatwoot denied the request - verify the API token has admin scope on account 1\. Detail: You are not authorized to do this action$/);
		expect(h.sb.state.inboxes).toHaveLength(0);
	});

	it('403 admin scope: an agent token updating an existing inbox, and an agent-bot token', async () => {
		const inbox = h.sb.createInbox({ name: INBOX_NAME, memberIds: [2] });
		await expectFailure('set', {}, { credentials: { apiAccessToken: 'test-agent-token' } }, 403,
			/^Chatwoot denied the request - verify the API token has admin scope on account 1\. Detail: You are not authorized to do this action$/);
		expect(h.recordOn(inbox.id)).toBeUndefined();
		await expectFailure('list', {}, { credentials: { apiAccessToken: 'test-bot-token' } }, 403,
			/^Chatwoot denied the request - verify the API token has admin scope on account 1\. Detail: Access to this endpoint is not authorized for bots$/);
	});

	it('404 instance not found', async () => {
		await expectFailure('list', { instance: 'nobody' }, {}, 404, /^instance not found$/, true);
		await expectFailure('delete', { instance: 'nobody' }, {}, 404, /^instance not found$/, true);
	});

	it('502 Chatwoot is unreachable: refused port, closed sandbox, 5xx after retries', async () => {
		const port = await new Promise<number>((resolve) => {
			const server = net.createServer();
			server.listen(0, '127.0.0.1', () => {
				const { port: free } = server.address() as net.AddressInfo;
				server.close(() => resolve(free));
			});
		});
		await expectFailure('set', {}, { credentials: { baseUrl: `http://127.0.0.1:${port}` } }, 502,
			/^Chatwoot is unreachable at http:\/\/127\.0\.0\.1:\d+ - verify the base URL and that the host is reachable from n8n\. Detail: ECONNREFUSED \(connection refused\)/);

		h.sb.failNext(8, '5xx', { status: 503, match: { method: 'GET', path: '/api/v1/accounts/1/inboxes' } });
		await expectFailure('list', {}, {}, 502, /^Chatwoot is unreachable at .* Detail: HTTP 503 Service Unavailable/);
		h.sb.clearFaults();

		// The inbox create is not idempotent: a lost answer is not retried, and the message says it may have happened.
		h.sb.failNext(1, 'drop', { match: { method: 'POST', path: '/api/v1/accounts/1/inboxes' } });
		const error = await h.fail('set', {});
		expect(error.httpCode).toBe('502');
		expect(error.message).toMatch(/POST \/api\/v1\/accounts\/1\/inboxes got no usable answer - the request may have been applied; it was not retried/);
		h.sb.clearFaults();

		await h.sb.close();
		await expectFailure('list', {}, {}, 502, /^Chatwoot is unreachable at .* Detail: ECONNREFUSED/);
	});

	it('404 no chatwoot integration for this instance; 503 when the credential is unusable', async () => {
		h.sb.createInbox({ name: 'vendas' });
		await expectFailure('list', {}, {}, 404, /^no chatwoot integration for this instance$/, true);
		await expectFailure('delete', {}, {}, 404, /^no chatwoot integration for this instance$/, true);

		const missing: RunOptions = { getCredentials: async () => { throw new Error('Node does not have any credentials set for "chatwootBridgeApi"'); } };
		for (const op of ['set', 'list', 'delete'] as const) {
			const error = await expectFailure(op, {}, missing, 503, /^integration gateway not configured$/, true);
			expect(error.description).toBe('Detail: Node does not have any credentials set for "chatwootBridgeApi"');
		}
		await expectFailure('set', {}, { credentials: { baseUrl: 'chatwoot.example.com' } }, 503, /^integration gateway not configured$/, true);
		await expectFailure('list', {}, { credentials: { apiAccessToken: '' } }, 503, /^integration gateway not configured$/, true);
		// The token pasted into the URL field is not quoted back.
		await expectFailure('list', {}, { credentials: { baseUrl: 'test-admin-token' } }, 503, /^integration gateway not configured$/, true);
		// Under continue on fail every input item gets its error item.
		const items = await h.run('list', {}, { ...missing, continueOnFail: true, items: [{}, {}] });
		expect(items.map((item) => [item.json.httpCode, item.pairedItem])).toEqual([[503, { item: 0 }], [503, { item: 1 }]]);
	});

	it('an operation the node does not know is rejected, naming the known ones, before any request', async () => {
		const error = await h.fail('list', { operation: 'purge' });
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Unknown operation "purge"');
		expect(error.description).toBe('Field "operation": expected one of delete, import, list, set');
		expect(h.sb.requestCounts.total).toBe(0);
	});
});
