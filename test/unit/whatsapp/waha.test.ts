import type { InboundEvent, NormalizedItem } from '../../../nodes/shared/whatsapp/event';
import { normalizeWhatsApp } from '../../../nodes/shared/whatsapp/normalize';
import { WhatsAppPayloadError } from '../../../nodes/shared/whatsapp/errors';
import type { PollEvent } from '../../../nodes/shared/whatsapp/poll';
import { fixtureNames, loadFixture, thrown } from './fixtures';

const MARIA = { jid: '5511999990001@s.whatsapp.net', phone: '+5511999990001', isGroup: false, name: 'Maria Souza' };
const MARIA_SENDER = { jid: '5511999990001@s.whatsapp.net', phone: '+5511999990001', name: 'Maria Souza' };
const MARIA_NO_NAME = { jid: '5511999990001@s.whatsapp.net', phone: '+5511999990001', isGroup: false };
/** `W.me`: id 5511999990000@c.us, lid 271828182845904@lid, pushName "Loja Exemplo". */
const STORE = { jid: '5511999990000@s.whatsapp.net', phone: '+5511999990000', name: 'Loja Exemplo', lid: '271828182845904@lid' };
const FILES = 'http://waha.example.com:3000/api/files/default';

function incoming(fields: Partial<InboundEvent>): NormalizedItem {
	return {
		type: 'event',
		event: {
			gateway: 'waha',
			instance: 'default',
			kind: 'message',
			chat: MARIA,
			fromMe: false,
			sender: MARIA_SENDER,
			...fields,
		} as InboundEvent,
	};
}

const FROM_ME = incoming({
	whatsappId: '3AA5B4C6D8E0F2A4B6C8',
	timestamp: 1767261840,
	chat: MARIA_NO_NAME,
	fromMe: true,
	viaApi: false, // source "app": typed on the phone
	sender: STORE,
	text: 'Sim! Entregamos no sábado das 8h às 12h.',
});

/** One expectation per sample in test/fixtures/whatsapp-payloads/waha, derived by reading the payload. */
const expected: Record<string, NormalizedItem[]> = {
	text: [incoming({ whatsappId: '3A5F1C2B9D8E7A6B5C4D', timestamp: 1767261600, text: 'Olá! Vocês entregam no sábado?' })],
	'image-caption': [
		incoming({
			whatsappId: '3A61D0E2F4A6B8C0D2E4',
			timestamp: 1767261630,
			text: 'Esse modelo tem em azul?',
			media: { kind: 'image', mimeType: 'image/jpeg', url: `${FILES}/3A61D0E2F4A6B8C0D2E4.jpeg`, sizeBytes: 84213 },
		}),
	],
	'audio-voice': [
		incoming({
			whatsappId: 'AC3F9B1E5D7C2A8B4E6F0D1C3B5A7E90',
			timestamp: 1767261660,
			media: { kind: 'voice', mimeType: 'audio/ogg; codecs=opus', url: `${FILES}/AC3F9B1E5D7C2A8B4E6F0D1C3B5A7E90.oga`, sizeBytes: 11844 },
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
				url: `${FILES}/3A72E1F3A5B7C9D1E3F5.pdf`,
				sizeBytes: 48213,
			},
		}),
	],
	'group-text': [
		incoming({
			// serialized "false_120363…@g.us_AC3F…_5511999990002@c.us": the bare id is the 3rd segment
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
			reaction: { emoji: '👍', targetId: '3EB0AA11BB22CC33DD4455' }, // from "true_5511999990001@c.us_3EB0AA11BB22CC33DD4455"
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
	fromMe: [FROM_ME],
	// WEBJS: `from` is our own id, the chat is `to`; same canonical event as the GOWS sample.
	'fromMe-webjs': [FROM_ME],
	'text-lid': [
		incoming({
			whatsappId: '3AE9F8A0B2C4D6E8F0A2',
			timestamp: 1767261870,
			chat: { ...MARIA, lid: '123456789012345@lid' }, // phone from _data.Info.SenderAlt
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
	'message-ack': [
		incoming({
			kind: 'ack',
			whatsappId: '3EB0AA11BB22CC33DD4455',
			targetId: '3EB0AA11BB22CC33DD4455',
			chat: MARIA_NO_NAME,
			fromMe: true,
			sender: STORE,
			timestamp: 1767261960, // envelope timestamp 1767261960321 ms; the payload has none
			ack: { status: 'read' },
		}),
	],
	'message-edited': [
		incoming({
			kind: 'edit',
			whatsappId: '3AC7D6E8F0A2B4C6D8E0',
			targetId: '3A5F1C2B9D8E7A6B5C4D',
			timestamp: 1767262020,
			text: 'Olá! Vocês entregam no domingo?',
		}),
	],
	'message-revoked': [
		incoming({
			kind: 'delete',
			whatsappId: '3AD8E7F9A1B3C5D7E9F1', // the revoke itself (payload.after)
			targetId: '3A5F1C2B9D8E7A6B5C4D',
			timestamp: 1767261990,
		}),
	],
	// A vote answers its poll; the serialized ids become bare WhatsApp ids.
	'poll-vote': [
		incoming({
			instance: 'default',
			whatsappId: '3A9C8B7A6F5E4D3C2B1A',
			timestamp: 1767262260,
			chat: MARIA_NO_NAME,
			sender: { jid: '5511999990001@s.whatsapp.net', phone: '+5511999990001' },
			replyTo: { whatsappId: '3EB0C4D5E6F7A8B9C0D1' },
			pollVote: { pollId: '3EB0C4D5E6F7A8B9C0D1', options: ['Tarde (13h–18h)'] },
		} as Partial<PollEvent>),
	],
};

describe('WAHA samples', () => {
	it('has an expectation for every sample', () => {
		expect(Object.keys(expected).sort()).toEqual(fixtureNames('waha'));
	});

	it.each(fixtureNames('waha'))('%s', (name) => {
		const body = loadFixture('waha', name);
		expect(normalizeWhatsApp(body)).toEqual(expected[name]);
		expect(normalizeWhatsApp(body, 'waha')).toEqual(expected[name]);
	});
});

function only(items: NormalizedItem[]): InboundEvent {
	expect(items).toHaveLength(1);
	expect(items[0].type).toBe('event');
	return (items[0] as { event: InboundEvent }).event;
}

describe('WAHA identity and ids', () => {
	it('subscribed to message and message.any, an incoming message arrives twice: the message.any copy is marked', () => {
		// WAHA: `message` carries incoming messages only, `message.any` every message including the session's own.
		const viaMessage = normalizeWhatsApp(loadFixture('waha', 'text'));
		const viaAny = normalizeWhatsApp({ ...(loadFixture('waha', 'text') as object), event: 'message.any' });
		expect(viaMessage[0]).toMatchObject({ type: 'event', event: { whatsappId: '3A5F1C2B9D8E7A6B5C4D' } });
		expect((viaMessage[0] as { event: InboundEvent }).event.alsoAnnounced).toBeUndefined();
		expect(viaAny).toEqual([{ type: 'event', event: { ...(viaMessage[0] as { event: InboundEvent }).event, alsoAnnounced: true } }]);
		// A message the session sent comes only through message.any: nothing waits for another copy.
		const sent = normalizeWhatsApp({ ...(loadFixture('waha', 'fromMe') as object), event: 'message.any' });
		expect((sent[0] as { event: InboundEvent }).event.alsoAnnounced).toBeUndefined();
	});

	it('source "api" marks a fromMe message as sent through the API', () => {
		const body = loadFixture('waha', 'fromMe');
		body.payload.source = 'api';
		expect(only(normalizeWhatsApp(body)).viaApi).toBe(true);
	});

	it('an @lid chat without any phone alternative stays a LID', () => {
		const body = loadFixture('waha', 'text-lid');
		delete body.payload._data.Info.SenderAlt;
		const event = only(normalizeWhatsApp(body));
		expect(event.chat).toEqual({ jid: '123456789012345@lid', isGroup: false, name: 'Maria Souza', lid: '123456789012345@lid' });
		expect(event.sender.phone).toBeUndefined();
	});

	it('NOWEB: the phone of an @lid chat comes from _data.key.remoteJidAlt', () => {
		const body = loadFixture('waha', 'text-lid');
		body.engine = 'NOWEB';
		body.payload._data = {
			key: { remoteJid: '123456789012345@lid', remoteJidAlt: '5511999990001@s.whatsapp.net', fromMe: false, id: '3AE9F8A0B2C4D6E8F0A2' },
			message: { conversation: 'Oi' },
			pushName: 'Maria Souza',
		};
		expect(only(normalizeWhatsApp(body)).chat).toEqual({ ...MARIA, lid: '123456789012345@lid' });
	});

	it('serialized ids in replyTo and editedMessageId are stored bare', () => {
		const reply = loadFixture('waha', 'reply');
		reply.payload.replyTo.id = 'true_5511999990001@c.us_3EB0AA11BB22CC33DD4455';
		expect(only(normalizeWhatsApp(reply)).replyTo?.whatsappId).toBe('3EB0AA11BB22CC33DD4455');
		const edit = loadFixture('waha', 'message-edited');
		edit.payload.editedMessageId = 'false_5511999990001@c.us_3A5F1C2B9D8E7A6B5C4D';
		expect(only(normalizeWhatsApp(edit)).targetId).toBe('3A5F1C2B9D8E7A6B5C4D');
	});

	it('WEBJS incoming group message: participant from payload, name from notifyName', () => {
		const body = loadFixture('waha', 'group-text');
		body.engine = 'WEBJS';
		body.payload._data = { type: 'chat', notifyName: 'João Lima', author: '5511999990002@c.us' };
		const event = only(normalizeWhatsApp(body));
		expect(event.chat).toEqual({ jid: '120363041234567890@g.us', isGroup: true });
		expect(event.sender).toEqual({ jid: '5511999990002@s.whatsapp.net', phone: '+5511999990002', name: 'João Lima' });
	});

	it('status@broadcast is ignored with a reason', () => {
		const body = loadFixture('waha', 'text');
		body.payload.from = 'status@broadcast';
		expect(normalizeWhatsApp(body)).toEqual([
			{ type: 'ignore', reason: expect.stringContaining('status@broadcast'), whatsappId: '3A5F1C2B9D8E7A6B5C4D' },
		]);
	});
});

describe('WAHA content', () => {
	it('a failed media download is still a message with media, without url', () => {
		const body = loadFixture('waha', 'image-caption');
		body.payload.media = { url: null, mimetype: 'image/jpeg', filename: null, error: { message: 'download failed' } };
		body.payload.mediaUrl = null;
		expect(only(normalizeWhatsApp(body)).media).toEqual({ kind: 'image', mimeType: 'image/jpeg', sizeBytes: 84213 });
	});

	it('without _data, an opus audio is a voice note and a webp image a sticker', () => {
		const body = loadFixture('waha', 'audio-voice');
		delete body.payload._data;
		expect(only(normalizeWhatsApp(body)).media).toEqual({
			kind: 'voice',
			mimeType: 'audio/ogg; codecs=opus',
			url: `${FILES}/AC3F9B1E5D7C2A8B4E6F0D1C3B5A7E90.oga`,
		});
		body.payload.media.mimetype = 'image/webp';
		expect(only(normalizeWhatsApp(body)).media?.kind).toBe('sticker');
	});

	it('an unknown GOWS type becomes an unsupportedType placeholder', () => {
		const body = loadFixture('waha', 'text');
		body.payload.body = '';
		body.payload._data.Message = { eventMessage: { name: 'Store opening' } };
		const event = only(normalizeWhatsApp(body));
		expect(event.unsupportedType).toBe('eventMessage');
		expect(event.text).toBeUndefined();
	});

	it('an unknown WEBJS type becomes an unsupportedType placeholder; system notices are ignored', () => {
		const body = loadFixture('waha', 'fromMe-webjs');
		body.payload.body = '';
		body.payload._data.type = 'poll_creation';
		expect(only(normalizeWhatsApp(body)).unsupportedType).toBe('poll_creation');
		body.payload._data.type = 'e2e_notification';
		expect(normalizeWhatsApp(body)).toEqual([
			{ type: 'ignore', reason: expect.stringContaining('e2e_notification'), whatsappId: '3AA5B4C6D8E0F2A4B6C8' },
		]);
	});

	it('a GOWS revoke arriving as message.any is a delete', () => {
		const body = loadFixture('waha', 'text');
		body.event = 'message.any';
		body.payload.body = '';
		body.payload._data.Message = { protocolMessage: { key: { ID: 'OLD' }, type: 'REVOKE' } };
		expect(only(normalizeWhatsApp(body))).toMatchObject({ kind: 'delete', targetId: 'OLD' });
	});

	it('vCard bodies (WEBJS puts the vCard in body) are not text', () => {
		const body = loadFixture('waha', 'contact');
		body.payload.body = body.payload.vCards[0];
		expect(only(normalizeWhatsApp(body)).text).toBeUndefined();
	});
});

describe('WAHA acks', () => {
	it.each([
		[-1, 'failed'],
		[1, 'sent'],
		[2, 'delivered'],
		[3, 'read'],
		[4, 'played'],
	])('ack %s → %s', (level, status) => {
		const body = loadFixture('waha', 'message-ack');
		body.payload.ack = level;
		body.payload.ackName = undefined;
		expect(only(normalizeWhatsApp(body)).ack).toEqual({ status });
	});

	it('ackName is used when ack is absent; PENDING is ignored', () => {
		const body = loadFixture('waha', 'message-ack');
		delete body.payload.ack;
		body.payload.ackName = 'DEVICE';
		expect(only(normalizeWhatsApp(body)).ack).toEqual({ status: 'delivered' });
		body.payload.ack = 0;
		body.payload.ackName = 'PENDING';
		expect(normalizeWhatsApp(body)).toEqual([
			{ type: 'ignore', reason: 'ack PENDING is not a delivery state', whatsappId: '3EB0AA11BB22CC33DD4455' },
		]);
	});

	it('WEBJS fromMe ack: the chat is `to`', () => {
		const body = loadFixture('waha', 'message-ack');
		body.engine = 'WEBJS';
		body.payload.from = '5511999990000@c.us';
		body.payload.to = '5511999990001@c.us';
		expect(only(normalizeWhatsApp(body)).chat).toEqual(MARIA_NO_NAME);
	});
});

describe('WAHA malformed bodies', () => {
	it('non-message events are ignored', () => {
		expect(normalizeWhatsApp({ event: 'session.status', session: 'default', payload: { status: 'WORKING' } })).toEqual([
			{ type: 'ignore', reason: 'WAHA event "session.status" carries no chat message' },
		]);
	});

	it.each([
		[
			'payload missing',
			(b: any) => {
				b.payload = 'x';
			},
			'body.payload',
		],
		[
			'id missing',
			(b: any) => {
				b.payload.id = null;
				delete b.payload._data;
			},
			'body.payload.id',
		],
		[
			'chat missing',
			(b: any) => {
				b.payload.id = 'x';
				delete b.payload.from;
				delete b.payload.to;
				delete b.payload._data;
			},
			'body.payload.from',
		],
	])('%s → WhatsAppPayloadError', (_name, mutate, fieldPath) => {
		const body = loadFixture('waha', 'text');
		mutate(body);
		const error = thrown(() => normalizeWhatsApp(body, 'waha'));
		expect(error).toBeInstanceOf(WhatsAppPayloadError);
		expect((error as WhatsAppPayloadError).field).toBe(fieldPath);
	});
});
