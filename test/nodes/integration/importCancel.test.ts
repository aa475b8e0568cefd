/**
 * A cancelled import stops posting to Chatwoot: n8n aborts the execution's cancel signal when the user presses Stop
 * (or the execution times out); a paced import is mostly waiting, and no message may reach Chatwoot more than 1 s
 * after the abort.
 */
import type { RecordedRequest } from '../../support/fakeN8n';
import { startHarness, type Harness } from './harness';
import { runPacedImport, textRecords } from './pacedImport';

const CHATS = 3;
const PER_CHAT = 40;

describe('Chatwoot Bridge Integration: a cancelled import', () => {
	let h: Harness;
	beforeEach(async () => {
		h = await startHarness();
		await h.run('set', { additionalFields: { import_contacts: true, import_messages: true } });
	});
	afterEach(async () => {
		await h.close();
	});

	it('paced at 240 requests a minute (120 messages would take over 30 s): stops posting within 1 s of the abort', async () => {
		const records = textRecords(CHATS, PER_CHAT, 'C', '55119666');
		const log: RecordedRequest[] = [];
		const cancel = new AbortController();
		const started = Date.now();
		const run = runPacedImport(h, records, 240, { log, cancelSignal: cancel.signal }).then(
			() => undefined,
			(error: Error) => error,
		);
		await new Promise((resolve) => setTimeout(resolve, 3000));
		const abortedAt = Date.now();
		cancel.abort();
		const error = await run;
		const endedAt = Date.now();

		const posts = log.filter((request) => request.method === 'POST');
		// It was importing when cancelled, and far from done.
		expect(posts.filter((request) => request.at < abortedAt).length).toBeGreaterThan(3);
		expect(h.sb.state.messages.length).toBeLessThan(CHATS * PER_CHAT);
		// Nothing posted more than 1 s after the abort; the node itself ends within 1 s, saying why.
		expect(posts.filter((request) => request.at > abortedAt + 1000)).toEqual([]);
		expect(endedAt - abortedAt).toBeLessThan(1000);
		expect(error?.message).toBe('The execution was cancelled');
		expect(abortedAt - started).toBeGreaterThanOrEqual(3000);

		// And nothing arrives later either (a timer left behind would post after the node returned).
		const count = h.sb.state.messages.length;
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(h.sb.state.messages.length).toBe(count);
	}, 30_000);
});
