/**
 * The client over real HTTP against the sandbox Chatwoot: every method end to end, the error classes as the sandbox
 * produces them, retries through injected faults, and every request sent checked against the OpenAPI contract.
 */
import { ChatwootClient } from '../../../nodes/shared/chatwoot/client';
import type { ChatwootRequest, SendRequest } from '../../../nodes/shared/chatwoot/request';
import { createChatwootHttp, type ChatwootHttpOptions } from '../../../nodes/shared/chatwoot/retry';
import { startSandbox, type Sandbox } from '../../sandbox';
import { validateRequest } from '../../contract/requestContract';
import { createNodeSend } from '../../support/nodeSend';
import { fakeSleep } from '../../support/recordingSend';
import { rejection } from './helpers';

const JID = '5511987654321@s.whatsapp.net';
const PHONE = '+5511987654321';

let sb: Sandbox;
const sent: ChatwootRequest[] = [];

function clientFor(token: string = sb.tokens.admin, accountId: number = sb.accountId, options: Partial<ChatwootHttpOptions> = {}) {
	const nodeSend = createNodeSend({ baseUrl: sb.baseUrl, token, timeoutMs: 5000 });
	const send: SendRequest = (request) => {
		sent.push(request);
		return nodeSend(request);
	};
	const sleep = fakeSleep();
	const http = createChatwootHttp(send, { baseUrl: sb.baseUrl, accountId, sleep, secrets: [token], ...options });
	return { client: new ChatwootClient({ http, accountId }), http, sleep };
}

beforeAll(async () => {
	sb = await startSandbox();
});
afterEach(() => sb.reset());
afterAll(async () => {
	await sb.close();
	// Whatever the sandbox saw, it saw from requests that fit the spec or the written undocumented list.
	const failures = sent.map((r) => ({ r: `${r.method} ${r.path}`, problems: validateRequest(r).problems })).filter((v) => v.problems.length);
	expect(failures).toEqual([]);
});

describe('ChatwootClient against the sandbox', () => {
	it('profile: administrator of account 1, token stripped', async () => {
		const profile = await clientFor().client.profile();
		expect(profile.accounts.find((a) => a.id === sb.accountId)?.role).toBe('administrator');
		expect(JSON.stringify(profile)).not.toContain(sb.tokens.admin);
	});

	it('inbox lifecycle: create, list, read secret, replace additional_attributes, rotate secret', async () => {
		const { client } = clientFor();
		const inbox = await client.createApiInbox({
			name: 'WhatsApp suporte',
			webhookUrl: 'http://127.0.0.1:9/hook',
			additionalAttributes: { foreign: 1 },
		});
		expect(inbox).toMatchObject({ name: 'WhatsApp suporte', webhook_url: 'http://127.0.0.1:9/hook' });
		expect((await client.listInboxes()).map((i) => i.id)).toContain(inbox.id);
		const read = await client.getInbox(inbox.id);
		expect(typeof read.secret).toBe('string');
		const updated = await client.updateInbox(inbox.id, { additionalAttributes: { ours: { v: 1 } } });
		expect(updated.additional_attributes).toEqual({ ours: { v: 1 } });
		const rotated = await client.resetInboxSecret(inbox.id);
		expect(rotated.secret).not.toBe(read.secret);
	});

	it('contacts: exact lookup, create with contact inbox, conflict on a taken source_id, filters and search', async () => {
		const { client } = clientFor();
		const inbox = sb.createInbox();
		expect(await client.findContactByChat(inbox.id, JID)).toBeUndefined();
		expect((await rejection(client.findContactByChat(999_999, JID))).kind).toBe('notFound');

		const created = await client.createContact({ inboxId: inbox.id, sourceId: JID, identifier: JID, phone: PHONE, name: 'Maria' });
		expect(created.contact_inbox?.source_id).toBe(JID);
		const found = await client.findContactByChat(inbox.id, JID);
		expect(found?.id).toBe(created.contact.id);

		// Another contact claiming the same (inbox_id, source_id): the unique index answers 500 → conflict.
		const race = await rejection(client.createContact({ inboxId: inbox.id, sourceId: JID, identifier: 'other@s.whatsapp.net' }));
		expect(race).toMatchObject({ kind: 'conflict', chatwootStatus: 500 });

		// The same identifier caught by validation: 422.
		const taken = await rejection(client.createContact({ inboxId: inbox.id, sourceId: 'x@s.whatsapp.net', identifier: JID }));
		expect(taken).toMatchObject({ kind: 'invalidRequest', chatwootStatus: 422 });

		expect((await client.filterContacts({ phone: PHONE })).map((c) => c.id)).toEqual([created.contact.id]);
		expect((await client.filterContacts({ identifier: JID })).map((c) => c.id)).toEqual([created.contact.id]);
		expect((await client.searchContacts(PHONE)).map((c) => c.id)).toContain(created.contact.id);

		const renamed = await client.updateContact(created.contact.id, { name: 'Maria S.', customAttributes: { a: 1 } });
		expect(renamed.name).toBe('Maria S.');

		// Same contact + inbox + source_id again returns the existing row; another contact's source_id → conflict.
		expect(await client.createContactInbox(created.contact.id, inbox.id, JID)).toMatchObject({ source_id: JID });
		const other = await sb.createContact({ name: 'Other' });
		expect((await rejection(client.createContactInbox(other.contact.id, inbox.id, JID))).kind).toBe('conflict');
	});

	it('conversations and messages, JSON and multipart', async () => {
		const { client } = clientFor();
		const inbox = sb.createInbox();
		const { contact } = await client.createContact({ inboxId: inbox.id, sourceId: JID, identifier: JID, phone: PHONE });
		const conversation = await client.createConversation({
			inboxId: inbox.id,
			contactId: contact.id,
			sourceId: JID,
			status: 'pending',
			message: { content: 'primeira', messageType: 'incoming', sourceId: 'WAID:1' },
		});
		expect(conversation).toMatchObject({ inbox_id: inbox.id, status: 'pending' });
		expect((await client.listContactConversations(contact.id)).map((c) => c.id)).toEqual([conversation.id]);
		expect((await client.getConversation(conversation.id)).id).toBe(conversation.id);

		const text = await client.createMessage(conversation.id, {
			content: 'Olá',
			messageType: 'incoming',
			sourceId: 'WAID:2',
			contentAttributes: { in_reply_to_external_id: 'WAID:1' },
		});
		expect(text).toMatchObject({ content: 'Olá', source_id: 'WAID:2', message_type: 0 });

		const image = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]);
		const media = await client.createMessage(conversation.id, {
			content: 'foto',
			messageType: 'incoming',
			sourceId: 'WAID:3',
			contentAttributes: { in_reply_to_external_id: 'WAID:2' },
			attachments: [{ fileName: 'foto.jpg', contentType: 'image/jpeg', data: image }],
		});
		expect(media.attachments?.[0]).toMatchObject({ file_type: 'image' });
		expect(media.content_attributes).toMatchObject({ in_reply_to_external_id: 'WAID:2' });

		const outgoing = await client.createMessage(conversation.id, { content: 'resposta', messageType: 'outgoing' });
		expect((await client.updateMessageStatus(conversation.id, outgoing.id, 'failed', 'not on WhatsApp')).status).toBe('failed');
		expect((await client.deleteMessage(conversation.id, outgoing.id)).content_attributes).toMatchObject({ deleted: true });

		const after = await client.listMessages(conversation.id, { after: text.id - 1 });
		expect(after.map((m) => m.id)).toEqual(expect.arrayContaining([text.id, media.id]));

		const toggled = await client.toggleConversationStatus(conversation.id, 'resolved');
		expect(toggled).toMatchObject({ success: true, current_status: 'resolved', conversation_id: conversation.id });
	});

	it('error classes as the sandbox answers them', async () => {
		expect((await rejection(clientFor('wrong-token').client.listInboxes())).kind).toBe('tokenRejected');
		expect((await rejection(clientFor(sb.tokens.agent).client.createApiInbox({ name: 'x' }))).kind).toBe('forbidden');
		expect(await rejection(clientFor(sb.tokens.admin, 999).client.listInboxes())).toMatchObject({
			kind: 'notFound',
			message: `Chatwoot account or endpoint not found - verify the base URL (${sb.baseUrl}) and account ID (999). Detail: Resource could not be found`,
		});
		expect((await rejection(clientFor().client.getInbox(999_999))).kind).toBe('notFound');
	});

	it('retries injected 5xx on reads, honours a 429, and never repeats a lost POST', async () => {
		const { client, http, sleep } = clientFor();
		sb.failNext(2, '5xx', { status: 503 });
		await client.listInboxes();
		expect(http.stats.attempts).toBe(3);

		sb.failNext(1, '429', { retryAfterSeconds: 2 });
		await client.listInboxes();
		expect(sleep.waits).toContain(2000);

		const inbox = sb.createInbox();
		const { contact } = await client.createContact({ inboxId: inbox.id, sourceId: JID });
		const conversation = await client.createConversation({ inboxId: inbox.id, contactId: contact.id, sourceId: JID });
		sb.failNext(1, 'drop_after_commit', { match: { method: 'POST', path: /\/messages$/ } });
		const lost = await rejection(client.createMessage(conversation.id, { content: 'once', messageType: 'incoming' }));
		expect(lost.message).toMatch(/may have been applied; it was not retried$/);
		const messages = await client.listMessages(conversation.id);
		expect(messages.filter((m) => m.content === 'once')).toHaveLength(1);
	});
});
