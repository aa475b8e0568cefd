/** Gateway bodies the benchmarks send: Evolution API `messages.upsert` text messages (1:1 or group). */

export interface EvolutionTextOptions {
	/** Group chats: the member who wrote. */
	participant?: string;
	instance?: string;
	pushName?: string;
	/** Default `message <id>`. */
	text?: string;
}

export function evolutionText(id: string, chat: string, participantOrOptions?: string | EvolutionTextOptions) {
	const options: EvolutionTextOptions =
		typeof participantOrOptions === 'string' ? { participant: participantOrOptions } : (participantOrOptions ?? {});
	const { participant, instance = 'bench', pushName = 'Bench User', text = `message ${id}` } = options;
	return {
		event: 'messages.upsert',
		instance,
		data: {
			key: { remoteJid: chat, fromMe: false, id, ...(participant ? { participant } : {}) },
			pushName,
			message: { conversation: text },
			messageType: 'conversation',
			messageTimestamp: 1767261600,
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
