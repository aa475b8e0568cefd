/**
 * Every wait of the nodes ends when the execution is cancelled (n8n's Stop button, an execution timeout): the retry
 * backoff, Retry-After, Chatwoot's per-conversation flood guard (up to 12 × 5 s) and the import's pacing.
 */
import { ConversationPacer, pacedSend, RequestPacer } from '../../../nodes/shared/bridge/import/pacing';
import { isCancellation, sleepUntilCancelled } from '../../../nodes/shared/cancellation';
import { createChatwootHttp } from '../../../nodes/shared/chatwoot/retry';
import { createRecordingSend, reply } from '../../support/recordingSend';
import { BASE_URL, listInboxes, postMessage } from '../chatwoot-client/helpers';

/** How long a promise took to settle, and how it settled. */
async function timed(promise: Promise<unknown>): Promise<{ ms: number; error?: unknown }> {
	const started = Date.now();
	try {
		await promise;
		return { ms: Date.now() - started };
	} catch (error) {
		return { ms: Date.now() - started, error };
	}
}

function abortAfter(ms: number): AbortController {
	const controller = new AbortController();
	void sleepUntilCancelled(ms).then(() => controller.abort());
	return controller;
}

describe('sleepUntilCancelled', () => {
	it('waits the time asked when nobody cancels', async () => {
		const { ms, error } = await timed(sleepUntilCancelled(120, new AbortController().signal));
		expect(error).toBeUndefined();
		expect(ms).toBeGreaterThanOrEqual(110);
	});

	it('rejects with a cancellation as soon as the signal aborts, not when the time is up', async () => {
		const { ms, error } = await timed(sleepUntilCancelled(30_000, abortAfter(50).signal));
		expect(isCancellation(error)).toBe(true);
		expect((error as Error).message).toBe('The execution was cancelled');
		expect(ms).toBeLessThan(500);
	});

	it('takes fractional waits (the import paces at 60 000 / 237 ms)', async () => {
		const { ms, error } = await timed(sleepUntilCancelled(60_000 / 237, new AbortController().signal));
		expect(error).toBeUndefined();
		expect(ms).toBeGreaterThanOrEqual(240);
	});

	it('rejects at once when the execution is already cancelled, even for a zero wait', async () => {
		const controller = new AbortController();
		controller.abort();
		const { ms, error } = await timed(sleepUntilCancelled(0, controller.signal));
		expect(isCancellation(error)).toBe(true);
		expect(ms).toBeLessThan(50);
	});
});

describe('the Chatwoot client stops waiting when the execution is cancelled', () => {
	function client(script: Parameters<typeof createRecordingSend>, signal: AbortSignal) {
		const send = createRecordingSend(...script);
		const http = createChatwootHttp(send, {
			baseUrl: BASE_URL,
			accountId: 1,
			sleep: async (ms) => await sleepUntilCancelled(ms, signal),
			signal,
		});
		return { send, http };
	}

	it('the flood guard (422 "Too many messages", waited out up to 12 × 5 s) ends within 1 s of the cancel', async () => {
		const tooMany = reply(422, { error: 'Too many messages' });
		const { send, http } = client([tooMany], abortAfter(200).signal);
		const { ms, error } = await timed(http(postMessage));
		expect(isCancellation(error)).toBe(true);
		expect(ms).toBeLessThan(1200);
		// Never sent again after the cancel.
		expect(send.requests).toHaveLength(1);
	});

	it('a Retry-After of 30 s ends within 1 s of the cancel, without another request', async () => {
		const { send, http } = client([reply(429, 'Retry later', { 'retry-after': '30' })], abortAfter(200).signal);
		const { ms, error } = await timed(http(listInboxes));
		expect(isCancellation(error)).toBe(true);
		expect(ms).toBeLessThan(1200);
		expect(send.requests).toHaveLength(1);
	});

	it('the retry backoff after a 503 ends with the cancel', async () => {
		const send = createRecordingSend(reply(503, 'down'));
		const controller = abortAfter(100);
		const http = createChatwootHttp(send, {
			baseUrl: BASE_URL,
			accountId: 1,
			baseDelayMs: 20_000,
			maxDelayMs: 20_000,
			random: () => 0.99,
			sleep: async (ms) => await sleepUntilCancelled(ms, controller.signal),
			signal: controller.signal,
		});
		const { ms, error } = await timed(http(listInboxes));
		expect(isCancellation(error)).toBe(true);
		expect(ms).toBeLessThan(1000);
		expect(send.requests).toHaveLength(1);
	});

	it('sends nothing once the execution is cancelled, and a request cut by the cancel is not reported as Chatwoot down', async () => {
		const controller = new AbortController();
		controller.abort();
		const idle = client([reply(200, { payload: [] })], controller.signal);
		expect(isCancellation((await timed(idle.http(listInboxes))).error)).toBe(true);
		expect(idle.send.requests).toHaveLength(0);

		const cut = new AbortController();
		const { http } = client(
			[
				() => {
					cut.abort();
					return Object.assign(new Error('canceled'), { code: 'ERR_CANCELED' });
				},
			],
			cut.signal,
		);
		expect(isCancellation((await timed(http(listInboxes))).error)).toBe(true);
	});
});

describe('import pacing stops waiting when the execution is cancelled', () => {
	const clockFor = (signal: AbortSignal) => ({
		now: () => Date.now(),
		sleep: async (ms: number) => await sleepUntilCancelled(ms, signal),
	});

	it('the request schedule (one slot a minute here) ends within 1 s of the cancel, and the slot is not used', async () => {
		const clock = clockFor(abortAfter(200).signal);
		const send = createRecordingSend(reply(200, {}));
		const paced = pacedSend(send, new RequestPacer(1, clock), { requests: 0, throttled: 0 });
		await paced(listInboxes);
		const { ms, error } = await timed(paced(listInboxes));
		expect(isCancellation(error)).toBe(true);
		expect(ms).toBeLessThan(1200);
		expect(send.requests).toHaveLength(1);
	});

	it('the per-conversation window ends within 1 s of the cancel', async () => {
		const pacer = new ConversationPacer(1, clockFor(abortAfter(200).signal));
		await pacer.take(7);
		const { ms, error } = await timed(pacer.take(7));
		expect(isCancellation(error)).toBe(true);
		expect(ms).toBeLessThan(1200);
	});
});
