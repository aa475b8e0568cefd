/**
 * Messages::MessageBuilder, the Message model's validations and its after-commit callbacks (docs/chatwoot-behaviour.md,
 * Messages): `source_id` verbatim and not unique, quotes resolved inside the conversation, the per-conversation flood
 * guard, reopening on incoming, `waiting_since` / `first_reply_created_at` bookkeeping, and status/delete/retry
 * updates.
 */
import { createBlob, extensionOf, fileTypeFor, findBlobBySignedId } from './attachments';
import { setConversationStatus, saveConversation } from './conversationService';
import type { Actor, Core, EventSink } from './core';
import { castBoolean, isFile, isObject, present, str, toJsonObject, type ParamValue, type Params } from './params';
import type { AttachmentRecord, ConversationRecord, JsonObject, MessageRecord, MessageStatus, MessageType } from './types';

const CONTENT_LIMIT = 150_000;
const MESSAGE_TYPES: MessageType[] = ['incoming', 'outgoing', 'activity', 'template'];
const CONTENT_TYPES = [
	'text',
	'input_text',
	'input_textarea',
	'input_email',
	'input_select',
	'cards',
	'form',
	'article',
	'incoming_email',
	'input_csat',
	'integrations',
	'sticker',
	'voice_call',
];
export const MESSAGE_STATUSES: MessageStatus[] = ['sent', 'delivered', 'read', 'failed'];

/** An error raised in the builder (StandardError / ArgumentError): `422 {"error": text}` from messages#create. */
export class MessageBuildError extends Error {}

/** `ActiveRecord::RecordInvalid` on `save!`: messages#create renders "Validation failed: …". */
export class MessageInvalid extends Error {
	constructor(readonly fullMessages: string[]) {
		super(`Validation failed: ${fullMessages.join(', ')}`);
	}
}

export interface BuiltMessage {
	record: MessageRecord;
	files: Array<{ file: { filename: string; contentType: string; data: Buffer } } | { signedId: string }>;
	isVoiceMessage: boolean;
	/** `is_recorded_audio`: true for every file, or the file names it lists (earlier builds' `process_metadata`). */
	recordedAudio: true | string[] | undefined;
	echoId?: string;
}

/**
 * `is_recorded_audio` as the earlier message builders read it: `true` / `"true"`, an array of file names, or (old
 * format) a JSON string of such an array; anything else marks nothing.
 */
function recordedAudioOf(raw: ParamValue | undefined): true | string[] | undefined {
	if (raw === true || raw === 'true') return true;
	if (Array.isArray(raw)) return raw.filter((name): name is string => typeof name === 'string');
	if (typeof raw !== 'string') return undefined;
	try {
		const parsed: unknown = JSON.parse(raw);
		return Array.isArray(parsed) ? parsed.filter((name): name is string => typeof name === 'string') : undefined;
	} catch {
		return undefined;
	}
}

function messageTypeOf(raw: ParamValue | undefined): MessageType {
	if (raw === undefined || raw === null || raw === '') return 'outgoing';
	const text = String(raw);
	if (MESSAGE_TYPES.includes(text as MessageType)) return text as MessageType;
	if (/^[0-3]$/.test(text)) return MESSAGE_TYPES[Number(text)];
	throw new MessageBuildError(`'${text}' is not a valid message_type`);
}

/** `content_attributes` as an object or a JSON string (handy in multipart); invalid JSON becomes {}. */
function contentAttributesOf(raw: ParamValue | undefined): JsonObject {
	if (typeof raw === 'string') {
		try {
			const parsed = JSON.parse(raw);
			return isObject(parsed) ? (parsed as JsonObject) : {};
		} catch {
			return {};
		}
	}
	return isObject(raw) ? toJsonObject(raw) : {};
}

/**
 * Messages::InReplyToMessageBuilder: looks up the quoted message in THIS conversation by id (when `in_reply_to` is
 * given) or else by source_id, then stores both keys; both become null when nothing matches.
 */
function resolveQuote(core: Core, conversation: ConversationRecord, attributes: JsonObject): void {
	const byId = attributes.in_reply_to;
	const byExternalId = attributes.in_reply_to_external_id;
	if (!present(byId) && !present(byExternalId)) return;
	const messages = core.store.messagesOf(conversation.id);
	const quoted = present(byId)
		? messages.find((m) => String(m.id) === String(byId))
		: messages.find((m) => m.source_id !== null && m.source_id === String(byExternalId));
	attributes.in_reply_to_external_id = quoted?.source_id ?? null;
	attributes.in_reply_to = quoted?.id ?? null;
}

/** Builds and validates a message without storing anything; throws MessageBuildError / MessageInvalid. */
export function buildMessage(
	core: Core,
	conversation: ConversationRecord,
	params: Params,
	actor: Actor | null,
): BuiltMessage {
	const store = core.store;
	const inbox = store.inboxes.get(conversation.inbox_id)!;
	const messageType = messageTypeOf(params.message_type);
	if (messageType === 'incoming' && inbox.channel_type !== 'Channel::Api') {
		throw new MessageBuildError('Incoming messages are only allowed in Api inboxes');
	}
	const contentType = str(params.content_type) || 'text';
	if (!CONTENT_TYPES.includes(contentType)) throw new MessageBuildError(`'${contentType}' is not a valid content_type`);

	const contentAttributes = contentAttributesOf(params.content_attributes);
	// `external_created_at` is display-only: copied into content_attributes, created_at stays server time.
	if (present(params.external_created_at)) contentAttributes.external_created_at = params.external_created_at;
	resolveQuote(core, conversation, contentAttributes);

	const additionalAttributes: JsonObject = {};
	if (present(params.campaign_id)) additionalAttributes.campaign_id = params.campaign_id;
	if (present(params.template_params)) additionalAttributes.template_params = toJsonObject(params.template_params);

	let senderType: MessageRecord['sender_type'] = null;
	let senderId: number | null = null;
	if (messageType === 'outgoing') {
		const botId = str(params.sender_type) === 'AgentBot' ? Number(str(params.sender_id)) : NaN;
		const bot = store.agentBots.get(botId);
		if (bot) [senderType, senderId] = ['AgentBot', bot.id];
		else if (actor?.kind === 'user') [senderType, senderId] = ['User', actor.user.id];
		else if (actor?.kind === 'bot') [senderType, senderId] = ['AgentBot', actor.bot.id];
	} else {
		// Every non-outgoing message built by the API (incoming, template, activity) is sent by the contact.
		[senderType, senderId] = ['Contact', conversation.contact_id];
	}

	const content = params.content === undefined || params.content === null ? null : (str(params.content) ?? null);
	const errors: string[] = [];
	if (content !== null && content.length > CONTENT_LIMIT) {
		errors.push(`Content is too long (maximum is ${CONTENT_LIMIT} characters)`);
	}
	const since = Date.now() - 60_000;
	const recent = store.messagesOf(conversation.id).filter((m) => m.created_at >= since).length;
	if (recent >= core.knobs.conversationMessageLimitPerMinute) errors.push('Too many messages');
	if (errors.length) throw new MessageInvalid(errors);

	const files: BuiltMessage['files'] = [];
	const rawAttachments = params.attachments;
	const list = Array.isArray(rawAttachments) ? rawAttachments : rawAttachments === undefined ? [] : [rawAttachments];
	for (const item of list) {
		if (isFile(item)) files.push({ file: { filename: item.filename, contentType: item.contentType, data: item.data } });
		else if (typeof item === 'string' && item !== '') {
			if (!findBlobBySignedId(core, item)) throw new MessageBuildError("Couldn't find ActiveStorage::Blob with signed id");
			files.push({ signedId: item });
		}
	}
	// NUMBER_OF_PERMITTED_ATTACHMENTS (15) is checked in a before_add callback that only adds an error which
	// `save!` then clears; more attachments are stored anyway (§4: "do not count on a clean 422").

	const now = Date.now();
	const record: MessageRecord = {
		id: 0,
		account_id: conversation.account_id,
		inbox_id: conversation.inbox_id,
		conversation_id: conversation.id,
		message_type: messageType,
		content,
		content_type: contentType,
		content_attributes: contentAttributes,
		additional_attributes: additionalAttributes,
		external_source_ids: {},
		private: castBoolean(params.private) ?? false,
		status: 'sent',
		source_id: str(params.source_id) ?? null,
		sender_type: senderType,
		sender_id: senderId,
		created_at: now,
		updated_at: now,
	};
	return {
		record,
		files,
		isVoiceMessage: castBoolean(params.is_voice_message) === true,
		recordedAudio: recordedAudioOf(params.is_recorded_audio),
		echoId: str(params.echo_id),
	};
}

/** What the builders write into `attachments.meta` for one file (voice-note flags only). */
function attachmentMeta(built: BuiltMessage, fileType: string, filename: string): Record<string, boolean> {
	const meta: Record<string, boolean> = {};
	const recorded = built.recordedAudio;
	if (recorded === true || recorded?.includes(filename)) meta.is_recorded_audio = true;
	if (built.isVoiceMessage && fileType === 'audio') meta.is_voice_message = true;
	return meta;
}

/** "Human response": an outgoing message written by a user (not a bot, automation or campaign). */
function isHumanResponse(message: MessageRecord): boolean {
	return (
		message.message_type === 'outgoing' &&
		message.sender_type === 'User' &&
		!present(message.content_attributes.automation_rule_id) &&
		!present(message.additional_attributes.campaign_id)
	);
}

/** INSERT + Message#execute_after_create_commit_callbacks. */
export function insertMessage(core: Core, built: BuiltMessage, sink: EventSink, actor: Actor | null): MessageRecord {
	const store = core.store;
	const message = built.record;
	message.id = store.nextId('messages');
	store.addMessage(message);
	for (const item of built.files) {
		const blob = 'file' in item ? createBlob(core, item.file) : findBlobBySignedId(core, item.signedId)!;
		const fileType = fileTypeFor(blob.content_type);
		const attachment: AttachmentRecord = {
			id: store.nextId('attachments'),
			message_id: message.id,
			account_id: message.account_id,
			file_type: fileType,
			extension: extensionOf(blob.filename),
			blob_id: blob.id,
			is_voice_message: built.isVoiceMessage && fileType === 'audio',
			meta: attachmentMeta(built, fileType, blob.filename),
			width: null,
			height: null,
		};
		store.addAttachment(attachment);
	}
	const conversation = store.conversations.get(message.conversation_id)!;

	// reopen_conversation: incoming only; snoozed → open, resolved → open (pending with an active bot) (§3.4).
	if (message.message_type === 'incoming' && !conversation.muted) {
		if (conversation.status === 'snoozed') setConversationStatus(core, conversation, 'open', sink, actor);
		else if (conversation.status === 'resolved') {
			const inbox = store.inboxes.get(conversation.inbox_id);
			setConversationStatus(core, conversation, inbox?.agent_bot_id != null ? 'pending' : 'open', sink, actor);
		}
	}
	// set_conversation_activity: update_columns, so no callbacks and no event.
	conversation.last_activity_at = message.created_at;
	sink.emit({ name: 'message_created', messageId: message.id });

	const validFirstReply =
		isHumanResponse(message) &&
		!message.private &&
		conversation.first_reply_created_at === null &&
		store
			.messagesOf(conversation.id)
			.filter((m) => m.message_type === 'outgoing' && m.sender_type !== 'AgentBot' && !m.private).length <= 1;
	if (validFirstReply) {
		saveConversation(core, conversation, { first_reply_created_at: message.created_at, waiting_since: null }, sink, actor);
	} else {
		if (isHumanResponse(message) && !message.private && conversation.waiting_since !== null) {
			saveConversation(core, conversation, { waiting_since: null }, sink, actor);
		}
		if (message.message_type === 'incoming' && conversation.waiting_since === null) {
			saveConversation(core, conversation, { waiting_since: message.created_at }, sink, actor);
		}
	}
	// update_contact_activity (contact_updated goes to account webhooks only).
	if (message.sender_type === 'Contact') {
		const contact = store.contacts.get(message.sender_id!);
		if (contact) contact.last_activity_at = Date.now();
	}
	return message;
}

/** `message.update!(...)`: emits `message_updated` only when something actually changed (§5.3). */
export function saveMessage(core: Core, message: MessageRecord, patch: Partial<MessageRecord>, sink: EventSink): boolean {
	const changed = Object.entries(patch).some(
		([key, value]) => JSON.stringify((message as unknown as Record<string, unknown>)[key]) !== JSON.stringify(value),
	);
	if (!changed) return false;
	Object.assign(message, patch, { updated_at: Math.max(Date.now(), message.updated_at + 1) });
	sink.emit({ name: 'message_updated', messageId: message.id });
	return true;
}

/**
 * Messages::StatusUpdateService: unknown statuses and the read → delivered downgrade are ignored; the
 * `external_error` store accessor is written on every update, with the reason only for `failed` (§3.5).
 */
export function updateMessageStatus(
	core: Core,
	message: MessageRecord,
	status: string,
	externalError: string | null | undefined,
	sink: EventSink,
): boolean {
	if (!MESSAGE_STATUSES.includes(status as MessageStatus)) return false;
	if (message.status === 'read' && status === 'delivered') return false;
	const contentAttributes = {
		...message.content_attributes,
		external_error: status === 'failed' ? (externalError ?? null) : null,
	};
	return saveMessage(core, message, { status: status as MessageStatus, content_attributes: contentAttributes }, sink);
}

/** Soft delete (§3.5): fixed text, `content_attributes` = {deleted: true}, attachments destroyed. */
export function softDeleteMessage(core: Core, message: MessageRecord, sink: EventSink): void {
	core.store.removeAttachments(message.id);
	saveMessage(
		core,
		message,
		{ content: 'This message was deleted', content_type: 'text', content_attributes: { deleted: true } },
		sink,
	);
}

/** The dashboard's "retry": status back to sent, content_attributes reset (two saves, two events). */
export function retryMessage(core: Core, message: MessageRecord, sink: EventSink): void {
	updateMessageStatus(core, message, 'sent', null, sink);
	saveMessage(core, message, { content_attributes: {} }, sink);
}
