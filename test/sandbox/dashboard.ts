/**
 * What people do in Chatwoot's dashboard, for tests and demos: an agent replies (or writes a private note), resolves,
 * deletes, retries; a contact writes through another channel. These go through the same services as the API, so
 * they fire the same webhooks — the bridge cannot tell them apart from the real thing.
 */
import { setConversationStatus } from './conversationService';
import { EventSink, type Actor, type Core, type EventTarget } from './core';
import { buildMessage, insertMessage, retryMessage, softDeleteMessage } from './messageService';
import type { Params, UploadedFile } from './params';
import { canReply } from './serializers';
import type { ConversationRecord, ConversationStatus, MessageRecord } from './types';

export interface DashboardFile {
	filename: string;
	contentType: string;
	data: Buffer | string;
}

export interface AgentReplyOptions {
	content?: string;
	private?: boolean;
	attachments?: DashboardFile[];
	/** Chatwoot id of the quoted message (`content_attributes.in_reply_to`). */
	inReplyTo?: number;
	contentAttributes?: Record<string, unknown>;
	/** Defaults to the first administrator of the account. */
	userId?: number;
	accountId?: number;
	/** Send even when `agent_reply_time_window` has closed the composer (§3.1). */
	force?: boolean;
}

export interface ActorOptions {
	userId?: number;
	accountId?: number;
}

export class Dashboard {
	constructor(
		private readonly core: Core,
		private readonly events: EventTarget,
		private readonly defaultAccountId: () => number,
	) {}

	agentReply(displayId: number, options: AgentReplyOptions): MessageRecord {
		const conversation = this.conversation(displayId, options.accountId);
		if (!options.force && !options.private && !canReply(this.core, conversation)) {
			throw new Error(`conversation ${displayId}: the reply window (agent_reply_time_window) is closed`);
		}
		const contentAttributes: Record<string, unknown> = { ...(options.contentAttributes ?? {}) };
		if (options.inReplyTo !== undefined) contentAttributes.in_reply_to = options.inReplyTo;
		const params: Params = {
			content: options.content ?? null,
			message_type: 'outgoing',
			private: options.private ?? false,
			content_attributes: contentAttributes as Params,
			attachments: (options.attachments ?? []).map(
				(file): UploadedFile => ({
					kind: 'file',
					filename: file.filename,
					contentType: file.contentType,
					data: Buffer.isBuffer(file.data) ? file.data : Buffer.from(file.data),
				}),
			),
		};
		return this.create(conversation, params, this.agent(conversation, options.userId));
	}

	/** A message the contact writes without the bridge (e.g. through the Client API or widget). */
	contactMessage(displayId: number, options: { content: string; sourceId?: string; accountId?: number }): MessageRecord {
		const conversation = this.conversation(displayId, options.accountId);
		const params: Params = { content: options.content, message_type: 'incoming', source_id: options.sourceId ?? null };
		return this.create(conversation, params, null);
	}

	setStatus(displayId: number, status: ConversationStatus, options: ActorOptions & { snoozedUntil?: number } = {}): ConversationRecord {
		const conversation = this.conversation(displayId, options.accountId);
		this.withSink((sink) =>
			setConversationStatus(
				this.core,
				conversation,
				status,
				sink,
				this.agent(conversation, options.userId),
				options.snoozedUntil === undefined ? undefined : options.snoozedUntil * 1000,
			),
		);
		return structuredClone(conversation);
	}

	deleteMessage(displayId: number, messageId: number, options: ActorOptions = {}): MessageRecord {
		const message = this.message(displayId, messageId, options.accountId);
		this.withSink((sink) => softDeleteMessage(this.core, message, sink));
		return structuredClone(message);
	}

	retryMessage(displayId: number, messageId: number, options: ActorOptions = {}): MessageRecord {
		const message = this.message(displayId, messageId, options.accountId);
		this.withSink((sink) => retryMessage(this.core, message, sink));
		return structuredClone(message);
	}

	private create(conversation: ConversationRecord, params: Params, actor: Actor | null): MessageRecord {
		const built = buildMessage(this.core, conversation, params, actor);
		const message = this.withSink((sink) => insertMessage(this.core, built, sink, actor));
		return structuredClone(message);
	}

	private withSink<T>(work: (sink: EventSink) => T): T {
		const sink = new EventSink(this.events);
		const result = work(sink);
		sink.flush();
		return result;
	}

	private conversation(displayId: number, accountId = this.defaultAccountId()): ConversationRecord {
		const conversation = this.core.store.conversationByDisplayId(accountId, displayId);
		if (!conversation) throw new Error(`no conversation ${displayId} in account ${accountId}`);
		return conversation;
	}

	private message(displayId: number, messageId: number, accountId?: number): MessageRecord {
		const conversation = this.conversation(displayId, accountId);
		const message = this.core.store.messages.get(messageId);
		if (!message || message.conversation_id !== conversation.id) {
			throw new Error(`no message ${messageId} in conversation ${displayId}`);
		}
		return message;
	}

	private agent(conversation: ConversationRecord, userId?: number): Actor {
		const store = this.core.store;
		const membership = store.accountUsers.find(
			(au) =>
				au.account_id === conversation.account_id &&
				(userId === undefined ? au.role === 'administrator' : au.user_id === userId),
		);
		if (!membership) throw new Error(`no ${userId === undefined ? 'administrator' : `user ${userId}`} in account`);
		return { kind: 'user', user: store.users.get(membership.user_id)!, role: membership.role };
	}
}
