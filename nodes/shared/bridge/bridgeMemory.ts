/**
 * Per-process accelerators of the inbound sync, one set per (Chatwoot account, inbox). Correctness never rests on
 * them (docs/architecture.md, "State"): every entry has a size bound and an absolute expiry, and a cold or expired
 * entry costs reads, never a duplicate or a wrong conversation.
 */
import { KeyedMutex } from './keyedMutex';
import type { ConversationLedger } from './messageLedger';
import { TtlCache } from './ttlCache';

export interface KnownConversation {
	id: number;
}

export type ConversationStatusName = 'open' | 'resolved' | 'pending' | 'snoozed';

/** A conversation's status as last seen by this process, and where that came from. */
export interface ObservedStatus {
	status: ConversationStatusName;
	at: number;
}

/**
 * Chatwoot delivers an inbox's events to the Chatwoot Bridge Trigger; when that trigger runs in this process, its
 * deliveries keep `statusByConversation` current. A process that received none for this long (a queue-mode worker,
 * a process without the trigger) is "not listening" and does not trust what it last saw.
 */
export const LISTENING_WINDOW_MS = 2 * 60_000;

export class InboxMemory {
	constructor(private readonly now: () => number = Date.now) {}

	/** Chat JID (or LID) → contact id. A contact inbox never moves to another contact. */
	readonly contactByChat = new TtlCache<number>(30 * 60_000, 50_000, this.now);

	/** Contact id → the conversation messages go to. Its status is never trusted from here (see `knownStatus`). */
	readonly conversationByContact = new TtlCache<KnownConversation>(30 * 60_000, 50_000, this.now);

	/** Conversation id → source ids already in it (→ Chatwoot message id): the duplicate guard's view. */
	readonly messagesByConversation = new TtlCache<ConversationLedger>(30 * 60_000, 20_000, this.now);

	/** Conversation id → status, from this process's own reads and writes and from the trigger's deliveries. */
	readonly statusByConversation = new TtlCache<ObservedStatus>(30 * 60_000, 50_000, this.now);

	/** WhatsApp id of an agent message → where it is in Chatwoot, learned when its send result is reported. */
	readonly agentMessageByWhatsappId = new TtlCache<{ conversationId: number; messageId: number }>(
		24 * 60 * 60_000,
		50_000,
		this.now,
	);

	/** Agent message ids already linked to a WhatsApp id (an echo must not claim them twice). */
	private readonly linkedAgentMessages = new TtlCache<true>(24 * 60 * 60_000, 50_000, this.now);

	/** One chat at a time inside this process (serialize per chat, converge across processes). */
	readonly chatMutex = new KeyedMutex();

	/** When the trigger in this process last received a delivery for this inbox. */
	private lastDeliveryAt = -Infinity;

	/** The trigger received a delivery for this inbox: its status events reach this process. */
	noteDelivery(): void {
		this.lastDeliveryAt = this.now();
	}

	/** Chatwoot told us (a read, an answer, or a delivered status event) what a conversation's status is. */
	noteStatus(conversationId: number, status: string): void {
		if (status === 'open' || status === 'resolved' || status === 'pending' || status === 'snoozed') {
			this.statusByConversation.set(String(conversationId), { status, at: this.now() });
		}
	}

	/** The status as last seen, only while this process receives the inbox's deliveries; else unknown. */
	knownStatus(conversationId: number): ConversationStatusName | undefined {
		if (this.now() - this.lastDeliveryAt > LISTENING_WINDOW_MS) return undefined;
		return this.statusByConversation.get(String(conversationId))?.status;
	}

	/** Links an agent message to its WhatsApp id in this process (the durable link is on the conversation). */
	linkAgentMessage(whatsappId: string, conversationId: number, messageId: number): void {
		this.agentMessageByWhatsappId.set(whatsappId, { conversationId, messageId });
		this.linkedAgentMessages.set(String(messageId), true);
	}

	isLinkedAgentMessage(messageId: number): boolean {
		return this.linkedAgentMessages.get(String(messageId)) === true;
	}

	/** Drops everything cached about one chat: its contact, its conversation and that conversation's ledger. */
	forgetChat(chatJid: string): void {
		const contactId = this.contactByChat.get(chatJid);
		this.contactByChat.delete(chatJid);
		if (contactId === undefined) return;
		const conversation = this.conversationByContact.get(String(contactId));
		this.conversationByContact.delete(String(contactId));
		if (conversation) {
			this.messagesByConversation.delete(String(conversation.id));
			this.statusByConversation.delete(String(conversation.id));
		}
	}

	clear(): void {
		this.contactByChat.clear();
		this.conversationByContact.clear();
		this.messagesByConversation.clear();
		this.statusByConversation.clear();
		this.agentMessageByWhatsappId.clear();
		this.linkedAgentMessages.clear();
		this.lastDeliveryAt = -Infinity;
	}
}

const MAX_INBOXES = 1_000;
const memories = new Map<string, InboxMemory>();

/** The memory shared by every execution of this process for one inbox (bounded: the least recent inbox goes). */
export function memoryFor(baseUrl: string, accountId: number, inboxId: number): InboxMemory {
	const key = `${baseUrl}|${accountId}|${inboxId}`;
	let memory = memories.get(key);
	if (memory) {
		memories.delete(key);
	} else {
		memory = new InboxMemory();
		if (memories.size >= MAX_INBOXES) memories.delete(memories.keys().next().value as string);
	}
	memories.set(key, memory);
	return memory;
}
