import { INTEGRATION_ATTRIBUTE } from '../../../nodes/shared/bridge/integration/config';
import { exposedText } from '../../support/exposure';
import { INBOX_NAME, INSTANCE, startHarness, TRIGGER_URL, type Harness } from './harness';

describe('Chatwoot Bridge Integration: list', () => {
	let h: Harness;
	beforeEach(async () => {
		h = await startHarness();
	});
	afterEach(async () => {
		await h.close();
	});

	const inboxIdOf = (json: Record<string, unknown>) => (json.inbox as { id: number }).id;

	it('answers the configuration with live status active, masked token and the flags', async () => {
		const [saved] = await h.run('set', { webhookUrl: TRIGGER_URL, sign_msg: true, ignore_groups: true });
		h.sb.resetCounts();
		const [out] = await h.run('list');
		expect(h.sb.requestCounts).toMatchObject({
			total: 2,
			'GET /api/v1/accounts/:account_id/inboxes': 1,
			'GET /api/v1/profile': 1,
		});
		expect(out.pairedItem).toEqual({ item: 0 });
		expect(out.json).toEqual({
			instance: INSTANCE,
			status: 'active',
			last_error: '',
			integration_id: saved.json.integration_id,
			enabled: true,
			created_at: saved.json.created_at,
			updated_at: saved.json.updated_at,
			chatwoot_base_url: h.sb.baseUrl,
			chatwoot_account_id: 1,
			chatwoot_inbox_id: inboxIdOf(saved.json),
			chatwoot_inbox_name: INBOX_NAME,
			token_masked: 'te…en',
			webhook_url: TRIGGER_URL,
			expected_webhook_url: TRIGGER_URL,
			sign_messages: true,
			ignore_groups: true,
			start_as_pending: false,
			reopen_resolved: true,
			settings: saved.json.settings,
			checks: {
				inbox_exists: true,
				webhook_url_matches: true,
				token_accepted: true,
				admin_scope: true,
				secret_present: true,
				live: true,
			},
			warnings: [],
			checked_at: expect.any(String),
		});
		// The profile answer carries the token (access_token) and the inbox its secret: neither reaches the output.
		const text = exposedText(out.json);
		expect(text).not.toContain(h.sb.tokens.admin);
		expect(text).not.toContain(h.sb.state.inboxes[0].secret!);
		expect(text).not.toContain(h.sb.state.inboxes[0].hmac_token);
	});

	it('is paused when enabled is false', async () => {
		await h.run('set', { enabled: false, webhookUrl: TRIGGER_URL });
		const [out] = await h.run('list');
		expect(out.json).toMatchObject({ status: 'paused', enabled: false, last_error: '' });
	});

	it('is error when the inbox webhook_url drifted from the recorded URL, and active again after set', async () => {
		const [saved] = await h.run('set', { webhookUrl: TRIGGER_URL });
		h.sb.updateInbox(inboxIdOf(saved.json), { webhook_url: 'https://other.example/hook' });
		const [drifted] = await h.run('list');
		expect(drifted.json).toMatchObject({
			status: 'error',
			webhook_url: 'https://other.example/hook',
			expected_webhook_url: TRIGGER_URL,
			checks: expect.objectContaining({ webhook_url_matches: false }),
		});
		expect(drifted.json.last_error).toMatch(/webhook_url of inbox \d+ "WhatsApp Vendas" is "https:\/\/other\.example\/hook" but the integration expects/);

		h.sb.updateInbox(inboxIdOf(saved.json), { webhook_url: null });
		const [cleared] = await h.run('list');
		expect(cleared.json.last_error).toMatch(/webhook_url of inbox \d+ "WhatsApp Vendas" is empty/);

		await h.run('set', {});
		const [repaired] = await h.run('list');
		expect(repaired.json).toMatchObject({ status: 'active', last_error: '' });
	});

	it('answers the same from every process when the inbox was deleted in Chatwoot: 404 saying how to recover', async () => {
		const [saved] = await h.run('set', { webhookUrl: TRIGGER_URL });
		const inboxId = inboxIdOf(saved.json);
		const [before] = await h.run('list');
		expect(before.json).toMatchObject({ status: 'active', chatwoot_inbox_id: inboxId });
		const response = await fetch(`${h.sb.baseUrl}/api/v1/accounts/1/inboxes/${inboxId}`, {
			method: 'DELETE',
			headers: { api_access_token: h.sb.tokens.admin },
		});
		expect(response.status).toBe(200);
		await h.sb.idle();
		// This process listed the integration a moment ago; what it answers now comes from Chatwoot alone.
		const gone = await h.fail('list');
		expect(gone.message).toBe('instance not found');
		expect(gone.name).toBe('NodeOperationError');
		expect(gone.description).toMatch(/inbox deleted in Chatwoot takes the integration with it; run Set/);
		// A fresh `set` creates it again (a new integration: the record went with the inbox).
		const [recreated] = await h.run('set', {});
		expect(recreated.json).toMatchObject({ inbox_created: true });
		const [again] = await h.run('list');
		expect(again.json).toMatchObject({ status: 'active', chatwoot_inbox_id: inboxIdOf(recreated.json) });
	});

	it('warns when nothing will receive agent replies (no webhook URL anywhere)', async () => {
		await h.run('set', {});
		const [out] = await h.run('list');
		expect(out.json).toMatchObject({ status: 'active', webhook_url: null, expected_webhook_url: null });
		expect(out.json.warnings).toEqual([expect.stringMatching(/has no webhook_url: agent replies will not reach WhatsApp/)]);
	});

	it('warns while an editor test run holds the inbox (test URL), besides the URL mismatch', async () => {
		const [saved] = await h.run('set', { webhookUrl: TRIGGER_URL });
		const testUrl = TRIGGER_URL.replace('/webhook/', '/webhook-test/');
		h.sb.updateInbox(inboxIdOf(saved.json), { webhook_url: testUrl });
		const [out] = await h.run('list');
		expect(out.json.warnings).toEqual([expect.stringMatching(/delivers to an n8n test URL .*production workflow receives nothing until the test ends/)]);
	});

	it('is error for an agent token: no signing secret visible, no admin scope', async () => {
		const [saved] = await h.run('set', { webhookUrl: TRIGGER_URL });
		h.sb.addInboxMember(inboxIdOf(saved.json), 2);
		const [out] = await h.run('list', {}, { credentials: { apiAccessToken: h.sb.tokens.agent } });
		expect(out.json).toMatchObject({
			status: 'error',
			token_masked: 'te…en',
			checks: expect.objectContaining({ secret_present: false, admin_scope: false, token_accepted: true }),
		});
		expect(out.json.last_error).toMatch(/no webhook signing secret/);
		expect(out.json.last_error).toMatch(/"agent" on account 1, not an administrator/);
		expect(exposedText(out.json)).not.toContain(h.sb.tokens.agent);
	});

	it('keeps the live check within its time limit and falls back to the stored state', async () => {
		await h.run('set', { webhookUrl: TRIGGER_URL });
		h.sb.failNext(1, 'slow', { delayMs: 3000, match: { path: '/api/v1/profile' } });
		const started = Date.now();
		const [out] = await h.run('list', { options: { liveCheckSeconds: 1 } });
		expect(Date.now() - started).toBeLessThan(2500);
		expect(out.json).toMatchObject({ status: 'active', checks: expect.objectContaining({ live: false, admin_scope: null }) });
		expect(out.json.warnings).toEqual([expect.stringMatching(/live check of the API token did not finish within the time limit/)]);
	});

	it('keeps the live check best-effort when Chatwoot fails it', async () => {
		await h.run('set', { webhookUrl: TRIGGER_URL });
		h.sb.failNext(1, '5xx', { status: 502, match: { path: '/api/v1/profile' } });
		const [out] = await h.run('list');
		expect(out.json).toMatchObject({ status: 'active', checks: expect.objectContaining({ live: false }) });
		expect(out.json.warnings).toEqual([expect.stringMatching(/live check of the API token failed: Chatwoot is unreachable/)]);
	});

	it('answers 404 instance not found / no chatwoot integration for this instance', async () => {
		const unknown = await h.fail('list', { instance: 'nobody' });
		expect(unknown.message).toBe('instance not found');
		expect(unknown.name).toBe('NodeOperationError');

		// An API inbox named after the instance, never configured: the instance exists but has no integration.
		h.sb.createInbox({ name: 'suporte' });
		const unconfigured = await h.fail('list', { instance: 'suporte' });
		expect(unconfigured.message).toBe('no chatwoot integration for this instance');
		expect(unconfigured.name).toBe('NodeOperationError');

		const [item] = await h.run('list', { instance: 'nobody' }, { continueOnFail: true });
		expect(item.json).toMatchObject({ status: 'failed', error: 'instance not found', httpCode: 404, kind: 'instanceNotFound' });
	});

	it('lists every integration of the account when the instance is empty', async () => {
		await h.run('set', { instance: 'vendas', name_inbox: 'Vendas', webhookUrl: TRIGGER_URL });
		await h.run('set', { instance: 'suporte', name_inbox: 'Suporte', enabled: false });
		await h.run('set', { instance: 'antigo', name_inbox: 'Antigo' });
		await h.run('delete', { instance: 'antigo' });
		h.sb.createInbox({ name: 'Plain API inbox' });
		h.sb.createInbox({ name: 'Foreign', additionalAttributes: { [INTEGRATION_ATTRIBUTE]: { bogus: true } } });
		const output = await h.run('list', { instance: '' });
		expect(output.map((item) => [item.json.instance, item.json.status, item.pairedItem])).toEqual([
			['vendas', 'active', { item: 0 }],
			['suporte', 'paused', { item: 0 }],
		]);
		h.sb.reset();
		expect(await h.run('list', { instance: '' })).toEqual([]);
	});
});
