/**
 * Issue 8.2: every sample of every gateway delivered three times in sequence, then three times at once, through the
 * Sync node: no duplicate message, contact or conversation.
 */
import { readdirSync } from 'fs';
import * as path from 'path';

import { fixture, startHarness, type Harness } from '../nodes/sync/harness';

const ROOT = path.join(__dirname, '..', 'fixtures', 'whatsapp-payloads');
const SAMPLES = ['evolution', 'waha', 'cloud-api', 'n8n-whatsapp-trigger'].flatMap((folder) =>
	readdirSync(path.join(ROOT, folder))
		.filter((name) => name.endsWith('.json'))
		.map((name) => `${folder}/${name.replace(/\.json$/, '')}`),
);

describe('replays of every gateway sample', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startHarness();
	});
	afterAll(async () => {
		await h.close();
	});

	it('three times in sequence and three times at once change nothing after the first', async () => {
		for (const name of SAMPLES) await h.run([fixture(name)], { continueOnFail: true });
		const snapshot = () => {
			const state = h.sb.state;
			return {
				contacts: state.contacts.length,
				contactInboxes: state.contactInboxes.length,
				conversations: state.conversations.length,
				messages: state.messages.map((m) => `${m.id}:${m.source_id}:${m.status}:${JSON.stringify(m.content_attributes)}`),
			};
		};
		const first = snapshot();
		for (let round = 0; round < 2; round++) {
			for (const name of SAMPLES) await h.run([fixture(name)], { continueOnFail: true });
		}
		expect(snapshot()).toEqual(first);
		h.coldStart();
		await Promise.all(SAMPLES.flatMap((name) => [1, 2, 3].map(() => h.run([fixture(name)], { continueOnFail: true }))));
		expect(snapshot()).toEqual(first);

		const sourceIds = h.sb.state.messages.map((m) => m.source_id).filter(Boolean);
		expect(new Set(sourceIds).size).toBe(sourceIds.length);
		expect(first.messages.length).toBeGreaterThan(20);
	});
});
