/**
 * Which WhatsApp messages a conversation already holds, by `source_id` (`WAID:<id>`). Chatwoot cannot look a message
 * up by source id and accepts duplicates (docs/chatwoot-behaviour.md), so the bridge keeps this view: read from the
 * conversation when cold, extended back in time when an older event arrives (a late replay), and kept current with
 * what this process posts. A view holds at most MAX_LEDGER_ENTRIES ids; a fuller one is dropped and read again.
 */
import type { ChatwootClient } from '../chatwoot/client';
import type { Message } from '../chatwoot/schemas';
import type { InboxMemory } from './bridgeMemory';
import { chatwootSeconds } from './chatwootTime';

/** How far back a ledger may page (20 messages a page, docs/chatwoot-behaviour.md, Messages) to cover an old event. */
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

/**
 * Clocks of the gateway and of Chatwoot may disagree this much. WhatsApp times come from WhatsApp's servers and
 * Chatwoot's from its own, both normally within a second of true time; a server clock further off than this can let
 * a replay through.
 */
export const CLOCK_SKEW_SECONDS = 60;

/** Bound of one conversation's view; past it the view is dropped (the next older event reads Chatwoot again). */
export const MAX_LEDGER_ENTRIES = 2_000;

/**
 * True when Chatwoot's last activity (unix s) proves that no copy of an event written at `eventTime` was posted:
 * every post moves the activity to its own time, which is after the event was written.
 */
export function isNewerThanActivity(eventTime: number, lastActivityAt: number | undefined): boolean {
	return lastActivityAt !== undefined && Number.isFinite(lastActivityAt) && eventTime - CLOCK_SKEW_SECONDS > lastActivityAt;
}

/**
 * A view that is empty and complete from `since` on: what a fresh activity time proves without reading messages.
 */
export function emptyLedgerSince(memory: InboxMemory, conversationId: number, since: number): void {
	const key = String(conversationId);
	if (!memory.messagesByConversation.get(key)) {
		memory.messagesByConversation.set(key, { sourceIds: new Map(), coveredSince: since });
	}
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
	// A message without a readable time proves no coverage: taking it as 1970 would end the look back early.
	const times = messages.map((message) => chatwootSeconds(message.created_at)).filter((time) => time !== undefined);
	ledger.coveredSince = Math.min(ledger.coveredSince, ...times);
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

/**
 * Adds what this process just posted. Without a view, `createdHere` says the conversation was created by this
 * process, so everything in it went through here and the new view is complete; otherwise nothing is assumed.
 */
export function recordPosted(
	memory: InboxMemory,
	conversationId: number,
	sourceId: string,
	messageId?: number,
	createdHere = false,
): void {
	const key = String(conversationId);
	const existing = memory.messagesByConversation.get(key);
	if (!existing && !createdHere) return;
	const ledger = existing ?? { sourceIds: new Map(), coveredSince: -Infinity };
	ledger.sourceIds.set(sourceId, messageId ?? 0);
	if (ledger.sourceIds.size > MAX_LEDGER_ENTRIES) {
		memory.messagesByConversation.delete(key);
		return;
	}
	memory.messagesByConversation.set(key, ledger);
}

/**
 * Finds an older message by source id, paging back through the conversation (20 per page, docs/chatwoot-behaviour.md,
 * Messages), for deletes and acks of messages that left the cached view.
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
