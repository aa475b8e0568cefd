/**
 * One record of a synthetic Evolution API history (the `messages.records[]` shape of `POST /chat/findMessages`, one
 * n8n item per record as the import example splits it): chat `chat` of the run `tag`, every 20th chat a group, every
 * 5th message the business's own. Self-contained on purpose: bench/importN8n.ts ships its source (`toString()`) into
 * an n8n Code node, so the test double and the real n8n import the very same records.
 */
export function evolutionHistoryRecord(tag: string, chat: number, message: number, now: number) {
	const group = chat % 20 === 19;
	const jid = group ? `1203630${tag}${String(chat).padStart(8, '0')}@g.us` : `55${tag}${String(chat).padStart(9, '0')}@s.whatsapp.net`;
	const fromMe = message % 5 === 4;
	return {
		key: {
			remoteJid: jid,
			fromMe,
			id: `${tag}C${chat}M${message}`,
			...(group && !fromMe ? { participant: `55119${String(message % 7).padStart(8, '0')}@s.whatsapp.net` } : {}),
		},
		pushName: fromMe ? 'Você' : `Contato ${chat}`,
		message: { conversation: `Mensagem ${message} da conversa ${chat}: um texto de tamanho comum, com acentuação.` },
		messageType: 'conversation',
		messageTimestamp: now - 2 * 86_400 + chat + message * 60,
	};
}

/** One import case of the import benchmarks: `chats` × `perChat` records tagged `tag` (their ids and chats). */
export interface ImportCase {
	name: string;
	tag: string;
	chats: number;
	perChat: number;
	/** The Import node's pace (0: none). */
	requestsPerMinute: number;
	/** The sandbox's throttle (requests/min per client IP), null for none. */
	sandboxLimit: number | null;
}
