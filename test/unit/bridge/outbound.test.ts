import { parseChatwootWebhook, type ChatwootMessageEvent } from '../../../nodes/shared/chatwoot/webhook/parse';
import {
	OutboundMappingError,
	toConversationStatus,
	toConversationUpdate,
	toOutboundAction,
	toOutboundAttachment,
	toTypingOutput,
} from '../../../nodes/shared/bridge/outbound';
import { sample } from '../chatwoot-webhook/fixtures';

type Body = Record<string, any>;
const CONFIG = { instance: 'acme-sales', signMsg: false, signDelimiter: '\n' };

function messageEvent(changes: Body = {}, conversation?: (c: Body) => void): ChatwootMessageEvent {
	const body = { ...sample('message_created.outgoing_text.json'), ...changes };
	conversation?.(body.conversation);
	const event = parseChatwootWebhook(body);
	if (event.kind !== 'message') throw new Error('not a message');
	return event;
}

function conversationEvent(changes: Body = {}) {
	const event = parseChatwootWebhook({ ...sample('conversation_status_changed.resolved.json'), ...changes });
	if (event.kind !== 'conversation') throw new Error('not a conversation event');
	return event;
}

describe('toOutboundAction: destination', () => {
	it.each([
		['the contact inbox source_id', () => undefined, { jid: '5511987654321@s.whatsapp.net', phone: '+5511987654321', isGroup: false }],
		[
			'the identifier when source_id is a Chatwoot UUID',
			(c: Body) => {
				c.contact_inbox.source_id = '6f1c2a5e-8d0b-4c1e-9a57-2d7f1e4b8c31';
				c.meta.sender.identifier = '5511900000001@s.whatsapp.net';
				c.meta.sender.phone_number = null;
			},
			{ jid: '5511900000001@s.whatsapp.net', phone: '+5511900000001', isGroup: false },
		],
		[
			'the phone when neither is a JID',
			(c: Body) => {
				c.contact_inbox = null;
				c.meta.sender.identifier = null;
				c.meta.sender.phone_number = '+55 (11) 98765-4321';
			},
			{ jid: '5511987654321@s.whatsapp.net', phone: '+5511987654321', isGroup: false },
		],
		[
			'a group, without phone',
			(c: Body) => {
				c.contact_inbox.source_id = '120363025246125486@g.us';
				c.meta.sender.identifier = '120363025246125486@g.us';
				c.meta.sender.phone_number = null;
			},
			{ jid: '120363025246125486@g.us', isGroup: true },
		],
		[
			'a LID chat, phone from the contact',
			(c: Body) => {
				c.contact_inbox.source_id = '123456789012345@lid';
			},
			{ jid: '123456789012345@lid', phone: '+5511987654321', isGroup: false },
		],
		[
			'a LID chat with no phone anywhere',
			(c: Body) => {
				c.contact_inbox.source_id = '123456789012345@lid';
				c.meta.sender.phone_number = null;
			},
			{ jid: '123456789012345@lid', isGroup: false },
		],
		[
			'a WAHA-style @c.us JID, normalized like inbound JIDs',
			(c: Body) => {
				c.contact_inbox.source_id = '5511987654321@c.us';
				c.meta.sender.phone_number = null;
			},
			{ jid: '5511987654321@s.whatsapp.net', phone: '+5511987654321', isGroup: false },
		],
		[
			'the identifier when source_id is an e-mail-like id',
			(c: Body) => {
				c.contact_inbox.source_id = 'maria@acme.example';
				c.meta.sender.identifier = '5511900000002:12@s.whatsapp.net';
				c.meta.sender.phone_number = null;
			},
			{ jid: '5511900000002@s.whatsapp.net', phone: '+5511900000002', isGroup: false },
		],
	])('from %s', (_, mutate, to) => {
		expect(toOutboundAction(messageEvent({}, mutate), CONFIG).to).toStrictEqual(to);
	});

	it('throws a typed error naming every field it tried', () => {
		const event = messageEvent({}, (c) => {
			c.contact_inbox.source_id = 'not-a-jid';
			c.meta.sender.identifier = 'crm-42';
			c.meta.sender.phone_number = '';
		});
		expect(() => toOutboundAction(event, CONFIG)).toThrow(OutboundMappingError);
		try {
			toOutboundAction(event, CONFIG);
		} catch (error) {
			expect((error as OutboundMappingError).missingFields).toEqual([
				'conversation.contact_inbox.source_id',
				'conversation.meta.sender.identifier',
				'conversation.meta.sender.phone_number',
			]);
			expect((error as Error).message).toContain('conversation 123');
		}
	});

	it('refuses incoming and activity messages', () => {
		expect(() => toOutboundAction(messageEvent({ message_type: 'incoming' }), CONFIG)).toThrow(/incoming/);
		expect(() => toOutboundAction(messageEvent({ message_type: 2 }), CONFIG)).toThrow(OutboundMappingError);
	});
});

describe('toOutboundAction: text, signature, quotes', () => {
	it('signs agent messages when asked', () => {
		const event = messageEvent({ content: 'Oi **Maria**' });
		expect(toOutboundAction(event, { ...CONFIG, signMsg: true }).text).toBe('*Joana Souza:*\nOi *Maria*');
		expect(toOutboundAction(event, { ...CONFIG, signMsg: true, signDelimiter: ': ' }).text).toBe('*Joana Souza:*: Oi *Maria*');
		expect(toOutboundAction(event, CONFIG).text).toBe('Oi *Maria*');
	});

	it('does not sign bot, automation and template messages', () => {
		const bot = messageEvent({ sender: { id: 2, name: 'Atendente', type: 'agent_bot' } });
		expect(toOutboundAction(bot, { ...CONFIG, signMsg: true })).toMatchObject({
			text: 'Olá Maria! Seu pedido #4521 foi enviado hoje.\nCódigo de rastreio: *BR123456789BR*',
			chatwoot: { agentName: 'Atendente', senderType: 'agent_bot' },
		});
		const csat = messageEvent({ message_type: 'template', sender: null, content: 'Avalie: https://chat.acme.example/survey/responses/abc_1' });
		const action = toOutboundAction(csat, { ...CONFIG, signMsg: true });
		expect(action.text).toBe('Avalie: https://chat.acme.example/survey/responses/abc_1');
		expect(action.messageType).toBe('template');
		expect(action.chatwoot).toStrictEqual({ accountId: 1, inboxId: 7, conversationId: 123, messageId: 9001, sourceId: null });
	});

	it('signs an attachment-only message with the signature alone', () => {
		const event = parseChatwootWebhook({ ...sample('message_created.outgoing_image.json'), content: null }) as ChatwootMessageEvent;
		expect(toOutboundAction(event, { ...CONFIG, signMsg: true }).text).toBe('*Joana Souza:*');
		expect(toOutboundAction(event, CONFIG).text).toBe('');
	});

	it.each([
		['a WhatsApp message', { in_reply_to: 9003, in_reply_to_external_id: 'WAID:ABC' }, { whatsappId: 'ABC' }, 9003],
		['a derived notice: its target', { in_reply_to: 9010, in_reply_to_external_id: 'WAID:ABC#edit@1781791407' }, { whatsappId: 'ABC' }, 9010],
		['an agent message (no external id)', { in_reply_to: 9001 }, undefined, 9001],
		['a message from another tool', { in_reply_to: 9011, in_reply_to_external_id: 'crm:77' }, undefined, 9011],
	])('quotes %s', (_, attributes, replyTo, inReplyTo) => {
		const action = toOutboundAction(messageEvent({ content_attributes: attributes }), CONFIG);
		expect(action.replyTo).toStrictEqual(replyTo);
		expect(action.chatwoot.inReplyTo).toBe(inReplyTo);
	});
});

describe('toOutboundAction: delete', () => {
	const deleted = (changes: Body = {}) =>
		messageEvent({ event: 'message_updated', content: 'This message was deleted', content_attributes: { deleted: true }, ...changes });

	it('targets the WhatsApp id of a mirrored phone-typed message', () => {
		expect(toOutboundAction(deleted({ source_id: 'WAID:3EB0F1' }), CONFIG)).toStrictEqual({
			action: 'delete',
			instance: 'acme-sales',
			to: { jid: '5511987654321@s.whatsapp.net', phone: '+5511987654321', isGroup: false },
			text: '',
			attachments: [],
			target: { whatsappId: '3EB0F1' },
			messageType: 'outgoing',
			chatwoot: {
				accountId: 1,
				inboxId: 7,
				conversationId: 123,
				messageId: 9001,
				agentName: 'Joana Souza',
				senderType: 'user',
				sourceId: 'WAID:3EB0F1',
			},
		});
	});

	it('says why an agent message without a stored link has no WhatsApp id to revoke', () => {
		const action = toOutboundAction(deleted(), { ...CONFIG, signMsg: true });
		expect(action).toMatchObject({ action: 'delete', text: '', chatwoot: { messageId: 9001, sourceId: null } });
		expect(action.target).not.toHaveProperty('whatsappId');
		expect(action.target?.reason).toMatch(/Chatwoot message 9001 has no known WhatsApp id/);
	});

	it("takes an agent message's WhatsApp id from the link stored on the conversation's contact", () => {
		const event = deleted();
		event.conversation.meta.sender.additionalAttributes = {
			company_name: 'Loja',
			chatwoot_bridge_whatsapp_ids: { '9000': 'WA-OLDER', '9001': 'WA-DELETED' },
		};
		expect(toOutboundAction(event, CONFIG).target).toEqual({ whatsappId: 'WA-DELETED' });
	});

	it('links a quote of an agent message to its WhatsApp id', () => {
		const event = messageEvent();
		event.contentAttributes.inReplyTo = 9000;
		event.conversation.meta.sender.additionalAttributes = { chatwoot_bridge_whatsapp_ids: { '9000': 'WA-QUOTED' } };
		expect(toOutboundAction(event, CONFIG).replyTo).toEqual({ whatsappId: 'WA-QUOTED' });
	});

	it('treats a non-deleted message_updated as a send (the filter decides whether to call)', () => {
		expect(toOutboundAction(messageEvent({ event: 'message_updated' }), CONFIG).action).toBe('send');
	});
});

describe('toOutboundAttachment', () => {
	const attachment = (changes: Body) => ({
		id: 311,
		fileType: 'file',
		extension: null,
		contentType: null,
		dataUrl: null,
		thumbUrl: null,
		fileSize: null,
		coordinatesLat: null,
		coordinatesLong: null,
		fallbackTitle: null,
		...changes,
	});
	const BLOB = 'https://chat.acme.example/rails/active_storage/blobs/redirect/eyJfcmFpbHMi--7d0c';

	it.each([
		[
			'a PDF: name from the URL, URL-decoded; file → document',
			{ dataUrl: `${BLOB}/Nota%20fiscal%20n%C2%BA%2012.pdf`, extension: 'pdf', contentType: 'application/pdf', fileSize: 5120 },
			{ url: `${BLOB}/Nota%20fiscal%20n%C2%BA%2012.pdf`, mimeType: 'application/pdf', fileName: 'Nota fiscal nº 12.pdf', kind: 'document', sizeBytes: 5120 },
		],
		[
			'a MIME type guessed from the extension',
			{ fileType: 'audio', dataUrl: `${BLOB}/voz.opus`, extension: 'opus' },
			{ url: `${BLOB}/voz.opus`, mimeType: 'audio/ogg', fileName: 'voz.opus', kind: 'audio' },
		],
		[
			'an extension taken from the file name',
			{ fileType: 'file', dataUrl: `${BLOB}/planilha.XLSX` },
			{
				url: `${BLOB}/planilha.XLSX`,
				mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
				fileName: 'planilha.XLSX',
				kind: 'document',
			},
		],
		[
			'a fallback name when the URL has no file name',
			{ fileType: 'video', dataUrl: `${BLOB}/`, extension: 'mp4' },
			{ url: `${BLOB}/`, mimeType: 'video/mp4', fileName: 'attachment-311.mp4', kind: 'video' },
		],
		[
			'a MIME type guessed from the file type alone',
			{ fileType: 'image', dataUrl: 'not a url' },
			{ url: 'not a url', mimeType: 'image/jpeg', fileName: 'attachment-311', kind: 'image' },
		],
		[
			'a malformed escape in the name kept raw',
			{ dataUrl: `${BLOB}/a%E0%A4%A.txt` },
			{ url: `${BLOB}/a%E0%A4%A.txt`, mimeType: 'text/plain', fileName: 'a%E0%A4%A.txt', kind: 'document' },
		],
		[
			'a location',
			{ fileType: 'location', coordinatesLat: -23.55, coordinatesLong: -46.63, fallbackTitle: 'Loja Centro' },
			{
				url: '',
				mimeType: 'application/octet-stream',
				fileName: 'attachment-311',
				kind: 'location',
				location: { latitude: -23.55, longitude: -46.63, name: 'Loja Centro' },
			},
		],
		[
			'an unmodelled file type',
			{ fileType: 'contact', dataUrl: `${BLOB}/card.vcf` },
			{ url: `${BLOB}/card.vcf`, mimeType: 'text/vcard', fileName: 'card.vcf', kind: 'other' },
		],
	])('%s', (_, changes, expected) => {
		expect(toOutboundAttachment(attachment(changes))).toStrictEqual(expected);
	});
});

describe('conversation and typing outputs', () => {
	it('maps conversation_updated with its changes', () => {
		const event = conversationEvent({
			event: 'conversation_updated',
			changed_attributes: [{ assignee_id: { previous_value: null, current_value: 3 } }],
		});
		expect(toConversationUpdate(event)).toStrictEqual({
			event: 'conversation_updated',
			conversationId: 123,
			status: 'resolved',
			inboxId: 7,
			contact: { jid: '5511987654321@s.whatsapp.net', phone: '+5511987654321' },
			changedAttributes: [{ attribute: 'assignee_id', previousValue: null, currentValue: 3 }],
		});
	});

	it('keeps a status change usable when the contact is unknown', () => {
		const body = sample('conversation_status_changed.resolved.json');
		body.contact_inbox = null;
		body.meta.sender = null;
		const event = parseChatwootWebhook(body);
		if (event.kind !== 'conversation') throw new Error('not a conversation event');
		expect(toConversationStatus(event)).toStrictEqual({ conversationId: 123, status: 'resolved', inboxId: 7, contact: {} });
	});

	it('maps typing events', () => {
		const event = parseChatwootWebhook({
			event: 'conversation_typing_off',
			user: { id: 3, name: 'Joana Souza', type: 'user' },
			conversation: sample('conversation_status_changed.resolved.json'),
			is_private: false,
		});
		if (event.kind !== 'typing') throw new Error('not a typing event');
		expect(toTypingOutput(event)).toStrictEqual({
			conversationId: 123,
			inboxId: 7,
			on: false,
			contact: { jid: '5511987654321@s.whatsapp.net', phone: '+5511987654321' },
			agent: { id: 3, name: 'Joana Souza', type: 'user' },
		});
	});
});
