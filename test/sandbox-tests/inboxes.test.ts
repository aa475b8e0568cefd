/**
 * API inboxes (docs/chatwoot-behaviour.md, Inboxes).
 */
import { startSandbox, type Sandbox } from '../sandbox';
import { api } from './helpers';

let sb: Sandbox;

beforeAll(async () => {
	sb = await startSandbox();
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

it('creates an API inbox with a secret and an inbox_identifier, visible to administrators', async () => {
	const res = await api(sb)('POST', '/inboxes', {
		name: 'WhatsApp 5511',
		lock_to_single_conversation: true,
		channel: { type: 'api', webhook_url: 'https://n8n.example/webhook/abc', hmac_mandatory: false, additional_attributes: { a: 1 } },
	});
	expect(res.status).toBe(200);
	expect(res.body).toMatchObject({
		name: 'WhatsApp 5511',
		channel_type: 'Channel::Api',
		webhook_url: 'https://n8n.example/webhook/abc',
		additional_attributes: { a: 1 },
		lock_to_single_conversation: true,
		hmac_mandatory: false,
	});
	expect(res.body.secret).toMatch(/^[1-9A-Za-z]{24}$/);
	expect(res.body.inbox_identifier).toMatch(/^[1-9A-Za-z]{24}$/);
});

it('lists inboxes ordered by name', async () => {
	sb.createInbox({ name: 'b inbox' });
	sb.createInbox({ name: 'A inbox' });
	sb.createInbox({ name: 'c inbox' });
	const res = await api(sb)('GET', '/inboxes');
	expect(res.body.payload.map((i: any) => i.name)).toEqual(['A inbox', 'b inbox', 'c inbox']);
});

it('PATCH replaces channel.additional_attributes whole (no merge) and turns "null" into nil', async () => {
	const call = api(sb);
	const inbox = sb.createInbox({ additionalAttributes: { theirs: { keep: true }, ours: { v: 1 } }, webhookUrl: 'https://a' });
	const res = await call('PATCH', `/inboxes/${inbox.id}`, { channel: { additional_attributes: { ours: { v: 2 } } } });
	expect(res.status).toBe(200);
	expect(res.body.additional_attributes).toEqual({ ours: { v: 2 } });
	expect(res.body.webhook_url).toBe('https://a');
	const cleared = await call('PATCH', `/inboxes/${inbox.id}`, { channel: { webhook_url: 'null' } });
	expect(cleared.body.webhook_url).toBeNull();
});

it('rejects webhook URLs longer than 2048 characters with the save! error shape, but no URL-format check', async () => {
	const call = api(sb);
	const inbox = sb.createInbox();
	const long = await call('PATCH', `/inboxes/${inbox.id}`, { channel: { webhook_url: `https://x.io/${'a'.repeat(2040)}` } });
	expect(long).toMatchObject({
		status: 422,
		body: { message: 'Webhook url is too long (maximum is 2048 characters)', attributes: ['webhook_url'] },
	});
	const bare = await call('PATCH', `/inboxes/${inbox.id}`, { channel: { webhook_url: 'n8n' } });
	expect(bare.body.webhook_url).toBe('n8n');
});

it('reset_secret rotates the secret; a non-API inbox gets an empty-body 404', async () => {
	const call = api(sb);
	const inbox = sb.createInbox();
	const res = await call('POST', `/inboxes/${inbox.id}/reset_secret`);
	expect(res.status).toBe(200);
	expect(res.body.secret).not.toBe(inbox.secret);
	expect(sb.state.inboxes[0].secret).toBe(res.body.secret);
	const widget = sb.createInbox({ channel: 'web_widget', name: 'Site' });
	const notApi = await call('POST', `/inboxes/${widget.id}/reset_secret`);
	expect(notApi.status).toBe(404);
	expect(notApi.text).toBe('');
});

it('DELETE answers at once and removes the inbox in the background', async () => {
	const inbox = sb.createInbox();
	const res = await api(sb)('DELETE', `/inboxes/${inbox.id}`);
	expect(res).toMatchObject({ status: 200, body: { message: expect.any(String) } });
	await sb.idle();
	expect(sb.state.inboxes).toHaveLength(0);
});
