/**
 * Conversation endpoints (docs/chatwoot-behaviour.md, Conversations). URLs use the display id. `POST /conversations`
 * ALWAYS creates a new conversation unless the inbox has `lock_to_single_conversation`; the API never reuses an open
 * one by itself.
 */
import { accountOf, authorizeInbox, canSeeInbox } from './auth';
import { createContactInbox } from './contactInboxes';
import {
	assertStatus,
	insertConversation,
	InvalidEnumValue,
	lockedConversation,
	newConversation,
	PRIORITIES,
	saveConversation,
	setConversationStatus,
} from './conversationService';
import { UniqueViolation } from './db';
import { head, json, notFound, recordInvalid, unprocessable } from './http';
import { buildMessage, insertMessage, MessageInvalid } from './messageService';
import { int, isObject, present, str, toJsonObject } from './params';
import type { RequestContext, Route } from './router';
import { agentJson, conversationJson, isoOrNull } from './serializers';
import type { ContactInboxRecord, ConversationRecord } from './types';

const PER_PAGE = 25;

export function findConversation(ctx: RequestContext): ConversationRecord {
	const account = accountOf(ctx);
	const displayId = Number(ctx.pathParams.conversation_id);
	const conversation = ctx.core.store.conversationByDisplayId(account.id, displayId);
	if (!conversation) throw notFound();
	authorizeInbox(ctx, ctx.core.store.inboxes.get(conversation.inbox_id)!);
	return conversation;
}

/** `params[:snoozed_until]` as unix seconds (DateTime.strptime(value, '%s')). */
function snoozedUntilOf(value: unknown): number | null | undefined {
	if (value === undefined) return undefined;
	const seconds = int(value);
	return seconds === undefined ? null : seconds * 1000;
}

async function resolveContactInbox(ctx: RequestContext): Promise<ContactInboxRecord> {
	const store = ctx.core.store;
	const params = ctx.params;
	if (present(params.contact_id) && present(params.inbox_id)) {
		const account = accountOf(ctx);
		const contact = store.contacts.get(Number(params.contact_id));
		const inbox = store.inboxes.get(Number(params.inbox_id));
		if (!contact || contact.account_id !== account.id || !inbox || inbox.account_id !== account.id) throw notFound();
		try {
			return await createContactInbox(ctx.core, contact, inbox, str(params.source_id));
		} catch (error) {
			// Unlike POST /contacts, this controller rescues the index violation (§3.4).
			if (error instanceof UniqueViolation) throw unprocessable('source_id should be unique');
			throw error;
		}
	}
	// Fallback of the old API: a GLOBAL lookup by source_id, across inboxes and accounts (§3.4: avoid).
	const sourceId = str(params.source_id);
	const row = sourceId ? [...store.contactInboxes.values()].find((ci) => ci.source_id === sourceId) : undefined;
	if (!row) throw notFound();
	return row;
}

async function createConversationRoute(ctx: RequestContext) {
	const core = ctx.core;
	const account = accountOf(ctx);
	const contactInbox = await resolveContactInbox(ctx);
	authorizeInbox(ctx, core.store.inboxes.get(contactInbox.inbox_id)!);
	await core.gap();
	const params = ctx.params;
	const requestedStatus = present(params.status) ? assertStatus(str(params.status)!) : undefined;
	const existing = lockedConversation(core, contactInbox);
	const conversation =
		existing ??
		newConversation(core, account.id, {
			contactInbox,
			status: requestedStatus,
			additional_attributes: toJsonObject(params.additional_attributes),
			custom_attributes: toJsonObject(params.custom_attributes),
			assignee_id: int(params.assignee_id) ?? null,
			team_id: int(params.team_id) ?? null,
			snoozed_until: snoozedUntilOf(params.snoozed_until),
		});
	// The optional first message is built inside the same transaction: if it fails, nothing is stored.
	let built;
	// Rails: `params[:message].present?` is false for an empty hash, so `message: {}` creates no message.
	if (isObject(params.message) && Object.keys(params.message).length > 0) {
		try {
			built = buildMessage(core, conversation, params.message, ctx.actor);
		} catch (error) {
			// conversations#create rescues only RecordInvalid; builder errors are unhandled (500).
			if (error instanceof MessageInvalid) {
				throw recordInvalid(error.fullMessages.map((message) => ({ attribute: 'base', message })));
			}
			throw error;
		}
	}
	if (!existing) insertConversation(core, conversation, ctx.sink);
	if (built) insertMessage(core, built, ctx.sink, ctx.actor);
	return json(200, conversationJson(core, conversation));
}

function listConversations(ctx: RequestContext) {
	const core = ctx.core;
	const account = accountOf(ctx);
	const params = ctx.params;
	const status = str(params.status) || 'open';
	const inboxId = int(params.inbox_id);
	const labels = Array.isArray(params.labels) ? params.labels.map((l) => String(l)) : [];
	const userId = ctx.actor?.kind === 'user' ? ctx.actor.user.id : null;
	const base = [...core.store.conversations.values()]
		.filter((c) => c.account_id === account.id)
		.filter((c) => canSeeInbox(ctx, core.store.inboxes.get(c.inbox_id)!))
		.filter((c) => status === 'all' || c.status === status)
		.filter((c) => inboxId === undefined || c.inbox_id === inboxId)
		.filter((c) => labels.every((l) => c.labels.includes(l)));
	const counts = {
		mine_count: base.filter((c) => c.assignee_id !== null && c.assignee_id === userId).length,
		assigned_count: base.filter((c) => c.assignee_id !== null).length,
		unassigned_count: base.filter((c) => c.assignee_id === null).length,
		all_count: base.length,
	};
	const assigneeType = str(params.assignee_type) ?? 'all';
	const filtered = base.filter((c) => {
		if (assigneeType === 'me') return c.assignee_id !== null && c.assignee_id === userId;
		if (assigneeType === 'unassigned') return c.assignee_id === null;
		if (assigneeType === 'assigned') return c.assignee_id !== null;
		return true;
	});
	filtered.sort((a, b) => b.last_activity_at - a.last_activity_at || b.id - a.id);
	const page = Math.max(1, int(params.page) ?? 1);
	const rows = filtered.slice((page - 1) * PER_PAGE, page * PER_PAGE);
	return json(200, { data: { meta: counts, payload: rows.map((c) => conversationJson(core, c)) } });
}

async function toggleStatus(ctx: RequestContext) {
	const core = ctx.core;
	const conversation = findConversation(ctx);
	await core.gap();
	const requested = str(ctx.params.status);
	if (present(requested)) {
		setConversationStatus(core, conversation, assertStatus(requested!), ctx.sink, ctx.actor, snoozedUntilOf(ctx.params.snoozed_until));
	} else {
		// Without a body: open → resolved, anything else → open.
		setConversationStatus(core, conversation, conversation.status === 'open' ? 'resolved' : 'open', ctx.sink, ctx.actor);
	}
	// An agent-role user who opens a conversation is assigned to it; administrators are not (§3.4).
	const actor = ctx.actor;
	if (conversation.status === 'open' && actor?.kind === 'user' && actor.role === 'agent') {
		saveConversation(core, conversation, { assignee_id: actor.user.id }, ctx.sink, actor);
	}
	return json(200, {
		meta: {},
		payload: {
			success: true,
			conversation_id: conversation.display_id,
			current_status: conversation.status,
			snoozed_until: isoOrNull(conversation.snoozed_until),
		},
	});
}

function priorityOf(value: unknown): string | null {
	const text = str(value);
	if (text === undefined || text === '' || text === 'none' || text === 'nil') return null;
	if (!PRIORITIES.includes(text)) throw new InvalidEnumValue(`'${text}' is not a valid priority`);
	return text;
}

const base = '/api/v1/accounts/:account_id/conversations';

export const conversationRoutes: Route[] = [
	{ method: 'GET', template: base, scope: 'account', handler: listConversations },
	{ method: 'POST', template: base, scope: 'account', botAllowed: true, handler: createConversationRoute },
	{
		method: 'GET',
		template: `${base}/:conversation_id`,
		scope: 'account',
		botAllowed: true,
		handler: (ctx) => json(200, conversationJson(ctx.core, findConversation(ctx))),
	},
	...(['PATCH', 'PUT'] as const).map(
		(method): Route => ({
			method,
			template: `${base}/:conversation_id`,
			scope: 'account',
			botAllowed: true,
			handler: async (ctx) => {
				const conversation = findConversation(ctx);
				await ctx.core.gap();
				if (ctx.params.priority !== undefined) {
					saveConversation(ctx.core, conversation, { priority: priorityOf(ctx.params.priority) }, ctx.sink, ctx.actor);
				}
				return json(200, conversationJson(ctx.core, conversation));
			},
		}),
	),
	{ method: 'POST', template: `${base}/:conversation_id/toggle_status`, scope: 'account', botAllowed: true, handler: toggleStatus },
	{
		method: 'POST',
		template: `${base}/:conversation_id/toggle_priority`,
		scope: 'account',
		botAllowed: true,
		handler: (ctx) => {
			const conversation = findConversation(ctx);
			saveConversation(ctx.core, conversation, { priority: priorityOf(ctx.params.priority) }, ctx.sink, ctx.actor);
			return head(200);
		},
	},
	{
		method: 'POST',
		template: `${base}/:conversation_id/toggle_typing_status`,
		scope: 'account',
		botAllowed: true,
		handler: (ctx) => {
			const conversation = findConversation(ctx);
			const typing = str(ctx.params.typing_status);
			if ((typing === 'on' || typing === 'off') && ctx.actor) {
				ctx.sink.emit({
					name: typing === 'on' ? 'conversation_typing_on' : 'conversation_typing_off',
					conversationId: conversation.id,
					actor: ctx.actor,
					isPrivate: str(ctx.params.is_private) === 'true' || ctx.params.is_private === true,
				});
			}
			return head(200);
		},
	},
	{
		method: 'POST',
		template: `${base}/:conversation_id/custom_attributes`,
		scope: 'account',
		botAllowed: true,
		handler: (ctx) => {
			const conversation = findConversation(ctx);
			// The whole hash is replaced, not merged.
			const attributes = toJsonObject(ctx.params.custom_attributes);
			saveConversation(ctx.core, conversation, { custom_attributes: attributes }, ctx.sink, ctx.actor);
			return json(200, { custom_attributes: conversation.custom_attributes });
		},
	},
	{
		method: 'GET',
		template: `${base}/:conversation_id/labels`,
		scope: 'account',
		botAllowed: true,
		handler: (ctx) => json(200, { payload: findConversation(ctx).labels }),
	},
	{
		method: 'POST',
		template: `${base}/:conversation_id/labels`,
		scope: 'account',
		botAllowed: true,
		handler: (ctx) => {
			const conversation = findConversation(ctx);
			const labels = Array.isArray(ctx.params.labels) ? [...new Set(ctx.params.labels.map((l) => String(l)))] : [];
			saveConversation(ctx.core, conversation, { labels }, ctx.sink, ctx.actor);
			return json(200, { payload: conversation.labels });
		},
	},
	{
		method: 'POST',
		template: `${base}/:conversation_id/assignments`,
		scope: 'account',
		botAllowed: true,
		handler: (ctx) => {
			const conversation = findConversation(ctx);
			const assigneeId = int(ctx.params.assignee_id) ?? null;
			const user = assigneeId === null ? undefined : ctx.core.store.users.get(assigneeId);
			saveConversation(ctx.core, conversation, { assignee_id: user ? user.id : null }, ctx.sink, ctx.actor);
			return json(200, user ? agentJson(ctx.core, user, conversation.account_id) : null);
		},
	},
];

