/**
 * Makes Chatwoot match one canonical WhatsApp event: contact, conversation, message (with media, reply, reaction,
 * edit, delete) or delivery status. Exactly once per WhatsApp id: serialized per chat in this process, guarded by
 * the conversation's `WAID:` ledger, and convergent across processes (DESIGN §3).
 */
import type { ChatwootClient, MessageInput } from '../chatwoot/client';
import { settle } from '../settle';
import type { InboundEvent } from '../whatsapp/event';
import { syncAck } from './ackSync';
import { findAgentMessageEchoed } from './agentEcho';
import type { InboxMemory } from './bridgeMemory';
import { resolveContact } from './contactResolver';
import { resolveConversation } from './conversationResolver';
import { draftInboundMessage, renderMediaPlaceholder, waSourceId, withQuotedFallback } from './inboundContent';
import { isChatIgnored, type IntegrationSettings } from './integrationConfig';
import { findMessageBySourceId, messageLedger, recordPosted } from './messageLedger';

export interface LoadedMedia {
	data: Buffer;
	contentType: string;
	fileName: string;
}

export type SyncSettings = Pick<
	IntegrationSettings,
	'reopen_conversation' | 'conversation_pending' | 'ignore_groups' | 'ignore_jids' | 'merge_brazil_contacts'
>;

export interface InboundSyncContext {
	client: ChatwootClient;
	inboxId: number;
	memory: InboxMemory;
	settings: SyncSettings;
	sleep: (ms: number) => Promise<void>;
	/** Downloads or decodes the event's media; throws an Error whose message says why it could not. */
	loadMedia: (event: InboundEvent) => Promise<LoadedMedia>;
	/** `placeholder`: post a readable placeholder and report the reason; `fail`: post nothing and throw. */
	onMediaFailure: 'placeholder' | 'fail';
	/**
	 * Mirror messages the gateway reports as sent through its API. Off by default: those are the agents' own replies
	 * that the Chatwoot Trigger handed to the gateway, already in Chatwoot.
	 */
	mirrorApiSends: boolean;
	/**
	 * Queue mode with several workers: after posting, re-read the conversation and remove this copy when another worker
	 * posted the same event a moment earlier. One extra read per message; off in single-process n8n, where the chat
	 * lock already prevents it.
	 */
	checkAcrossWorkers?: boolean;
}

/** What was done, in the words of the node's output (issue 3): created, updated, deleted, or skipped with a reason. */
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
	conversationReopened?: boolean;
	/** Why the media is not attached (placeholder posted instead). */
	mediaError?: string;
}

export class MediaFailure extends Error {
	constructor(readonly event: InboundEvent, reason: string) {
		super(`WhatsApp message ${event.whatsappId}: media could not be attached: ${reason}`);
		this.name = 'MediaFailure';
	}
}

export function base(event: InboundEvent): Pick<SyncOutcome, 'kind' | 'whatsappId' | 'chatJid'> {
	return { kind: event.kind, whatsappId: event.whatsappId, chatJid: event.chat.jid };
}

async function prepareMessage(
	ctx: InboundSyncContext,
	event: InboundEvent,
): Promise<{ input: MessageInput; mediaError?: string; quotedTextFallback?: string; replyTo?: string }> {
	const draft = draftInboundMessage(event);
	const input: MessageInput = {
		content: draft.content,
		messageType: draft.messageType,
		sourceId: draft.sourceId,
		contentAttributes: draft.contentAttributes,
		externalCreatedAt: draft.externalCreatedAt,
	};
	let mediaError: string | undefined;
	if (event.kind === 'message' && event.media) {
		const loaded = await settle(ctx.loadMedia(event));
		if (loaded.ok) {
			const media = loaded.value;
			input.attachments = [{ fileName: media.fileName, contentType: media.contentType, data: media.data }];
			if (event.media.kind === 'voice') input.isVoiceMessage = true;
		} else {
			mediaError = (loaded.error as Error).message;
			if (ctx.onMediaFailure === 'fail') throw new MediaFailure(event, mediaError);
			const placeholder = renderMediaPlaceholder(event, mediaError);
			input.content = input.content ? `${input.content}\n\n${placeholder}` : placeholder;
		}
	}
	return { input, mediaError, quotedTextFallback: draft.quotedTextFallback, replyTo: draft.inReplyToSourceId };
}

async function syncMessage(ctx: InboundSyncContext, event: InboundEvent): Promise<SyncOutcome> {
	// Downloads happen before taking the chat's turn, so a slow file does not hold up the chat's other messages.
	const prepared = await prepareMessage(ctx, event);
	return ctx.memory.chatMutex.run(event.chat.jid, async () => {
		const synced = await settle(syncInChatTurn(ctx, event, prepared));
		if (synced.ok) return synced.value;
		// A failed request may still have been applied (no answer after a commit): the retry must read the truth.
		ctx.memory.forgetChat(event.chat.jid);
		throw synced.error;
	});
}

async function syncInChatTurn(
	ctx: InboundSyncContext,
	event: InboundEvent,
	prepared: Awaited<ReturnType<typeof prepareMessage>>,
): Promise<SyncOutcome> {
	const { input } = prepared;
	const sourceId = input.sourceId as string;
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
		mediaError: prepared.mediaError,
	};
	const conversationOptions = {
		client: ctx.client,
		inboxId: ctx.inboxId,
		memory: ctx.memory,
		reopenConversation: ctx.settings.reopen_conversation,
		conversationPending: ctx.settings.conversation_pending,
		sleep: ctx.sleep,
		awaitRivalConversation: true,
		verifyNewConversation: ctx.checkAcrossWorkers === true,
	};
	// A delete needs the ledger of an existing conversation first: it is never posted with a new one.
	// A brand-new conversation cannot hold the quoted message: its first message always shows the quote.
	const quoted = prepared.replyTo && prepared.quotedTextFallback;
	const firstMessage = quoted ? { ...input, content: withQuotedFallback(input.content ?? '', quoted) } : input;
	const target = await resolveConversation(
		conversationOptions,
		contact,
		event.chat.jid,
		event.kind === 'delete' ? undefined : firstMessage,
	);
	outcome.conversationId = target.conversationId;
	outcome.conversationCreated = target.created;
	outcome.conversationReopened = target.reopened;
	if (target.messagePosted) {
		recordPosted(ctx.memory, target.conversationId, sourceId, target.postedMessageId);
		return { ...outcome, messageId: target.postedMessageId };
	}

	const ledger = (await messageLedger(ctx.client, ctx.memory, target.conversationId, event.timestamp)).sourceIds;
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
	if (event.fromMe && !target.created) {
		const recent = await ctx.client.listMessages(target.conversationId);
		const agentMessage = findAgentMessageEchoed(event, recent, ctx.memory.linkedAgentMessages);
		if (agentMessage) {
			linkAgentMessage(ctx.memory, event.whatsappId, target.conversationId, agentMessage.id);
			return {
				...outcome,
				status: 'skipped',
				skip: 'duplicate',
				reason: `the agent's reply ${agentMessage.id} came back from the gateway; linked, not added again`,
				messageId: agentMessage.id,
			};
		}
	}
	// Chatwoot drops a quote it cannot resolve (doc §3.5): show the quoted text instead of losing context.
	const unresolvedQuote = quoted && !ledger.has(prepared.replyTo as string);
	const posted = await ctx.client.createMessage(target.conversationId, unresolvedQuote ? firstMessage : input);
	if (ctx.checkAcrossWorkers) {
		const earlier = await earlierCopy(ctx, target.conversationId, sourceId, posted.id);
		if (earlier !== undefined) {
			await ctx.client.deleteMessage(target.conversationId, posted.id);
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
	recordPosted(ctx.memory, target.conversationId, sourceId, posted.id);
	return { ...outcome, messageId: posted.id };
}

/**
 * Two workers that got the same event at the same moment both posted it (Chatwoot has no unique message source id):
 * each re-reads the conversation, and the one whose copy is newer removes it, so exactly one stays (DESIGN §3).
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

/** Remembers which agent message a WhatsApp id is, so its acks (and the gateway's echo) find it. */
export function linkAgentMessage(
	memory: InboxMemory,
	whatsappId: string,
	conversationId: number,
	messageId: number,
): void {
	memory.agentMessageByWhatsappId.set(whatsappId, { conversationId, messageId });
	memory.linkedAgentMessages.add(messageId);
	// Bounded: a Set keeps insertion order, so the first entry is the oldest link.
	if (memory.linkedAgentMessages.size > 50_000) {
		memory.linkedAgentMessages.delete(memory.linkedAgentMessages.values().next().value as number);
	}
}

export async function syncInboundEvent(ctx: InboundSyncContext, event: InboundEvent): Promise<SyncOutcome> {
	const ignored = isChatIgnored(ctx.settings, event.chat);
	if (ignored) return { ...base(event), status: 'skipped', skip: 'ignored', reason: ignored };
	// The agent's own reply, whose send result was reported: the gateway echoes it with the id we linked.
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
		const known = ctx.memory.agentMessageByWhatsappId.get(event.whatsappId);
		return {
			...base(event),
			status: 'skipped',
			skip: 'ignored',
			reason: 'sent through the gateway API (an agent reply from Chatwoot); enable "Mirror API Sends" to add such messages',
			conversationId: known?.conversationId,
			messageId: known?.messageId,
		};
	}
	if (event.kind === 'ack') return syncAck(ctx, event);
	return syncMessage(ctx, event);
}
