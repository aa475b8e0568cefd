import { INTEGRATION_ATTRIBUTE } from '../../../nodes/shared/bridge/integration/config';
import { INBOX_NAME, INSTANCE, startHarness, tick, TRIGGER_URL, type Harness } from './harness';

describe('Chatwoot Bridge Integration: delete', () => {
	let h: Harness;
	beforeEach(async () => {
		h = await startHarness();
	});
	afterEach(async () => {
		await h.close();
	});

	const inboxIdOf = (json: Record<string, unknown>) => (json.inbox as { id: number }).id;

	async function chatwoot(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
		const response = await fetch(`${h.sb.baseUrl}/api/v1/accounts/1${path}`, {
			method,
			headers: { api_access_token: h.sb.tokens.admin, 'content-type': 'application/json', accept: 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return (await response.json()) as Record<string, unknown>;
	}

	it('removes the integration and keeps the inbox, its conversations and messages', async () => {
		const [saved] = await h.run('set', { webhookUrl: TRIGGER_URL });
		const inboxId = inboxIdOf(saved.json);
		h.sb.updateInbox(inboxId, { additional_attributes: { ...(h.inbox(inboxId)!.additional_attributes as object), other_tool: 'x' } });
		const contact = await chatwoot('POST', '/contacts', { name: 'Maria', inbox_id: inboxId, source_id: '5511999990001@s.whatsapp.net' });
		const contactId = ((contact.payload as Record<string, unknown>).contact as { id: number }).id;
		await chatwoot('POST', '/conversations', {
			inbox_id: inboxId,
			contact_id: contactId,
			source_id: '5511999990001@s.whatsapp.net',
			message: { content: 'Olá', message_type: 'incoming' },
		});
		await h.sb.idle();
		const before = h.sb.state;
		await tick();
		h.sb.resetCounts();

		const [out] = await h.run('delete');
		expect(h.sb.requestCounts).toMatchObject({
			total: 2,
			'GET /api/v1/accounts/:account_id/inboxes': 1,
			'PATCH /api/v1/accounts/:account_id/inboxes/:id': 1,
		});
		expect(out).toEqual({
			json: {
				instance: INSTANCE,
				status: 'removed',
				integration_id: saved.json.integration_id,
				inbox: { id: inboxId, name: INBOX_NAME },
				webhook_url_cleared: true,
				webhook_url: null,
				created_at: saved.json.created_at,
				removed_at: expect.any(String),
				message: 'Chatwoot integration removed; the inbox and its conversations are kept',
			},
			pairedItem: { item: 0 },
		});
		const after = h.sb.state;
		expect(after.inboxes.map((inbox) => inbox.id)).toEqual(before.inboxes.map((inbox) => inbox.id));
		expect(after.conversations).toEqual(before.conversations);
		expect(after.messages).toEqual(before.messages);
		expect(after.contactInboxes).toEqual(before.contactInboxes);
		// Only the binding is kept: list can tell "no integration" from "unknown instance".
		expect(h.inbox(inboxId)!.additional_attributes).toEqual({
			other_tool: 'x',
			[INTEGRATION_ATTRIBUTE]: {
				version: 1,
				instance: INSTANCE,
				integration_id: saved.json.integration_id,
				created_at: saved.json.created_at,
				updated_at: out.json.removed_at,
				removed_at: out.json.removed_at,
			},
		});
		expect(h.inbox(inboxId)!.webhook_url || null).toBeNull();
	});

	it('then list and delete answer 404 no chatwoot integration for this instance; set again keeps integration_id', async () => {
		const [saved] = await h.run('set', {});
		await h.run('delete');
		for (const operation of ['list', 'delete'] as const) {
			const error = await h.fail(operation);
			expect(error.message).toBe('no chatwoot integration for this instance');
			expect(error.name).toBe('NodeOperationError');
		}
		await tick();
		const [again] = await h.run('set', {});
		expect(again.json).toMatchObject({ integration_id: saved.json.integration_id, inbox_created: false, message: 'Chatwoot integration saved' });
		expect(again.json.created_at).not.toBe(saved.json.created_at);
		expect(h.recordOn(inboxIdOf(saved.json))).not.toHaveProperty('removed_at');
		const [listed] = await h.run('list');
		expect(listed.json).toMatchObject({ status: 'active' });
	});

	it('leaves a webhook URL that is not the recorded one (someone else\'s, or the Trigger\'s own)', async () => {
		const [saved] = await h.run('set', { webhookUrl: TRIGGER_URL });
		h.sb.updateInbox(inboxIdOf(saved.json), { webhook_url: 'https://someone.example/hook' });
		const [out] = await h.run('delete');
		expect(out.json).toMatchObject({ webhook_url_cleared: false, webhook_url: 'https://someone.example/hook' });
		expect(h.inbox(inboxIdOf(saved.json))!.webhook_url).toBe('https://someone.example/hook');

		// Never given a URL: whatever the inbox has is not ours.
		const [other] = await h.run('set', { instance: 'suporte', name_inbox: 'Suporte' });
		h.sb.updateInbox(inboxIdOf(other.json), { webhook_url: TRIGGER_URL });
		const [removed] = await h.run('delete', { instance: 'suporte' });
		expect(removed.json).toMatchObject({ webhook_url_cleared: false, webhook_url: TRIGGER_URL });
	});

	it('answers 404 instance not found for an unknown instance', async () => {
		const error = await h.fail('delete', { instance: 'nobody' });
		expect(error.message).toBe('instance not found');
		expect(error.name).toBe('NodeOperationError');
		expect(h.writes()).toBe(0);
	});
});
