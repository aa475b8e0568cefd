/**
 * Conversations (docs/chatwoot-behaviour.md, Conversations).
 */
import { startSandbox, type Sandbox } from '../sandbox';
import { api, seedChat } from './helpers';

let sb: Sandbox;
let inboxId: number;

beforeAll(async () => {
	sb = await startSandbox();
});
afterAll(() => sb.close());
beforeEach(() => {
	sb.reset();
	inboxId = sb.createInbox().id;
});

it('POST /conversations always creates a new conversation, with per-account display ids', async () => {
	const { contact, jid } = await seedChat(sb, inboxId);
	const call = api(sb);
	const second = await call('POST', '/conversations', { inbox_id: inboxId, contact_id: contact.id, source_id: jid });
	expect(second.status).toBe(200);
	expect(second.body.id).toBe(2);
	expect(second.body).toMatchObject({ status: 'open', inbox_id: inboxId, meta: { sender: { id: contact.id } } });
	expect(sb.state.conversations).toHaveLength(2);
	// Both on the same contact inbox: the source_id was passed.
	expect(new Set(sb.state.conversations.map((c) => c.contact_inbox_id)).size).toBe(1);
});

it('without source_id a second, orphan contact inbox with a random UUID is created', async () => {
	const { contact } = await seedChat(sb, inboxId);
	await api(sb)('POST', '/conversations', { inbox_id: inboxId, contact_id: contact.id });
	expect(sb.state.contactInboxes).toHaveLength(2);
});

it('with lock_to_single_conversation the latest conversation comes back, even a resolved one', async () => {
	sb.updateInbox(inboxId, { lock_to_single_conversation: true });
	const { contact, conversation, jid } = await seedChat(sb, inboxId);
	sb.resolveConversation(conversation.id);
	const again = await api(sb)('POST', '/conversations', { inbox_id: inboxId, contact_id: contact.id, source_id: jid });
	expect(again.body).toMatchObject({ id: conversation.id, status: 'resolved' });
	expect(sb.state.conversations).toHaveLength(1);
});

it('a source_id owned by another contact is a 422 "source_id should be unique"', async () => {
	const { jid } = await seedChat(sb, inboxId);
	const other = await api(sb)('POST', '/contacts', { name: 'Other' });
	const res = await api(sb)('POST', '/conversations', {
		inbox_id: inboxId,
		contact_id: other.body.payload.contact.id,
		source_id: jid,
	});
	expect(res).toMatchObject({ status: 422, body: { error: 'source_id should be unique' } });
});

it('creates the first message in the same call, and status is overridden for blocked contacts', async () => {
	const { contact, jid } = await seedChat(sb, inboxId);
	const call = api(sb);
	const res = await call('POST', '/conversations', {
		inbox_id: inboxId,
		contact_id: contact.id,
		source_id: jid,
		status: 'pending',
		message: { content: 'Oi', message_type: 'incoming', source_id: 'WAID:1' },
	});
	expect(res.body).toMatchObject({ status: 'pending', messages: [{ content: 'Oi', message_type: 0, source_id: 'WAID:1' }] });
	await call('PUT', `/contacts/${contact.id}`, { blocked: true });
	const blocked = await call('POST', '/conversations', { inbox_id: inboxId, contact_id: contact.id, source_id: jid, status: 'open' });
	expect(blocked.body.status).toBe('resolved');
});

it('an incoming message reopens a resolved or snoozed conversation; pending stays pending; outgoing never reopens', async () => {
	const { conversation } = await seedChat(sb, inboxId);
	const call = api(sb);
	const post = (type: string) => call('POST', `/conversations/${conversation.id}/messages`, { content: 'x', message_type: type });
	const status = async () => (await call('GET', `/conversations/${conversation.id}`)).body.status;

	sb.resolveConversation(conversation.id);
	await post('outgoing');
	expect(await status()).toBe('resolved');
	await post('incoming');
	expect(await status()).toBe('open');

	await call('POST', `/conversations/${conversation.id}/toggle_status`, { status: 'snoozed', snoozed_until: 4102444800 });
	await post('incoming');
	expect(await status()).toBe('open');

	await call('POST', `/conversations/${conversation.id}/toggle_status`, { status: 'pending' });
	await post('incoming');
	expect(await status()).toBe('pending');
});

it('toggle_status: explicit status or toggle semantics, Chatwoot response shape', async () => {
	const { conversation } = await seedChat(sb, inboxId);
	const call = api(sb);
	const toggled = await call('POST', `/conversations/${conversation.id}/toggle_status`);
	expect(toggled.body).toEqual({
		meta: {},
		payload: { success: true, conversation_id: conversation.id, current_status: 'resolved', snoozed_until: null },
	});
	const back = await call('POST', `/conversations/${conversation.id}/toggle_status`);
	expect(back.body.payload.current_status).toBe('open');
	const snoozed = await call('POST', `/conversations/${conversation.id}/toggle_status`, { status: 'snoozed', snoozed_until: 4102444800 });
	expect(snoozed.body.payload).toMatchObject({ current_status: 'snoozed', snoozed_until: '2100-01-01T00:00:00.000Z' });
	const invalid = await call('POST', `/conversations/${conversation.id}/toggle_status`, { status: 'closed' });
	expect(invalid.status).toBe(500);
});

it('an agent-role user who opens a conversation is assigned to it', async () => {
	sb.addInboxMember(inboxId, 2);
	const { conversation } = await seedChat(sb, inboxId);
	sb.resolveConversation(conversation.id);
	await api(sb, sb.tokens.agent)('POST', `/conversations/${conversation.id}/toggle_status`, { status: 'open' });
	expect(sb.state.conversations[0].assignee_id).toBe(2);
});

it('lists conversations by status (default open), inbox and page; custom_attributes are replaced', async () => {
	const { contact, conversation, jid } = await seedChat(sb, inboxId);
	const call = api(sb);
	await call('POST', '/conversations', { inbox_id: inboxId, contact_id: contact.id, source_id: jid });
	sb.resolveConversation(conversation.id);
	const open = await call('GET', '/conversations');
	expect(open.body.data.payload.map((c: any) => c.id)).toEqual([2]);
	expect(open.body.data.meta).toEqual({ mine_count: 0, assigned_count: 0, unassigned_count: 1, all_count: 1 });
	const all = await call('GET', `/conversations?status=all&inbox_id=${inboxId}`);
	expect(all.body.data.payload).toHaveLength(2);
	await call('POST', `/conversations/${conversation.id}/custom_attributes`, { custom_attributes: { a: 1 } });
	const replaced = await call('POST', `/conversations/${conversation.id}/custom_attributes`, { custom_attributes: { b: 2 } });
	expect(replaced.body).toEqual({ custom_attributes: { b: 2 } });
	const byContact = await call('GET', `/contacts/${contact.id}/conversations`);
	expect(byContact.body.payload.map((c: any) => c.id).sort()).toEqual([1, 2]);
});

it('an active agent bot makes conversations start pending and reopen as pending; its token posts as the bot', async () => {
	sb.setInboxAgentBot(inboxId, 1);
	const { conversation } = await seedChat(sb, inboxId);
	expect(conversation.status).toBe('pending');
	const bot = api(sb, sb.tokens.bot);
	const reply = await bot('POST', `/conversations/${conversation.id}/messages`, { content: 'Olá, sou um bot' });
	expect(reply.body.sender).toMatchObject({ id: 1, type: 'agent_bot' });
	await bot('POST', `/conversations/${conversation.id}/toggle_status`, { status: 'resolved' });
	await api(sb)('POST', `/conversations/${conversation.id}/messages`, { content: 'oi', message_type: 'incoming' });
	expect(sb.state.conversations[0].status).toBe('pending');
});

describe('POST /conversations with an empty message', () => {
	it('creates no message, as Rails treats an empty hash as not present', async () => {
		const { startSandbox } = await import('../sandbox');
		const sb = await startSandbox();
		try {
			const inbox = sb.createInbox({ name: 'Empty message' });
			const { contact } = await sb.createContact({ name: 'Ana', inboxId: inbox.id, sourceId: 'ana@s.whatsapp.net' });
			const response = await fetch(`${sb.baseUrl}/api/v1/accounts/1/conversations`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', api_access_token: sb.tokens.admin },
				body: JSON.stringify({ inbox_id: inbox.id, contact_id: contact.id, source_id: 'ana@s.whatsapp.net', message: {} }),
			});
			expect(response.status).toBe(200);
			expect(sb.state.messages).toHaveLength(0);
		} finally {
			await sb.close();
		}
	});
});
