import type { NormalizedItem } from '../../../nodes/shared/whatsapp/event';
import { normalizeWhatsApp } from '../../../nodes/shared/whatsapp/normalize';

/** Evolution Go posts `{event, instanceId, instanceName, instanceToken, data}`; `data` is whatsmeow's events.Message. */
function goMessage(info: Record<string, unknown>, message: Record<string, unknown>, extra: Record<string, unknown> = {}) {
	return {
		event: 'Message',
		instanceId: '0b7c3f4e-1111-2222-3333-444455556666',
		instanceName: 'vendas',
		instanceToken: 'EXAMPLE-TOKEN',
		data: {
			Info: { IsGroup: false, AddressingMode: '', Type: 'text', Timestamp: '2026-01-01T10:04:30Z', ...info },
			Message: message,
			IsEphemeral: false,
			IsViewOnce: false,
			...extra,
		},
	};
}

describe('Evolution Go (whatsmeow) bodies', () => {
	it('a LID-addressed text takes the phone from SenderAlt', () => {
		const body = goMessage(
			{
				Chat: '123456789012345@lid',
				Sender: '123456789012345@lid',
				SenderAlt: '5511999990001@s.whatsapp.net',
				IsFromMe: false,
				ID: '3AE9F8A0B2C4D6E8F0A2',
				PushName: 'Maria Souza',
			},
			{ conversation: 'Oi, é a Maria de novo (chat endereçado por LID).' },
		);
		const maria = { jid: '5511999990001@s.whatsapp.net', phone: '+5511999990001', name: 'Maria Souza', lid: '123456789012345@lid' };
		expect(normalizeWhatsApp(body)).toEqual<NormalizedItem[]>([
			{
				type: 'event',
				event: {
					gateway: 'evolution',
					instance: 'vendas',
					kind: 'message',
					whatsappId: '3AE9F8A0B2C4D6E8F0A2',
					chat: { ...maria, isGroup: false },
					fromMe: false,
					sender: maria,
					timestamp: 1767261870,
					text: 'Oi, é a Maria de novo (chat endereçado por LID).',
				},
			},
		]);
	});

	it('a group message: subject from groupData, sender phone from SenderAlt, quote with stanzaID', () => {
		const body = goMessage(
			{
				Chat: '120363041234567890@g.us',
				Sender: '98765432109876@lid',
				SenderAlt: '5511999990002@s.whatsapp.net',
				IsFromMe: false,
				IsGroup: true,
				ID: 'G1',
				PushName: 'João Lima',
			},
			{
				extendedTextMessage: {
					text: 'Sim',
					contextInfo: { stanzaID: 'Q9', participant: '5511999990000@s.whatsapp.net', quotedMessage: { conversation: 'Reunião às 15h?' } },
				},
			},
			{ groupData: { JID: '120363041234567890@g.us', Name: 'Equipe Vendas' } },
		);
		expect(normalizeWhatsApp(body)).toEqual<NormalizedItem[]>([
			{
				type: 'event',
				event: {
					gateway: 'evolution',
					instance: 'vendas',
					kind: 'message',
					whatsappId: 'G1',
					chat: { jid: '120363041234567890@g.us', isGroup: true, name: 'Equipe Vendas' },
					fromMe: false,
					sender: { jid: '5511999990002@s.whatsapp.net', phone: '+5511999990002', name: 'João Lima', lid: '98765432109876@lid' },
					timestamp: 1767261870,
					text: 'Sim',
					replyTo: { whatsappId: 'Q9', quotedText: 'Reunião às 15h?' },
				},
			},
		]);
	});

	it('fromMe: the chat is Info.Chat, the sender is us (device suffix dropped), media from Message.mediaUrl', () => {
		const body = goMessage(
			{
				Chat: '5511999990001@s.whatsapp.net',
				Sender: '5511999990000:12@s.whatsapp.net',
				SenderAlt: '271828182845904@lid',
				IsFromMe: true,
				ID: 'M1',
				PushName: 'Loja Exemplo',
				Type: 'media',
			},
			{
				imageMessage: { URL: 'https://mmg.whatsapp.net/enc', mimetype: 'image/jpeg', caption: 'Catálogo', fileLength: 1234 },
				mediaUrl: 'https://minio.example.com/M1.jpg',
				mimetype: 'image/jpeg',
			},
		);
		expect(normalizeWhatsApp(body)).toEqual<NormalizedItem[]>([
			{
				type: 'event',
				event: {
					gateway: 'evolution',
					instance: 'vendas',
					kind: 'message',
					whatsappId: 'M1',
					chat: { jid: '5511999990001@s.whatsapp.net', phone: '+5511999990001', isGroup: false },
					fromMe: true,
					sender: { jid: '5511999990000@s.whatsapp.net', phone: '+5511999990000', name: 'Loja Exemplo', lid: '271828182845904@lid' },
					timestamp: 1767261870,
					text: 'Catálogo',
					media: { kind: 'image', mimeType: 'image/jpeg', url: 'https://minio.example.com/M1.jpg', sizeBytes: 1234 },
				},
			},
		]);
	});

	it('a protocol edit (numeric enum 14) is an edit; status broadcast is ignored', () => {
		const edit = goMessage(
			{ Chat: '5511999990001@s.whatsapp.net', Sender: '5511999990001@s.whatsapp.net', IsFromMe: false, ID: 'E1' },
			{
				protocolMessage: {
					key: { remoteJID: '5511999990001@s.whatsapp.net', fromMe: false, ID: 'OLD' },
					type: 14,
					editedMessage: { conversation: 'novo' },
				},
			},
		);
		expect(normalizeWhatsApp(edit)).toMatchObject([
			{ type: 'event', event: { kind: 'edit', whatsappId: 'E1', targetId: 'OLD', text: 'novo' } },
		]);
		const status = goMessage({ Chat: 'status@broadcast', Sender: '5511999990001@s.whatsapp.net', ID: 'S1' }, { conversation: 'story' });
		expect(normalizeWhatsApp(status)).toEqual([{ type: 'ignore', reason: expect.stringContaining('status@broadcast'), whatsappId: 'S1' }]);
	});

	it('Receipt: one ack per message id; ReadSelf is not a delivery state', () => {
		const receipt = {
			event: 'Receipt',
			instanceName: 'vendas',
			state: 'Read',
			data: {
				Chat: '5511999990001@s.whatsapp.net',
				Sender: '5511999990001@s.whatsapp.net',
				IsFromMe: false,
				IsGroup: false,
				MessageIDs: ['A1', 'A2'],
				Timestamp: '2026-01-01T10:06:00Z',
				Type: 'read',
			},
		};
		const chat = { jid: '5511999990001@s.whatsapp.net', phone: '+5511999990001', isGroup: false };
		const ack = (id: string): NormalizedItem => ({
			type: 'event',
			event: {
				gateway: 'evolution',
				instance: 'vendas',
				kind: 'ack',
				whatsappId: id,
				targetId: id,
				chat,
				fromMe: true,
				sender: {},
				timestamp: 1767261960,
				ack: { status: 'read' },
			},
		});
		expect(normalizeWhatsApp(receipt)).toEqual([ack('A1'), ack('A2')]);
		expect(normalizeWhatsApp({ ...receipt, state: 'ReadSelf' })).toEqual([
			{ type: 'ignore', reason: 'receipt ReadSelf is not a delivery state of our message', whatsappId: 'A1' },
			{ type: 'ignore', reason: 'receipt ReadSelf is not a delivery state of our message', whatsappId: 'A2' },
		]);
	});

	it('other Evolution Go events are ignored', () => {
		expect(normalizeWhatsApp({ event: 'Presence', instanceName: 'vendas', data: { From: 'x' } })).toEqual([
			{ type: 'ignore', reason: 'Evolution Go event "Presence" carries no chat message' },
		]);
	});
});
