/**
 * Rows of the sandbox's in-memory "database". Field names follow Chatwoot's tables (v4.15.1) so that the
 * serializers read like the jbuilder views they imitate. Times are epoch milliseconds; the serializers turn them
 * into unix seconds, ISO strings or floats exactly where Chatwoot does (docs/chatwoot-behaviour.md, Webhook payloads).
 */

export type Role = 'administrator' | 'agent';
export type ConversationStatus = 'open' | 'resolved' | 'pending' | 'snoozed';
export type MessageType = 'incoming' | 'outgoing' | 'activity' | 'template';
export type MessageStatus = 'sent' | 'delivered' | 'read' | 'failed';
export type ChannelType = 'Channel::Api' | 'Channel::WebWidget';
export type JsonObject = Record<string, unknown>;

export interface AccountRecord {
	id: number;
	name: string;
	locale: string;
	status: 'active' | 'suspended';
	created_at: number;
}

export interface UserRecord {
	id: number;
	name: string;
	email: string;
	access_token: string;
	pubsub_token: string;
	created_at: number;
}

export interface AccountUserRecord {
	account_id: number;
	user_id: number;
	role: Role;
}

export interface AgentBotRecord {
	id: number;
	name: string;
	access_token: string;
	/** The account the bot was created in; its token works only where it is connected to an inbox (§2). */
	account_id: number;
}

export interface InboxRecord {
	id: number;
	account_id: number;
	channel_id: number;
	channel_type: ChannelType;
	name: string;
	/** API channel columns (§3.1). */
	webhook_url: string | null;
	hmac_mandatory: boolean;
	hmac_token: string;
	identifier: string;
	secret: string | null;
	additional_attributes: JsonObject;
	/** Web widget columns, only so that a non-API inbox exists for the 403/422 quirks. */
	website_url: string | null;
	website_token: string | null;
	widget_color: string | null;
	enable_auto_assignment: boolean;
	greeting_enabled: boolean;
	greeting_message: string | null;
	enable_email_collect: boolean;
	csat_survey_enabled: boolean;
	working_hours_enabled: boolean;
	out_of_office_message: string | null;
	timezone: string;
	allow_messages_after_resolved: boolean;
	lock_to_single_conversation: boolean;
	sender_name_type: string;
	business_name: string | null;
	/** Agents assigned to the inbox; agent-role tokens only see these inboxes (§2). */
	member_ids: number[];
	/** An active agent bot makes new conversations start `pending` (§3.1). */
	agent_bot_id: number | null;
	created_at: number;
	updated_at: number;
}

export interface ContactRecord {
	id: number;
	account_id: number;
	name: string;
	email: string | null;
	phone_number: string | null;
	identifier: string | null;
	blocked: boolean;
	additional_attributes: JsonObject;
	custom_attributes: JsonObject;
	last_activity_at: number | null;
	created_at: number;
	updated_at: number;
}

export interface ContactInboxRecord {
	id: number;
	contact_id: number;
	inbox_id: number;
	source_id: string;
	hmac_verified: boolean;
	pubsub_token: string;
	created_at: number;
	updated_at: number;
}

export interface ConversationRecord {
	id: number;
	/** The number used in REST URLs and in webhooks as `conversation.id` (§1.10). */
	display_id: number;
	uuid: string;
	account_id: number;
	inbox_id: number;
	contact_id: number;
	contact_inbox_id: number;
	status: ConversationStatus;
	priority: string | null;
	snoozed_until: number | null;
	assignee_id: number | null;
	team_id: number | null;
	additional_attributes: JsonObject;
	custom_attributes: JsonObject;
	labels: string[];
	muted: boolean;
	waiting_since: number | null;
	first_reply_created_at: number | null;
	agent_last_seen_at: number | null;
	assignee_last_seen_at: number | null;
	contact_last_seen_at: number | null;
	last_activity_at: number;
	created_at: number;
	updated_at: number;
}

export interface MessageRecord {
	id: number;
	account_id: number;
	inbox_id: number;
	/** Database id of the conversation (not the display id). */
	conversation_id: number;
	message_type: MessageType;
	content: string | null;
	content_type: string;
	content_attributes: JsonObject;
	additional_attributes: JsonObject;
	external_source_ids: JsonObject;
	private: boolean;
	status: MessageStatus;
	/** Free text, not unique, never changeable (§1.3). */
	source_id: string | null;
	sender_type: 'Contact' | 'User' | 'AgentBot' | null;
	sender_id: number | null;
	created_at: number;
	updated_at: number;
}

export interface AttachmentRecord {
	id: number;
	message_id: number;
	account_id: number;
	file_type: string;
	extension: string | null;
	blob_id: number;
	/** `is_voice_message` marks audio attachments as voice notes (§3.5); kept here, not serialized. */
	is_voice_message: boolean;
	/**
	 * `attachments.meta` as the message builders write it (docs/voice-notes.md): `{is_voice_message: true}` for audio
	 * under `is_voice_message` (v4 `tag_voice_message`), `{is_recorded_audio: true}` for the files `is_recorded_audio`
	 * names (earlier builds). Not serialized.
	 */
	meta: Record<string, boolean>;
	width: number | null;
	height: number | null;
}

export interface BlobRecord {
	id: number;
	key: string;
	signed_id: string;
	filename: string;
	content_type: string;
	byte_size: number;
	checksum: string;
	created_at: number;
}

/** What `sb.state` returns: plain copies of every table. */
export interface SandboxState {
	accounts: AccountRecord[];
	users: Array<UserRecord & { accounts: Array<{ id: number; role: Role }> }>;
	agentBots: AgentBotRecord[];
	inboxes: InboxRecord[];
	contacts: ContactRecord[];
	contactInboxes: ContactInboxRecord[];
	conversations: ConversationRecord[];
	messages: MessageRecord[];
	attachments: AttachmentRecord[];
	blobs: BlobRecord[];
}

export interface UserSeed {
	id?: number;
	name?: string;
	email?: string;
	role: Role;
	token: string;
}

export interface AgentBotSeed {
	id?: number;
	name?: string;
	token: string;
}

export interface AccountSeed {
	id: number;
	name?: string;
	locale?: string;
	status?: 'active' | 'suspended';
	users?: UserSeed[];
	agentBots?: AgentBotSeed[];
}
