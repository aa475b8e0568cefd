/**
 * Message endpoints (docs/chatwoot-behaviour.md, Messages): create (JSON or multipart), list with before/after windows,
 * status PATCH (API inboxes only, not in swagger), soft delete and the dashboard's retry.
 */
import { findConversation } from './conversations';
import { HttpError, json, notFound, unprocessable } from './http';
import {
	buildMessage,
	insertMessage,
	MessageBuildError,
	MessageInvalid,
	retryMessage,
	softDeleteMessage,
	updateMessageStatus,
} from './messageService';
import { int, present, str } from './params';
import type { RequestContext, Route } from './router';
import { contactPushEventData, isoOrNull, messageJson, userPushEventData } from './serializers';
import type { ConversationRecord, MessageRecord } from './types';

function findMessage(ctx: RequestContext, conversation: ConversationRecord): MessageRecord {
	const message = ctx.core.store.messages.get(Number(ctx.pathParams.message_id));
	if (!message || message.conversation_id !== conversation.id) throw notFound();
	return message;
}

async function createMessageRoute(ctx: RequestContext) {
	const conversation = findConversation(ctx);
	await ctx.core.gap();
	let built;
	try {
		built = buildMessage(ctx.core, conversation, ctx.params, ctx.actor);
	} catch (error) {
		// messages#create rescues StandardError: every failure is `422 {"error": text}`.
		if (error instanceof MessageBuildError || error instanceof MessageInvalid) throw unprocessable(error.message);
		throw error;
	}
	const message = insertMessage(ctx.core, built, ctx.sink, ctx.actor);
	return json(200, messageJson(ctx.core, message, built.echoId));
}

/**
 * MessageFinder: latest 20 by default; `after` → up to 100 ascending (id > after); `before` → the 20 before it;
 * both → up to 1000 with id >= after and id < before.
 */
function listMessages(ctx: RequestContext) {
	const core = ctx.core;
	const conversation = findConversation(ctx);
	let messages = core.store.messagesOf(conversation.id);
	if (present(ctx.params.filter_internal_messages)) {
		messages = messages.filter((m) => !m.private && m.message_type !== 'activity');
	}
	messages.sort((a, b) => a.created_at - b.created_at || a.id - b.id);
	const after = int(ctx.params.after);
	const before = int(ctx.params.before);
	let page: MessageRecord[];
	if (after !== undefined && before !== undefined) {
		page = messages.filter((m) => m.id >= after && m.id < before).slice(0, 1000);
	} else if (before !== undefined) {
		page = messages.filter((m) => m.id < before).slice(-20);
	} else if (after !== undefined) {
		page = messages.filter((m) => m.id > after).slice(0, 100);
	} else {
		page = messages.slice(-20);
	}
	const contact = core.store.contacts.get(conversation.contact_id);
	const assignee = conversation.assignee_id === null ? undefined : core.store.users.get(conversation.assignee_id);
	const meta: Record<string, unknown> = {
		labels: conversation.labels,
		additional_attributes: conversation.additional_attributes,
		contact: contact ? contactPushEventData(contact) : null,
	};
	if (assignee) meta.assignee = userPushEventData(assignee);
	meta.agent_last_seen_at = isoOrNull(conversation.agent_last_seen_at);
	meta.assignee_last_seen_at = isoOrNull(conversation.assignee_last_seen_at);
	return json(200, { meta, payload: page.map((m) => messageJson(core, m)) });
}

const base = '/api/v1/accounts/:account_id/conversations/:conversation_id/messages';

export const messageRoutes: Route[] = [
	{ method: 'GET', template: base, scope: 'account', handler: listMessages },
	{ method: 'POST', template: base, scope: 'account', botAllowed: true, handler: createMessageRoute },
	{
		// Not in swagger: the only way to show WhatsApp delivery results in the dashboard (§3.5).
		method: 'PATCH',
		template: `${base}/:message_id`,
		scope: 'account',
		handler: async (ctx) => {
			const conversation = findConversation(ctx);
			const inbox = ctx.core.store.inboxes.get(conversation.inbox_id)!;
			if (inbox.channel_type !== 'Channel::Api') {
				throw new HttpError(json(403, { error: 'Message status update is only allowed for API inboxes' }));
			}
			const message = findMessage(ctx, conversation);
			await ctx.core.gap();
			updateMessageStatus(ctx.core, message, str(ctx.params.status) ?? '', str(ctx.params.external_error), ctx.sink);
			return json(200, messageJson(ctx.core, message));
		},
	},
	{
		method: 'DELETE',
		template: `${base}/:message_id`,
		scope: 'account',
		handler: async (ctx) => {
			const conversation = findConversation(ctx);
			const message = findMessage(ctx, conversation);
			await ctx.core.gap();
			softDeleteMessage(ctx.core, message, ctx.sink);
			return json(200, messageJson(ctx.core, message));
		},
	},
	{
		method: 'POST',
		template: `${base}/:message_id/retry`,
		scope: 'account',
		handler: (ctx) => {
			const conversation = findConversation(ctx);
			const message = findMessage(ctx, conversation);
			retryMessage(ctx.core, message, ctx.sink);
			return json(200, messageJson(ctx.core, message));
		},
	},
];
