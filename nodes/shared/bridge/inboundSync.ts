/**
 * Makes Chatwoot match one canonical WhatsApp event: contact, conversation, message (with media, reply, reaction,
 * edit, delete) or delivery status. Exactly once per WhatsApp id: serialized per chat in this process, guarded by
 * the conversation's `WAID:` ledger (checked before any media is downloaded), and convergent across processes
 * (docs/architecture.md, "State").
 */
import type { ChatwootClient } from '../chatwoot/client';
import { isChatwootError } from '../chatwoot/errors';
import { settle } from '../settle';
import type { InboundEvent } from '../whatsapp/event';
import { syncAck } from './ackSync';
import { findAgentMessageEchoed } from './agentEcho';
import { agentMessageOfWhatsappId, contactOfConversation } from './agentLinks';
import type { InboxMemory } from './bridgeMemory';
import { resolveContact, type ResolvedContact } from './contactResolver';
import { resolveConversation, type ConversationTarget } from './conversationResolver';
import { waSourceId, type InboundMessageDraft } from './inboundContent';
import { isChatIgnored, type IntegrationSettings } from './integration/config';
import { PreparedMessage, type MediaFailurePolicy, type MediaLoader } from './messagePreparation';
import { textsFor, type Texts } from './texts';
import { chatwootSeconds } from './chatwootTime';
import {
	emptyLedgerSince,
	findMessageBySourceId,
	isNewerThanActivity,
	messageLedger,
	recordPosted,
} from './messageLedger';

export type SyncSettings = Pick<
	IntegrationSettings,
	'reopen_conversation' | 'conversation_pending' | 'ignore_groups' | 'ignore_jids' | 'merge_brazil_contacts'
> &
	Partial<Pick<IntegrationSettings, 'language' | 'templates'>>;

export interface InboundSyncContext {
	client: ChatwootClient;
	inboxId: number;
	memory: InboxMemory;
	settings: SyncSettings;
	sleep: (ms: number) => Promise<void>;
	loadMedia: MediaLoader;
	onMediaFailure: MediaFailurePolicy;
	/**
	 * Mirror messages the gateway reports as sent through its API. Off by default: those are the agents' own replies
	 * that the Chatwoot Trigger handed to the gateway, already in Chatwoot.
	 */
	mirrorApiSends: boolean;
	/**
	 * After posting, re-read the conversation and remove this copy when another worker posted the same event a
	 * moment earlier. One extra read per message.
	 */
	checkAcrossWorkers?: boolean;
}

/** What was done, in the words of the node's output: created, updated, deleted, or skipped with a reason. */
export type SyncStatus = 'created' | 'updated' | 'deleted' | 'skipped';

/** Why an event was skipped, machine-readable next to the human `reason`. */
export type SkipKind = 'duplicate' | 'ignored' | 'notLinked' | 'paused';

export interface SyncOutcome {
	status: SyncStatus;
	skip?: SkipKind;
	kind: InboundEvent['kind'];
	whatsappId: string;
	chatJid: string;
	reason?: string;
	sourceId?: string;
	contactId?: number;
	conversationId?: number;
	messageId?: number;
	contactCreated?: boolean;
	conversationCreated?: boolean;
	/** `null`: the bridge did not learn the status (see ConversationTarget.reopened). */
	conversationReopened?: boolean | null;
	/** Why the media is not attached (placeholder posted instead). */
	mediaError?: string;
}

/**
 * A WAHA `message.any` copy of an incoming message waits this long, then reads Chatwoot: the `message` copy of the
 * same message, on whichever worker, posts at once, so the pair ends as one message without a removed residue.
 */
export const SECOND_ANNOUNCEMENT_DELAY_MS = 1_500;

export function base(event: InboundEvent): Pick<SyncOutcome, 'kind' | 'whatsappId' | 'chatJid'> {
	return { kind: event.kind, whatsappId: event.whatsappId, chatJid: event.chat.jid };
}

/** The texts the bridge writes into Chatwoot, in the integration's language with its overrides. */
function textsOf(ctx: InboundSyncContext): Texts {
	return textsFor(ctx.settings.language, ctx.settings.templates);
}

async function syncMessage(ctx: InboundSyncContext, event: InboundEvent): Promise<SyncOutcome> {
	// Outside the chat's turn, so the first announcement of the same message (in this process) goes first.
	if (event.alsoAnnounced) await ctx.sleep(SECOND_ANNOUNCEMENT_DELAY_MS);
	return ctx.memory.chatMutex.run(event.chat.jid, async () => {
		const synced = await settle(syncInChatTurn(ctx, event));
		if (synced.ok) return synced.value;
		// A failed request may still have been applied (no answer after a commit): the retry must read the truth.
		ctx.memory.forgetChat(event.chat.jid);
		throw synced.error;
	});
}

/**
 * Which source ids the conversation holds, read from Chatwoot only when what Chatwoot already answered cannot rule
 * a copy out: a conversation created just now is empty, and an event written after the contact's (incoming) or the
 * conversation's last activity cannot have been posted before.
 */
async function knownSourceIds(
	ctx: InboundSyncContext,
	event: InboundEvent,
	draft: InboundMessageDraft,
	contact: ResolvedContact,
	target: ConversationTarget,
): Promise<Map<string, number>> {
	const { memory } = ctx;
	const fresh = event.alsoAnnounced === true; // the other announcement may be in Chatwoot by now
	if (fresh) memory.messagesByConversation.delete(String(target.conversationId));
	const cached = memory.messagesByConversation.get(String(target.conversationId));
	// A reply wants the quoted message in view (or the quote is shown as text): read the latest page for it.
	if (!cached && !draft.inReplyToSourceId) {
		const conversationActivity = chatwootSeconds(target.conversation?.last_activity_at);
		const contactActivity = draft.messageType === 'incoming' ? contact.read?.lastActivityAt : undefined;
		for (const activity of [conversationActivity, contactActivity]) {
			if (isNewerThanActivity(event.timestamp, activity)) {
				emptyLedgerSince(memory, target.conversationId, activity as number);
				return new Map();
			}
		}
	}
	return (await messageLedger(ctx.client, memory, target.conversationId, event.timestamp)).sourceIds;
}

function conversationOptions(ctx: InboundSyncContext, draft: InboundMessageDraft) {
	const { reopen_conversation: reopenConversation, conversation_pending: conversationPending } = ctx.settings;
	return {
		client: ctx.client,
		inboxId: ctx.inboxId,
		memory: ctx.memory,
		reopenConversation,
		conversationPending,
		sleep: ctx.sleep,
		awaitRivalConversation: true,
		verifyNewConversation: ctx.checkAcrossWorkers === true,
		// Chatwoot reopens a resolved conversation (as open) for an incoming message by itself, which is the table's
		// answer for the default settings; an outgoing message never reopens, and other settings want another answer.
		needsStatus: draft.messageType === 'outgoing' || !reopenConversation || conversationPending,
	};
}

async function syncInChatTurn(ctx: InboundSyncContext, event: InboundEvent): Promise<SyncOutcome> {
	const prepared = new PreparedMessage(event, textsOf(ctx));
	const { draft, sourceId } = prepared;
	const contact = await resolveContact(
		{ client: ctx.client, inboxId: ctx.inboxId, memory: ctx.memory, mergeBrazilContacts: ctx.settings.merge_brazil_contacts },
		event.chat,
	);
	const outcome: SyncOutcome = {
		...base(event),
		status: 'created',
		sourceId,
		contactId: contact.contactId,
		contactCreated: contact.created,
	};
	// A delete needs an existing conversation, and media is downloaded only once the event is known to be new:
	// neither rides along with a new conversation (whose first message shows the quote: it cannot hold the quoted one).
	const embeddable = event.kind !== 'delete' && !(event.kind === 'message' && event.media);
	const firstMessage = embeddable ? prepared.toPost() : undefined;
	let target = await resolveConversation(conversationOptions(ctx, draft), contact, event.chat.jid, firstMessage);
	const report = (t: ConversationTarget) => {
		outcome.conversationId = t.conversationId;
		outcome.conversationCreated = t.created;
		outcome.conversationReopened = t.reopened;
	};
	report(target);
	if (target.messagePosted) {
		recordPosted(ctx.memory, target.conversationId, sourceId, target.postedMessageId, target.created);
		return { ...outcome, messageId: target.postedMessageId };
	}

	const ledger = target.created ? new Map<string, number>() : await knownSourceIds(ctx, event, draft, contact, target);
	if (ledger.has(sourceId)) {
		return {
			...outcome,
			status: 'skipped',
			skip: 'duplicate',
			reason: `${sourceId} is already in conversation ${target.conversationId}`,
			messageId: ledger.get(sourceId) || undefined,
		};
	}
	if (event.kind === 'delete' && event.targetId) {
		const targetSourceId = waSourceId(event.targetId);
		const messageId =
			ledger.get(targetSourceId) ||
			(await findMessageBySourceId(ctx.client, target.conversationId, targetSourceId))?.id;
		if (messageId) {
			await ctx.client.deleteMessage(target.conversationId, messageId);
			recordPosted(ctx.memory, target.conversationId, sourceId, messageId);
			return { ...outcome, status: 'deleted', messageId };
		}
		outcome.reason = 'the deleted message is not in Chatwoot; a notice was posted instead';
	}
	if (event.fromMe && event.kind === 'message' && !target.created) {
		const echoed = await agentMessageEchoed(ctx, event, target);
		if (echoed !== undefined) {
			return {
				...outcome,
				status: 'skipped',
				skip: 'duplicate',
				reason: `the agent's reply ${echoed} came back from the gateway; linked, not added again`,
				messageId: echoed,
			};
		}
	}
	outcome.mediaError = await prepared.attachMedia(ctx.loadMedia, ctx.onMediaFailure);
	const message = prepared.toPost((quoted) => ledger.has(quoted));
	let posted = await settle(ctx.client.createMessage(target.conversationId, message));
	if (!posted.ok && target.unchecked && isChatwootError(posted.error, 'notFound')) {
		// The conversation memory or the contact's pointer named is gone (deleted by an agent): choose again.
		ctx.memory.conversationByContact.delete(String(contact.contactId));
		const fresh = { ...contact, read: { ...contact.read, conversationPointer: undefined } };
		target = await resolveConversation(conversationOptions(ctx, draft), fresh, event.chat.jid, undefined);
		report(target);
		posted = await settle(ctx.client.createMessage(target.conversationId, message));
	}
	if (!posted.ok) throw posted.error;
	noteIncomingEffect(ctx, draft, target);
	if (ctx.checkAcrossWorkers) {
		const earlier = await earlierCopy(ctx, target.conversationId, sourceId, posted.value.id);
		if (earlier !== undefined) {
			await ctx.client.deleteMessage(target.conversationId, posted.value.id);
			recordPosted(ctx.memory, target.conversationId, sourceId, earlier);
			return {
				...outcome,
				status: 'skipped',
				skip: 'duplicate',
				reason: `another worker posted ${sourceId} at the same moment (message ${earlier}); this copy was removed`,
				messageId: earlier,
			};
		}
	}
	recordPosted(ctx.memory, target.conversationId, sourceId, posted.value.id, target.created);
	return { ...outcome, messageId: posted.value.id };
}

/** Chatwoot opens a resolved or snoozed conversation when an incoming message arrives; pending stays pending. */
function noteIncomingEffect(ctx: InboundSyncContext, draft: InboundMessageDraft, target: ConversationTarget): void {
	if (draft.messageType !== 'incoming') return;
	const status = ctx.memory.statusByConversation.get(String(target.conversationId))?.status;
	if (status === 'resolved' || status === 'snoozed') ctx.memory.noteStatus(target.conversationId, 'open');
}

/**
 * The agent message a `fromMe` event is the gateway's echo of: by the link its send result stored on the
 * conversation's contact (or in this process), else by what it says among the conversation's latest messages.
 */
async function agentMessageEchoed(
	ctx: InboundSyncContext,
	event: InboundEvent,
	target: ConversationTarget,
): Promise<number | undefined> {
	const byLink = target.conversation
		? agentMessageOfWhatsappId(contactOfConversation(target.conversation).attributes, event.whatsappId)
		: undefined;
	if (byLink !== undefined) return byLink;
	const recent = await ctx.client.listMessages(target.conversationId);
	const agentMessage = findAgentMessageEchoed(event, recent, { has: (id) => ctx.memory.isLinkedAgentMessage(id) });
	if (!agentMessage) return undefined;
	ctx.memory.linkAgentMessage(event.whatsappId, target.conversationId, agentMessage.id);
	return agentMessage.id;
}

/**
 * Two workers that got the same event at the same moment both posted it (Chatwoot has no unique message source id):
 * each re-reads the conversation, and the one whose copy is newer removes it, so exactly one stays.
 */
async function earlierCopy(
	ctx: InboundSyncContext,
	conversationId: number,
	sourceId: string,
	postedId: number,
): Promise<number | undefined> {
	const recent = await ctx.client.listMessages(conversationId, { before: postedId + 1 });
	const copies = recent.filter((message) => message.source_id === sourceId && message.id < postedId);
	return copies.length ? Math.min(...copies.map((message) => message.id)) : undefined;
}

export async function syncInboundEvent(ctx: InboundSyncContext, event: InboundEvent): Promise<SyncOutcome> {
	const ignored = isChatIgnored(ctx.settings, event.chat);
	if (ignored) return { ...base(event), status: 'skipped', skip: 'ignored', reason: ignored };
	// The agent's own reply, whose send result was reported in this process: the gateway echoes it with that id.
	const linked = event.fromMe && event.kind === 'message' ? ctx.memory.agentMessageByWhatsappId.get(event.whatsappId) : undefined;
	if (linked) {
		return {
			...base(event),
			status: 'skipped',
			skip: 'duplicate',
			reason: `the agent's reply ${linked.messageId} came back from the gateway; already linked, not added again`,
			conversationId: linked.conversationId,
			messageId: linked.messageId,
		};
	}
	if (event.fromMe && event.viaApi && event.kind === 'message' && !ctx.mirrorApiSends) {
		return {
			...base(event),
			status: 'skipped',
			skip: 'ignored',
			reason: 'sent through the gateway API (an agent reply from Chatwoot); enable "Mirror API Sends" to add such messages',
		};
	}
	if (event.kind === 'ack') return syncAck(ctx, event);
	return syncMessage(ctx, event);
}
