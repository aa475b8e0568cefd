/**
 * The WhatsApp history the fake gateway serves to the import examples, in each gateway's own API shapes (Evolution
 * API v2 `findContacts` / `findMessages` records / `getBase64FromMediaMessage`, WAHA GOWS `chats` and WAMessages with
 * `media.url` on its file server). One small conversation story per chat, times relative to when the gateway started:
 *
 * - chat A: a message older than the 7-day import window (the examples ask the gateway for 7 days only), a question,
 *   an answer typed on the business phone (fromMe), a photo from the customer, and the business's reply quoting it;
 * - chat B: a question yesterday and the business's answer an hour ago.
 *
 * Six messages are inside the window. Evolution and WAHA get the same story with their own numbers and ids, so each
 * import lands in its own inbox with its own contacts.
 */

/** 1×1 transparent PNG: the photo of chat A. */
export const PHOTO = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
	'base64',
);
export const PHOTO_MIME = 'image/png';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface HistoryMessage {
	/** Bare WhatsApp id. */
	id: string;
	/** Seconds before the gateway started. */
	ago: number;
	fromMe: boolean;
	text: string;
	/** The photo, with `text` as its caption. */
	photo?: boolean;
	/** Bare id of the quoted message. */
	quotes?: string;
}

export interface HistoryChat {
	phone: string;
	name: string;
	/** In WhatsApp order (oldest first). */
	messages: HistoryMessage[];
}

export interface GatewayStory {
	/** The instance (Evolution) or session (WAHA) the history belongs to. */
	instance: string;
	chats: { a: HistoryChat; b: HistoryChat };
	/** The message of chat A older than the import window. */
	tooOld: string;
	/** Chat A's photo and the reply quoting it. */
	photo: string;
	reply: string;
}

function story(instance: string, idPrefix: string, phones: [string, string], names: [string, string]): GatewayStory {
	const id = (suffix: string) => `${idPrefix}${suffix}`;
	const a: HistoryChat = {
		phone: phones[0],
		name: names[0],
		messages: [
			{ id: id('A0'), ago: 10 * DAY, fromMe: false, text: 'Oi, vocês abrem no feriado?' },
			{ id: id('A1'), ago: 3 * DAY, fromMe: false, text: 'Vocês têm o tênis 42?' },
			{ id: id('A2'), ago: 3 * DAY - 5 * MINUTE, fromMe: true, text: 'Temos sim! Quer ver uma foto?' },
			{ id: id('A3'), ago: 2 * DAY, fromMe: false, text: 'Esse aqui serve?', photo: true },
			{ id: id('A4'), ago: 2 * DAY - 10 * MINUTE, fromMe: true, text: 'Serve sim, é o modelo novo.', quotes: id('A3') },
		],
	};
	const b: HistoryChat = {
		phone: phones[1],
		name: names[1],
		messages: [
			{ id: id('B1'), ago: DAY, fromMe: false, text: 'Qual o horário de vocês?' },
			{ id: id('B2'), ago: HOUR, fromMe: true, text: 'Das 9h às 18h, de segunda a sábado.' },
		],
	};
	return { instance, chats: { a, b }, tooOld: id('A0'), photo: id('A3'), reply: id('A4') };
}

export const OWN_PHONE = '5511999990000';
const OWN_NAME = 'Loja Exemplo';
const INSTANCE_ID = '7f9c2a1e-4b3d-4c5e-9f8a-1b2c3d4e5f60';

export interface GatewayHistory {
	/** Unix seconds the times count back from. */
	now: number;
	evolution: GatewayStory;
	waha: GatewayStory;
}

export function gatewayHistory(now: number, instances: { evolution: string; waha: string }): GatewayHistory {
	return {
		now,
		evolution: story(instances.evolution, '3AE2EE0000000000', ['5511999990021', '5511999990022'], ['Carla Mendes', 'Bruno Costa']),
		waha: story(instances.waha, '3AE2EF0000000000', ['5511999990031', '5511999990032'], ['Diego Alves', 'Elisa Rocha']),
	};
}

/** Every message of a story, chat by chat, each with its chat. */
export function messagesOf(gateway: GatewayStory): Array<HistoryMessage & { chat: HistoryChat }> {
	return [gateway.chats.a, gateway.chats.b].flatMap((chat) => chat.messages.map((message) => ({ ...message, chat })));
}

/** Unix seconds of a message. */
export function timeOf(history: GatewayHistory, message: HistoryMessage): number {
	return history.now - message.ago;
}

// ---- Evolution API v2 ----------------------------------------------------------------------------------------------

const evolutionJid = (phone: string) => `${phone}@s.whatsapp.net`;

/** `POST /chat/findContacts/{instance}`: the Contact rows. */
export function evolutionContacts(history: GatewayHistory): Array<Record<string, unknown>> {
	const created = new Date((history.now - 30 * DAY) * 1000).toISOString();
	return [history.evolution.chats.a, history.evolution.chats.b].map((chat, index) => ({
		id: `cme2econtact${index}`,
		remoteJid: evolutionJid(chat.phone),
		pushName: chat.name,
		profilePicUrl: null,
		createdAt: created,
		updatedAt: created,
		instanceId: INSTANCE_ID,
	}));
}

/**
 * `POST /chat/findMessages/{instance}` records (the Message rows Evolution selects): `key`, `pushName`,
 * `messageType`, `message` (no base64: that needs `getBase64FromMediaMessage`), `messageTimestamp` in seconds,
 * `contextInfo` next to `message`.
 */
export function evolutionRecords(history: GatewayHistory): Array<Record<string, any>> {
	const byId = new Map(messagesOf(history.evolution).map((message) => [message.id, message]));
	return messagesOf(history.evolution).map((message, index) => {
		const remoteJid = evolutionJid(message.chat.phone);
		const quoted = message.quotes ? byId.get(message.quotes) : undefined;
		const content = message.photo
			? {
					imageMessage: {
						url: `https://mmg.whatsapp.net/o1/v/t62.7118-24/f2/m231/${message.id}.enc`,
						mimetype: PHOTO_MIME,
						caption: message.text,
						fileLength: String(PHOTO.length),
						height: 1,
						width: 1,
						mediaKey: 'bWVkaWEta2V5LWV4YW1wbGUtMDEtMDEtMDEtMDEtMDE=',
						directPath: `/o1/v/t62.7118-24/f2/m231/${message.id}.enc`,
					},
				}
			: { conversation: message.text };
		return {
			id: `cme2emessage${index}`,
			key: { id: message.id, fromMe: message.fromMe, remoteJid },
			pushName: message.fromMe ? OWN_NAME : message.chat.name,
			messageType: message.photo ? 'imageMessage' : 'conversation',
			message: content,
			messageTimestamp: timeOf(history, message),
			instanceId: INSTANCE_ID,
			source: 'android',
			contextInfo: quoted
				? {
						stanzaId: quoted.id,
						participant: quoted.fromMe ? evolutionJid(OWN_PHONE) : remoteJid,
						quotedMessage: quoted.photo ? { imageMessage: { caption: quoted.text, mimetype: PHOTO_MIME } } : { conversation: quoted.text },
					}
				: null,
			MessageUpdate: [],
		};
	});
}

/** `POST /chat/getBase64FromMediaMessage/{instance}` for a media message id, or undefined. */
export function evolutionMedia(history: GatewayHistory, id: string): Record<string, unknown> | undefined {
	const message = messagesOf(history.evolution).find((candidate) => candidate.id === id);
	if (!message?.photo) return undefined;
	return {
		mediaType: 'imageMessage',
		fileName: `${id}.png`,
		caption: message.text,
		size: { fileLength: String(PHOTO.length), height: 1, width: 1 },
		mimetype: PHOTO_MIME,
		base64: PHOTO.toString('base64'),
		buffer: null,
	};
}

// ---- WAHA (GOWS engine) --------------------------------------------------------------------------------------------

const wahaJid = (phone: string) => `${phone}@c.us`;

/** `GET /api/{session}/chats`. */
export function wahaChats(history: GatewayHistory): Array<Record<string, unknown>> {
	return [history.waha.chats.a, history.waha.chats.b].map((chat) => ({
		id: wahaJid(chat.phone),
		name: chat.name,
		conversationTimestamp: timeOf(history, chat.messages[chat.messages.length - 1]),
	}));
}

/** The file name WAHA's file server gives a message's media. */
export function wahaFileName(id: string): string {
	return `${id}.png`;
}

/**
 * `GET /api/{session}/chats/{chatId}/messages` WAMessages of one chat, newest first (WAHA's default order); with
 * `downloadMedia` the media is on WAHA's file server at `{baseUrl}/api/files/{session}/{file}`.
 */
export function wahaMessages(history: GatewayHistory, chatId: string, baseUrl: string, downloadMedia: boolean): Array<Record<string, any>> {
	const chat = [history.waha.chats.a, history.waha.chats.b].find((candidate) => wahaJid(candidate.phone) === chatId);
	if (!chat) return [];
	const byId = new Map(chat.messages.map((message) => [message.id, message]));
	const own = wahaJid(OWN_PHONE);
	return chat.messages
		.map((message) => {
			const at = timeOf(history, message);
			const quoted = message.quotes ? byId.get(message.quotes) : undefined;
			return {
				id: `${message.fromMe}_${chatId}_${message.id}`,
				timestamp: at,
				from: chatId,
				fromMe: message.fromMe,
				source: message.fromMe ? 'app' : undefined,
				to: message.fromMe ? chatId : own,
				participant: null,
				body: message.text,
				hasMedia: message.photo === true,
				media:
					message.photo && downloadMedia
						? { url: `${baseUrl}/api/files/${history.waha.instance}/${wahaFileName(message.id)}`, mimetype: PHOTO_MIME, filename: null, s3: null, error: null }
						: null,
				ack: 3,
				ackName: 'READ',
				location: null,
				vCards: [],
				replyTo: quoted ? { id: quoted.id, participant: quoted.fromMe ? own : chatId, body: quoted.text } : null,
				_data: {
					Info: {
						Chat: `${chat.phone}@s.whatsapp.net`,
						Sender: `${message.fromMe ? OWN_PHONE : chat.phone}@s.whatsapp.net`,
						IsFromMe: message.fromMe,
						IsGroup: false,
						ID: message.id,
						Type: message.photo ? 'media' : 'text',
						PushName: message.fromMe ? OWN_NAME : chat.name,
						Timestamp: new Date(at * 1000).toISOString().replace('.000Z', 'Z'),
						MediaType: message.photo ? 'image' : '',
					},
				},
			};
		})
		.reverse();
}
