/**
 * JSON shapes, one function per Chatwoot view or `*_data` method. REST views use integers and unix seconds;
 * webhook payloads mix string `message_type`/ISO `created_at` at the top with integer types inside
 * `conversation.messages[]` (docs/chatwoot-behaviour.md, Webhook payloads). Key order follows the samples in
 * chatwoot-api/webhook-samples.
 */
import type { Core } from './core';
import type {
	AccountRecord,
	AgentBotRecord,
	AttachmentRecord,
	ContactInboxRecord,
	ContactRecord,
	ConversationRecord,
	InboxRecord,
	MessageRecord,
	UserRecord,
} from './types';

export const MESSAGE_TYPE_VALUES = { incoming: 0, outgoing: 1, activity: 2, template: 3 } as const;

/** `time.to_i` (nil.to_i is 0). */
export const unix = (ms: number | null | undefined): number => (ms == null ? 0 : Math.floor(ms / 1000));
/** `time.as_json`: ISO-8601 UTC with milliseconds. */
export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null): string | null => (ms == null ? null : iso(ms));

// ---- accounts, users, bots ---------------------------------------------------------------------------------

export const accountWebhookData = (account: AccountRecord) => ({ id: account.id, name: account.name });

export const userPushEventData = (user: UserRecord) => ({
	id: user.id,
	name: user.name,
	available_name: user.name,
	avatar_url: '',
	type: 'user',
	availability_status: 'online',
	thumbnail: '',
});

export const userWebhookData = (user: UserRecord) => ({ id: user.id, name: user.name, email: user.email, type: 'user' });

export const botPushEventData = (bot: AgentBotRecord) => ({
	id: bot.id,
	name: bot.name,
	avatar_url: '',
	type: 'agent_bot',
});

export const botWebhookData = (bot: AgentBotRecord) => ({ id: bot.id, name: bot.name, type: 'agent_bot' });

/** api/v1/models/_agent (conversation meta.assignee in REST). */
export function agentJson(core: Core, user: UserRecord, accountId: number) {
	const accountUser = core.store.accountUser(accountId, user.id);
	return {
		id: user.id,
		account_id: accountId,
		availability_status: 'online',
		auto_offline: true,
		confirmed: true,
		email: user.email,
		available_name: user.name,
		name: user.name,
		role: accountUser?.role ?? 'agent',
		thumbnail: '',
		custom_role_id: null,
	};
}

// ---- inboxes -------------------------------------------------------------------------------------------------

const WORKING_HOURS = [0, 1, 2, 3, 4, 5, 6].map((day) => ({
	day_of_week: day,
	closed_all_day: day === 0 || day === 6,
	open_hour: day === 0 || day === 6 ? null : 9,
	open_minutes: day === 0 || day === 6 ? null : 0,
	close_hour: day === 0 || day === 6 ? null : 17,
	close_minutes: day === 0 || day === 6 ? null : 0,
	open_all_day: false,
}));

/** api/v1/models/_inbox; `hmac_token` and `secret` only for administrators (§3.1). */
export function inboxJson(inbox: InboxRecord, isAdministrator: boolean) {
	const api = inbox.channel_type === 'Channel::Api';
	const data: Record<string, unknown> = {
		id: inbox.id,
		avatar_url: '',
		channel_id: inbox.channel_id,
		name: inbox.name,
		channel_type: inbox.channel_type,
		greeting_enabled: inbox.greeting_enabled,
		greeting_message: inbox.greeting_message,
		working_hours_enabled: inbox.working_hours_enabled,
		enable_email_collect: inbox.enable_email_collect,
		csat_survey_enabled: inbox.csat_survey_enabled,
		csat_config: {},
		enable_auto_assignment: inbox.enable_auto_assignment,
		auto_assignment_config: {},
		out_of_office_message: inbox.out_of_office_message,
		working_hours: WORKING_HOURS,
		timezone: inbox.timezone,
		callback_webhook_url: null,
		allow_messages_after_resolved: inbox.allow_messages_after_resolved,
		lock_to_single_conversation: inbox.lock_to_single_conversation,
		sender_name_type: inbox.sender_name_type,
		business_name: inbox.business_name,
		widget_color: inbox.widget_color,
		website_url: inbox.website_url,
		hmac_mandatory: api || inbox.channel_type === 'Channel::WebWidget' ? inbox.hmac_mandatory : null,
		welcome_title: null,
		welcome_tagline: null,
		web_widget_script: null,
		website_token: inbox.website_token,
		selected_feature_flags: null,
		reply_time: inbox.channel_type === 'Channel::WebWidget' ? 'in_a_few_minutes' : null,
		messaging_service_sid: null,
		phone_number: null,
	};
	if (inbox.channel_type === 'Channel::WebWidget' && isAdministrator) data.hmac_token = inbox.hmac_token;
	if (api) {
		if (isAdministrator) data.hmac_token = inbox.hmac_token;
		data.webhook_url = inbox.webhook_url;
		data.inbox_identifier = inbox.identifier;
		data.additional_attributes = inbox.additional_attributes;
		if (isAdministrator) data.secret = inbox.secret;
	}
	data.provider = null;
	return data;
}

/** api/v1/models/_inbox_slim, used inside contact_inboxes. */
export const inboxSlimJson = (inbox: InboxRecord) => ({
	id: inbox.id,
	avatar_url: '',
	channel_id: inbox.channel_id,
	name: inbox.name,
	channel_type: inbox.channel_type,
	provider: null,
});

/** `Inbox#as_json`: the raw row, as rendered by `json.inbox @contact_inbox.inbox` in contacts/create. */
export const inboxRowJson = (inbox: InboxRecord) => ({
	id: inbox.id,
	channel_id: inbox.channel_id,
	account_id: inbox.account_id,
	name: inbox.name,
	created_at: iso(inbox.created_at),
	updated_at: iso(inbox.updated_at),
	channel_type: inbox.channel_type,
	enable_auto_assignment: inbox.enable_auto_assignment,
	greeting_enabled: inbox.greeting_enabled,
	greeting_message: inbox.greeting_message,
	email_address: null,
	working_hours_enabled: inbox.working_hours_enabled,
	out_of_office_message: inbox.out_of_office_message,
	timezone: inbox.timezone,
	enable_email_collect: inbox.enable_email_collect,
	csat_survey_enabled: inbox.csat_survey_enabled,
	allow_messages_after_resolved: inbox.allow_messages_after_resolved,
	auto_assignment_config: {},
	lock_to_single_conversation: inbox.lock_to_single_conversation,
	portal_id: null,
	sender_name_type: inbox.sender_name_type,
	business_name: inbox.business_name,
	csat_config: {},
});

export const inboxWebhookData = (inbox: InboxRecord) => ({ id: inbox.id, name: inbox.name });

// ---- contacts ------------------------------------------------------------------------------------------------

export function contactInboxJson(core: Core, contactInbox: ContactInboxRecord) {
	const inbox = core.store.inboxes.get(contactInbox.inbox_id);
	return { source_id: contactInbox.source_id, inbox: inbox ? inboxSlimJson(inbox) : null };
}

/** api/v1/models/_contact. */
export function contactJson(core: Core, contact: ContactRecord, withContactInboxes: boolean) {
	const data: Record<string, unknown> = {
		additional_attributes: contact.additional_attributes,
		availability_status: 'offline',
		email: contact.email,
		id: contact.id,
		name: contact.name,
		phone_number: contact.phone_number,
		blocked: contact.blocked,
		identifier: contact.identifier,
		thumbnail: '',
		custom_attributes: contact.custom_attributes,
	};
	if (contact.last_activity_at != null) data.last_activity_at = unix(contact.last_activity_at);
	data.created_at = unix(contact.created_at);
	if (withContactInboxes) {
		data.contact_inboxes = core.store.contactInboxesOf(contact.id).map((ci) => contactInboxJson(core, ci));
	}
	return data;
}

/** `Contact#push_event_data` (meta.sender, messages[].sender). */
export const contactPushEventData = (contact: ContactRecord) => ({
	additional_attributes: contact.additional_attributes,
	custom_attributes: contact.custom_attributes,
	email: contact.email,
	id: contact.id,
	identifier: contact.identifier,
	name: contact.name,
	phone_number: contact.phone_number,
	thumbnail: '',
	blocked: contact.blocked,
	type: 'contact',
});

/** `Contact#webhook_data`: the top-level `sender` of an incoming message event (no `type` key, §6.1). */
export function contactWebhookData(core: Core, contact: ContactRecord) {
	const account = core.store.accounts.get(contact.account_id);
	return {
		account: account ? accountWebhookData(account) : null,
		additional_attributes: contact.additional_attributes,
		avatar: '',
		custom_attributes: contact.custom_attributes,
		email: contact.email,
		id: contact.id,
		identifier: contact.identifier,
		name: contact.name,
		phone_number: contact.phone_number,
		thumbnail: '',
		blocked: contact.blocked,
	};
}

/** The contact_inboxes row as `conversation.contact_inbox` in webhooks (§6.2). */
export const contactInboxRowJson = (ci: ContactInboxRecord) => ({
	id: ci.id,
	contact_id: ci.contact_id,
	inbox_id: ci.inbox_id,
	source_id: ci.source_id,
	created_at: iso(ci.created_at),
	updated_at: iso(ci.updated_at),
	hmac_verified: ci.hmac_verified,
	pubsub_token: ci.pubsub_token,
});

// ---- attachments ---------------------------------------------------------------------------------------------

export function blobUrl(core: Core, signedId: string, filename: string): string {
	return `${core.baseUrl}/rails/active_storage/blobs/redirect/${signedId}/${encodeURIComponent(filename)}`;
}

const VARIATION = Buffer.from('{"_rails":{"data":{"format":"jpg","resize_to_fill":[250,null]},"pur":"variation"}}')
	.toString('base64')
	.concat('--sandbox');

/** `Attachment#push_event_data` for file attachments. */
export function attachmentJson(core: Core, attachment: AttachmentRecord) {
	const blob = core.store.blobs.get(attachment.blob_id);
	const data: Record<string, unknown> = {
		id: attachment.id,
		message_id: attachment.message_id,
		file_type: attachment.file_type,
		account_id: attachment.account_id,
		extension: attachment.extension,
		content_type: blob?.content_type ?? null,
		data_url: blob ? blobUrl(core, blob.signed_id, blob.filename) : null,
		thumb_url:
			blob && attachment.file_type === 'image'
				? `${core.baseUrl}/rails/active_storage/representations/redirect/${blob.signed_id}/${VARIATION}/${encodeURIComponent(blob.filename)}`
				: '',
		file_size: blob?.byte_size ?? 0,
		width: attachment.width,
		height: attachment.height,
	};
	if (attachment.file_type === 'audio') data.transcribed_text = '';
	return data;
}

// ---- messages ------------------------------------------------------------------------------------------------

function senderPushEventData(core: Core, message: MessageRecord) {
	if (message.sender_id == null) return undefined;
	if (message.sender_type === 'Contact') {
		const contact = core.store.contacts.get(message.sender_id);
		return contact ? contactPushEventData(contact) : undefined;
	}
	if (message.sender_type === 'User') {
		const user = core.store.users.get(message.sender_id);
		return user ? userPushEventData(user) : undefined;
	}
	const bot = core.store.agentBots.get(message.sender_id);
	return bot ? botPushEventData(bot) : undefined;
}

/** `Message#push_event_data`: the real-time format used in `conversation.messages[]` (§6.3). */
export function messagePushEventData(core: Core, message: MessageRecord) {
	const conversation = core.store.conversations.get(message.conversation_id)!;
	const contactInbox = core.store.contactInboxes.get(conversation.contact_inbox_id);
	const data: Record<string, unknown> = {
		id: message.id,
		content: message.content,
		account_id: message.account_id,
		inbox_id: message.inbox_id,
		conversation_id: conversation.display_id,
		message_type: MESSAGE_TYPE_VALUES[message.message_type],
		created_at: unix(message.created_at),
		updated_at: iso(message.updated_at),
		private: message.private,
		status: message.status,
		source_id: message.source_id,
		content_type: message.content_type,
		content_attributes: message.content_attributes,
		sender_type: message.sender_type,
		sender_id: message.sender_id,
		external_source_ids: message.external_source_ids,
		additional_attributes: message.additional_attributes,
		processed_message_content: message.content,
		sentiment: {},
		conversation: {
			assignee_id: conversation.assignee_id,
			unread_count: unreadCount(core, conversation),
			last_activity_at: unix(conversation.last_activity_at),
			contact_inbox: { source_id: contactInbox?.source_id ?? null },
		},
	};
	const attachments = core.store.attachmentsOf(message.id);
	if (attachments.length) data.attachments = attachments.map((a) => attachmentJson(core, a));
	const sender = senderPushEventData(core, message);
	if (sender) data.sender = sender;
	return data;
}

/** api/v1/models/_message: REST responses of create, list, update and delete (§3.5). */
export function messageJson(core: Core, message: MessageRecord, echoId?: string) {
	const conversation = core.store.conversations.get(message.conversation_id)!;
	const data: Record<string, unknown> = {
		id: message.id,
		content: message.content,
		inbox_id: message.inbox_id,
	};
	if (echoId) data.echo_id = echoId;
	Object.assign(data, {
		conversation_id: conversation.display_id,
		message_type: MESSAGE_TYPE_VALUES[message.message_type],
		content_type: message.content_type,
		status: message.status,
		content_attributes: message.content_attributes,
		created_at: unix(message.created_at),
		private: message.private,
		source_id: message.source_id,
	});
	const sender = senderPushEventData(core, message);
	if (sender) data.sender = sender;
	const attachments = core.store.attachmentsOf(message.id);
	if (attachments.length) data.attachments = attachments.map((a) => attachmentJson(core, a));
	return data;
}

/**
 * `Message#outgoing_content`: Chatwoot only turns CommonMark hard breaks (backslash + newline) into newlines and
 * strips trailing newlines (§6.1).
 */
export const outgoingContent = (content: string | null): string | null =>
	content == null ? null : content.replace(/\\\r?\n/g, '\n').replace(/\n+$/, '');

function senderWebhookData(core: Core, message: MessageRecord) {
	if (message.sender_id == null) return null;
	if (message.sender_type === 'Contact') {
		const contact = core.store.contacts.get(message.sender_id);
		return contact ? contactWebhookData(core, contact) : null;
	}
	if (message.sender_type === 'User') {
		const user = core.store.users.get(message.sender_id);
		return user ? userWebhookData(user) : null;
	}
	const bot = core.store.agentBots.get(message.sender_id);
	return bot ? botWebhookData(bot) : null;
}

/** `Message#webhook_data` + `event` (§6.1): no `status`, no `echo_id`, `attachments` only when present. */
export function messageWebhookPayload(core: Core, message: MessageRecord, event: string) {
	const conversation = core.store.conversations.get(message.conversation_id)!;
	const account = core.store.accounts.get(message.account_id)!;
	const inbox = core.store.inboxes.get(message.inbox_id)!;
	const data: Record<string, unknown> = {
		account: accountWebhookData(account),
		additional_attributes: message.additional_attributes,
		content_attributes: message.content_attributes,
		content_type: message.content_type,
		content: outgoingContent(message.content),
		conversation: conversationWebhookData(core, conversation),
		created_at: iso(message.created_at),
		id: message.id,
		inbox: inboxWebhookData(inbox),
		message_type: message.message_type,
		private: message.private,
		sender: senderWebhookData(core, message),
		source_id: message.source_id,
	};
	const attachments = core.store.attachmentsOf(message.id);
	if (attachments.length) data.attachments = attachments.map((a) => attachmentJson(core, a));
	data.event = event;
	return data;
}

// ---- conversations -------------------------------------------------------------------------------------------

export function unreadCount(core: Core, conversation: ConversationRecord): number {
	const seen = conversation.agent_last_seen_at ?? -Infinity;
	return core.store
		.messagesOf(conversation.id)
		.filter((m) => m.message_type === 'incoming' && m.created_at > seen).length;
}

/**
 * `Conversation#can_reply?` for API inboxes: false once `agent_reply_time_window` hours passed since the last
 * incoming message (§3.1). Only the dashboard composer honours it; the API accepts messages regardless.
 */
export function canReply(core: Core, conversation: ConversationRecord): boolean {
	const inbox = core.store.inboxes.get(conversation.inbox_id);
	const windowHours = Number(inbox?.additional_attributes?.agent_reply_time_window ?? 0);
	if (!inbox || inbox.channel_type !== 'Channel::Api' || !(windowHours > 0)) return true;
	const lastIncoming = core.store
		.messagesOf(conversation.id)
		.filter((m) => m.message_type === 'incoming')
		.pop();
	if (!lastIncoming) return false;
	return Date.now() < lastIncoming.created_at + windowHours * 3600_000;
}

/** `messages.chat.last`: the latest public, non-activity message (§6.2). */
function lastChatMessage(core: Core, conversation: ConversationRecord): MessageRecord | undefined {
	return core.store
		.messagesOf(conversation.id)
		.filter((m) => m.message_type !== 'activity' && !m.private)
		.pop();
}

/** `Conversation#webhook_data` (Conversations::EventDataPresenter + account), §6.2. */
export function conversationWebhookData(core: Core, conversation: ConversationRecord) {
	const store = core.store;
	const contact = store.contacts.get(conversation.contact_id);
	const contactInbox = store.contactInboxes.get(conversation.contact_inbox_id);
	const inbox = store.inboxes.get(conversation.inbox_id);
	const account = store.accounts.get(conversation.account_id)!;
	const assignee = conversation.assignee_id == null ? undefined : store.users.get(conversation.assignee_id);
	const last = lastChatMessage(core, conversation);
	return {
		additional_attributes: conversation.additional_attributes,
		can_reply: canReply(core, conversation),
		channel: inbox?.channel_type ?? null,
		contact_inbox: contactInbox ? contactInboxRowJson(contactInbox) : null,
		id: conversation.display_id,
		inbox_id: conversation.inbox_id,
		messages: last ? [messagePushEventData(core, last)] : [],
		labels: conversation.labels,
		meta: {
			sender: contact ? contactPushEventData(contact) : null,
			assignee: assignee ? userPushEventData(assignee) : null,
			assignee_type: assignee ? 'User' : null,
			team: null,
			hmac_verified: contactInbox?.hmac_verified ?? false,
		},
		status: conversation.status,
		custom_attributes: conversation.custom_attributes,
		snoozed_until: isoOrNull(conversation.snoozed_until),
		unread_count: unreadCount(core, conversation),
		first_reply_created_at: isoOrNull(conversation.first_reply_created_at),
		priority: conversation.priority,
		waiting_since: unix(conversation.waiting_since),
		agent_last_seen_at: unix(conversation.agent_last_seen_at),
		contact_last_seen_at: unix(conversation.contact_last_seen_at),
		last_activity_at: unix(conversation.last_activity_at),
		timestamp: unix(conversation.last_activity_at),
		created_at: unix(conversation.created_at),
		updated_at: conversation.updated_at / 1000,
		account: accountWebhookData(account),
	};
}

/** api/v1/conversations/partials/_conversation: REST show, list, create, update (§3.4). */
export function conversationJson(core: Core, conversation: ConversationRecord) {
	const store = core.store;
	const contact = store.contacts.get(conversation.contact_id);
	const contactInbox = store.contactInboxes.get(conversation.contact_inbox_id);
	const inbox = store.inboxes.get(conversation.inbox_id);
	const assignee = conversation.assignee_id == null ? undefined : store.users.get(conversation.assignee_id);
	const messages = store.messagesOf(conversation.id);
	const lastMessage = messages[messages.length - 1];
	const lastNonActivity = messages.filter((m) => m.message_type !== 'activity').pop();
	const meta: Record<string, unknown> = {
		sender: contact ? contactJson(core, contact, false) : null,
		channel: inbox?.channel_type ?? null,
	};
	if (assignee) meta.assignee = agentJson(core, assignee, conversation.account_id);
	meta.hmac_verified = contactInbox?.hmac_verified ?? false;
	return {
		meta,
		id: conversation.display_id,
		messages: lastMessage ? [messagePushEventData(core, lastMessage)] : [],
		account_id: conversation.account_id,
		uuid: conversation.uuid,
		additional_attributes: conversation.additional_attributes,
		agent_last_seen_at: unix(conversation.agent_last_seen_at),
		assignee_last_seen_at: unix(conversation.assignee_last_seen_at),
		can_reply: canReply(core, conversation),
		contact_last_seen_at: unix(conversation.contact_last_seen_at),
		custom_attributes: conversation.custom_attributes,
		inbox_id: conversation.inbox_id,
		labels: conversation.labels,
		muted: conversation.muted,
		snoozed_until: isoOrNull(conversation.snoozed_until),
		status: conversation.status,
		created_at: unix(conversation.created_at),
		updated_at: conversation.updated_at / 1000,
		timestamp: unix(conversation.last_activity_at),
		first_reply_created_at: unix(conversation.first_reply_created_at),
		unread_count: unreadCount(core, conversation),
		last_non_activity_message: lastNonActivity ? messagePushEventData(core, lastNonActivity) : null,
		last_activity_at: unix(conversation.last_activity_at),
		priority: conversation.priority,
		waiting_since: unix(conversation.waiting_since),
		sla_policy_id: null,
	};
}
