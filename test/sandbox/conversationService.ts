/**
 * Conversation writes and the events Chatwoot's `after_update_commit` callbacks derive from them (behaviour doc
 * §3.4, §5.1, §6.2): `conversation_status_changed` (changed_attributes null) when the status changed, and
 * `conversation_updated` with Rails' `previous_changes` when one of the listed attributes changed.
 */
import { randomUUID } from 'crypto';
import type { Actor, ChangedAttributes, Core, EventSink } from './core';
import { iso } from './serializers';
import type { ContactInboxRecord, ConversationRecord, ConversationStatus, JsonObject, MessageRecord } from './types';

export const CONVERSATION_STATUSES: ConversationStatus[] = ['open', 'resolved', 'pending', 'snoozed'];
export const PRIORITIES = ['low', 'medium', 'high', 'urgent'];

/** Attributes whose change emits `conversation_updated` (§5.1). */
const UPDATE_EVENT_KEYS = [
	'status',
	'assignee_id',
	'team_id',
	'snoozed_until',
	'custom_attributes',
	'labels',
	'waiting_since',
	'first_reply_created_at',
	'priority',
];

const TIME_KEYS = new Set([
	'snoozed_until',
	'waiting_since',
	'first_reply_created_at',
	'agent_last_seen_at',
	'assignee_last_seen_at',
	'contact_last_seen_at',
	'last_activity_at',
	'updated_at',
]);

/** An invalid enum value raises ArgumentError in Rails, which no controller rescues: HTTP 500. */
export class InvalidEnumValue extends Error {}

export function assertStatus(value: string): ConversationStatus {
	if (!CONVERSATION_STATUSES.includes(value as ConversationStatus)) {
		throw new InvalidEnumValue(`'${value}' is not a valid status`);
	}
	return value as ConversationStatus;
}

const isEqual = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function changedValue(key: string, value: unknown): unknown {
	return TIME_KEYS.has(key) && typeof value === 'number' ? iso(value) : value;
}

export interface ConversationChanges {
	[key: string]: [unknown, unknown];
}

/** `conversation.update(...)`: applies the patch, bumps updated_at and emits what the callbacks would. */
export function saveConversation(
	core: Core,
	conversation: ConversationRecord,
	patch: Partial<ConversationRecord>,
	sink: EventSink,
	actor: Actor | null,
): ConversationChanges {
	const effective: Partial<ConversationRecord> = { ...patch };
	// before_save :ensure_snooze_until_reset
	const nextStatus = effective.status ?? conversation.status;
	if (nextStatus !== 'snoozed') effective.snoozed_until = null;
	const changes: ConversationChanges = {};
	for (const [key, value] of Object.entries(effective)) {
		const current = (conversation as unknown as Record<string, unknown>)[key];
		if (!isEqual(current, value)) changes[key] = [current, value];
	}
	if (Object.keys(changes).length === 0) return changes;
	Object.assign(conversation, effective);
	const previousUpdatedAt = conversation.updated_at;
	conversation.updated_at = Math.max(Date.now(), previousUpdatedAt + 1);
	changes.updated_at = [previousUpdatedAt, conversation.updated_at];

	if (changes.status) {
		sink.emit({ name: 'conversation_status_changed', conversationId: conversation.id });
		addStatusActivity(core, conversation, actor, sink);
	}
	if (Object.keys(changes).some((key) => UPDATE_EVENT_KEYS.includes(key))) {
		const changedAttributes: ChangedAttributes = Object.entries(changes).map(([key, [previous, current]]) => ({
			[key === 'labels' ? 'label_list' : key]: {
				previous_value: changedValue(key, previous),
				current_value: changedValue(key, current),
			},
		}));
		sink.emit({ name: 'conversation_updated', conversationId: conversation.id, changedAttributes });
	}
	return changes;
}

export function setConversationStatus(
	core: Core,
	conversation: ConversationRecord,
	status: ConversationStatus,
	sink: EventSink,
	actor: Actor | null,
	snoozedUntil?: number | null,
): ConversationChanges {
	const patch: Partial<ConversationRecord> = { status };
	if (snoozedUntil !== undefined) patch.snoozed_until = snoozedUntil;
	return saveConversation(core, conversation, patch, sink, actor);
}

function actorName(actor: Actor | null): string | undefined {
	if (!actor) return undefined;
	return actor.kind === 'user' ? actor.user.name : actor.bot.name;
}

/** Activity messages ("Conversation was marked resolved by …"); stored, listed, never sent to the inbox URL. */
function addStatusActivity(core: Core, conversation: ConversationRecord, actor: Actor | null, sink: EventSink): void {
	const name = actorName(actor);
	const texts: Record<ConversationStatus, string | undefined> = {
		open: name ? `Conversation was reopened by ${name}` : undefined,
		resolved: name ? `Conversation was marked resolved by ${name}` : undefined,
		pending: name ? `Conversation was marked as pending by ${name}` : undefined,
		snoozed: name ? `Conversation was snoozed by ${name}` : undefined,
	};
	const content = texts[conversation.status];
	if (content) insertActivityMessage(core, conversation, content, sink);
}

export function insertActivityMessage(
	core: Core,
	conversation: ConversationRecord,
	content: string,
	sink: EventSink,
): MessageRecord {
	const now = Date.now();
	const message: MessageRecord = {
		id: core.store.nextId('messages'),
		account_id: conversation.account_id,
		inbox_id: conversation.inbox_id,
		conversation_id: conversation.id,
		message_type: 'activity',
		content,
		content_type: 'text',
		content_attributes: {},
		additional_attributes: {},
		external_source_ids: {},
		private: false,
		status: 'sent',
		source_id: null,
		sender_type: null,
		sender_id: null,
		created_at: now,
		updated_at: now,
	};
	core.store.addMessage(message);
	conversation.last_activity_at = now;
	// Dispatched like any message; the webhook listener drops activity messages (§5.1).
	sink.emit({ name: 'message_created', messageId: message.id });
	return message;
}

export interface NewConversationInput {
	contactInbox: ContactInboxRecord;
	status?: ConversationStatus;
	additional_attributes?: JsonObject;
	custom_attributes?: JsonObject;
	assignee_id?: number | null;
	team_id?: number | null;
	snoozed_until?: number | null;
}

/** Builds (does not store) a new conversation; `determine_conversation_status` overrides the requested status. */
export function newConversation(core: Core, accountId: number, input: NewConversationInput): ConversationRecord {
	const store = core.store;
	const contact = store.contacts.get(input.contactInbox.contact_id)!;
	const inbox = store.inboxes.get(input.contactInbox.inbox_id)!;
	let status: ConversationStatus = input.status ?? 'open';
	if (contact.blocked) status = 'resolved';
	else if (inbox.agent_bot_id != null) status = 'pending';
	const now = Date.now();
	return {
		id: store.nextId('conversations'),
		display_id: 0,
		uuid: randomUUID(),
		account_id: accountId,
		inbox_id: inbox.id,
		contact_id: contact.id,
		contact_inbox_id: input.contactInbox.id,
		status,
		priority: null,
		snoozed_until: status === 'snoozed' ? (input.snoozed_until ?? null) : null,
		assignee_id: input.assignee_id ?? null,
		team_id: input.team_id ?? null,
		additional_attributes: input.additional_attributes ?? {},
		custom_attributes: input.custom_attributes ?? {},
		labels: [],
		muted: false,
		// before_create :ensure_waiting_since (guess, README): a new conversation waits from its creation.
		waiting_since: now,
		first_reply_created_at: null,
		agent_last_seen_at: null,
		assignee_last_seen_at: null,
		contact_last_seen_at: null,
		last_activity_at: now,
		created_at: now,
		updated_at: now,
	};
}

export function insertConversation(core: Core, conversation: ConversationRecord, sink: EventSink): void {
	conversation.display_id = core.store.nextDisplayId(conversation.account_id);
	core.store.addConversation(conversation);
	sink.emit({ name: 'conversation_created', conversationId: conversation.id });
}

/** ConversationBuilder: with `lock_to_single_conversation` the contact inbox's latest conversation, even resolved. */
export function lockedConversation(core: Core, contactInbox: ContactInboxRecord): ConversationRecord | undefined {
	const inbox = core.store.inboxes.get(contactInbox.inbox_id);
	if (!inbox?.lock_to_single_conversation) return undefined;
	return [...core.store.conversations.values()].filter((c) => c.contact_inbox_id === contactInbox.id).pop();
}
