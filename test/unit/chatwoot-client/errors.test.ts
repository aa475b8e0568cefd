import nock from 'nock';

import { ChatwootClient } from '../../../nodes/shared/chatwoot/client';
import {
	classifyChatwootFailure,
	instanceNotFound,
	integrationNotConfigured,
	invalidBody,
	isChatwootError,
} from '../../../nodes/shared/chatwoot/errors';
import { createChatwootHttp } from '../../../nodes/shared/chatwoot/retry';
import { createNodeSend } from '../../support/nodeSend';
import { noAnswer, reply } from '../../support/recordingSend';
import { BASE_URL, TOKEN, listInboxes, postMessage, rejection, setup } from './helpers';

const UNREACHABLE = `Chatwoot is unreachable at ${BASE_URL} - verify the base URL and that the host is reachable from n8n. Detail:`;

describe('classification of Chatwoot answers (README, Errors)', () => {
	it.each([
		[
			'401 invalid token',
			reply(401, { error: 'Invalid Access Token' }),
			401,
			'tokenRejected',
			'Chatwoot rejected the API token - verify the API access token in the credential. Detail: Invalid Access Token',
		],
		[
			'401 policy refusal',
			reply(401, { error: 'You are not authorized to do this action' }),
			403,
			'forbidden',
			'Chatwoot denied the request - verify the API token has admin scope on account 1. Detail: You are not authorized to do this action',
		],
		[
			'401 not a member of the account',
			reply(401, { error: 'You are not authorized to access this account' }),
			403,
			'forbidden',
			'Chatwoot denied the request - verify the API token has admin scope on account 1. Detail: You are not authorized to access this account',
		],
		[
			'403',
			reply(403, { error: 'Message status update is only allowed for API inboxes' }),
			403,
			'forbidden',
			'Chatwoot denied the request - verify the API token has admin scope on account 1. Detail: Message status update is only allowed for API inboxes',
		],
		[
			'404 account',
			reply(404, { error: 'Resource could not be found' }),
			400,
			'notFound',
			`Chatwoot account or endpoint not found - verify the base URL (${BASE_URL}) and account ID (1). Detail: Resource could not be found`,
		],
		[
			'404 with an empty body',
			reply(404),
			400,
			'notFound',
			`Chatwoot account or endpoint not found - verify the base URL (${BASE_URL}) and account ID (1). Detail: HTTP 404 Not Found`,
		],
		[
			'422 with `error`',
			reply(422, { error: 'Validation failed: Too many messages' }),
			400,
			'invalidRequest',
			'Chatwoot rejected the request as invalid (GET /api/v1/accounts/1/inboxes). Detail: Validation failed: Too many messages',
		],
		[
			'502 from a proxy, HTML body',
			reply(502, '<html><body><h1>502 Bad Gateway</h1>nginx</body></html>'),
			502,
			'unreachable',
			`${UNREACHABLE} HTTP 502 Bad Gateway: 502 Bad Gateway nginx`,
		],
	])('%s', async (_label, answer, httpCode, kind, message) => {
		const { http } = setup([answer], { maxAttempts: 1 });
		const error = await rejection(http(listInboxes));
		expect(error).toMatchObject({ httpCode, kind, message, chatwootStatus: answer.status });
		expect(error.message).toContain(`Detail: ${error.detail}`);
	});

	it('422 with `message` and `attributes` names the POST and keeps the attributes', async () => {
		const { client } = setup([reply(422, { message: 'Phone number has already been taken', attributes: ['phone_number'] })]);
		const error = await rejection(
			client.createContact({ inboxId: 7, sourceId: '5511@s.whatsapp.net', phone: '+5511987654321' }),
		);
		expect(error).toMatchObject({
			httpCode: 400,
			kind: 'invalidRequest',
			detail: 'Phone number has already been taken',
			chatwootAttributes: ['phone_number'],
			message:
				'Chatwoot rejected the request as invalid (POST /api/v1/accounts/1/contacts). Detail: Phone number has already been taken',
		});
	});

	it('a 422 is never "account not found", a 404 always is', () => {
		const ctx = { baseUrl: BASE_URL, accountId: 1, method: 'POST' as const, path: '/api/v1/accounts/1/contacts' };
		expect(classifyChatwootFailure(reply(422, { error: 'x' }), ctx).kind).toBe('invalidRequest');
		expect(classifyChatwootFailure(reply(404, { error: 'x' }), ctx).kind).toBe('notFound');
	});

	it('500 on an idempotent read → 502 after the bounded retries', async () => {
		const { http, send } = setup([reply(500, { error: 'boom' })]);
		const error = await rejection(http(listInboxes));
		expect(send.requests).toHaveLength(4);
		expect(error).toMatchObject({ httpCode: 502, kind: 'unreachable', chatwootStatus: 500, retryable: true });
		expect(error.message).toBe(`${UNREACHABLE} HTTP 500 Internal Server Error: boom (after 4 attempts)`);
	});

	it('500 on contact create → conflict (the unique-index race), not unreachable, not retried', async () => {
		const { client, send } = setup([reply(500, 'Internal Server Error')]);
		const error = await rejection(
			client.createContact({ inboxId: 7, sourceId: '5511987654321@s.whatsapp.net', identifier: '5511987654321@s.whatsapp.net' }),
		);
		expect(send.requests).toHaveLength(1);
		expect(isChatwootError(error, 'conflict')).toBe(true);
		expect(error).toMatchObject({ httpCode: 409, chatwootStatus: 500 });
		expect(error.message).toBe(
			'Chatwoot reported a conflict on POST /api/v1/accounts/1/contacts - a concurrent request may already have created this contact or contact inbox; look it up and reuse it. Detail: Internal Server Error',
		);
	});

	it('500 on contact inbox create → conflict without retrying although the request is idempotent', async () => {
		const { client, send } = setup([reply(500)]);
		const error = await rejection(client.createContactInbox(42, 7, '5511987654321@s.whatsapp.net'));
		expect(send.requests).toHaveLength(1);
		expect(error.kind).toBe('conflict');
	});

	it.each([
		['ECONNREFUSED', 'ECONNREFUSED (connection refused)'],
		['ENOTFOUND', 'ENOTFOUND (host name not found (DNS))'],
		['EAI_AGAIN', 'EAI_AGAIN (DNS lookup failed temporarily)'],
		['ETIMEDOUT', 'ETIMEDOUT (no answer within the timeout)'],
		['ECONNRESET', 'ECONNRESET (connection reset (socket hang up))'],
	])('%s → 502 unreachable', async (code, detail) => {
		const { http } = setup([noAnswer(code)], { maxAttempts: 1 });
		const error = await rejection(http(listInboxes));
		expect(error).toMatchObject({ httpCode: 502, kind: 'unreachable', detail, message: `${UNREACHABLE} ${detail}` });
		expect(error.chatwootStatus).toBeUndefined();
	});

	it('"socket hang up" and "timeout" messages without a code are network failures too', async () => {
		const hangUp = await rejection(setup([new Error('socket hang up')], { maxAttempts: 1 }).http(listInboxes));
		const timeout = await rejection(setup([new Error('timeout of 15000ms exceeded')], { maxAttempts: 1 }).http(listInboxes));
		expect(hangUp.detail).toBe('ECONNRESET (connection reset (socket hang up))');
		expect(timeout.detail).toBe('ETIMEDOUT (no answer within the timeout)');
	});

	it('a non-idempotent request without an answer says it may have been applied and was not retried', async () => {
		const { http, send } = setup([noAnswer('ETIMEDOUT')]);
		const error = await rejection(http(postMessage));
		expect(send.requests).toHaveLength(1);
		expect(error.message).toBe(
			`${UNREACHABLE} ETIMEDOUT (no answer within the timeout); POST /api/v1/accounts/1/conversations/12/messages got no usable answer - the request may have been applied; it was not retried`,
		);
	});

	it('a redirect means the base URL is not where the API answers', async () => {
		const { http } = setup([reply(302, undefined, { location: 'https://chatwoot.example.com/app/login' })]);
		const error = await rejection(http(listInboxes));
		expect(error.kind).toBe('notFound');
		expect(error.detail).toBe('HTTP 302 Found (redirect to https://chatwoot.example.com/app/login)');
	});

	it('credentials written into the base URL are not shown', () => {
		const error = classifyChatwootFailure(
			{ code: 'ECONNREFUSED' },
			{ baseUrl: 'https://user:pass@chatwoot.example.com', accountId: 1, method: 'GET', path: '/x' },
		);
		expect(error.message).toContain('unreachable at https://chatwoot.example.com - ');
		expect(error.message).not.toContain('pass');
	});
});

describe('errors that do not come from Chatwoot (README, Errors)', () => {
	it('invalid body names the field', () => {
		expect(invalidBody('phone_number', 'expected E.164')).toMatchObject({
			httpCode: 400,
			kind: 'invalidBody',
			message: 'invalid body: phone_number: expected E.164',
		});
	});

	it('instance not found', () => {
		expect(instanceNotFound('suporte')).toMatchObject({ httpCode: 404, kind: 'instanceNotFound', message: 'instance not found' });
	});

	it('integration not configured: 404 per instance, 503 for the gateway', () => {
		expect(integrationNotConfigured('instance')).toMatchObject({
			httpCode: 404,
			kind: 'notConfigured',
			message: 'no chatwoot integration for this instance',
		});
		expect(integrationNotConfigured('gateway')).toMatchObject({
			httpCode: 503,
			kind: 'notConfigured',
			message: 'integration gateway not configured',
		});
	});
});

describe('over real HTTP (nock + the Node SendRequest)', () => {
	const nodeClient = (timeoutMs = 2000) =>
		new ChatwootClient({
			http: createChatwootHttp(createNodeSend({ baseUrl: BASE_URL, token: TOKEN, timeoutMs }), {
				baseUrl: BASE_URL,
				accountId: 1,
				maxAttempts: 1,
				sleep: async () => undefined,
				secrets: [TOKEN],
			}),
			accountId: 1,
		});

	beforeAll(() => nock.disableNetConnect());
	afterEach(() => nock.cleanAll());
	afterAll(() => nock.enableNetConnect());

	it('sends the token header and classifies a 401', async () => {
		const scope = nock(BASE_URL, { reqheaders: { api_access_token: TOKEN } })
			.get('/api/v1/accounts/1/inboxes')
			.reply(401, { error: 'Invalid Access Token' });
		const error = await rejection(nodeClient().listInboxes());
		expect(error.kind).toBe('tokenRejected');
		scope.done();
	});

	it('a slow Chatwoot is a timeout → 502', async () => {
		nock(BASE_URL).get('/api/v1/accounts/1/inboxes').delay(500).reply(200, { payload: [] });
		const error = await rejection(nodeClient(50).listInboxes());
		expect(error).toMatchObject({ kind: 'unreachable', detail: 'ETIMEDOUT (no answer within the timeout)' });
	});

	it('ENOTFOUND from the socket → 502', async () => {
		nock(BASE_URL).get('/api/v1/accounts/1/inboxes').replyWithError(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
		const error = await rejection(nodeClient().listInboxes());
		expect(error).toMatchObject({ kind: 'unreachable', httpCode: 502, detail: 'ENOTFOUND (host name not found (DNS))' });
	});

	it('a real refused connection → 502 ECONNREFUSED', async () => {
		nock.enableNetConnect('127.0.0.1');
		const send = createNodeSend({ baseUrl: 'http://127.0.0.1:1', token: TOKEN });
		const http = createChatwootHttp(send, { baseUrl: 'http://127.0.0.1:1', accountId: 1, maxAttempts: 1, sleep: async () => undefined });
		const error = await rejection(http(listInboxes));
		expect(error).toMatchObject({ kind: 'unreachable', detail: 'ECONNREFUSED (connection refused)' });
		nock.disableNetConnect();
	});
});
