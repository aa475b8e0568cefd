/**
 * Per-process accelerators of the inbound sync, one set per (Chatwoot account, inbox). Correctness never rests on
 * them (DESIGN §3): a cold cache costs reads, never a duplicate.
 */
import { KeyedMutex } from './keyedMutex';
import type { ConversationLedger } from './messageLedger';
import { TtlCache } from './ttlCache';

export interface KnownConversation {
	id: number;
	status: string;
}

export class InboxMemory {
	/** Chat JID (or LID) → contact id. Long TTL: a contact inbox never moves to another contact. */
	readonly contactByChat = new TtlCache<number>(60 * 60_000, 50_000);

	/** Contact id → the conversation messages go to. Short TTL: agents resolve conversations. */
	readonly conversationByContact = new TtlCache<KnownConversation>(5 * 60_000, 50_000);

	/** Conversation id → source ids already in it (→ Chatwoot message id): the duplicate guard's view. */
	readonly messagesByConversation = new TtlCache<ConversationLedger>(30 * 60_000, 20_000);

	/** WhatsApp id of an agent message → where it is in Chatwoot, learned when its send result is reported. */
	readonly agentMessageByWhatsappId = new TtlCache<{ conversationId: number; messageId: number }>(
		24 * 60 * 60_000,
		50_000,
	);

	/** Agent message ids already linked to a WhatsApp id (an echo must not claim them twice). */
	readonly linkedAgentMessages = new Set<number>();

	/** One chat at a time inside this process (DESIGN §3: serialize per chat, converge across processes). */
	readonly chatMutex = new KeyedMutex();

	/** Drops everything cached about one chat: its contact, its conversation and that conversation's ledger. */
	forgetChat(chatJid: string): void {
		const contactId = this.contactByChat.get(chatJid);
		this.contactByChat.delete(chatJid);
		if (contactId === undefined) return;
		const conversation = this.conversationByContact.get(String(contactId));
		this.conversationByContact.delete(String(contactId));
		if (conversation) this.messagesByConversation.delete(String(conversation.id));
	}

	clear(): void {
		this.contactByChat.clear();
		this.conversationByContact.clear();
		this.messagesByConversation.clear();
		this.agentMessageByWhatsappId.clear();
		this.linkedAgentMessages.clear();
	}
}

const memories = new Map<string, InboxMemory>();

/** The memory shared by every execution of this process for one inbox. */
export function memoryFor(baseUrl: string, accountId: number, inboxId: number): InboxMemory {
	const key = `${baseUrl}|${accountId}|${inboxId}`;
	let memory = memories.get(key);
	if (!memory) {
		memory = new InboxMemory();
		memories.set(key, memory);
	}
	return memory;
}
