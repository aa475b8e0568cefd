import {
	ChatwootWebhookParseError,
	parseChatwootWebhook,
	type ChatwootConversationRef,
	type ChatwootMessageEvent,
} from '../../../nodes/shared/chatwoot/webhook/parse';
import { rawSample, sample, WEBHOOK_SAMPLES } from './fixtures';

const MARIA: ChatwootConversationRef = {
	displayId: 123,
	status: 'open',
	inboxId: 7,
	contactInbox: { sourceId: '5511987654321@s.whatsapp.net' },
	meta: {
		sender: {
			identifier: '5511987654321@s.whatsapp.net',
			phoneNumber: '+5511987654321',
			name: 'Maria Silva',
			// What Chatwoot's avatar job writes on a contact (docs/chatwoot-behaviour.md), as the samples carry it.
			additionalAttributes: {
				avatar_url_hash: '3f1d5c0b8a7e2d4c6b9a0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4',
				last_avatar_sync_at: '2026-06-10T09:12:03Z',
			},
		},
	},
};
const JOANA = { id: 3, name: 'Joana Souza', type: 'user' };
const NO_ATTRIBUTES = { deleted: false, externalEcho: false, raw: {} };

function parseMessage(body: unknown): ChatwootMessageEvent {
	const event = parseChatwootWebhook(body);
	if (event.kind !== 'message') throw new Error(`not a message event: ${event.kind}`);
	return event;
}

function parseError(body: unknown): { field: string; reason: string } {
	try {
		parseChatwootWebhook(body);
	} catch (error) {
		expect(error).toBeInstanceOf(ChatwootWebhookParseError);
		const { field, reason } = error as ChatwootWebhookParseError;
		return { field, reason };
	}
	throw new Error('expected a parse error');
}

const outgoingText = () => sample('message_created.outgoing_text.json');

describe('parseChatwootWebhook: every sample', () => {
	const expected: Record<string, unknown> = {
		'conversation_status_changed.resolved.json': {
			kind: 'conversation',
			event: 'conversation_status_changed',
			conversation: { ...MARIA, status: 'resolved' },
			status: 'resolved',
			changedAttributes: null,
			accountId: 1,
		},
		'message_created.incoming_echo_WAID_ABC.json': {
			kind: 'message',
			event: 'message_created',
			id: 9003,
			content: 'Oi! Quando chega meu pedido?',
			messageType: 'incoming',
			private: false,
			sourceId: 'WAID:ABC',
			contentType: 'text',
			contentAttributes: NO_ATTRIBUTES,
			createdAt: 1781791662,
			attachments: [],
			// A contact sender has no `type` (docs/chatwoot-behaviour.md, Webhook payloads).
			sender: { id: 42, name: 'Maria Silva' },
			conversation: MARIA,
			inbox: { id: 7 },
			account: { id: 1 },
		},
		'message_created.outgoing_image.json': {
			kind: 'message',
			event: 'message_created',
			id: 9002,
			content: 'Segue a foto do produto embalado',
			messageType: 'outgoing',
			private: false,
			sourceId: null,
			contentType: 'text',
			contentAttributes: NO_ATTRIBUTES,
			createdAt: 1781791510,
			attachments: [
				{
					id: 311,
					fileType: 'image',
					extension: 'jpg',
					contentType: 'image/jpeg',
					dataUrl:
						'https://chat.acme.example/rails/active_storage/blobs/redirect/eyJfcmFpbHMiOnsiZGF0YSI6MzExLCJwdXIiOiJibG9iX2lkIn19--7d0c6f1b2e9a8c3d4b5a6f7e8d9c0b1a2f3e4d5c/produto-4521.jpg',
					thumbUrl:
						'https://chat.acme.example/rails/active_storage/representations/redirect/eyJfcmFpbHMiOnsiZGF0YSI6MzExLCJwdXIiOiJibG9iX2lkIn19--7d0c6f1b2e9a8c3d4b5a6f7e8d9c0b1a2f3e4d5c/eyJfcmFpbHMiOnsiZGF0YSI6eyJmb3JtYXQiOiJqcGciLCJyZXNpemVfdG9fZmlsbCI6WzI1MCxudWxsXX0sInB1ciI6InZhcmlhdGlvbiJ9fQ==--5e4d3c2b1a0f9e8d7c6b5a49382716f5e4d3c2b1/produto-4521.jpg',
					fileSize: 184233,
					coordinatesLat: null,
					coordinatesLong: null,
					fallbackTitle: null,
				},
			],
			sender: JOANA,
			conversation: MARIA,
			inbox: { id: 7 },
			account: { id: 1 },
		},
		'message_created.outgoing_text.json': {
			kind: 'message',
			event: 'message_created',
			id: 9001,
			content: 'Olá Maria! Seu pedido #4521 foi enviado hoje.\nCódigo de rastreio: **BR123456789BR**',
			messageType: 'outgoing',
			private: false,
			sourceId: null,
			contentType: 'text',
			contentAttributes: NO_ATTRIBUTES,
			createdAt: 1781791407,
			attachments: [],
			sender: JOANA,
			conversation: MARIA,
			inbox: { id: 7 },
			account: { id: 1 },
		},
		'message_created.private_note.json': {
			kind: 'message',
			event: 'message_created',
			id: 9004,
			content:
				'Cliente já reclamou do atraso ontem, priorizar. [@Carlos](mention://user/5/Carlos) pode verificar com a transportadora?',
			messageType: 'outgoing',
			private: true,
			sourceId: null,
			contentType: 'text',
			contentAttributes: NO_ATTRIBUTES,
			createdAt: 1781791745,
			attachments: [],
			sender: JOANA,
			conversation: MARIA,
			inbox: { id: 7 },
			account: { id: 1 },
		},
		'message_updated.deleted.json': {
			kind: 'message',
			event: 'message_updated',
			id: 9002,
			content: 'This message was deleted',
			messageType: 'outgoing',
			private: false,
			sourceId: null,
			contentType: 'text',
			contentAttributes: { deleted: true, externalEcho: false, raw: { deleted: true } },
			createdAt: 1781791510,
			attachments: [],
			sender: JOANA,
			conversation: MARIA,
			inbox: { id: 7 },
			account: { id: 1 },
		},
	};

	it('has an expectation for every sample', () => {
		expect(Object.keys(expected).sort()).toEqual(WEBHOOK_SAMPLES);
	});

	it.each(WEBHOOK_SAMPLES)('%s', (name) => {
		expect(parseChatwootWebhook(sample(name))).toEqual(expected[name]);
		// The raw bytes the signature was checked on parse the same.
		expect(parseChatwootWebhook(rawSample(name))).toEqual(expected[name]);
		expect(parseChatwootWebhook(rawSample(name).toString('utf8'))).toEqual(expected[name]);
	});
});

describe('parseChatwootWebhook: type quirks (docs/chatwoot-behaviour.md, Webhook payloads)', () => {
	it.each([
		['outgoing', 'outgoing'],
		[0, 'incoming'],
		[1, 'outgoing'],
		[2, 'activity'],
		[3, 'template'],
		['3', 'template'],
		['template', 'template'],
	])('message_type %p → %s', (raw, messageType) => {
		expect(parseMessage({ ...outgoingText(), message_type: raw }).messageType).toBe(messageType);
	});

	it.each([
		['2026-06-18T14:03:27.412Z', 1781791407],
		[1781791407, 1781791407],
		['1781791407', 1781791407],
		[1781791407412, 1781791407],
		[1781791407.9, 1781791407],
	])('created_at %p → %d', (raw, seconds) => {
		expect(parseMessage({ ...outgoingText(), created_at: raw }).createdAt).toBe(seconds);
	});

	it('leaves createdAt out when the payload has none', () => {
		const body = outgoingText();
		delete body.created_at;
		expect(parseMessage(body)).not.toHaveProperty('createdAt');
	});

	it('accepts ids as numeric strings', () => {
		const body = outgoingText();
		body.id = '9001';
		body.conversation.id = '123';
		expect(parseMessage(body)).toMatchObject({ id: 9001, conversation: { displayId: 123 } });
	});

	it('reads content_attributes given as a JSON string, and null as empty', () => {
		const quoted = parseMessage({
			...outgoingText(),
			content_attributes: '{"in_reply_to": 9003, "in_reply_to_external_id": "WAID:ABC"}',
		});
		expect(quoted.contentAttributes).toEqual({
			deleted: false,
			externalEcho: false,
			inReplyTo: 9003,
			inReplyToExternalId: 'WAID:ABC',
			raw: { in_reply_to: 9003, in_reply_to_external_id: 'WAID:ABC' },
		});
		expect(parseMessage({ ...outgoingText(), content_attributes: null }).contentAttributes).toEqual(NO_ATTRIBUTES);
	});

	it('models external_error, external_echo and a "true" deleted flag', () => {
		const body = { ...outgoingText(), content_attributes: { external_error: '500 Internal Server Error', external_echo: true, deleted: 'true' } };
		expect(parseMessage(body).contentAttributes).toEqual({
			deleted: true,
			externalEcho: true,
			externalError: '500 Internal Server Error',
			raw: body.content_attributes,
		});
	});

	it('turns null content into "" and a null sender (automation) into null', () => {
		expect(parseMessage({ ...outgoingText(), content: null, sender: null })).toMatchObject({ content: '', sender: null });
	});

	it('falls back to conversation.inbox_id when the top-level inbox is missing', () => {
		const body = outgoingText();
		delete body.inbox;
		expect(parseMessage(body).inbox).toEqual({ id: 7 });
	});

	it('keeps a conversation without contact inbox or meta usable', () => {
		const body = outgoingText();
		body.conversation.contact_inbox = null;
		delete body.conversation.meta;
		expect(parseMessage(body).conversation).toEqual({
			displayId: 123,
			status: 'open',
			inboxId: 7,
			contactInbox: { sourceId: null },
			meta: { sender: { identifier: null, phoneNumber: null, name: null, additionalAttributes: {} } },
		});
	});

	it('parses location attachments with string coordinates', () => {
		const body = {
			...outgoingText(),
			attachments: [{ id: 9, file_type: 'location', coordinates_lat: '-23.55', coordinates_long: -46.63, fallback_title: 'Loja' }],
		};
		expect(parseMessage(body).attachments).toEqual([
			{
				id: 9,
				fileType: 'location',
				extension: null,
				contentType: null,
				dataUrl: null,
				thumbUrl: null,
				fileSize: null,
				coordinatesLat: -23.55,
				coordinatesLong: -46.63,
				fallbackTitle: 'Loja',
			},
		]);
	});
});

describe('parseChatwootWebhook: other events', () => {
	it('flattens changed_attributes of conversation_updated', () => {
		const body = {
			...sample('conversation_status_changed.resolved.json'),
			event: 'conversation_updated',
			changed_attributes: [
				{ status: { previous_value: 'open', current_value: 'resolved' } },
				{ assignee_id: { previous_value: null, current_value: 3 } },
			],
		};
		expect(parseChatwootWebhook(body)).toMatchObject({
			kind: 'conversation',
			event: 'conversation_updated',
			changedAttributes: [
				{ attribute: 'status', previousValue: 'open', currentValue: 'resolved' },
				{ attribute: 'assignee_id', previousValue: null, currentValue: 3 },
			],
		});
	});

	it('parses typing events', () => {
		const conversation = sample('conversation_status_changed.resolved.json');
		const body = { event: 'conversation_typing_on', user: { id: 3, name: 'Joana Souza', type: 'user' }, conversation, is_private: false };
		expect(parseChatwootWebhook(body)).toEqual({
			kind: 'typing',
			event: 'conversation_typing_on',
			conversation: { ...MARIA, status: 'resolved' },
			user: JOANA,
			isPrivate: false,
			accountId: 1,
		});
	});

	it('keeps unknown events as "other"', () => {
		expect(parseChatwootWebhook({ event: 'webwidget_triggered', contact: {} })).toEqual({ kind: 'other', event: 'webwidget_triggered' });
	});
});

describe('parseChatwootWebhook: errors name the field', () => {
	const without = (key: string) => {
		const body = outgoingText();
		delete body[key];
		return body;
	};

	it.each([
		['not JSON', '{"event": ', 'body', /^not JSON/],
		['an array', [], 'body', /expected a JSON object, got array/],
		['no event', { id: 1 }, 'event', /expected an event name, got nothing/],
		['no private flag', without('private'), 'private', /expected a boolean, got nothing \(missing\)/],
		['an unknown message_type', { ...outgoingText(), message_type: 'bogus' }, 'message_type', /got string "bogus"/],
		['message_type 4', { ...outgoingText(), message_type: 4 }, 'message_type', /got number 4/],
		['an unreadable created_at', { ...outgoingText(), created_at: 'yesterday' }, 'created_at', /ISO-8601/],
		['no account', without('account'), 'account', /expected an object, got nothing/],
		['no conversation', without('conversation'), 'conversation', /expected an object/],
		['a broken content_attributes string', { ...outgoingText(), content_attributes: '{bad' }, 'content_attributes', /JSON/],
		['an attachment without file_type', { ...outgoingText(), attachments: [{ id: 1 }] }, 'attachments.0.file_type', /missing/],
		['attachments as an object', { ...outgoingText(), attachments: {} }, 'attachments', /expected an array/],
		['a negative id', { ...outgoingText(), id: -1 }, 'id', /integer id/],
	])('%s', (_, body, field, reason) => {
		const error = parseError(body);
		expect(error.field).toBe(field);
		expect(error.reason).toMatch(reason);
	});

	it('names nested fields', () => {
		const body = outgoingText();
		body.conversation.meta.sender.identifier = 5;
		expect(parseError(body)).toEqual({ field: 'conversation.meta.sender.identifier', reason: 'expected a string or null, got number 5' });
		const status = sample('conversation_status_changed.resolved.json');
		delete status.status;
		expect(parseError(status).field).toBe('status');
	});
});
