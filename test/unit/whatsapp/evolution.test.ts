import type { InboundEvent, NormalizedItem } from '../../../nodes/shared/whatsapp/event';
import { normalizeWhatsApp } from '../../../nodes/shared/whatsapp/normalize';
import { WhatsAppPayloadError } from '../../../nodes/shared/whatsapp/errors';
import type { PollEvent } from '../../../nodes/shared/whatsapp/poll';
import { fixtureNames, loadFixture, thrown } from './fixtures';

const MARIA = { jid: '5511999990001@s.whatsapp.net', phone: '+5511999990001', isGroup: false, name: 'Maria Souza' };
const MARIA_SENDER = { jid: '5511999990001@s.whatsapp.net', phone: '+5511999990001', name: 'Maria Souza' };
const MARIA_NO_NAME = { jid: '5511999990001@s.whatsapp.net', phone: '+5511999990001', isGroup: false };
const STORE = { jid: '5511999990000@s.whatsapp.net', phone: '+5511999990000' };

function incoming(fields: Partial<InboundEvent>): NormalizedItem {
	return {
		type: 'event',
		event: {
			gateway: 'evolution',
			instance: 'vendas',
			kind: 'message',
			chat: MARIA,
			fromMe: false,
			sender: MARIA_SENDER,
			...fields,
		} as InboundEvent,
	};
}

/** One expectation per sample in test/fixtures/whatsapp-payloads/evolution, derived by reading the payload. */
const expected: Record<string, NormalizedItem[]> = {
	text: [incoming({ whatsappId: '3A5F1C2B9D8E7A6B5C4D', timestamp: 1767261600, text: 'Olá! Vocês entregam no sábado?' })],
	'image-caption': [
		incoming({
			whatsappId: '3A61D0E2F4A6B8C0D2E4',
			timestamp: 1767261630,
			text: 'Esse modelo tem em azul?',
			media: {
				kind: 'image',
				mimeType: 'image/jpeg',
				base64:
					'/9j/4AAQSkZJRgABAQEAYABgAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==',
				sizeBytes: 84213,
			},
		}),
	],
	'audio-voice': [
		incoming({
			whatsappId: 'AC3F9B1E5D7C2A8B4E6F0D1C3B5A7E90',
			timestamp: 1767261660,
			media: {
				kind: 'voice',
				mimeType: 'audio/ogg; codecs=opus',
				base64: 'T2dnUwACAAAAAAAAAAAAAAAAAAAAAAAAAABPcHVzSGVhZAEBOAGAuwAAAAAA',
				sizeBytes: 11844,
			},
		}),
	],
	document: [
		incoming({
			whatsappId: '3A72E1F3A5B7C9D1E3F5',
			timestamp: 1767261690,
			text: 'Segue o comprovante do pagamento',
			media: {
				kind: 'document',
				mimeType: 'application/pdf',
				fileName: 'comprovante-pedido-1042.pdf',
				url: 'https://s3.example.com/evolution/7f9c2a1e-4b3d-4c5e-9f8a-1b2c3d4e5f60/5511999990001@s.whatsapp.net/documentMessage/1767261690000_comprovante-pedido-1042.pdf',
				sizeBytes: 48213,
			},
		}),
	],
	'group-text': [
		incoming({
			whatsappId: 'AC3F9B1E5D7C2A8B4E6F0D1C3B5A7E9F',
			timestamp: 1767261720,
			chat: { jid: '120363041234567890@g.us', isGroup: true },
			sender: { jid: '5511999990002@s.whatsapp.net', phone: '+5511999990002', name: 'João Lima', lid: '98765432109876@lid' },
			text: 'Bom dia, pessoal! A reunião continua às 15h?',
		}),
	],
	reply: [
		incoming({
			whatsappId: '3A83F2A4B6C8D0E2F4A6',
			timestamp: 1767261750,
			text: 'Pode ser amanhã às 10h?',
			replyTo: { whatsappId: '3EB0AA11BB22CC33DD4455', quotedText: 'Qual o melhor horário para a visita técnica?' },
		}),
	],
	reaction: [
		incoming({
			kind: 'reaction',
			whatsappId: '3A7B8C9D0E1F2A3B4C5D',
			timestamp: 1767261780,
			reaction: { emoji: '👍', targetId: '3EB0AA11BB22CC33DD4455' },
		}),
	],
	location: [
		incoming({
			whatsappId: '3A94A3B5C7D9E1F3A5B7',
			timestamp: 1767261810,
			location: {
				latitude: -23.561684,
				longitude: -46.655981,
				name: 'MASP',
				address: 'Av. Paulista, 1578 - Bela Vista, São Paulo - SP',
				live: false,
			},
		}),
	],
	fromMe: [
		incoming({
			whatsappId: '3AA5B4C6D8E0F2A4B6C8',
			timestamp: 1767261840,
			chat: MARIA_NO_NAME,
			fromMe: true,
			sender: { ...STORE, name: 'Loja Exemplo' },
			text: 'Sim! Entregamos no sábado das 8h às 12h.',
		}),
	],
	'text-lid': [
		incoming({
			whatsappId: '3AE9F8A0B2C4D6E8F0A2',
			timestamp: 1767261870,
			chat: { ...MARIA, lid: '123456789012345@lid' },
			sender: { ...MARIA_SENDER, lid: '123456789012345@lid' },
			text: 'Oi, é a Maria de novo (chat endereçado por LID).',
		}),
	],
	contact: [
		incoming({
			whatsappId: '3AB6C5D7E9F1A3B5C7D9',
			timestamp: 1767261900,
			contacts: [{ name: 'Carlos Pereira', phones: ['+5511999990003'] }],
		}),
	],
	'send-message': [
		incoming({
			whatsappId: '3EB0F1E2D3C4B5A6978812',
			timestamp: 1767261930,
			chat: MARIA_NO_NAME,
			fromMe: true,
			viaApi: true,
			// pushName "Você" is Evolution's placeholder for "you", not a name.
			sender: STORE,
			text: 'Seu pedido #1042 saiu para entrega.',
		}),
	],
	'messages-update': [
		incoming({
			kind: 'ack',
			whatsappId: '3EB0F1E2D3C4B5A6978812',
			targetId: '3EB0F1E2D3C4B5A6978812',
			chat: MARIA_NO_NAME,
			fromMe: true,
			sender: STORE,
			timestamp: 1767261960, // date_time 2026-01-01T10:06:00.412Z
			ack: { status: 'read' },
		}),
	],
	'messages-delete': [
		incoming({
			kind: 'delete',
			whatsappId: '3A5F1C2B9D8E7A6B5C4D',
			targetId: '3A5F1C2B9D8E7A6B5C4D',
			chat: MARIA_NO_NAME,
			sender: { jid: '5511999990001@s.whatsapp.net', phone: '+5511999990001' },
			timestamp: 1767261990, // date_time 2026-01-01T10:06:30.412Z
		}),
	],
	'messages-edited': [
		incoming({
			kind: 'edit',
			whatsappId: '3A5F1C2B9D8E7A6B5C4D',
			targetId: '3A5F1C2B9D8E7A6B5C4D',
			chat: MARIA_NO_NAME,
			sender: { jid: '5511999990001@s.whatsapp.net', phone: '+5511999990001' },
			timestamp: 1767262020, // timestampMs 1767262020000
			text: 'Olá! Vocês entregam no domingo?',
		}),
	],
	// The editor's own view of the key (evolution-api #1367, #1647): the business's number is not the chat.
	'messages-edited-business-key': [
		{
			type: 'ignore',
			reason:
				"messages.edited keyed on the business's own number 5511999990000@s.whatsapp.net: the body does not name the chat of the edited message (its messages.upsert / messages.delete copy does)",
			whatsappId: '3A5F1C2B9D8E7A6B5C4D',
		},
	],
	// Newer builds forward every protocol message as messages.edited: a REVOKE is a delete of the key's message.
	'messages-edited-revoke': [
		incoming({
			kind: 'delete',
			whatsappId: '3AA5B4C6D8E0F2A4B6C8',
			targetId: '3AA5B4C6D8E0F2A4B6C8',
			chat: MARIA_NO_NAME,
			fromMe: true,
			sender: STORE,
			timestamp: 1767262140, // date_time 2026-01-01T10:09:00.118Z
		}),
	],
	poll: [
		incoming({
			whatsappId: '3A1B2C3D4E5F60718293',
			timestamp: 1767262200,
			poll: {
				question: 'Qual horário prefere para a entrega?',
				options: ['Manhã (8h–12h)', 'Tarde (13h–18h)', 'Noite (18h–21h)'],
				multipleAnswers: false,
			},
		} as Partial<PollEvent>),
	],
	'poll-vote': [
		incoming({
			whatsappId: '3A9C8B7A6F5E4D3C2B1A',
			timestamp: 1767262260,
			replyTo: { whatsappId: '3EB0C4D5E6F7A8B9C0D1' },
			pollVote: { pollId: '3EB0C4D5E6F7A8B9C0D1', options: ['Tarde (13h–18h)'] },
		} as Partial<PollEvent>),
	],
};

describe('Evolution API samples', () => {
	it('has an expectation for every sample', () => {
		expect(Object.keys(expected).sort()).toEqual(fixtureNames('evolution'));
	});

	it.each(fixtureNames('evolution'))('%s', (name) => {
		const body = loadFixture('evolution', name);
		expect(normalizeWhatsApp(body)).toEqual(expected[name]);
		expect(normalizeWhatsApp(body, 'evolution')).toEqual(expected[name]);
	});
});

function upsert(data: Record<string, unknown>, event = 'messages.upsert'): Record<string, unknown> {
	const body = loadFixture('evolution', 'text');
	body.event = event;
	body.data = { ...body.data, ...data };
	return body;
}

function only(items: NormalizedItem[]): InboundEvent {
	expect(items).toHaveLength(1);
	expect(items[0].type).toBe('event');
	return (items[0] as { event: InboundEvent }).event;
}

describe('Evolution identity (LID)', () => {
	it('@lid without remoteJidAlt keeps the LID as the address and invents no phone', () => {
		const event = only(normalizeWhatsApp(upsert({ key: { remoteJid: '123456789012345@lid', fromMe: false, id: 'X1' } })));
		expect(event.chat).toEqual({ jid: '123456789012345@lid', isGroup: false, name: 'Maria Souza', lid: '123456789012345@lid' });
		expect(event.sender).toEqual({ jid: '123456789012345@lid', name: 'Maria Souza', lid: '123456789012345@lid' });
	});

	it('older builds: senderPn gives the phone of an @lid chat', () => {
		const event = only(
			normalizeWhatsApp(
				upsert({ key: { remoteJid: '123456789012345@lid', senderPn: '5511999990001@s.whatsapp.net', fromMe: false, id: 'X2' } }),
			),
		);
		expect(event.chat).toEqual({ ...MARIA, lid: '123456789012345@lid' });
	});

	it('fromMe @lid chat: remoteJidAlt is the customer, our own senderPn is never taken for the chat', () => {
		const event = only(
			normalizeWhatsApp(
				upsert({
					key: { remoteJid: '123456789012345@lid', senderPn: '5511999990000@s.whatsapp.net', fromMe: true, id: 'X3' },
					pushName: 'Loja Exemplo',
				}),
			),
		);
		expect(event.chat).toEqual({ jid: '123456789012345@lid', isGroup: false, lid: '123456789012345@lid' });
		expect(event.sender).toEqual({ ...STORE, name: 'Loja Exemplo' });
	});

	it('group participant as @lid without participantAlt stays a LID', () => {
		const event = only(
			normalizeWhatsApp(
				upsert({
					key: { remoteJid: '120363041234567890@g.us', participant: '98765432109876@lid', fromMe: false, id: 'X4' },
					pushName: 'João Lima',
				}),
			),
		);
		expect(event.chat).toEqual({ jid: '120363041234567890@g.us', isGroup: true });
		expect(event.sender).toEqual({ jid: '98765432109876@lid', name: 'João Lima', lid: '98765432109876@lid' });
	});

	it('device suffixes are not part of the address', () => {
		const event = only(normalizeWhatsApp(upsert({ key: { remoteJid: '5511999990001:7@s.whatsapp.net', fromMe: false, id: 'X5' } })));
		expect(event.chat.jid).toBe('5511999990001@s.whatsapp.net');
	});
});

describe('Evolution content', () => {
	const cases: Array<[string, Record<string, unknown>, Partial<InboundEvent>]> = [
		['ephemeral text', { ephemeralMessage: { message: { extendedTextMessage: { text: 'some' } } } }, { text: 'some' }],
		[
			'view-once image',
			{ viewOnceMessageV2: { message: { imageMessage: { mimetype: 'image/png', caption: 'once', url: 'https://mmg.whatsapp.net/enc' } } } },
			{ text: 'once', media: { kind: 'image', mimeType: 'image/png' } },
		],
		[
			'view-once V2Extension audio',
			{ viewOnceMessageV2Extension: { message: { audioMessage: { mimetype: 'audio/ogg; codecs=opus', ptt: true } } } },
			{ media: { kind: 'voice', mimeType: 'audio/ogg; codecs=opus' } },
		],
		[
			'document with caption',
			{
				documentWithCaptionMessage: {
					message: { documentMessage: { mimetype: 'application/pdf', title: 'a.pdf', caption: 'see', fileLength: { low: 10, high: 0 } } },
				},
			},
			{ text: 'see', media: { kind: 'document', mimeType: 'application/pdf', fileName: 'a.pdf', sizeBytes: 10 } },
		],
		[
			'video note',
			{ ptvMessage: { mimetype: 'video/mp4', fileLength: '99' } },
			{ media: { kind: 'video', mimeType: 'video/mp4', sizeBytes: 99 } },
		],
		['sticker', { stickerMessage: { mimetype: 'image/webp' } }, { media: { kind: 'sticker', mimeType: 'image/webp' } }],
		['audio file (not ptt)', { audioMessage: { mimetype: 'audio/mpeg' } }, { media: { kind: 'audio', mimeType: 'audio/mpeg' } }],
		[
			'unknown type',
			{ eventMessage: { name: 'Store opening', startTime: '1767261600' } },
			{ unsupportedType: 'eventMessage' },
		],
		[
			'unknown type beside key exchange',
			{ senderKeyDistributionMessage: { groupId: 'g' }, eventMessage: { name: 'x' } },
			{ unsupportedType: 'eventMessage' },
		],
		['key exchange plus text', { senderKeyDistributionMessage: { groupId: 'g' }, conversation: 'hi' }, { text: 'hi' }],
		['button answer', { buttonsResponseMessage: { selectedButtonId: 'b1', selectedDisplayText: 'Yes please' } }, { text: 'Yes please' }],
		[
			'list answer',
			{ listResponseMessage: { title: 'Option A', description: 'cheap', singleSelectReply: { selectedRowId: 'a' } } },
			{ text: 'Option A\ncheap' },
		],
		[
			'live location',
			{ liveLocationMessage: { degreesLatitude: 1.5, degreesLongitude: '2.5', caption: 'here' } },
			{ text: 'here', location: { latitude: 1.5, longitude: 2.5, live: true } },
		],
		[
			'contacts array',
			{
				contactsArrayMessage: {
					displayName: '2 contacts',
					contacts: [
						{
							displayName: 'Ana',
							vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nTEL;type=CELL;waid=5511988887777:+55 11 98888-7777\nEND:VCARD',
						},
						{ displayName: 'Bia', vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Bia\nTEL;type=HOME:+1 (555) 010-2000\nTEL:3333-4444\nEND:VCARD' },
					],
				},
			},
			{
				contacts: [
					{ name: 'Ana', phones: ['+5511988887777'] },
					{ name: 'Bia', phones: ['+15550102000', '33334444'] },
				],
			},
		],
		[
			'reply inside the content with a quoted image caption',
			{
				extendedTextMessage: {
					text: 'this one',
					contextInfo: { stanzaId: 'Q1', quotedMessage: { imageMessage: { caption: 'blue model' } } },
				},
			},
			{ text: 'this one', replyTo: { whatsappId: 'Q1', quotedText: 'blue model' } },
		],
	];

	it.each(cases)('%s', (_name, message, fields) => {
		const event = only(normalizeWhatsApp(upsert({ message, contextInfo: undefined })));
		const { text, media, location, contacts, replyTo, unsupportedType } = event;
		expect({ text, media, location, contacts, replyTo, unsupportedType }).toEqual({
			text: undefined,
			media: undefined,
			location: undefined,
			contacts: undefined,
			replyTo: undefined,
			unsupportedType: undefined,
			...fields,
		});
		expect(event.kind).toBe('message');
	});

	it('removed reaction has an empty emoji', () => {
		const event = only(normalizeWhatsApp(upsert({ message: { reactionMessage: { key: { id: 'T1' }, text: '' } } })));
		expect(event).toMatchObject({ kind: 'reaction', reaction: { emoji: '', targetId: 'T1' } });
	});

	it('protocolMessage REVOKE inside messages.upsert is a delete of the target', () => {
		const event = only(normalizeWhatsApp(upsert({ message: { protocolMessage: { key: { id: 'OLD1' }, type: 'REVOKE' } } })));
		expect(event).toMatchObject({ kind: 'delete', whatsappId: '3A5F1C2B9D8E7A6B5C4D', targetId: 'OLD1' });
	});

	it('edit (editedMessage wrapper around protocol type 14) inside messages.upsert is an edit', () => {
		const message = {
			editedMessage: { message: { protocolMessage: { key: { id: 'OLD2' }, type: 14, editedMessage: { conversation: 'fixed' } } } },
		};
		expect(only(normalizeWhatsApp(upsert({ message })))).toMatchObject({ kind: 'edit', targetId: 'OLD2', text: 'fixed' });
	});

	it.each([
		[
			'other protocolMessage',
			{ protocolMessage: { type: 'EPHEMERAL_SETTING', ephemeralExpiration: 86400 } },
			/protocolMessage EPHEMERAL_SETTING/,
		],
		['key exchange only', { senderKeyDistributionMessage: { groupId: 'g' }, messageContextInfo: {} }, /senderKeyDistributionMessage/],
		['empty', { messageContextInfo: {} }, /empty message/],
		['blank text', { conversation: '   ' }, /empty message/],
		['encrypted edit stub', { secretEncryptedMessage: { targetMessageKey: { id: 'Z' } } }, /evolution-api #2545/],
	])('%s is ignored with a reason', (_name, message, reason) => {
		const items = normalizeWhatsApp(upsert({ message }));
		expect(items).toEqual([{ type: 'ignore', reason: expect.stringMatching(reason), whatsappId: '3A5F1C2B9D8E7A6B5C4D' }]);
	});

	it('status@broadcast is ignored with a reason', () => {
		const items = normalizeWhatsApp(
			upsert({ key: { remoteJid: 'status@broadcast', fromMe: false, id: 'S1', participant: '5511999990001@s.whatsapp.net' } }),
		);
		expect(items).toEqual([{ type: 'ignore', reason: expect.stringContaining('status@broadcast'), whatsappId: 'S1' }]);
	});

	it('a stub without message is ignored with its stub type', () => {
		const items = normalizeWhatsApp(upsert({ message: null, messageStubType: 'GROUP_PARTICIPANT_ADD' }));
		expect(items).toEqual([
			{ type: 'ignore', reason: 'no message content (system stub GROUP_PARTICIPANT_ADD)', whatsappId: '3A5F1C2B9D8E7A6B5C4D' },
		]);
	});

	it('non-message events are ignored, RabbitMQ-style names are understood', () => {
		const body = loadFixture('evolution', 'text');
		expect(normalizeWhatsApp({ ...body, event: 'connection.update', data: { state: 'open' } })).toEqual([
			{ type: 'ignore', reason: 'Evolution event "connection.update" carries no chat message' },
		]);
		expect(only(normalizeWhatsApp({ ...body, event: 'MESSAGES_UPSERT' })).text).toBe('Olá! Vocês entregam no sábado?');
	});
});

describe('Evolution messages.update states', () => {
	it.each([
		['SERVER_ACK', 'sent'],
		['DELIVERY_ACK', 'delivered'],
		['READ', 'read'],
		['PLAYED', 'played'],
		['ERROR', 'failed'],
		[3, 'delivered'],
		[0, 'failed'],
	])('%s → %s', (status, ack) => {
		const body = loadFixture('evolution', 'messages-update');
		body.data.status = status;
		expect(only(normalizeWhatsApp(body)).ack).toEqual({ status: ack });
	});

	it('PENDING is not a delivery state', () => {
		const body = loadFixture('evolution', 'messages-update');
		body.data.status = 'PENDING';
		expect(normalizeWhatsApp(body)).toEqual([
			{ type: 'ignore', reason: 'messages.update status PENDING is not a delivery state', whatsappId: '3EB0F1E2D3C4B5A6978812' },
		]);
	});
});

describe('Evolution malformed bodies', () => {
	it.each([
		['key missing', { key: undefined }, 'body.data.key'],
		['id missing', { key: { remoteJid: '5511999990001@s.whatsapp.net', fromMe: false } }, 'body.data.key.id'],
		['remoteJid missing', { key: { id: 'A', fromMe: false } }, 'body.data.key.remoteJid'],
		['remoteJid not a JID', { key: { id: 'A', remoteJid: '5511999990001', fromMe: false } }, 'body.data.key.remoteJid'],
	])('%s → WhatsAppPayloadError', (_name, data, fieldPath) => {
		const error = thrown(() => normalizeWhatsApp(upsert(data)));
		expect(error).toBeInstanceOf(WhatsAppPayloadError);
		expect((error as WhatsAppPayloadError).field).toBe(fieldPath);
	});
});
