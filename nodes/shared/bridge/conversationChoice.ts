/**
 * Which conversation an inbound WhatsApp message goes to. The README's truth table is generated from the same
 * cases the unit test checks, so the two cannot drift.
 */

import type { Conversation } from '../chatwoot/schemas';
import { chatwootSeconds } from './chatwootTime';

export type ConversationStatus = 'open' | 'resolved' | 'pending' | 'snoozed';

export interface ConversationSummary {
	id: number;
	status: ConversationStatus;
	inboxId: number;
	/** Unix seconds; used to pick the latest. */
	lastActivityAt: number;
}

/** A conversation as Chatwoot lists it, reduced to what the choice needs; an unreadable activity time counts as oldest. */
export function summarizeConversation(conversation: Conversation): ConversationSummary {
	const activity = conversation.last_activity_at ?? conversation.timestamp ?? conversation.created_at;
	return {
		id: conversation.id,
		inboxId: conversation.inbox_id,
		status: conversation.status as ConversationStatus,
		lastActivityAt: chatwootSeconds(activity) ?? 0,
	};
}

export type ConversationChoice =
	| { action: 'use'; conversationId: number }
	/** A resolved conversation is reused; incoming messages reopen it by themselves, outgoing ones need a toggle. */
	| { action: 'reopen'; conversationId: number; status: 'open' | 'pending' }
	| { action: 'create'; status: 'open' | 'pending' };

export function chooseConversation(
	conversations: ConversationSummary[],
	inboxId: number,
	options: { reopenConversation: boolean; conversationPending: boolean },
): ConversationChoice {
	const mine = conversations.filter((conversation) => conversation.inboxId === inboxId);
	// The oldest unresolved one: a stable choice, so workers that raced into two conversations converge on one.
	const active = mine
		.filter((conversation) => conversation.status !== 'resolved')
		.sort((a, b) => a.id - b.id)[0];
	if (active) return { action: 'use', conversationId: active.id };
	const newStatus = options.conversationPending ? 'pending' : 'open';
	const latest = [...mine].sort((a, b) => b.lastActivityAt - a.lastActivityAt || b.id - a.id)[0];
	if (latest && options.reopenConversation) {
		return { action: 'reopen', conversationId: latest.id, status: newStatus };
	}
	return { action: 'create', status: newStatus };
}
