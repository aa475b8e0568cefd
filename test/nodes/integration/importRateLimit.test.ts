/**
 * Import under Chatwoot's request limit: the sandbox throttles like Rack::Attack (fixed one-minute windows,
 * 429 + Retry-After) at 600 requests per minute for everybody; an import paced at 600 per minute that needs more than
 * 600 requests gets no 429 at all and loses nothing. Takes a bit over a minute of wall time (the window must be
 * crossed for the test to mean anything).
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { ChatwootBridgeIntegration } from '../../../nodes/ChatwootBridgeIntegration/ChatwootBridgeIntegration.node';
import { executeContext, runNodeExecute } from '../../support/fakeN8n';
import { INSTANCE, startHarness, type Harness } from './harness';

const NOW = Math.floor(Date.now() / 1000);
const CHATS = 12;
const PER_CHAT = 50;

function record(chat: number, message: number) {
	return {
		key: { remoteJid: `55119777${String(chat).padStart(5, '0')}@s.whatsapp.net`, fromMe: false, id: `R${chat}M${message}` },
		pushName: `Contato ${chat}`,
		message: { conversation: `mensagem ${message}` },
		messageType: 'conversation',
		messageTimestamp: NOW - 3600 + message,
	};
}

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
		const records = Array.from({ length: CHATS }, (_, chat) => Array.from({ length: PER_CHAT }, (_, message) => record(chat, message))).flat();
		const items: INodeExecutionData[] = [{ json: { records } as unknown as IDataObject }];
		const ctx = executeContext({
			credentials: h.credentials,
			items,
			parameters: {
				operation: 'import',
				instance: INSTANCE,
				what: 'all',
				records,
				gateway: 'evolution',
				days: 0,
				requestsPerMinute: 600,
				options: {},
			},
		});
		const [summary] = await runNodeExecute(new ChatwootBridgeIntegration(), ctx, 'chatwootBridgeIntegration import');
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
