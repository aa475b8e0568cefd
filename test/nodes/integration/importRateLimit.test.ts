/**
 * Import under Chatwoot's request limit: the sandbox throttles like Rack::Attack (fixed one-minute windows,
 * 429 + Retry-After) at 600 requests per minute for everybody; an import paced at 600 per minute that needs more than
 * 600 requests gets no 429 at all and loses nothing. Takes a bit over a minute of wall time (the window must be
 * crossed for the test to mean anything).
 */
import type { IDataObject } from 'n8n-workflow';

import { startHarness, type Harness } from './harness';
import { runPacedImport, textRecords } from './pacedImport';

const CHATS = 12;
const PER_CHAT = 50;

describe('Chatwoot Bridge Integration: import under a request limit', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startHarness();
		await h.run('set', { additionalFields: { import_contacts: true, import_messages: true } });
	});
	afterAll(async () => {
		await h.close();
	});

	it('paced at 600 per minute against a 600 per minute limit: more than 600 requests, zero 429s, all imported', async () => {
		h.sb.setRateLimit({ perMinute: 600, scope: 'global' });
		h.sb.resetCounts();
		const records = textRecords(CHATS, PER_CHAT, 'R', '55119777');
		const [summary] = await runPacedImport(h, records, 600);
		const rate = summary.json.rate as IDataObject;

		expect(summary.json.totals).toEqual({ chats: CHATS, contacts_created: CHATS, contacts_failed: 0, imported: CHATS * PER_CHAT, skipped: 0, failed: 0 });
		expect(rate.requests as number).toBeGreaterThan(600);
		expect(rate.throttled).toBe(0);
		expect(h.sb.requestCounts.total).toBe(rate.requests);
		// Paced, not throttled: about 594 requests a minute.
		expect(((rate.requests as number) / (rate.seconds as number)) * 60).toBeGreaterThan(560);
		expect(((rate.requests as number) / (rate.seconds as number)) * 60).toBeLessThanOrEqual(600);
		expect(h.sb.state.messages).toHaveLength(CHATS * PER_CHAT);
	}, 150_000);
});
