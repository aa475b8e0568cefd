/** Gateway bodies the benchmarks send: Evolution API `messages.upsert` text messages (1:1 or group). */

export interface EvolutionTextOptions {
	/** Group chats: the member who wrote. */
	participant?: string;
	instance?: string;
	pushName?: string;
	/** Default `message <id>`. */
	text?: string;
	/** Typed on the business's phone (Evolution `key.fromMe`). */
	fromMe?: boolean;
	/** WhatsApp time in unix seconds; default a fixed day (2026-01-01). */
	timestamp?: number;
}

export function evolutionText(id: string, chat: string, participantOrOptions?: string | EvolutionTextOptions) {
	const options: EvolutionTextOptions =
		typeof participantOrOptions === 'string' ? { participant: participantOrOptions } : (participantOrOptions ?? {});
	const { participant, instance = 'bench', pushName = 'Bench User', text = `message ${id}`, fromMe = false, timestamp = 1767261600 } = options;
	return {
		event: 'messages.upsert',
		instance,
		data: {
			key: { remoteJid: chat, fromMe, id, ...(participant ? { participant } : {}) },
			pushName,
			message: { conversation: text },
			messageType: 'conversation',
			messageTimestamp: timestamp,
		},
	};
}

/** A 1:1 chat JID with a fixed-length number, so no chat's digits are a substring of another's. */
export function personJid(n: number, prefix = '5511'): string {
	return `${prefix}9${String(n).padStart(8, '0')}@s.whatsapp.net`;
}

export function groupJid(n: number): string {
	return `1203630000${String(n).padStart(8, '0')}@g.us`;
}
