/**
 * Which WhatsApp messages a conversation already holds, by `source_id` (`WAID:<id>`). Chatwoot cannot look a message
 * up by source id and accepts duplicates (behaviour doc §1.3), so the bridge keeps this view: read from the
 * conversation when cold, extended back in time when an older event arrives (a late replay), and kept current with
 * what this process posts.
 */
import type { ChatwootClient } from '../chatwoot/client';
import type { Message } from '../chatwoot/schemas';
import type { InboxMemory } from './bridgeMemory';

/** How far back a ledger may page (20 messages a page, doc §3.5) to cover an old event. */
export const MAX_LEDGER_PAGES = 10;

export interface ConversationLedger {
	/** `source_id` → Chatwoot message id (0: posted by us, id unknown). */
	sourceIds: Map<string, number>;
	/**
	 * Chatwoot time (unix s) from which on the view is complete; `-Infinity` once the whole conversation is read.
	 * Chatwoot's `created_at` grows with the message id, and a copy of a WhatsApp message can only have been posted
	 * after the message was written, so covering the event's own time covers any earlier copy of it.
	 */
	coveredSince: number;
	/** Smallest message id read, the cursor for reading further back. */
	oldestMessageId?: number;
}

/** Clocks of the gateway and of Chatwoot may disagree this much. */
export const CLOCK_SKEW_SECONDS = 10 * 60;

/** Chatwoot's own creation time in unix seconds (REST answers seconds; tolerate ms and ISO strings). */
function chatwootTime(message: Message): number {
	const value = message.created_at;
	const number = typeof value === 'number' ? value : Number(value);
	if (Number.isFinite(number)) return number > 1e12 ? number / 1000 : number;
	return typeof value === 'string' ? Date.parse(value) / 1000 : 0;
}

async function readPage(client: ChatwootClient, conversationId: number, ledger: ConversationLedger): Promise<void> {
	const range = ledger.oldestMessageId === undefined ? {} : { before: ledger.oldestMessageId };
	const messages = await client.listMessages(conversationId, range);
	if (messages.length === 0) {
		ledger.coveredSince = -Infinity;
		return;
	}
	for (const message of messages) {
		if (message.source_id && !ledger.sourceIds.has(message.source_id)) ledger.sourceIds.set(message.source_id, message.id);
	}
	ledger.oldestMessageId = Math.min(...messages.map((message) => message.id));
	ledger.coveredSince = Math.min(ledger.coveredSince, ...messages.map(chatwootTime));
}

/**
 * The conversation's ledger, complete for every copy that can exist of an event written at `since` (WhatsApp time),
 * as far as MAX_LEDGER_PAGES reach (a replay older than that is the documented limit). Steady state costs nothing:
 * a new event is newer than what the ledger covers.
 */
export async function messageLedger(
	client: ChatwootClient,
	memory: InboxMemory,
	conversationId: number,
	since: number,
): Promise<ConversationLedger> {
	const key = String(conversationId);
	let ledger = memory.messagesByConversation.get(key);
	if (!ledger) {
		ledger = { sourceIds: new Map(), coveredSince: Infinity };
		await readPage(client, conversationId, ledger);
		memory.messagesByConversation.set(key, ledger);
	}
	for (let page = 1; page < MAX_LEDGER_PAGES && ledger.coveredSince > since - CLOCK_SKEW_SECONDS; page++) {
		await readPage(client, conversationId, ledger);
	}
	return ledger;
}

export function recordPosted(memory: InboxMemory, conversationId: number, sourceId: string, messageId?: number): void {
	const key = String(conversationId);
	// A conversation this process created: everything in it went through here, so the view is complete.
	const ledger = memory.messagesByConversation.get(key) ?? { sourceIds: new Map(), coveredSince: -Infinity };
	ledger.sourceIds.set(sourceId, messageId ?? 0);
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
