/**
 * Which WhatsApp messages a conversation already holds, by `source_id` (`WAID:<id>`). Chatwoot cannot look a message
 * up by source id and accepts duplicates (behaviour doc §1.3), so the bridge keeps this view: filled from the
 * conversation's latest messages when cold, then kept current with what this process posts.
 */
import type { ChatwootClient } from '../chatwoot/client';
import type { Message } from '../chatwoot/schemas';
import type { InboxMemory } from './bridgeMemory';

function remember(ledger: Map<string, number>, messages: Message[]): void {
	for (const message of messages) {
		if (message.source_id) ledger.set(message.source_id, message.id);
	}
}

export async function messageLedger(
	client: ChatwootClient,
	memory: InboxMemory,
	conversationId: number,
): Promise<Map<string, number>> {
	const key = String(conversationId);
	let ledger = memory.messagesByConversation.get(key);
	if (!ledger) {
		ledger = new Map();
		remember(ledger, await client.listMessages(conversationId));
		memory.messagesByConversation.set(key, ledger);
	}
	return ledger;
}

export function recordPosted(memory: InboxMemory, conversationId: number, sourceId: string, messageId?: number): void {
	const key = String(conversationId);
	const ledger = memory.messagesByConversation.get(key) ?? new Map<string, number>();
	// 0 marks "posted, id unknown": still a duplicate guard, never used as a target id.
	ledger.set(sourceId, messageId ?? 0);
	memory.messagesByConversation.set(key, ledger);
}

/**
 * Finds an older message by source id, paging back through the conversation (20 per page, doc §3.5), for deletes
 * and acks of messages that left the cached view.
 */
export async function findMessageBySourceId(
	client: ChatwootClient,
	conversationId: number,
	sourceId: string,
	maxPages = 5,
): Promise<Message | undefined> {
	let before: number | undefined;
	for (let page = 0; page < maxPages; page++) {
		const messages = await client.listMessages(conversationId, before === undefined ? {} : { before });
		const match = messages.find((message) => message.source_id === sourceId);
		if (match) return match;
		if (messages.length === 0) return undefined;
		before = Math.min(...messages.map((message) => message.id));
	}
	return undefined;
}
