/**
 * Everything a chat already has in Chatwoot, read once before the import posts into it: the `WAID:` source ids of
 * ALL its conversations in the inbox (not just the current one, so a re-run after an agent resolved the conversation
 * still skips what the first run imported), complete back to the first message (not the live sync's bounded look
 * back, messageLedger.ts). Read with `after`+`before`, Chatwoot's largest page (1000 messages,
 * docs/chatwoot-behaviour.md, Messages): a conversation of n messages costs ⌈(n + 1) / 1000⌉ reads.
 */
import type { ChatwootClient } from '../../chatwoot/client';
import type { Message } from '../../chatwoot/schemas';
import { chatwootSeconds } from '../chatwootTime';
import { summarizeConversation, type ConversationSummary } from '../conversationChoice';

export interface LedgerEntry {
	conversationId: number;
	/** Chatwoot message id; 0 when unknown (the message rode along with a new conversation). */
	messageId: number;
	deleted: boolean;
}

export interface ChatLedger {
	/** `source_id` → where that message is. */
	bySourceId: Map<string, LedgerEntry>;
	/** Outgoing messages Chatwoot holds without a source id: agents' replies, which may come back as fromMe. */
	agentMessages: Message[];
	/** Conversation → Chatwoot times (ms) of its messages of the last minute (its flood-guard window). */
	recent: Map<number, number[]>;
	/** Conversation → highest message id known: where a post whose answer was lost would be. */
	lastId: Map<number, number>;
	/** The chat's conversations in the inbox, as listed. */
	conversations: ConversationSummary[];
}

/** Chatwoot's page size when both `after` and `before` are given (MessageFinder#messages_between). */
export const LEDGER_PAGE_SIZE = 1000;
/** `before` beyond any message id: with `after` it selects "every message from `after` on", oldest first. */
const BEYOND_ANY_ID = Number.MAX_SAFE_INTEGER;

const OUTGOING = new Set<unknown>([1, 'outgoing', 3, 'template']);

export function emptyLedger(): ChatLedger {
	return { bySourceId: new Map(), agentMessages: [], recent: new Map(), lastId: new Map(), conversations: [] };
}

function isDeleted(message: Message): boolean {
	let attributes: unknown = message.content_attributes;
	if (typeof attributes === 'string') {
		try {
			attributes = JSON.parse(attributes) as unknown;
		} catch {
			return false;
		}
	}
	return (attributes as Record<string, unknown> | null | undefined)?.deleted === true;
}

/** Adds messages of one conversation to the ledger; `nowMs` decides what counts as "the last minute". */
export function addMessages(ledger: ChatLedger, conversationId: number, messages: Message[], nowMs: number): void {
	for (const message of messages) {
		if (message.id > (ledger.lastId.get(conversationId) ?? 0)) ledger.lastId.set(conversationId, message.id);
		if (message.source_id) {
			// The first copy wins; a later duplicate (made before the bridge guarded) changes nothing.
			if (!ledger.bySourceId.has(message.source_id)) {
				ledger.bySourceId.set(message.source_id, { conversationId, messageId: message.id, deleted: isDeleted(message) });
			}
		} else if (OUTGOING.has(message.message_type) && !message.private) {
			ledger.agentMessages.push(message);
		}
		// Seconds in REST answers: count the message until the end of its second (never too early). Without a
		// readable time it is not counted as recent.
		const at = (chatwootSeconds(message.created_at) ?? 0) * 1000 + 999;
		if (at > nowMs - 60_000) {
			const times = ledger.recent.get(conversationId) ?? [];
			times.push(at);
			ledger.recent.set(conversationId, times);
		}
	}
}

/** Reads one conversation completely, oldest first, 1000 messages a request. */
export async function readConversation(
	client: ChatwootClient,
	ledger: ChatLedger,
	conversationId: number,
	nowMs: number,
): Promise<void> {
	let after = 1;
	for (;;) {
		const page = await client.listMessages(conversationId, { after, before: BEYOND_ANY_ID });
		addMessages(ledger, conversationId, page, nowMs);
		if (page.length < LEDGER_PAGE_SIZE) return;
		after = Math.max(...page.map((message) => message.id)) + 1;
	}
}

/**
 * The contact's conversations in the inbox (Chatwoot lists a contact's 20 most recently active,
 * docs/chatwoot-behaviour.md, Contacts) and all their messages.
 */
export async function loadChatLedger(
	client: ChatwootClient,
	inboxId: number,
	contactId: number,
	nowMs: number,
): Promise<ChatLedger> {
	const ledger = emptyLedger();
	const listed = await client.listContactConversations(contactId);
	ledger.conversations = listed.map(summarizeConversation).filter((conversation) => conversation.inboxId === inboxId);
	for (const conversation of ledger.conversations) await readConversation(client, ledger, conversation.id, nowMs);
	return ledger;
}
