/**
 * API-inbox webhooks (docs/chatwoot-behaviour.md, Webhooks of an API inbox, Webhook payloads, Sorting an arriving
 * webhook): what arrives, how it is signed, and what a failed delivery does.
 */
import { createHmac } from 'crypto';
import { startSandbox, type Sandbox } from '../sandbox';
import { api, seedChat, startReceiver, type Receiver } from './helpers';

let sb: Sandbox;
let receiver: Receiver;
let inbox: { id: number; secret: string | null };
let conversationId: number;

beforeAll(async () => {
	sb = await startSandbox({ webhookTimeoutMs: 150 });
	receiver = await startReceiver();
});
afterAll(async () => {
	await sb.close();
	await receiver.close();
});
beforeEach(async () => {
	sb.reset();
	receiver.received.length = 0;
	receiver.respond = () => ({ status: 200 });
	inbox = sb.createInbox({ webhookUrl: receiver.url });
	conversationId = (await seedChat(sb, inbox.id)).conversation.id;
	await sb.idle();
	receiver.received.length = 0;
});

const events = () => receiver.received.map((r) => r.body.event);

it('signs every delivery: sha256=HMAC(secret, timestamp + "." + raw body), over Rails-escaped JSON', async () => {
	await api(sb)('POST', `/conversations/${conversationId}/messages`, { content: 'a <b> & c', message_type: 'incoming' });
	await sb.idle();
	expect(receiver.received.length).toBeGreaterThan(0);
	for (const hook of receiver.received) {
		const timestamp = String(hook.headers['x-chatwoot-timestamp']);
		const expected = 'sha256=' + createHmac('sha256', inbox.secret!).update(`${timestamp}.${hook.raw}`).digest('hex');
		expect(hook.headers['x-chatwoot-signature']).toBe(expected);
		expect(hook.headers['x-chatwoot-delivery']).toMatch(/^[0-9a-f-]{36}$/);
		expect(hook.headers['content-type']).toBe('application/json');
		expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
	}
	// `to_json` escapes HTML characters: a re-serialised body would not verify.
	expect(receiver.received[0].raw).toContain('a \\u003cb\\u003e \\u0026 c');
	expect(receiver.received[0].body.content).toBe('a <b> & c');
});

it('echoes an incoming message the bridge created, with the mixed types of §6.3', async () => {
	const res = await api(sb)('POST', `/conversations/${conversationId}/messages`, {
		content: 'Oi! Quando chega meu pedido?',
		message_type: 'incoming',
		source_id: 'WAID:ABC',
		echo_id: 'not-in-webhooks',
	});
	await sb.idle();
	const hook = receiver.received.find((r) => r.body.event === 'message_created')!.body;
	expect(hook).toMatchObject({
		id: res.body.id,
		message_type: 'incoming',
		source_id: 'WAID:ABC',
		private: false,
		inbox: { id: inbox.id, name: 'WhatsApp Bridge' },
		account: { id: 1 },
		conversation: {
			id: conversationId,
			channel: 'Channel::Api',
			contact_inbox: { source_id: '5511987654321@s.whatsapp.net' },
			meta: { sender: { type: 'contact', identifier: '5511987654321@s.whatsapp.net' } },
			messages: [{ id: res.body.id, message_type: 0, status: 'sent', conversation_id: conversationId }],
		},
	});
	expect(hook.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
	expect(Number.isInteger(hook.conversation.messages[0].created_at)).toBe(true);
	expect(hook.sender).not.toHaveProperty('type');
	expect(hook).not.toHaveProperty('status');
	expect(hook).not.toHaveProperty('echo_id');
	expect(hook).not.toHaveProperty('attachments');
	expect(Object.keys(hook)).toEqual([
		'account',
		'additional_attributes',
		'content_attributes',
		'content_type',
		'content',
		'conversation',
		'created_at',
		'id',
		'inbox',
		'message_type',
		'private',
		'sender',
		'source_id',
		'event',
	]);
});

it('delivers agent replies and private notes; messages[0] of a note is the previous public message', async () => {
	const reply = sb.agentReply(conversationId, { content: 'Olá **Maria**' });
	const note = sb.agentReply(conversationId, { content: 'internal', private: true });
	await sb.idle();
	const created = receiver.received.filter((r) => r.body.event === 'message_created').map((r) => r.body);
	expect(created.map((m) => [m.id, m.message_type, m.private])).toEqual([
		[reply.id, 'outgoing', false],
		[note.id, 'outgoing', true],
	]);
	expect(created[0].sender).toEqual({ id: 1, name: 'Sandbox Admin', email: 'admin@sandbox.test', type: 'user' });
	expect(created[1].conversation.messages[0].id).toBe(reply.id);
	// The first human reply sets first_reply_created_at and clears waiting_since.
	const updated = receiver.received.find((r) => r.body.event === 'conversation_updated')!.body;
	expect(updated.changed_attributes.map((c: object) => Object.keys(c)[0])).toEqual(
		expect.arrayContaining(['first_reply_created_at', 'waiting_since', 'updated_at']),
	);
});

it('status changes send conversation_status_changed (changed_attributes null) and conversation_updated, never activity messages', async () => {
	sb.resolveConversation(conversationId);
	await sb.idle();
	expect(events().sort()).toEqual(['conversation_status_changed', 'conversation_updated']);
	const changed = receiver.received.find((r) => r.body.event === 'conversation_status_changed')!.body;
	expect(changed).toMatchObject({ status: 'resolved', changed_attributes: null, id: conversationId });
	const updated = receiver.received.find((r) => r.body.event === 'conversation_updated')!.body;
	expect(updated.changed_attributes[0]).toEqual({ status: { previous_value: 'open', current_value: 'resolved' } });
	// The activity message exists but was not delivered.
	expect(sb.state.messages.some((m) => m.message_type === 'activity')).toBe(true);
});

it('an incoming message in a resolved conversation reopens it, with its own webhooks', async () => {
	sb.resolveConversation(conversationId);
	await sb.idle();
	receiver.received.length = 0;
	await api(sb)('POST', `/conversations/${conversationId}/messages`, { content: 'again', message_type: 'incoming' });
	await sb.idle();
	expect(events().sort()).toEqual(['conversation_status_changed', 'conversation_updated', 'message_created']);
	expect(receiver.received.find((r) => r.body.event === 'conversation_status_changed')!.body.status).toBe('open');
});

it('PATCH status and DELETE echo as message_updated without any status field', async () => {
	const call = api(sb);
	const message = (await call('POST', `/conversations/${conversationId}/messages`, { content: 'hi' })).body;
	await sb.idle();
	receiver.received.length = 0;
	await call('PATCH', `/conversations/${conversationId}/messages/${message.id}`, { status: 'delivered' });
	await call('DELETE', `/conversations/${conversationId}/messages/${message.id}`);
	await sb.idle();
	const updates = receiver.received.map((r) => r.body);
	expect(updates.map((u) => u.event)).toEqual(['message_updated', 'message_updated']);
	expect(updates[0]).not.toHaveProperty('status');
	expect(updates[1]).toMatchObject({ content: 'This message was deleted', content_attributes: { deleted: true } });
});

it('sends nothing to the inbox URL for inbox updates or contact creates, nor for other inboxes', async () => {
	const call = api(sb);
	await call('PATCH', `/inboxes/${inbox.id}`, { channel: { additional_attributes: { x: 1 } } });
	await call('POST', '/contacts', { name: 'Someone', inbox_id: inbox.id });
	const other = sb.createInbox({ name: 'Other', webhookUrl: `${receiver.url}?other=1` });
	const chat = await seedChat(sb, other.id, '5511000000009@s.whatsapp.net');
	await sb.idle();
	expect(receiver.received.every((r) => r.body.inbox_id === other.id || r.body.conversation?.inbox_id === other.id)).toBe(true);
	expect(receiver.received.map((r) => r.body.id)).toEqual([chat.conversation.id]);
});

it('a 5xx answer marks the message failed with external_error and emits one more message_updated, once', async () => {
	receiver.respond = () => ({ status: 500 });
	const message = (await api(sb)('POST', `/conversations/${conversationId}/messages`, { content: 'x', message_type: 'incoming' })).body;
	await sb.idle();
	const stored = sb.state.messages.find((m) => m.id === message.id)!;
	expect(stored.status).toBe('failed');
	expect(stored.content_attributes.external_error).toBe('500 Internal Server Error');
	const forMessage = sb.deliveries.filter((d) => d.messageId === message.id);
	// message_created failed → failed status → message_updated (also fails, same error: no change, no new event).
	expect(forMessage.map((d) => [d.event, d.result?.ok])).toEqual([
		['message_created', false],
		['message_updated', false],
	]);
	expect(forMessage[1].payload).toMatchObject({ content_attributes: { external_error: '500 Internal Server Error' } });
	// No retry: exactly one attempt per event.
	expect(receiver.received.filter((r) => r.body.event === 'message_created')).toHaveLength(1);
});

it('a timeout (webhookTimeoutMs) marks the message failed with a read-timeout text', async () => {
	receiver.respond = (hook) => ({ status: 200, delayMs: hook.body.event === 'message_created' ? 1000 : 0 });
	const message = sb.agentReply(conversationId, { content: 'slow receiver' });
	await sb.idle();
	const stored = sb.state.messages.find((m) => m.id === message.id)!;
	expect(stored).toMatchObject({ status: 'failed', content_attributes: { external_error: 'Timed out reading data from server' } });
	const update = sb.deliveries.find((d) => d.event === 'message_updated' && d.messageId === message.id)!;
	expect(update.result).toMatchObject({ ok: true, status: 200 });
	// Conversation events that fail are only logged: nothing is marked.
	receiver.respond = () => ({ status: 503 });
	sb.resolveConversation(conversationId);
	await sb.idle();
	expect(sb.state.conversations[0].status).toBe('resolved');
});

it('with safeFetchAllowPrivateNetwork=false a private webhook URL fails like v4.14.0 does', async () => {
	sb.configure({ safeFetchAllowPrivateNetwork: false });
	try {
		const message = sb.agentReply(conversationId, { content: 'blocked' });
		await sb.idle();
		expect(sb.state.messages.find((m) => m.id === message.id)!.content_attributes.external_error).toBe(
			"Hostname '127.0.0.1' has no public ip addresses",
		);
		expect(receiver.received).toHaveLength(0);
	} finally {
		sb.configure({ safeFetchAllowPrivateNetwork: true });
	}
});

it('follows the key layout of the v4.15.1 serializers (webhook-samples) for conversations and nested messages', async () => {
	const reply = sb.agentReply(conversationId, {
		content: 'foto',
		attachments: [{ filename: 'produto.jpg', contentType: 'image/jpeg', data: 'JPEG' }],
	});
	await sb.idle();
	const hook = receiver.received.find((r) => r.body.event === 'message_created')!.body;
	expect(Object.keys(hook.conversation)).toEqual([
		'additional_attributes',
		'can_reply',
		'channel',
		'contact_inbox',
		'id',
		'inbox_id',
		'messages',
		'labels',
		'meta',
		'status',
		'custom_attributes',
		'snoozed_until',
		'unread_count',
		'first_reply_created_at',
		'priority',
		'waiting_since',
		'agent_last_seen_at',
		'contact_last_seen_at',
		'last_activity_at',
		'timestamp',
		'created_at',
		'updated_at',
		'account',
	]);
	expect(Object.keys(hook.conversation.meta)).toEqual(['sender', 'assignee', 'assignee_type', 'team', 'hmac_verified']);
	expect(Object.keys(hook.conversation.messages[0])).toEqual([
		'id',
		'content',
		'account_id',
		'inbox_id',
		'conversation_id',
		'message_type',
		'created_at',
		'updated_at',
		'private',
		'status',
		'source_id',
		'content_type',
		'content_attributes',
		'sender_type',
		'sender_id',
		'external_source_ids',
		'additional_attributes',
		'processed_message_content',
		'sentiment',
		'conversation',
		'attachments',
		'sender',
	]);
	expect(hook.attachments).toEqual([
		expect.objectContaining({
			message_id: reply.id,
			file_type: 'image',
			extension: 'jpg',
			content_type: 'image/jpeg',
			data_url: expect.stringMatching(new RegExp(`^${sb.baseUrl}/rails/active_storage/blobs/redirect/.+/produto\\.jpg$`)),
		}),
	]);
	expect(typeof hook.conversation.updated_at).toBe('number');
	expect(hook.conversation.contact_inbox).toEqual(
		expect.objectContaining({ source_id: '5511987654321@s.whatsapp.net', hmac_verified: false, pubsub_token: expect.any(String) }),
	);
});

it('dashboard delete and retry arrive as message_updated; typing arrives as conversation_typing_on', async () => {
	const reply = sb.agentReply(conversationId, { content: 'oops' });
	await sb.idle();
	receiver.received.length = 0;
	sb.deleteMessage(conversationId, reply.id);
	await sb.idle();
	expect(receiver.received.map((r) => [r.body.event, r.body.content_attributes])).toEqual([
		['message_updated', { deleted: true }],
	]);
	receiver.received.length = 0;
	await api(sb)('PATCH', `/conversations/${conversationId}/messages/${reply.id}`, { status: 'failed', external_error: 'x' });
	sb.retryMessage(conversationId, reply.id);
	await sb.idle();
	expect(receiver.received.map((r) => r.body.event)).toEqual(['message_updated', 'message_updated', 'message_updated']);
	expect(sb.state.messages.find((m) => m.id === reply.id)).toMatchObject({ status: 'sent', content_attributes: {} });
	receiver.received.length = 0;
	await api(sb)('POST', `/conversations/${conversationId}/toggle_typing_status`, { typing_status: 'on' });
	await sb.idle();
	expect(receiver.received[0].body).toMatchObject({
		event: 'conversation_typing_on',
		user: { id: 1, type: 'user' },
		conversation: { id: conversationId },
		is_private: false,
	});
});
