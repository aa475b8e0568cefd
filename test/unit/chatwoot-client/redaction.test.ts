import { inspect } from 'util';

import { z } from 'zod';

import { ChatwootError } from '../../../nodes/shared/chatwoot/errors';
import type { ChatwootRequest } from '../../../nodes/shared/chatwoot/request';
import { profile as profileFixture } from '../../fixtures/chatwoot-api/responses';
import { reply } from '../../support/recordingSend';
import { listInboxes, postMessage, rejection, setup, TOKEN } from './helpers';

/** A leaky transport error, like axios's: message and config (headers) carry the token. */
function leakyNetworkError(code: string, token: string): Error {
	return Object.assign(new Error(`connect ${code} with api_access_token=${token}`), {
		code,
		config: { headers: { api_access_token: token } },
		request: { _header: `GET / HTTP/1.1\r\napi_access_token: ${token}\r\n` },
	});
}

function expectNoToken(error: ChatwootError, token: string): void {
	const views = [error.message, error.detail, String(error), error.stack ?? '', JSON.stringify(error), inspect(error, { depth: 5 })];
	for (const view of views) {
		expect(view).not.toContain(token);
		expect(view).not.toContain(encodeURIComponent(token));
	}
}

describe('the API token never appears in an error', () => {
	const enumSchema = z.object({ payload: z.enum(['a', 'b']) });
	const scenarios: Array<[string, (token: string) => unknown, ChatwootRequest, z.ZodTypeAny | undefined]> = [
		['401 body echoing the token', (t) => reply(401, { error: `Invalid Access Token ${t}` }), listInboxes, undefined],
		['403 body', (t) => reply(403, { error: `token ${t} lacks scope` }), listInboxes, undefined],
		['404 html body', (t) => reply(404, `<h1>Not found: /x?api_access_token=${t}</h1>`), listInboxes, undefined],
		['422 attributes', (t) => reply(422, { message: `bad ${t}`, attributes: [t] }), postMessage, undefined],
		['429', (t) => reply(429, `Retry later ${t}`, { 'retry-after': '999' }), listInboxes, undefined],
		['500', (t) => reply(500, { error: t }), postMessage, undefined],
		['network error with headers', (t) => leakyNetworkError('ECONNREFUSED', t), postMessage, undefined],
		['network error without a code', (t) => Object.assign(new Error(`boom ${t}`), { config: { headers: { t } } }), postMessage, undefined],
		['unexpected shape quoting a value', (t) => reply(200, { payload: t }), listInboxes, enumSchema],
	];

	it.each(scenarios)('%s', async (_label, answer, request, schema) => {
		for (const token of [TOKEN, 'tok+en/with=odd&chars']) {
			const { http } = setup([answer(token) as never], { secrets: [token], maxAttempts: 1 });
			const error = await rejection(http(request, schema));
			expectNoToken(error, token);
			expect(error.message).toMatch(/\*\*\*|ECONNREFUSED|ENETWORK|expected|Invalid enum/);
		}
	});

	it('the profile answer loses access_token and pubsub_token', async () => {
		const { client } = setup([reply(200, profileFixture)]);
		const profile = await client.profile();
		expect(JSON.stringify(profile)).not.toContain(TOKEN);
		expect(profile).not.toHaveProperty('access_token');
		expect(profile).not.toHaveProperty('pubsub_token');
		expect(profile.accounts).toEqual([{ id: 1, name: 'Acme', status: 'active', role: 'administrator' }]);
	});

	it('errors keep no reference to the transport error or the request', async () => {
		const { http } = setup([leakyNetworkError('ECONNRESET', TOKEN)], { maxAttempts: 1 });
		const error = await rejection(http(listInboxes));
		expect(Object.keys(error).sort()).toEqual(['detail', 'httpCode', 'kind', 'name', 'retryable'].sort());
		expect((error as { cause?: unknown }).cause).toBeUndefined();
	});
});
