import { INTEGRATION_ATTRIBUTE } from '../../../nodes/shared/bridge/integration/config';
import { exposedText } from '../../support/exposure';
import { INBOX_NAME, INSTANCE, startHarness, tick, TRIGGER_URL, type Harness } from './harness';

const POST_INBOXES = 'POST /api/v1/accounts/:account_id/inboxes';
const PATCH_INBOX = 'PATCH /api/v1/accounts/:account_id/inboxes/:id';
const GET_INBOXES = 'GET /api/v1/accounts/:account_id/inboxes';

describe('Chatwoot Bridge Integration: set', () => {
	let h: Harness;
	beforeEach(async () => {
		h = await startHarness();
	});
	afterEach(async () => {
		await h.close();
	});

	it('creates the API inbox with auto_create: webhook_url set, our record stored, one POST and one read back', async () => {
		h.sb.createInbox({ name: 'Site', channel: 'web_widget' });
		h.sb.resetCounts();
		const [out] = await h.run('set', { webhookUrl: TRIGGER_URL, sign_msg: true, sign_delimiter: '\\n---\\n' });

		const created = h.inboxNamed(INBOX_NAME);
		expect(created).toHaveLength(1);
		const inbox = created[0];
		expect(inbox).toMatchObject({ channel_type: 'Channel::Api', webhook_url: TRIGGER_URL });
		// The second listing is the check for a twin another process created at the same moment.
		expect(h.sb.requestCounts).toMatchObject({ total: 3, [GET_INBOXES]: 2, [POST_INBOXES]: 1 });

		expect(out.pairedItem).toEqual({ item: 0 });
		expect(out.json).toEqual({
			instance: INSTANCE,
			status: 'active',
			integration_id: expect.stringMatching(/^cwb-[0-9a-f-]{36}$/),
			inbox: { id: inbox.id, name: INBOX_NAME },
			inbox_created: true,
			webhook_url: TRIGGER_URL,
			webhook_url_applied: true,
			moved_from: [],
			created_at: expect.any(String),
			updated_at: expect.any(String),
			settings: {
				enabled: true,
				name_inbox: INBOX_NAME,
				sign_msg: true,
				sign_delimiter: '\n---\n',
				number: '',
				reopen_conversation: true,
				conversation_pending: false,
				import_contacts: false,
				import_messages: false,
				days_limit_import_messages: 7,
				auto_create: true,
				organization: '',
				logo: '',
				ignore_jids: [],
				ignore_groups: false,
				merge_brazil_contacts: false,
				language: 'en',
				templates: {},
			},
			message: 'Chatwoot integration saved',
		});
		expect(out.json.created_at).toBe(out.json.updated_at);
		expect(h.recordOn(inbox.id)).toEqual({
			version: 1,
			instance: INSTANCE,
			integration_id: out.json.integration_id,
			created_at: out.json.created_at,
			updated_at: out.json.updated_at,
			settings: out.json.settings,
			webhook_url: TRIGGER_URL,
		});
		expect(exposedText(out.json)).not.toContain(h.sb.tokens.admin);
		expect(exposedText(h.sb.state.inboxes)).not.toContain(h.sb.tokens.admin);
	});

	it('binds an existing API inbox of that name and keeps every foreign key of additional_attributes', async () => {
		const existing = h.sb.createInbox({
			name: INBOX_NAME,
			webhookUrl: 'https://someone.example/hook',
			additionalAttributes: { agent_reply_time_window: 24, other_tool: { keep: true } },
		});
		h.sb.resetCounts();
		const [out] = await h.run('set', {});
		expect(out.json).toMatchObject({ inbox: { id: existing.id }, inbox_created: false, message: 'Chatwoot integration saved' });
		// No Webhook URL given: the URL someone set stays, and is reported as the inbox's.
		expect(out.json).toMatchObject({ webhook_url: 'https://someone.example/hook', webhook_url_applied: true });
		expect(h.sb.requestCounts).toMatchObject({ total: 2, [GET_INBOXES]: 1, [PATCH_INBOX]: 1 });
		const inbox = h.inbox(existing.id)!;
		expect(inbox.webhook_url).toBe('https://someone.example/hook');
		expect(inbox.additional_attributes).toEqual({
			agent_reply_time_window: 24,
			other_tool: { keep: true },
			[INTEGRATION_ATTRIBUTE]: expect.objectContaining({ instance: INSTANCE, settings: expect.any(Object) }),
		});
		expect(h.recordOn(existing.id)).not.toHaveProperty('webhook_url');
		expect(h.sb.state.inboxes).toHaveLength(1);
	});

	it('writes nothing on a second identical set (fields or JSON), and keeps updated_at', async () => {
		h.sb.createInbox({ name: 'Unrelated', additionalAttributes: { x: 1 } });
		const [first] = await h.run('set', { webhookUrl: TRIGGER_URL, ignore_jids: '@g.us, 5511999990009@s.whatsapp.net' });
		await tick();
		h.sb.resetCounts();
		const [second] = await h.run('set', { webhookUrl: TRIGGER_URL, ignore_jids: '["@g.us","5511999990009@s.whatsapp.net"]' });
		expect(h.writes()).toBe(0);
		expect(h.sb.requestCounts).toEqual({ total: 1, [GET_INBOXES]: 1 });
		expect(second.json).toEqual({ ...first.json, inbox_created: false, message: 'Chatwoot integration unchanged' });

		// The same settings as one JSON object; the recorded Webhook URL is kept when none is given.
		h.sb.resetCounts();
		const [asJson] = await h.run('set', {
			inputMode: 'json',
			settingsJson: JSON.stringify({ name_inbox: INBOX_NAME, ignore_jids: ['@g.us', '5511999990009@s.whatsapp.net'] }),
		});
		expect(h.writes()).toBe(0);
		expect(asJson.json).toMatchObject({ message: 'Chatwoot integration unchanged', updated_at: first.json.updated_at, webhook_url: TRIGGER_URL });
		expect(h.sb.state.inboxes).toHaveLength(2);
	});

	it('changes updated_at only when something changed; created_at and integration_id stay', async () => {
		const [first] = await h.run('set', {});
		const inboxId = (first.json.inbox as { id: number }).id;
		h.sb.updateInbox(inboxId, {
			additional_attributes: { ...(h.inbox(inboxId)!.additional_attributes as object), foreign: 'kept' },
		});
		await tick();
		h.sb.resetCounts();
		const [changed] = await h.run('set', { sign_msg: true, conversation_pending: true, additionalFields: { days_limit_import_messages: 30 } });
		expect(h.sb.requestCounts).toMatchObject({ [PATCH_INBOX]: 1 });
		expect(h.writes()).toBe(1);
		expect(changed.json).toMatchObject({
			integration_id: first.json.integration_id,
			created_at: first.json.created_at,
			message: 'Chatwoot integration saved',
			settings: expect.objectContaining({ sign_msg: true, conversation_pending: true, days_limit_import_messages: 30 }),
		});
		expect(changed.json.updated_at).not.toBe(first.json.updated_at);
		expect(h.inbox(inboxId)!.additional_attributes).toMatchObject({ foreign: 'kept' });
		expect(h.recordOn(inboxId)).toMatchObject({ updated_at: changed.json.updated_at, created_at: first.json.created_at });

		await tick();
		const [again] = await h.run('set', { sign_msg: true, conversation_pending: true, additionalFields: { days_limit_import_messages: 30 } });
		expect(again.json).toMatchObject({ message: 'Chatwoot integration unchanged', updated_at: changed.json.updated_at });
	});

	it('puts the recorded webhook URL back when it drifted, without touching the record', async () => {
		const [first] = await h.run('set', { webhookUrl: TRIGGER_URL });
		const inboxId = (first.json.inbox as { id: number }).id;
		h.sb.updateInbox(inboxId, { webhook_url: 'https://drifted.example/hook' });
		await tick();
		h.sb.resetCounts();
		const [repaired] = await h.run('set', {});
		expect(h.sb.requestCounts).toMatchObject({ [PATCH_INBOX]: 1 });
		expect(h.inbox(inboxId)!.webhook_url).toBe(TRIGGER_URL);
		expect(repaired.json).toMatchObject({ message: 'Chatwoot integration saved', updated_at: first.json.updated_at, webhook_url_applied: true });
	});

	it('without auto_create: binds an existing inbox, records but does not apply the URL; 404 when the inbox is missing', async () => {
		const error = await h.fail('set', { auto_create: false });
		expect(error.message).toMatch(/^Chatwoot inbox not found - no API inbox named "WhatsApp Vendas" exists in account 1;.*Detail: /);
		expect(error.name).toBe('NodeOperationError');
		expect(h.sb.state.inboxes).toHaveLength(0);

		// A non-API inbox of that name does not count.
		h.sb.createInbox({ name: INBOX_NAME, channel: 'web_widget' });
		expect((await h.fail('set', { auto_create: false })).message).toMatch(/^Chatwoot inbox not found/);

		const api = h.sb.createInbox({ name: INBOX_NAME });
		const [out] = await h.run('set', { auto_create: false, webhookUrl: TRIGGER_URL });
		expect(out.json).toMatchObject({ inbox: { id: api.id }, inbox_created: false, webhook_url: TRIGGER_URL, webhook_url_applied: false });
		expect(h.inbox(api.id)!.webhook_url).toBeNull();
		expect(h.recordOn(api.id)).toMatchObject({ webhook_url: TRIGGER_URL, settings: expect.objectContaining({ auto_create: false }) });
	});

	it('moves the instance to a differently named inbox: record and our webhook URL leave the old inbox', async () => {
		const [first] = await h.run('set', { webhookUrl: TRIGGER_URL });
		const oldId = (first.json.inbox as { id: number }).id;
		h.sb.updateInbox(oldId, { additional_attributes: { ...(h.inbox(oldId)!.additional_attributes as object), foreign: 1 } });
		const [moved] = await h.run('set', { name_inbox: 'WhatsApp Vendas 2' });
		const newId = (moved.json.inbox as { id: number }).id;
		expect(newId).not.toBe(oldId);
		expect(moved.json).toMatchObject({
			integration_id: first.json.integration_id,
			created_at: first.json.created_at,
			inbox_created: true,
			webhook_url: TRIGGER_URL,
			moved_from: [{ id: oldId, name: INBOX_NAME }],
		});
		expect(h.inbox(oldId)!.additional_attributes).toEqual({ foreign: 1 });
		expect(h.inbox(oldId)!.webhook_url || null).toBeNull();
		expect(h.inbox(newId)).toMatchObject({ webhook_url: TRIGGER_URL });
		expect(h.recordOn(newId)).toMatchObject({ instance: INSTANCE, integration_id: first.json.integration_id });
		const [listed] = await h.run('list');
		expect(listed.json).toMatchObject({ status: 'active', chatwoot_inbox_id: newId });
	});

	it('refuses an inbox that holds the integration of another instance', async () => {
		await h.run('set', { instance: 'suporte' });
		const error = await h.fail('set', {});
		expect(error.message).toMatch(/^invalid body: name_inbox: inbox \d+ "WhatsApp Vendas" already holds the integration of instance "suporte"/);
		expect(error.name).toBe('NodeOperationError');
		expect(error.description).toMatch(/^Field "name_inbox": inbox \d+/);
	});

	it('converges when two inboxes of one name hold the instance (concurrent first sets): lowest id wins', async () => {
		const [first] = await h.run('set', {});
		const firstId = (first.json.inbox as { id: number }).id;
		const record = h.recordOn(firstId)!;
		const twin = h.sb.createInbox({ name: INBOX_NAME, additionalAttributes: { [INTEGRATION_ATTRIBUTE]: { ...record, integration_id: 'cwb-twin' } } });
		const [again] = await h.run('set', {});
		expect(again.json).toMatchObject({ inbox: { id: firstId }, integration_id: first.json.integration_id, moved_from: [{ id: twin.id, name: INBOX_NAME }] });
		expect(h.recordOn(twin.id)).toBeUndefined();
		h.sb.resetCounts();
		await h.run('set', {});
		expect(h.writes()).toBe(0);
	});

	it('may take over an inbox whose other instance was deleted (only its binding is left)', async () => {
		const [suporte] = await h.run('set', { instance: 'suporte', name_inbox: 'Shared' });
		await h.run('delete', { instance: 'suporte' });
		const [vendas] = await h.run('set', { name_inbox: 'Shared' });
		expect(vendas.json).toMatchObject({ inbox: suporte.json.inbox, inbox_created: false });
		expect(vendas.json.integration_id).not.toBe(suporte.json.integration_id);
		expect(h.recordOn((suporte.json.inbox as { id: number }).id)).toMatchObject({ instance: INSTANCE });
		expect((await h.fail('list', { instance: 'suporte' })).message).toBe('instance not found');
	});

	it('reads Ignore JIDs as a list or JSON, the delimiter escape, and defaults the inbox name to the instance', async () => {
		const [out] = await h.run('set', {
			name_inbox: '',
			sign_msg: true,
			sign_delimiter: ':\\n',
			ignore_jids: '120363000000000000@g.us;\n5511999990001@s.whatsapp.net  @lid',
			additionalFields: { number: '+5511999990000', organization: 'ACME', logo: 'https://acme.example/logo.png', merge_brazil_contacts: true },
		});
		expect(out.json).toMatchObject({
			inbox: { name: INSTANCE },
			settings: {
				name_inbox: INSTANCE,
				sign_delimiter: ':\n',
				ignore_jids: ['120363000000000000@g.us', '5511999990001@s.whatsapp.net', '@lid'],
				number: '+5511999990000',
				organization: 'ACME',
				logo: 'https://acme.example/logo.png',
				merge_brazil_contacts: true,
			},
		});
		const [json] = await h.run('set', { instance: 'suporte', inputMode: 'json', settingsJson: { enabled: false, ignore_jids: '@g.us' } });
		expect(json.json).toMatchObject({ status: 'paused', inbox: { name: 'suporte' }, settings: { enabled: false, ignore_jids: ['@g.us'] } });
	});

	describe('validation: 400 invalid body naming the field, before any request', () => {
		const cases: Array<[string, Record<string, unknown>, RegExp]> = [
			['days_limit_import_messages: 0', { additionalFields: { days_limit_import_messages: 0 } }, /^invalid body: days_limit_import_messages: must be at least 1$/],
			['ignore_jids: ["bogus"] (JSON text)', { ignore_jids: '["bogus"]' }, /^invalid body: ignore_jids\.0: expected a WhatsApp JID/],
			['ignore_jids: ["bogus"] (array)', { ignore_jids: ['ok@g.us', 'bogus'] }, /^invalid body: ignore_jids\.1: expected a WhatsApp JID/],
			['ignore_jids: broken JSON', { ignore_jids: '["a@g.us"' }, /^invalid body: ignore_jids: is not a valid JSON array/],
			['logo: ftp://x', { additionalFields: { logo: 'ftp://x' } }, /^invalid body: logo: expected an http\(s\) URL$/],
			['logo: javascript:', { additionalFields: { logo: 'javascript:alert(1)' } }, /^invalid body: logo: expected an http\(s\) URL$/],
			['number', { additionalFields: { number: 'call me' } }, /^invalid body: number: expected a phone number/],
			['enabled as text', { enabled: 'yes' }, /^invalid body: enabled: expected boolean, got string$/],
			['unknown field (JSON)', { inputMode: 'json', settingsJson: '{"name_inbox":"X","foo":1}' }, /^invalid body: foo: unknown field/],
			['token in JSON', { inputMode: 'json', settingsJson: { token: 'sk_live_abcdefghijkl' } }, /^invalid body: token: the API token belongs in the Chatwoot Bridge API credential/],
			['webhook_url in JSON', { inputMode: 'json', settingsJson: { webhook_url: TRIGGER_URL } }, /^invalid body: webhook_url: read-only here/],
			['JSON not an object', { inputMode: 'json', settingsJson: '[1,2]' }, /^invalid body: settingsJson: expected a JSON object/],
			['JSON not JSON', { inputMode: 'json', settingsJson: '{nope' }, /^invalid body: settingsJson: is not valid JSON$/],
			['empty name_inbox (JSON)', { inputMode: 'json', settingsJson: { name_inbox: '  ' } }, /^invalid body: name_inbox: must not be empty$/],
			['empty instance', { instance: '  ' }, /^invalid body: instance: must not be empty$/],
			['webhookUrl not http', { webhookUrl: 'n8n:5678/webhook' }, /^invalid body: webhookUrl: expected an http\(s\) URL/],
			['webhookUrl too long', { webhookUrl: `https://n8n.example/${'a'.repeat(2100)}` }, /^invalid body: webhookUrl: at most 2048 characters/],
		];
		it.each(cases)('%s', async (_label, parameters, message) => {
			h.sb.resetCounts();
			const error = await h.fail('set', parameters);
			expect(error.message).toMatch(message);
			expect(error.name).toBe('NodeOperationError');
			expect(error.description).toMatch(/^Field "[\w.]+": /);
			expect(exposedText(error)).not.toContain('sk_live_abcdefghijkl');
			expect(h.sb.requestCounts.total).toBe(0);

			const [item] = await h.run('set', parameters, { continueOnFail: true });
			expect(item).toEqual({
				json: expect.objectContaining({ status: 'failed', httpCode: 400, kind: 'invalidBody', itemIndex: 0, error: expect.stringMatching(message) }),
				pairedItem: { item: 0 },
			});
		});
	});

	it('handles items one by one: a bad item fails alone under continue on fail', async () => {
		const output = await h.run('set', {}, {
			continueOnFail: true,
			items: [{ instance: 'a', name_inbox: 'A' }, { instance: 'b', additionalFields: { days_limit_import_messages: 0 } }, { instance: 'c', name_inbox: 'C' }],
		});
		expect(output.map((item) => [item.json.status, item.pairedItem])).toEqual([
			['active', { item: 0 }],
			['failed', { item: 1 }],
			['active', { item: 2 }],
		]);
		expect(output[1].json.error).toBe('invalid body: days_limit_import_messages: must be at least 1');
		expect(h.sb.state.inboxes.map((inbox) => inbox.name).sort()).toEqual(['A', 'C']);
	});
});
