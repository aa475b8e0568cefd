import type { Gateway, InboundEvent, NormalizedItem } from '../../../nodes/shared/whatsapp/event';
import { normalizeWhatsApp } from '../../../nodes/shared/whatsapp/normalize';
import { WhatsAppPayloadError } from '../../../nodes/shared/whatsapp/errors';
import { fixtureNames, loadFixture, thrown } from './fixtures';

const MARIA = { jid: '5511999990001@s.whatsapp.net', phone: '+5511999990001', isGroup: false, name: 'Maria Souza' };
const MARIA_SENDER = { jid: '5511999990001@s.whatsapp.net', phone: '+5511999990001', name: 'Maria Souza' };
const MARIA_NO_NAME = { jid: '5511999990001@s.whatsapp.net', phone: '+5511999990001', isGroup: false };
/** metadata.display_phone_number "5511999990000". */
const STORE = { jid: '5511999990000@s.whatsapp.net', phone: '+5511999990000' };
const WAMID = (tail: string) => `wamid.GA01NTExOTk5OTkwMDAxFQIAEhgU${tail}`;

type Expectation = (gateway: Gateway) => NormalizedItem[];

function incoming(fields: Partial<InboundEvent>): Expectation {
	return (gateway) => [
		{
			type: 'event',
			event: {
				gateway,
				instance: '106540352242922',
				kind: 'message',
				chat: MARIA,
				fromMe: false,
				sender: MARIA_SENDER,
				...fields,
			} as InboundEvent,
		},
	];
}

/** One expectation per sample; the cloud-api and n8n-whatsapp-trigger folders hold the same changes. */
const expected: Record<string, Expectation> = {
	text: incoming({ whatsappId: WAMID('M0E1RjFDMkI5RDhFN0E2QjVDNEQA'), timestamp: 1767261600, text: 'Olá! Vocês entregam no sábado?' }),
	'image-caption': incoming({
		whatsappId: WAMID('M0E2MUQwRTJGNEE2QjhDMEQyRTQA'),
		timestamp: 1767261630,
		text: 'Esse modelo tem em azul?',
		media: { kind: 'image', mimeType: 'image/jpeg', mediaId: '1203948576012345' },
	}),
	'audio-voice': incoming({
		whatsappId: 'wamid.GA01NTExOTk5OTkwMDAxFQIAEhgUQUMzRjlCMUU1RDdDMkE4QjRFNkYA',
		timestamp: 1767261660,
		media: { kind: 'voice', mimeType: 'audio/ogg; codecs=opus', mediaId: '1203948576012346' },
	}),
	document: incoming({
		whatsappId: WAMID('M0E3MkUxRjNBNUI3QzlEMUUzRjUA'),
		timestamp: 1767261690,
		text: 'Segue o comprovante do pagamento',
		media: { kind: 'document', mimeType: 'application/pdf', fileName: 'comprovante-pedido-1042.pdf', mediaId: '1203948576012347' },
	}),
	'group-text': incoming({
		whatsappId: 'wamid.GA01NTExOTk5OTkwMDAyFQIAEhgUQUMzRjlCMUU1RDdDMkE4QjRFNkYA',
		timestamp: 1767261720,
		chat: { jid: 'Y2FwaV9ncm91cDo1NTExOTk5OTkwMDAwOjEyMDM2MzA0MTIzNDU2Nzg5MA', isGroup: true },
		sender: { jid: '5511999990002@s.whatsapp.net', phone: '+5511999990002', name: 'João Lima' },
		text: 'Bom dia, pessoal! A reunião continua às 15h?',
	}),
	reply: incoming({
		whatsappId: WAMID('M0E4M0YyQTRCNkM4RDBFMkY0QTYA'),
		timestamp: 1767261750,
		text: 'Pode ser amanhã às 10h?',
		replyTo: { whatsappId: WAMID('M0VCMEFBMTFCQjIyQ0MzM0RENDQA') },
	}),
	reaction: incoming({
		kind: 'reaction',
		whatsappId: WAMID('M0E3QjhDOUQwRTFGMkEzQjRDNUQA'),
		timestamp: 1767261780,
		reaction: { emoji: '👍', targetId: WAMID('M0VCMEFBMTFCQjIyQ0MzM0RENDQA') },
	}),
	location: incoming({
		whatsappId: WAMID('M0E5NEEzQjVDN0Q5RTFGM0E1QjcA'),
		timestamp: 1767261810,
		location: {
			latitude: -23.561684,
			longitude: -46.655981,
			name: 'MASP',
			address: 'Av. Paulista, 1578 - Bela Vista, São Paulo - SP',
			live: false,
		},
	}),
	fromMe: incoming({
		whatsappId: WAMID('M0FBNUI0QzZEOEUwRjJBNEI2QzgA'),
		timestamp: 1767261840,
		chat: MARIA_NO_NAME, // echo: the chat is `to`
		fromMe: true,
		viaApi: false, // smb_message_echoes are typed in the WhatsApp Business app
		sender: STORE,
		text: 'Sim! Entregamos no sábado das 8h às 12h.',
	}),
	contact: incoming({
		whatsappId: WAMID('M0FCNkM1RDdFOUYxQTNCNUM3RDkA'),
		timestamp: 1767261900,
		contacts: [{ name: 'Carlos Pereira', phones: ['+5511999990003'] }],
	}),
	edit: incoming({
		kind: 'edit',
		whatsappId: WAMID('M0FDN0Q2RThGMEEyQjRDNkQ4RTAA'),
		targetId: WAMID('M0E1RjFDMkI5RDhFN0E2QjVDNEQA'),
		timestamp: 1767262020,
		text: 'Olá! Vocês entregam no domingo?',
	}),
	revoke: incoming({
		kind: 'delete',
		whatsappId: WAMID('M0FEOEU3RjlBMUIzQzVEN0U5RjEA'),
		targetId: WAMID('M0E1RjFDMkI5RDhFN0E2QjVDNEQA'),
		timestamp: 1767261990,
	}),
	'status-read': incoming({
		kind: 'ack',
		whatsappId: WAMID('M0VCMEFBMTFCQjIyQ0MzM0RENDQA'),
		targetId: WAMID('M0VCMEFBMTFCQjIyQ0MzM0RENDQA'),
		chat: MARIA_NO_NAME, // recipient_id
		fromMe: true,
		sender: STORE,
		timestamp: 1767261960,
		ack: { status: 'read' },
	}),
};

describe('Cloud API samples', () => {
	it('has an expectation for every sample', () => {
		expect(Object.keys(expected).sort()).toEqual(fixtureNames('cloud-api'));
	});

	it.each(fixtureNames('cloud-api'))('%s', (name) => {
		const body = loadFixture('cloud-api', name);
		expect(normalizeWhatsApp(body)).toEqual(expected[name]('cloud'));
		expect(normalizeWhatsApp(body, 'cloud')).toEqual(expected[name]('cloud'));
	});
});

describe('n8n WhatsApp Trigger samples', () => {
	it('has an expectation for every sample', () => {
		expect(Object.keys(expected).sort()).toEqual(fixtureNames('n8n-whatsapp-trigger'));
	});

	it.each(fixtureNames('n8n-whatsapp-trigger'))('%s', (name) => {
		const item = loadFixture('n8n-whatsapp-trigger', name);
		expect(normalizeWhatsApp(item)).toEqual(expected[name]('n8nWhatsAppTrigger'));
		expect(normalizeWhatsApp(item, 'n8nWhatsAppTrigger')).toEqual(expected[name]('n8nWhatsAppTrigger'));
	});
});

function events(items: NormalizedItem[]): InboundEvent[] {
	return items.map((item) => {
		expect(item.type).toBe('event');
		return (item as { event: InboundEvent }).event;
	});
}

describe('Cloud API changes', () => {
	it('a change with two messages gives two events, in order', () => {
		const body = loadFixture('cloud-api', 'text');
		const value = body.entry[0].changes[0].value;
		value.messages.push({ ...value.messages[0], id: 'wamid.SECOND', text: { body: 'second' } });
		expect(events(normalizeWhatsApp(body)).map((e) => [e.whatsappId, e.text])).toEqual([
			[WAMID('M0E1RjFDMkI5RDhFN0E2QjVDNEQA'), 'Olá! Vocês entregam no sábado?'],
			['wamid.SECOND', 'second'],
		]);
	});

	it('every entry and change is read', () => {
		const body = loadFixture('cloud-api', 'text');
		body.entry.push(loadFixture('cloud-api', 'status-read').entry[0]);
		expect(events(normalizeWhatsApp(body)).map((e) => e.kind)).toEqual(['message', 'ack']);
	});

	it('a failed status carries the error text', () => {
		const body = loadFixture('cloud-api', 'status-read');
		const status = body.entry[0].changes[0].value.statuses[0];
		status.status = 'failed';
		status.errors = [
			{
				code: 131047,
				title: 'Re-engagement message',
				message: 'Re-engagement message',
				error_data: {
					details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
				},
			},
		];
		expect(events(normalizeWhatsApp(body))[0].ack).toEqual({
			status: 'failed',
			error:
				'Re-engagement message: Message failed to send because more than 24 hours have passed since the customer last replied to this number. (code 131047)',
		});
	});

	it.each([
		['sent', 'sent'],
		['delivered', 'delivered'],
		['read', 'read'],
		['failed', 'failed'],
	])('status %s → %s', (name, status) => {
		const item = loadFixture('n8n-whatsapp-trigger', 'status-read');
		item.statuses[0].status = name;
		expect(events(normalizeWhatsApp(item))[0].ack).toEqual({ status });
	});

	it('older "deleted" status is a delete of the customer message', () => {
		const item = loadFixture('n8n-whatsapp-trigger', 'status-read');
		item.statuses[0].status = 'deleted';
		expect(events(normalizeWhatsApp(item))[0]).toMatchObject({ kind: 'delete', targetId: item.statuses[0].id, fromMe: false });
	});

	it('a removed reaction has no emoji field → empty emoji', () => {
		const item = loadFixture('n8n-whatsapp-trigger', 'reaction');
		delete item.messages[0].reaction.emoji;
		expect(events(normalizeWhatsApp(item))[0].reaction).toEqual({ emoji: '', targetId: WAMID('M0VCMEFBMTFCQjIyQ0MzM0RENDQA') });
	});

	it.each([
		['button', { button: { text: 'Confirmar', payload: 'yes' } }, { text: 'Confirmar' }],
		['interactive', { interactive: { type: 'button_reply', button_reply: { id: 'b1', title: 'Sim' } } }, { text: 'Sim' }],
		[
			'interactive',
			{ interactive: { type: 'list_reply', list_reply: { id: 'r1', title: 'Entrega', description: 'amanhã' } } },
			{ text: 'Entrega\namanhã' },
		],
		['interactive', { interactive: { type: 'call_permission_reply' } }, { unsupportedType: 'interactive:call_permission_reply' }],
		[
			'video',
			{ video: { id: 'V1', mime_type: 'video/mp4', file_size: 2048 } },
			{ media: { kind: 'video', mimeType: 'video/mp4', mediaId: 'V1', sizeBytes: 2048 } },
		],
		[
			'sticker',
			{ sticker: { id: 'S1', mime_type: 'image/webp', animated: false } },
			{ media: { kind: 'sticker', mimeType: 'image/webp', mediaId: 'S1' } },
		],
		['audio', { audio: { id: 'A1', mime_type: 'audio/mpeg' } }, { media: { kind: 'audio', mimeType: 'audio/mpeg', mediaId: 'A1' } }],
		['unsupported', { unsupported: { type: 'video_note' }, errors: [{ code: 131051 }] }, { unsupportedType: 'video_note' }],
		['order', { order: { catalog_id: 'c' } }, { unsupportedType: 'order' }],
		['system', { system: { body: 'changed number' } }, { unsupportedType: 'system' }],
	])('type %s', (type, extra, fields) => {
		const item = loadFixture('n8n-whatsapp-trigger', 'text');
		const m = item.messages[0];
		delete m.text;
		Object.assign(m, { type, ...extra });
		const { text, media, unsupportedType } = events(normalizeWhatsApp(item))[0];
		expect({ text, media, unsupportedType }).toEqual({ text: undefined, media: undefined, unsupportedType: undefined, ...fields });
	});

	it('a group id that is already a JID is kept', () => {
		const item = loadFixture('n8n-whatsapp-trigger', 'group-text');
		item.messages[0].group_id = '120363041234567890@g.us';
		expect(events(normalizeWhatsApp(item))[0].chat).toEqual({ jid: '120363041234567890@g.us', isGroup: true });
	});

	it('username users (no wa_id/from): the business-scoped user id is the address, no phone', () => {
		const item = loadFixture('n8n-whatsapp-trigger', 'text');
		delete item.messages[0].from;
		item.contacts = [{ profile: { name: 'Maria Souza', username: 'maria' }, user_id: 'BR.1502576394655843' }];
		const event = events(normalizeWhatsApp(item))[0];
		expect(event.chat).toEqual({ jid: 'BR.1502576394655843', isGroup: false, name: 'Maria Souza' });
	});

	it('other change fields and empty changes are ignored with a reason', () => {
		expect(normalizeWhatsApp({ messaging_product: 'whatsapp', metadata: {}, field: 'account_update' })).toEqual([
			{ type: 'ignore', reason: 'Cloud API change field "account_update" carries no chat message' },
		]);
		expect(normalizeWhatsApp({ messaging_product: 'whatsapp', metadata: {}, field: 'messages' })).toEqual([
			{ type: 'ignore', reason: 'Cloud API change without messages or statuses' },
		]);
	});

	it('a message without id is a WhatsAppPayloadError naming the path', () => {
		const body = loadFixture('cloud-api', 'text');
		delete body.entry[0].changes[0].value.messages[0].id;
		const error = thrown(() => normalizeWhatsApp(body));
		expect(error).toBeInstanceOf(WhatsAppPayloadError);
		expect((error as WhatsAppPayloadError).field).toBe('body.entry[0].changes[0].value.messages[0].id');
	});
});
