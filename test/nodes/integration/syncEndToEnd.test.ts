/** The Sync WhatsApp Message node works with an integration made by `set`, and sees set/delete at once. */
import { fixture } from '../sync/harness';
import { INBOX_NAME, INSTANCE, startHarness, TRIGGER_URL, type Harness } from './harness';

describe('Chatwoot Bridge Integration → Sync WhatsApp Message', () => {
	let h: Harness;
	beforeEach(async () => {
		h = await startHarness();
	});
	afterEach(async () => {
		await h.close();
	});

	it('syncs an Evolution text into the inbox created by set, and stops after delete', async () => {
		// Before set: the Sync node of this process caches the account's inbox list...
		await expect(h.sync(fixture('evolution/text'))).rejects.toThrow('instance not found');

		// ...and set makes it read Chatwoot again at once (forgetInboxes).
		const [saved] = await h.run('set', { webhookUrl: TRIGGER_URL, conversation_pending: true });
		const inboxId = (saved.json.inbox as { id: number }).id;
		const [synced] = await h.sync(fixture('evolution/text'));
		expect(synced.json).toMatchObject({ status: 'created', instance: INSTANCE, gateway: 'evolution' });

		const state = h.sb.state;
		expect(state.inboxes.find((inbox) => inbox.id === inboxId)).toMatchObject({ name: INBOX_NAME, channel_type: 'Channel::Api' });
		expect(state.contactInboxes).toEqual([expect.objectContaining({ inbox_id: inboxId, source_id: '5511999990001@s.whatsapp.net' })]);
		expect(state.conversations).toEqual([expect.objectContaining({ inbox_id: inboxId, status: 'pending' })]);
		expect(state.messages.filter((message) => message.message_type === 'incoming')).toEqual([
			expect.objectContaining({ source_id: 'WAID:3A5F1C2B9D8E7A6B5C4D', content: 'Olá! Vocês entregam no sábado?', inbox_id: inboxId }),
		]);

		// Paused by set: the Sync node skips at once.
		await h.run('set', { webhookUrl: TRIGGER_URL, conversation_pending: true, enabled: false });
		const next = fixture('evolution/text') as { data: { key: { id: string } } };
		next.data.key.id = 'NEXT0001';
		const [skipped] = await h.sync(next);
		expect(skipped.json).toMatchObject({ status: 'skipped' });

		await h.run('delete');
		await expect(h.sync(next)).rejects.toThrow('no chatwoot integration for this instance');
		expect(h.sb.state.messages.filter((message) => message.source_id === 'WAID:NEXT0001')).toHaveLength(0);
	});
});
