/**
 * Contact → the conversation a WhatsApp message goes to, per `reopen_conversation` / `conversation_pending`
 * (truth table in conversationChoice.ts and the README). What the bridge knows of a conversation's status is never
 * taken from memory: where a setting (or an outgoing message, which Chatwoot never reopens) needs the status, it is
 * read from Chatwoot before posting; with the default settings Chatwoot's own rule for an incoming message already
 * gives the table's answer, so a conversation known from memory or from the contact's pointer is used without a read.
 * Chatwoot does not arbitrate two workers creating a conversation for one chat at once, so a creator that may have
 * raced re-reads and converges on the oldest unresolved conversation.
 */
import type { ChatwootClient, MessageInput } from '../chatwoot/client';
import { isChatwootError } from '../chatwoot/errors';
import type { Conversation, Message } from '../chatwoot/schemas';
import { settle } from '../settle';
import type { InboxMemory } from './bridgeMemory';
import { chooseConversation, summarizeConversation, type ConversationSummary } from './conversationChoice';
import type { ResolvedContact } from './contactResolver';
import { writeConversationPointer } from './conversationPointer';

export interface ConversationResolverOptions {
	client: ChatwootClient;
	inboxId: number;
	memory: InboxMemory;
	reopenConversation: boolean;
	conversationPending: boolean;
	sleep: (ms: number) => Promise<void>;
	/**
	 * Live sync: a contact found without any conversation in this inbox was most likely created a moment ago by
	 * another worker that is about to create the conversation; wait briefly for it instead of making a second one.
	 * Off for the import, which creates contacts before conversations on purpose.
	 */
	awaitRivalConversation?: boolean;
	/** Queue mode ("Duplicate Check Across Workers"): the contact's creator re-reads too, leaving no timing window. */
	verifyNewConversation?: boolean;
	/**
	 * The status must be known before posting: an outgoing (phone-typed) message never reopens a conversation, and
	 * with `reopen_conversation` off or `conversation_pending` on Chatwoot's own reopen differs from the table.
	 */
	needsStatus: boolean;
}

export interface ConversationTarget {
	conversationId: number;
	created: boolean;
	/**
	 * Whether the message reopens a resolved conversation: `null` when the bridge did not learn the status (default
	 * settings, conversation known without a read, and no trigger delivering status changes to this process).
	 */
	reopened: boolean | null;
	/** True when the message was posted together with the conversation (one call instead of two). */
	messagePosted: boolean;
	/** Chatwoot id of that message, when the answer carried it. */
	postedMessageId?: number;
	/** The conversation as read in this step, when it was (its custom attributes carry the agent links). */
	conversation?: Conversation;
	/** Known from memory or from the contact's pointer, not checked in Chatwoot in this step. */
	unchecked?: boolean;
}

function firstMessageId(conversation: Conversation): number | undefined {
	const messages = (conversation as { messages?: unknown }).messages;
	const first = Array.isArray(messages) ? (messages[0] as Partial<Message> | undefined) : undefined;
	return typeof first?.id === 'number' ? first.id : undefined;
}

async function listInInbox(options: ConversationResolverOptions, contactId: number): Promise<ConversationSummary[]> {
	const conversations = await options.client.listContactConversations(contactId);
	return conversations.map(summarizeConversation).filter((summary) => summary.inboxId === options.inboxId);
}

/** A worker that did not create the contact waits briefly for its creator's conversation instead of making a second. */
async function waitForCreatorsConversation(
	options: ConversationResolverOptions,
	contactId: number,
	attempts: number,
): Promise<ConversationSummary[]> {
	for (let attempt = 1; attempt <= attempts; attempt++) {
		await options.sleep(150 * attempt);
		const found = await listInInbox(options, contactId);
		if (found.some((conversation) => conversation.status !== 'resolved')) return found;
	}
	return [];
}

/**
 * After creating a conversation that another worker may have created too: if an older unresolved one exists,
 * move our message there and resolve our (now empty) conversation, so every worker ends on the same one.
 */
async function converge(
	options: ConversationResolverOptions,
	contactId: number,
	ours: ConversationTarget,
	message: MessageInput | undefined,
): Promise<ConversationTarget> {
	const unresolved = (await listInInbox(options, contactId))
		.filter((conversation) => conversation.status !== 'resolved')
		.sort((a, b) => a.id - b.id);
	const winner = unresolved[0];
	if (!winner || winner.id === ours.conversationId) return ours;
	let moved: Message | undefined;
	if (ours.messagePosted && message) {
		moved = await options.client.createMessage(winner.id, message);
		const postedId =
			ours.postedMessageId ??
			(await options.client.listMessages(ours.conversationId)).find((m) => m.source_id === message.sourceId)?.id;
		if (postedId !== undefined) await options.client.deleteMessage(ours.conversationId, postedId);
	}
	await options.client.toggleConversationStatus(ours.conversationId, 'resolved');
	return {
		conversationId: winner.id,
		created: false,
		reopened: false,
		messagePosted: moved !== undefined,
		postedMessageId: moved?.id,
	};
}

/**
 * The conversation memory or the contact's pointer names, when it can be used as it is: without a read where no
 * setting needs the status, else after reading it (a resolved or vanished one goes to the full choice).
 */
async function knownConversation(
	options: ConversationResolverOptions,
	contact: ResolvedContact,
): Promise<ConversationTarget | undefined> {
	const hinted =
		options.memory.conversationByContact.get(String(contact.contactId))?.id ?? contact.read?.conversationPointer;
	if (hinted === undefined || contact.created) return undefined;
	if (!options.needsStatus) {
		const status = options.memory.knownStatus(hinted);
		const reopened = status === undefined ? null : status === 'resolved';
		return { conversationId: hinted, created: false, reopened, messagePosted: false, unchecked: true };
	}
	const read = await settle(options.client.getConversation(hinted));
	if (!read.ok) {
		if (isChatwootError(read.error, 'notFound')) return undefined;
		throw read.error;
	}
	const conversation = read.value;
	options.memory.noteStatus(conversation.id, conversation.status);
	if (conversation.inbox_id !== options.inboxId || conversation.status === 'resolved') return undefined;
	return { conversationId: conversation.id, created: false, reopened: false, messagePosted: false, conversation };
}

export async function resolveConversation(
	options: ConversationResolverOptions,
	contact: ResolvedContact,
	chatJid: string,
	/** The message to post with a new conversation; `undefined` when it must not be posted here (deletes). */
	message: MessageInput | undefined,
): Promise<ConversationTarget> {
	const known = await knownConversation(options, contact);
	if (known) {
		options.memory.conversationByContact.set(String(contact.contactId), { id: known.conversationId });
		return known;
	}

	let conversations = contact.created ? [] : await listInInbox(options, contact.contactId);
	if (contact.lostRace && !conversations.some((conversation) => conversation.status !== 'resolved')) {
		conversations = await waitForCreatorsConversation(options, contact.contactId, 6); // up to 3.15 s
	} else if (options.awaitRivalConversation && !contact.created && conversations.length === 0) {
		conversations = await waitForCreatorsConversation(options, contact.contactId, 3); // up to 0.9 s, once per contact
	}
	const choice = chooseConversation(conversations, options.inboxId, {
		reopenConversation: options.reopenConversation,
		conversationPending: options.conversationPending,
	});

	for (const conversation of conversations) options.memory.noteStatus(conversation.id, conversation.status);

	let target: ConversationTarget;
	if (choice.action === 'use') {
		target = { conversationId: choice.conversationId, created: false, reopened: false, messagePosted: false };
	} else if (choice.action === 'reopen') {
		// Explicit, so outgoing (phone-typed) messages reopen too and `conversation_pending` is honoured.
		await options.client.toggleConversationStatus(choice.conversationId, choice.status);
		options.memory.noteStatus(choice.conversationId, choice.status);
		target = { conversationId: choice.conversationId, created: false, reopened: true, messagePosted: false };
	} else {
		// The first message rides along when it has no attachments (POST /conversations accepts it,
		// docs/chatwoot-behaviour.md, Conversations).
		const embed = message !== undefined && !message.attachments?.length;
		const conversation = await options.client.createConversation({
			inboxId: options.inboxId,
			contactId: contact.contactId,
			sourceId: chatJid,
			status: choice.status,
			message: embed ? message : undefined,
		});
		options.memory.noteStatus(conversation.id, conversation.status);
		target = {
			conversationId: conversation.id,
			created: true,
			reopened: false,
			messagePosted: embed,
			postedMessageId: embed ? firstMessageId(conversation) : undefined,
		};
		// A worker that did not create the contact can have a rival conversation; so can the creator, when a rival
		// gave up waiting for it (a stalled worker): queue mode's cross-worker check covers that case too.
		if (!contact.created || options.verifyNewConversation) {
			target = await converge(options, contact.contactId, target, message);
		}
	}
	options.memory.conversationByContact.set(String(contact.contactId), { id: target.conversationId });
	await pointContactAt(options, contact, target.conversationId);
	return target;
}

/**
 * Writes the contact's pointer when it names another conversation (or none), so the next process that reads the
 * contact knows the conversation from that same read. A contact created in this call is left without one: its
 * first cold reader writes it, keeping a new contact at three calls.
 */
async function pointContactAt(
	options: ConversationResolverOptions,
	contact: ResolvedContact,
	conversationId: number,
): Promise<void> {
	if (contact.created || contact.read?.conversationPointer === conversationId) return;
	await writeConversationPointer(
		options.client,
		contact.contactId,
		contact.read?.additionalAttributes,
		options.inboxId,
		conversationId,
	);
}
