import nock from 'nock';

import { ChatwootClient, exactContactMatches } from '../../../nodes/shared/chatwoot/client';
import * as fixtures from '../../fixtures/chatwoot-api/responses';
import { parseMultipart } from '../../support/multipartParse';
import { createNodeSend } from '../../support/nodeSend';
import { reply } from '../../support/recordingSend';
import { encodeMultipart } from '../../../nodes/shared/chatwoot/multipart';
import { BASE_URL, rejection, setup, TOKEN } from './helpers';

const JID = '5511987654321@s.whatsapp.net';
const A = '/api/v1/accounts/1';

describe('ChatwootClient requests', () => {
	it('inboxes', async () => {
		const { client, send } = setup([]);
		expect((await client.listInboxes()).map((i) => i.id)).toEqual([2, 7]);
		await client.getInbox(7);
		await client.createApiInbox({ name: 'WhatsApp suporte', webhookUrl: 'https://n8n/webhook', additionalAttributes: { k: 1 }, lockToSingleConversation: false });
		await client.updateInbox(7, { webhookUrl: '', additionalAttributes: { k: 2 } });
		await client.resetInboxSecret(7);
		expect(send.requests).toEqual([
			{ method: 'GET', path: `${A}/inboxes`, idempotent: true },
			{ method: 'GET', path: `${A}/inboxes/7`, idempotent: true },
			{
				method: 'POST',
				path: `${A}/inboxes`,
				idempotent: false,
				body: {
					name: 'WhatsApp suporte',
					lock_to_single_conversation: false,
					channel: { type: 'api', webhook_url: 'https://n8n/webhook', additional_attributes: { k: 1 } },
				},
			},
			{ method: 'PATCH', path: `${A}/inboxes/7`, idempotent: true, body: { channel: { webhook_url: '', additional_attributes: { k: 2 } } } },
			{ method: 'POST', path: `${A}/inboxes/7/reset_secret`, idempotent: true },
		]);
	});

	it('profile has no account prefix', async () => {
		const { client, send } = setup([]);
		expect(await client.profile()).toMatchObject({ id: 1, role: 'administrator' });
		expect(send.requests[0]).toEqual({ method: 'GET', path: '/api/v1/profile', idempotent: true });
	});

	it('contacts', async () => {
		const { client, send } = setup([]);
		await client.findContactByChat(7, JID);
		await client.filterContacts({ phone: '+5511987654321' });
		await client.filterContacts({ identifier: JID }, 2);
		await client.searchContacts('+5511987654321');
		const created = await client.createContact({ name: 'Maria', identifier: JID, phone: '+5511987654321', inboxId: 7, sourceId: JID, additionalAttributes: { wa: true } });
		expect(created.contact.id).toBe(42);
		expect(created.contact_inbox?.source_id).toBe(JID);
		await client.updateContact(42, { name: 'Maria S.', customAttributes: { x: 1 } });
		expect(await client.createContactInbox(42, 7, JID)).toMatchObject({ source_id: JID });
		const filter = (key: string, value: string) => ({
			payload: [{ attribute_key: key, filter_operator: 'equal_to', values: [value], query_operator: null }],
		});
		expect(send.requests).toEqual([
			{ method: 'POST', path: `${A}/contact_inboxes/filter`, idempotent: true, body: { inbox_id: 7, source_id: JID } },
			{ method: 'POST', path: `${A}/contacts/filter`, idempotent: true, query: {}, body: filter('phone_number', '+5511987654321') },
			{ method: 'POST', path: `${A}/contacts/filter`, idempotent: true, query: { page: 2 }, body: filter('identifier', JID) },
			{ method: 'GET', path: `${A}/contacts/search`, idempotent: true, query: { q: '+5511987654321' } },
			{
				method: 'POST',
				path: `${A}/contacts`,
				idempotent: false,
				body: { inbox_id: 7, source_id: JID, name: 'Maria', identifier: JID, phone_number: '+5511987654321', additional_attributes: { wa: true } },
			},
			{ method: 'PUT', path: `${A}/contacts/42`, idempotent: true, body: { name: 'Maria S.', custom_attributes: { x: 1 } } },
			{ method: 'POST', path: `${A}/contacts/42/contact_inboxes`, idempotent: true, body: { inbox_id: 7, source_id: JID } },
		]);
	});

	it('conversations and messages', async () => {
		const { client, send } = setup([]);
		await client.listContactConversations(42);
		await client.getConversation(12);
		await client.createConversation({
			inboxId: 7,
			contactId: 42,
			sourceId: JID,
			status: 'pending',
			message: { content: 'Olá', messageType: 'incoming', sourceId: 'WAID:1' },
		});
		await client.toggleConversationStatus(12, 'resolved');
		await client.toggleConversationStatus(12, 'snoozed', 1_900_000_000);
		await client.listMessages(12, { after: 500 });
		await client.createMessage(12, {
			content: 'Olá',
			messageType: 'incoming',
			sourceId: 'WAID:ABC',
			contentAttributes: { in_reply_to_external_id: 'WAID:QUOTED' },
			externalCreatedAt: 1_760_000_000,
		});
		await client.updateMessageStatus(12, 501, 'failed', 'number not on WhatsApp');
		await client.updateMessageStatus(12, 501, 'read', 'ignored');
		await client.deleteMessage(12, 501);
		expect(send.requests).toEqual([
			{ method: 'GET', path: `${A}/contacts/42/conversations`, idempotent: true },
			{ method: 'GET', path: `${A}/conversations/12`, idempotent: true },
			{
				method: 'POST',
				path: `${A}/conversations`,
				idempotent: false,
				body: { inbox_id: 7, contact_id: 42, source_id: JID, status: 'pending', message: { content: 'Olá', message_type: 'incoming', source_id: 'WAID:1' } },
			},
			{ method: 'POST', path: `${A}/conversations/12/toggle_status`, idempotent: true, body: { status: 'resolved' } },
			{ method: 'POST', path: `${A}/conversations/12/toggle_status`, idempotent: true, body: { status: 'snoozed', snoozed_until: 1_900_000_000 } },
			{ method: 'GET', path: `${A}/conversations/12/messages`, idempotent: true, query: { after: 500 } },
			{
				method: 'POST',
				path: `${A}/conversations/12/messages`,
				idempotent: false,
				body: {
					content: 'Olá',
					message_type: 'incoming',
					source_id: 'WAID:ABC',
					content_attributes: { in_reply_to_external_id: 'WAID:QUOTED' },
					external_created_at: 1_760_000_000,
				},
			},
			{ method: 'PATCH', path: `${A}/conversations/12/messages/501`, idempotent: true, body: { status: 'failed', external_error: 'number not on WhatsApp' } },
			{ method: 'PATCH', path: `${A}/conversations/12/messages/501`, idempotent: true, body: { status: 'read' } },
			{ method: 'DELETE', path: `${A}/conversations/12/messages/501`, idempotent: true },
		]);
	});

	it('a message with attachments is multipart: attachments[] files, JSON-string content_attributes', async () => {
		const { client, send } = setup([]);
		const voice = Buffer.from('OggS-voice');
		await client.createMessage(12, {
			messageType: 'incoming',
			private: false,
			sourceId: 'WAID:V',
			contentAttributes: { in_reply_to_external_id: 'WAID:Q' },
			isVoiceMessage: true,
			attachments: [{ fileName: 'voice.ogg', contentType: 'audio/ogg', data: voice }],
		});
		const request = send.requests[0];
		expect(request.body).toBeUndefined();
		expect(request.multipart?.fields).toEqual([
			{ name: 'message_type', value: 'incoming' },
			{ name: 'private', value: 'false' },
			{ name: 'source_id', value: 'WAID:V' },
			{ name: 'content_attributes', value: '{"in_reply_to_external_id":"WAID:Q"}' },
			{ name: 'is_voice_message', value: 'true' },
			// What Chatwoot builds before v4 read instead: a JSON list of the recorded files (docs/voice-notes.md).
			{ name: 'is_recorded_audio', value: '["voice.ogg"]' },
		]);
		const { body, contentType } = encodeMultipart(request.multipart!);
		const file = parseMultipart(body, contentType).find((p) => p.name === 'attachments[]')!;
		expect(file).toMatchObject({ fileName: 'voice.ogg', contentType: 'audio/ogg' });
		expect(file.data.equals(voice)).toBe(true);
	});
});

describe('voice notes', () => {
	it('is_recorded_audio names only the audio files of a voice message, and is absent otherwise', async () => {
		const { client, send } = setup([]);
		const files = [
			{ fileName: 'note.ogg', contentType: 'audio/ogg; codecs=opus', data: Buffer.from('a') },
			{ fileName: 'photo.jpg', contentType: 'image/jpeg', data: Buffer.from('b') },
		];
		await client.createMessage(12, { messageType: 'incoming', isVoiceMessage: true, attachments: files });
		await client.createMessage(12, { messageType: 'incoming', attachments: files });
		const recorded = send.requests.map((request) => request.multipart?.fields.find((field) => field.name === 'is_recorded_audio')?.value);
		expect(recorded).toEqual(['["note.ogg"]', undefined]);
	});
});

describe('ChatwootClient semantics', () => {
	it('findContactByChat: empty-body 404 → undefined', async () => {
		for (const body of [undefined, '', ' ']) {
			const { client } = setup([reply(404, body)]);
			await expect(client.findContactByChat(7, JID)).resolves.toBeUndefined();
		}
	});

	it('findContactByChat: JSON 404 (unknown inbox) → notFound', async () => {
		const { client } = setup([reply(404, { error: 'Resource could not be found' })]);
		const error = await rejection(client.findContactByChat(999, JID));
		expect(error.kind).toBe('notFound');
	});

	it('findContactByChat: the contact with its contact inboxes', async () => {
		const { client } = setup([]);
		const found = await client.findContactByChat(7, JID);
		expect(found?.contact_inboxes?.[0]).toMatchObject({ source_id: JID, inbox: { id: 7 } });
	});

	it('only the contact-inbox filter reads an empty 404 as "absent"', async () => {
		const { client } = setup([reply(404)]);
		expect((await rejection(client.getInbox(7))).kind).toBe('notFound');
	});

	const invalid: Array<[string, (c: ChatwootClient) => Promise<unknown>, string]> = [
		['a non-integer id', (c: ChatwootClient) => c.getInbox('7/../8' as unknown as number), 'invalid body: inboxId: expected a positive integer id (got "7/../8")'],
		['a zero id', (c: ChatwootClient) => c.getConversation(0), 'invalid body: displayId: expected a positive integer id (got "0")'],
		['a bad phone', (c: ChatwootClient) => c.createContact({ inboxId: 7, sourceId: JID, phone: '11987654321' }), 'invalid body: phone_number: expected E.164 such as +5511987654321 (got "11987654321")'],
		['an empty source id', (c: ChatwootClient) => c.createContactInbox(42, 7, ''), 'invalid body: source_id: must not be empty'],
		['a blank search', (c: ChatwootClient) => c.searchContacts('  '), 'invalid body: q: must not be empty'],
		['both filters', (c: ChatwootClient) => c.filterContacts({ phone: '+5511', identifier: JID } as never), 'invalid body: filter: give identifier or phone, not both'],
		['an empty inbox update', (c: ChatwootClient) => c.updateInbox(7, {}), 'invalid body: body: nothing to update'],
		['an empty inbox name', (c: ChatwootClient) => c.createApiInbox({ name: ' ' }), 'invalid body: name: must not be empty'],
		['a too long webhook URL', (c: ChatwootClient) => c.updateInbox(7, { webhookUrl: `https://x/${'a'.repeat(2048)}` }), 'invalid body: channel.webhook_url: at most 2048 characters (got 2058)'],
		['an empty message', (c: ChatwootClient) => c.createMessage(12, { messageType: 'incoming' }), 'invalid body: content: required when the message has no attachments'],
		['a too long message', (c: ChatwootClient) => c.createMessage(12, { messageType: 'incoming', content: 'x'.repeat(150_001) }), 'invalid body: content: at most 150000 characters (got 150001)'],
		['too many attachments', (c: ChatwootClient) => c.createMessage(12, { messageType: 'incoming', attachments: Array.from({ length: 16 }, (_, i) => ({ fileName: `${i}.jpg`, contentType: 'image/jpeg', data: Buffer.from('x') })) }), 'invalid body: attachments: at most 15 per message (got 16); split them'],
		['an activity message', (c: ChatwootClient) => c.createMessage(12, { messageType: 'activity' as never, content: 'x' }), 'invalid body: message_type: expected incoming or outgoing (got "activity")'],
	];

	it.each(invalid)('rejects %s before sending', async (_label, act, message) => {
		const { client, send } = setup([]);
		const error = await rejection(Promise.resolve().then(() => act(client)));
		expect(error).toMatchObject({ kind: 'invalidBody', httpCode: 400, message });
		expect(send.requests).toHaveLength(0);
	});

	it('150 000 emoji are 150 000 characters for Chatwoot', async () => {
		const { client, send } = setup([]);
		await client.createMessage(12, { messageType: 'incoming', content: '😀'.repeat(150_000) });
		expect(send.requests).toHaveLength(1);
	});

	it('exactContactMatches keeps only exact phone or identifier hits', () => {
		const near = { ...fixtures.contact, id: 43, phone_number: '+55119876543210', identifier: `${JID}x` };
		const formatted = { ...fixtures.contact, id: 44, phone_number: '+55 (11) 98765-4321', identifier: null };
		expect(exactContactMatches([fixtures.contact, near, formatted], { phone: '+5511987654321' }).map((c) => c.id)).toEqual([42, 44]);
		expect(exactContactMatches([fixtures.contact, near], { identifier: JID }).map((c) => c.id)).toEqual([42]);
		expect(exactContactMatches([fixtures.contact], {})).toEqual([]);
	});

	it('ChatwootClient.over builds the call policy from a SendRequest', async () => {
		const client = ChatwootClient.over(async () => reply(200, fixtures.profile), { baseUrl: BASE_URL, accountId: 1, sleep: async () => undefined });
		await expect(client.profile()).resolves.toMatchObject({ id: 1 });
		expect(client.http.stats.calls).toBe(1);
	});
});

describe('on the wire (nock + the Node SendRequest)', () => {
	const client = () => ChatwootClient.over(createNodeSend({ baseUrl: BASE_URL, token: TOKEN }), { baseUrl: BASE_URL, accountId: 1, sleep: async () => undefined, secrets: [TOKEN] });

	beforeAll(() => nock.disableNetConnect());
	afterEach(() => nock.cleanAll());
	afterAll(() => nock.enableNetConnect());

	it('search encodes + as %2B', async () => {
		let rawPath = '';
		const scope = nock(BASE_URL)
			.get((uri) => {
				rawPath = uri;
				return uri.startsWith(`${A}/contacts/search`);
			})
			.reply(200, fixtures.contactList);
		await client().searchContacts('+5511987654321');
		expect(rawPath).toBe(`${A}/contacts/search?q=%2B5511987654321`);
		scope.done();
	});

	it('findContactByChat sends JSON and reads an empty 404 as absent', async () => {
		const scope = nock(BASE_URL, { reqheaders: { api_access_token: TOKEN, 'content-type': 'application/json' } })
			.post(`${A}/contact_inboxes/filter`, { inbox_id: 7, source_id: JID })
			.reply(404, '');
		await expect(client().findContactByChat(7, JID)).resolves.toBeUndefined();
		scope.done();
	});

	it('multipart reaches the server as Rails would parse it', async () => {
		let received: { contentType: string; body: Buffer } | undefined;
		nock(BASE_URL)
			.post(`${A}/conversations/12/messages`)
			.reply(function (_uri, body) {
				received = { contentType: String(this.req.headers['content-type']), body: Buffer.from(body as string, 'hex') };
				return [200, fixtures.message];
			});
		const image = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]);
		await client().createMessage(12, {
			content: 'foto',
			messageType: 'incoming',
			attachments: [{ fileName: 'foto.jpg', contentType: 'image/jpeg', data: image }],
		});
		const parts = parseMultipart(received!.body, received!.contentType);
		expect(parts.map((p) => [p.name, p.fileName ?? p.data.toString()])).toEqual([
			['content', 'foto'],
			['message_type', 'incoming'],
			['attachments[]', 'foto.jpg'],
		]);
		expect(parts[2].data.equals(image)).toBe(true);
	});
});
