import { parseRetryAfter } from '../../../nodes/shared/chatwoot/retry';
import { noAnswer, reply } from '../../support/recordingSend';
import { listInboxes, postMessage, rejection, setup } from './helpers';

const ok = reply(200, { payload: [] });

describe('429: Retry-After honoured for every request', () => {
	it('waits the seconds Chatwoot asks for, then succeeds', async () => {
		const { http, sleep, send } = setup([reply(429, 'Retry later', { 'retry-after': '3' }), ok]);
		await expect(http(listInboxes)).resolves.toEqual({ payload: [] });
		expect(sleep.waits).toEqual([3000]);
		expect(send.requests).toHaveLength(2);
		expect(http.stats).toMatchObject({ calls: 1, attempts: 2, retries: 1, waitedMs: 3000 });
	});

	it('reads an HTTP-date Retry-After against the injected clock', async () => {
		const now = Date.parse('Wed, 01 Jan 2031 00:00:00 GMT');
		const { http, sleep } = setup([reply(429, 'Retry later', { 'Retry-After': 'Wed, 01 Jan 2031 00:00:07 GMT' }), ok], {
			now: () => now,
		});
		await http(listInboxes);
		expect(sleep.waits).toEqual([7000]);
	});

	it('retries a throttled non-idempotent POST: a 429 was not processed', async () => {
		const { http, send, sleep } = setup([reply(429, 'Retry later', { 'retry-after': '1' }), reply(200, { id: 1 })]);
		await expect(http(postMessage)).resolves.toEqual({ id: 1 });
		expect(send.requests).toHaveLength(2);
		expect(sleep.waits).toEqual([1000]);
	});

	it('without Retry-After, backs off like any retry', async () => {
		const { http, sleep } = setup([reply(429, 'Retry later'), ok], { random: () => 0.5 });
		await http(listInboxes);
		expect(sleep.waits).toEqual([150]);
	});

	it('fails at once when Chatwoot asks to wait longer than maxRetryAfterMs, carrying the wait', async () => {
		const { http, sleep, send } = setup([reply(429, 'Retry later', { 'retry-after': '120' })]);
		const error = await rejection(http(listInboxes));
		expect(send.requests).toHaveLength(1);
		expect(sleep.waits).toEqual([]);
		expect(error).toMatchObject({ kind: 'rateLimited', httpCode: 429, retryable: true, retryAfterMs: 120_000 });
		expect(error.message).toBe(
			'Chatwoot is rate-limiting requests (HTTP 429 on GET /api/v1/accounts/1/inboxes) - wait and retry, or lower the request rate. Detail: Retry later (Chatwoot asked to wait 120 s, more than the 60 s this node waits)',
		);
	});

	it('gives up with rateLimited after maxAttempts', async () => {
		const { http, sleep } = setup([reply(429, 'Retry later', { 'retry-after': '2' })]);
		const error = await rejection(http(listInboxes));
		expect(sleep.waits).toEqual([2000, 2000, 2000]);
		expect(error).toMatchObject({ kind: 'rateLimited', retryAfterMs: 2000, chatwootStatus: 429 });
	});

	it.each([
		['3', 3000],
		['0', 0],
		['1.5', 1500],
		[' 10 ', 10_000],
		['soon', undefined],
		[undefined, undefined],
		['Wed, 01 Jan 2031 00:00:00 GMT', 0],
	])('parseRetryAfter(%p)', (value, expected) => {
		expect(parseRetryAfter(value, Date.parse('Wed, 01 Jan 2031 00:00:05 GMT'))).toBe(expected);
	});
});

describe('5xx and missing answers: retried only when idempotent, bounded', () => {
	it('retries an idempotent read through 503s, then succeeds', async () => {
		const { http, send, sleep } = setup([reply(503), reply(503), ok]);
		await expect(http(listInboxes)).resolves.toEqual({ payload: [] });
		expect(send.requests).toHaveLength(3);
		expect(sleep.waits).toEqual([150, 300]);
	});

	it('stops after maxAttempts', async () => {
		const { http, send } = setup([reply(503)], { maxAttempts: 3 });
		const error = await rejection(http(listInboxes));
		expect(send.requests).toHaveLength(3);
		expect(error.message).toMatch(/HTTP 503 Service Unavailable \(after 3 attempts\)$/);
		expect(http.stats).toMatchObject({ calls: 1, attempts: 3, retries: 2 });
	});

	it('retries a lost connection on an idempotent request', async () => {
		const { http, send } = setup([noAnswer('ECONNRESET'), noAnswer('ETIMEDOUT'), ok]);
		await http(listInboxes);
		expect(send.requests).toHaveLength(3);
	});

	it('retries a 408 on an idempotent request', async () => {
		const { http, send } = setup([reply(408), ok]);
		await http(listInboxes);
		expect(send.requests).toHaveLength(2);
	});

	it('does NOT retry a non-idempotent POST on a 5xx', async () => {
		const { http, send, sleep } = setup([reply(502), ok]);
		const error = await rejection(http(postMessage));
		expect(send.requests).toHaveLength(1);
		expect(sleep.waits).toEqual([]);
		expect(error.message).toMatch(/the request may have been applied; it was not retried$/);
	});

	it('does NOT retry a non-idempotent POST that got no answer', async () => {
		const { http, send } = setup([noAnswer('ECONNRESET'), ok]);
		await rejection(http(postMessage));
		expect(send.requests).toHaveLength(1);
	});

	it('never retries a 4xx other than 408/429', async () => {
		for (const status of [400, 401, 403, 404, 422]) {
			const { http, send } = setup([reply(status, { error: 'no' }), ok]);
			await rejection(http(listInboxes));
			expect(send.requests).toHaveLength(1);
		}
	});
});

describe('backoff: exponential with full jitter, bounded', () => {
	it('caps each wait at min(maxDelayMs, baseDelayMs·2^(n-1))', async () => {
		const { http, sleep } = setup([reply(503)], { maxAttempts: 7, baseDelayMs: 300, maxDelayMs: 2000, random: () => 0.999999 });
		await rejection(http(listInboxes));
		expect(sleep.waits).toEqual([299, 599, 1199, 1999, 1999, 1999]);
	});

	it('is uniform down to zero', async () => {
		const { http, sleep } = setup([reply(503)], { random: () => 0 });
		await rejection(http(listInboxes));
		expect(sleep.waits).toEqual([0, 0, 0]);
	});

	it('stays within bounds with the real random source', async () => {
		for (let run = 0; run < 200; run += 1) {
			const { http, sleep } = setup([reply(503)], { maxAttempts: 6, random: Math.random });
			await rejection(http(listInboxes));
			sleep.waits.forEach((ms, index) => {
				expect(ms).toBeGreaterThanOrEqual(0);
				expect(ms).toBeLessThanOrEqual(Math.min(8000, 300 * 2 ** index));
			});
		}
	});
});

describe("Chatwoot's per-conversation flood guard", () => {
	it('waits and sends the message again instead of failing (nothing was created)', async () => {
		const { createChatwootHttp } = await import('../../../nodes/shared/chatwoot/retry');
		const answers = [
			{ status: 422, headers: {}, body: { error: 'Validation failed: Too many messages' } },
			{ status: 422, headers: {}, body: { error: 'Validation failed: Too many messages' } },
			{ status: 200, headers: {}, body: { id: 7 } },
		];
		const waits: number[] = [];
		const http = createChatwootHttp(async () => answers.shift()!, {
			baseUrl: 'https://chatwoot.example.com',
			accountId: 1,
			sleep: async (ms) => {
				waits.push(ms);
			},
			random: () => 0,
		});
		const result = await http({ method: 'POST', path: '/api/v1/accounts/1/conversations/1/messages', idempotent: false });
		expect(result).toEqual({ id: 7 });
		expect(waits).toEqual([5000, 5000]);
	});

	it('gives up after a minute of waiting with the flood-guard error', async () => {
		const { createChatwootHttp } = await import('../../../nodes/shared/chatwoot/retry');
		const waits: number[] = [];
		const http = createChatwootHttp(
			async () => ({ status: 422, headers: {}, body: { error: 'Validation failed: Too many messages' } }),
			{ baseUrl: 'https://chatwoot.example.com', accountId: 1, sleep: async (ms) => void waits.push(ms), random: () => 0 },
		);
		await expect(
			http({ method: 'POST', path: '/api/v1/accounts/1/conversations/1/messages', idempotent: false }),
		).rejects.toThrow(/Too many messages/);
		expect(waits).toHaveLength(12);
	});
});
