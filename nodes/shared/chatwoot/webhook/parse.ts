/**
 * Defensive parsing of API-inbox webhook bodies (docs/chatwoot-behaviour.md, Webhooks of an API inbox and Webhook
 * payloads) into one typed event union. Chatwoot mixes types in one payload: top-level `message_type` is a string and
 * `created_at` an ISO string, while nested messages and REST use integers; both forms are accepted everywhere. Anything
 * unusable fails with a ChatwootWebhookParseError that names the field.
 */
import { z } from 'zod';

export const CHATWOOT_MESSAGE_TYPES = ['incoming', 'outgoing', 'activity', 'template'] as const;
export type ChatwootMessageType = (typeof CHATWOOT_MESSAGE_TYPES)[number];

export type ChatwootMessageEventName = 'message_created' | 'message_updated';
export type ChatwootConversationEventName = 'conversation_created' | 'conversation_updated' | 'conversation_status_changed';
export type ChatwootTypingEventName = 'conversation_typing_on' | 'conversation_typing_off';

export interface ChatwootConversationRef {
	/**
	 * `conversation.id` in webhooks is the display id, the one REST URLs use (docs/chatwoot-behaviour.md, Webhook
	 * payloads).
	 */
	displayId: number;
	status: string;
	inboxId: number;
	/** The contact inbox's `source_id`: the chat JID when the bridge created the contact (docs/architecture.md, State). */
	contactInbox: { sourceId: string | null };
	meta: {
		sender: {
			identifier: string | null;
			phoneNumber: string | null;
			name: string | null;
			/** The contact's additional attributes; the bridge keeps its agent-message links there (agentLinks.ts). */
			additionalAttributes: Record<string, unknown>;
		};
	};
}

export interface ChatwootSender {
	id: number;
	name: string;
	/** `user`, `agent_bot`, `captain_assistant`, …; absent for contacts (docs/chatwoot-behaviour.md, Webhook payloads). */
	type?: string;
}

export interface ChatwootContentAttributes {
	deleted: boolean;
	/** Set by a failed delivery or a `failed` status PATCH (docs/chatwoot-behaviour.md, Webhooks of an API inbox). */
	externalError?: string;
	/** Chatwoot id of the quoted message. */
	inReplyTo?: number;
	/** `source_id` of the quoted message (`WAID:<id>` for messages the bridge posted). */
	inReplyToExternalId?: string;
	/** `true` on messages mirrored from the phone (docs/chatwoot-behaviour.md, Messages). */
	externalEcho: boolean;
	/** Everything Chatwoot sent, for builders who need keys not modelled here (items of input_select, …). */
	raw: Record<string, unknown>;
}

export interface ChatwootAttachment {
	id: number;
	/**
	 * `image audio video file location fallback share story_mention contact …` (docs/chatwoot-behaviour.md, Webhook
	 * payloads).
	 */
	fileType: string;
	extension: string | null;
	contentType: string | null;
	dataUrl: string | null;
	thumbUrl: string | null;
	fileSize: number | null;
	coordinatesLat: number | null;
	coordinatesLong: number | null;
	fallbackTitle: string | null;
}

export interface ChatwootMessageEvent {
	kind: 'message';
	event: ChatwootMessageEventName;
	id: number;
	/** Raw composer markdown; `''` when Chatwoot sent null (attachment-only messages). */
	content: string;
	messageType: ChatwootMessageType;
	private: boolean;
	sourceId: string | null;
	contentType: string;
	contentAttributes: ChatwootContentAttributes;
	/** Unix seconds; absent when the payload had no `created_at`. */
	createdAt?: number;
	/** `[]` when the key is absent, which is how Chatwoot says "no attachments". */
	attachments: ChatwootAttachment[];
	/** `null` for automations and campaigns. */
	sender: ChatwootSender | null;
	conversation: ChatwootConversationRef;
	inbox: { id: number };
	account: { id: number };
}

export interface ChatwootAttributeChange {
	attribute: string;
	previousValue: unknown;
	currentValue: unknown;
}

export interface ChatwootConversationEvent {
	kind: 'conversation';
	event: ChatwootConversationEventName;
	conversation: ChatwootConversationRef;
	status: string;
	/**
	 * `null` for conversation_status_changed (always, v4.15.1) and conversation_created (docs/chatwoot-behaviour.md,
	 * Webhook payloads).
	 */
	changedAttributes: ChatwootAttributeChange[] | null;
	/** Present from Chatwoot v4.14.2 on. */
	accountId?: number;
}

export interface ChatwootTypingEvent {
	kind: 'typing';
	event: ChatwootTypingEventName;
	conversation: ChatwootConversationRef;
	/** Who types: an agent (`type: "user"`) or, through the Client API, the contact. */
	user: ChatwootSender | null;
	/** True while an agent types a private note. */
	isPrivate: boolean;
	accountId?: number;
}

/** Events the bridge has no model for (`webwidget_triggered`, future ones): kept so the filter can name them. */
export interface ChatwootOtherEvent {
	kind: 'other';
	event: string;
}

export type ChatwootWebhookEvent = ChatwootMessageEvent | ChatwootConversationEvent | ChatwootTypingEvent | ChatwootOtherEvent;

export class ChatwootWebhookParseError extends Error {
	constructor(
		readonly field: string,
		readonly reason: string,
	) {
		super(`invalid Chatwoot webhook: ${field}: ${reason}`);
		this.name = 'ChatwootWebhookParseError';
	}
}

// ---- value converters: `undefined` means "not acceptable" ----

function describe(value: unknown): string {
	if (value === undefined) return 'nothing (missing)';
	if (value === null) return 'null';
	if (typeof value === 'string') return `string "${value.length > 30 ? `${value.slice(0, 30)}…` : value}"`;
	if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
	return Array.isArray(value) ? 'array' : typeof value;
}

function toId(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
	if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
	return undefined;
}

function toMessageType(value: unknown): ChatwootMessageType | undefined {
	if (typeof value === 'string' && (CHATWOOT_MESSAGE_TYPES as readonly string[]).includes(value)) {
		return value as ChatwootMessageType;
	}
	const index = toId(value);
	return index !== undefined ? CHATWOOT_MESSAGE_TYPES[index] : undefined;
}

/** ISO-8601 (webhook top level) or unix seconds (nested, REST); milliseconds are recognised by size. */
function toUnixSeconds(value: unknown): number | undefined {
	const numeric = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
	if (typeof numeric === 'number' && Number.isFinite(numeric) && numeric >= 0) {
		return Math.floor(numeric > 1e11 ? numeric / 1000 : numeric);
	}
	if (typeof value !== 'string') return undefined;
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

function toNumber(value: unknown): number | undefined {
	const numeric = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof numeric === 'number' && Number.isFinite(numeric) ? numeric : undefined;
}

function toText(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

function toBoolean(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (value === 'true' || value === 'false') return value === 'true';
	return undefined;
}

/** Older servers and some proxies hand `content_attributes` over as a JSON string. */
function toAttributes(value: unknown): Record<string, unknown> | undefined {
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = value.trim() === '' ? {} : JSON.parse(value);
		} catch {
			return undefined;
		}
	}
	return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
		? (parsed as Record<string, unknown>)
		: undefined;
}

function required<T>(expected: string, convert: (value: unknown) => T | undefined) {
	return z.unknown().transform((value, ctx): T => {
		const out = convert(value);
		if (out !== undefined) return out;
		ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected ${expected}, got ${describe(value)}` });
		return z.NEVER;
	});
}

/** null and absent become `null`; anything else must convert. */
function optional<T>(expected: string, convert: (value: unknown) => T | undefined) {
	return z.unknown().transform((value, ctx): T | null => {
		if (value === null || value === undefined) return null;
		const out = convert(value);
		if (out !== undefined) return out;
		ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected ${expected} or null, got ${describe(value)}` });
		return z.NEVER;
	});
}

function typeError(expected: string) {
	return { errorMap: (_: unknown, ctx: { data: unknown }) => ({ message: `expected ${expected}, got ${describe(ctx.data)}` }) };
}
const objectError = typeError('an object');

// ---- schemas of the raw payload (snake_case as Chatwoot sends it) ----

const idField = required('an integer id', toId);
const textOrNull = optional('a string', toText);

const actorSchema = z
	.object({ id: idField, name: textOrNull, type: textOrNull }, objectError)
	.nullish();

const conversationSchema = z.object(
	{
		id: idField,
		inbox_id: idField,
		status: required('a conversation status string', toText),
		contact_inbox: z.object({ source_id: textOrNull }, objectError).nullish(),
		meta: z
			.object(
				{
					sender: z
						.object(
							// Hostile input: only a plain object of additional attributes is kept, anything else reads as none.
							{ identifier: textOrNull, phone_number: textOrNull, name: textOrNull, additional_attributes: z.unknown().optional() },
							objectError,
						)
						.nullish(),
				},
				objectError,
			)
			.nullish(),
		account: z.object({ id: idField }, objectError).nullish(),
	},
	objectError,
);

const attachmentSchema = z.object(
	{
		id: idField,
		file_type: required('a file type string', toText),
		extension: textOrNull,
		content_type: textOrNull,
		data_url: textOrNull,
		thumb_url: textOrNull,
		file_size: optional('a number', toNumber),
		coordinates_lat: optional('a number', toNumber),
		coordinates_long: optional('a number', toNumber),
		fallback_title: textOrNull,
	},
	objectError,
);

const messageSchema = z.object(
	{
		id: idField,
		content: textOrNull,
		message_type: required('one of incoming, outgoing, activity, template or 0-3', toMessageType),
		private: required('a boolean', toBoolean),
		source_id: textOrNull,
		content_type: textOrNull,
		content_attributes: optional('an object or a JSON object string', toAttributes),
		created_at: optional('an ISO-8601 date or unix seconds', toUnixSeconds),
		attachments: z.array(attachmentSchema, typeError('an array')).nullish(),
		sender: actorSchema,
		conversation: conversationSchema,
		inbox: z.object({ id: idField }, objectError).nullish(),
		account: z.object({ id: idField }, objectError),
	},
	objectError,
);

const conversationEventSchema = conversationSchema.extend({
	changed_attributes: z.unknown(),
	account: z.object({ id: idField }, objectError).nullish(),
});

const typingSchema = z.object(
	{
		user: actorSchema,
		conversation: conversationSchema,
		is_private: optional('a boolean', toBoolean),
	},
	objectError,
);

// ---- mapping to the typed model ----

type RawConversation = z.infer<typeof conversationSchema>;
type RawActor = z.infer<typeof actorSchema>;

function plainObject(value: unknown): Record<string, unknown> {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function toConversationRef(raw: RawConversation): ChatwootConversationRef {
	const sender = raw.meta?.sender;
	return {
		displayId: raw.id,
		status: raw.status,
		inboxId: raw.inbox_id,
		contactInbox: { sourceId: raw.contact_inbox?.source_id ?? null },
		meta: {
			sender: {
				identifier: sender?.identifier ?? null,
				phoneNumber: sender?.phone_number ?? null,
				name: sender?.name ?? null,
				additionalAttributes: plainObject(sender?.additional_attributes),
			},
		},
	};
}

function toSender(raw: RawActor): ChatwootSender | null {
	if (!raw) return null;
	const sender: ChatwootSender = { id: raw.id, name: raw.name ?? '' };
	if (raw.type) sender.type = raw.type;
	return sender;
}

function toContentAttributes(raw: Record<string, unknown>): ChatwootContentAttributes {
	const attributes: ChatwootContentAttributes = {
		deleted: toBoolean(raw.deleted) === true,
		externalEcho: toBoolean(raw.external_echo) === true,
		raw,
	};
	if (typeof raw.external_error === 'string' && raw.external_error !== '') attributes.externalError = raw.external_error;
	const inReplyTo = toId(raw.in_reply_to);
	if (inReplyTo !== undefined) attributes.inReplyTo = inReplyTo;
	if (typeof raw.in_reply_to_external_id === 'string' && raw.in_reply_to_external_id !== '') {
		attributes.inReplyToExternalId = raw.in_reply_to_external_id;
	}
	return attributes;
}

/** `[{"status": {"previous_value": "open", "current_value": "resolved"}}, …]`, flattened; odd shapes become null. */
function toChanges(raw: unknown): ChatwootAttributeChange[] | null {
	if (!Array.isArray(raw)) return null;
	const changes: ChatwootAttributeChange[] = [];
	for (const entry of raw) {
		if (typeof entry !== 'object' || entry === null) continue;
		for (const [attribute, change] of Object.entries(entry as Record<string, unknown>)) {
			const values = (typeof change === 'object' && change !== null ? change : {}) as Record<string, unknown>;
			changes.push({ attribute, previousValue: values.previous_value, currentValue: values.current_value });
		}
	}
	return changes;
}

function parseWith<S extends z.ZodTypeAny>(schema: S, body: unknown): z.infer<S> {
	const result = schema.safeParse(body);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	throw new ChatwootWebhookParseError(issue.path.length ? issue.path.join('.') : 'body', issue.message);
}

function toMessageEvent(event: ChatwootMessageEventName, body: unknown): ChatwootMessageEvent {
	const raw = parseWith(messageSchema, body);
	const conversation = toConversationRef(raw.conversation);
	const message: ChatwootMessageEvent = {
		kind: 'message',
		event,
		id: raw.id,
		content: raw.content ?? '',
		messageType: raw.message_type,
		private: raw.private,
		sourceId: raw.source_id,
		contentType: raw.content_type ?? 'text',
		contentAttributes: toContentAttributes(raw.content_attributes ?? {}),
		attachments: (raw.attachments ?? []).map((a) => ({
			id: a.id,
			fileType: a.file_type,
			extension: a.extension,
			contentType: a.content_type,
			dataUrl: a.data_url,
			thumbUrl: a.thumb_url,
			fileSize: a.file_size,
			coordinatesLat: a.coordinates_lat,
			coordinatesLong: a.coordinates_long,
			fallbackTitle: a.fallback_title,
		})),
		sender: toSender(raw.sender),
		conversation,
		inbox: { id: raw.inbox?.id ?? conversation.inboxId },
		account: { id: raw.account.id },
	};
	if (raw.created_at !== null) message.createdAt = raw.created_at;
	return message;
}

function decodeBody(body: unknown): unknown {
	if (typeof body !== 'string' && !Buffer.isBuffer(body)) return body;
	let problem: string;
	try {
		return JSON.parse(body.toString('utf8'));
	} catch (error) {
		problem = (error as Error).message;
	}
	throw new ChatwootWebhookParseError('body', `not JSON (${problem})`);
}

/** Parses a webhook body: the already-decoded JSON, or the raw string/Buffer the signature was checked on. */
export function parseChatwootWebhook(body: unknown): ChatwootWebhookEvent {
	const decoded = decodeBody(body);
	if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
		throw new ChatwootWebhookParseError('body', `expected a JSON object, got ${describe(decoded)}`);
	}
	const event = (decoded as Record<string, unknown>).event;
	if (typeof event !== 'string' || event === '') {
		throw new ChatwootWebhookParseError('event', `expected an event name, got ${describe(event)}`);
	}
	switch (event) {
		case 'message_created':
		case 'message_updated':
			return toMessageEvent(event, decoded);
		case 'conversation_created':
		case 'conversation_updated':
		case 'conversation_status_changed': {
			const raw = parseWith(conversationEventSchema, decoded);
			const parsed: ChatwootConversationEvent = {
				kind: 'conversation',
				event,
				conversation: toConversationRef(raw),
				status: raw.status,
				changedAttributes: toChanges(raw.changed_attributes),
			};
			if (raw.account) parsed.accountId = raw.account.id;
			return parsed;
		}
		case 'conversation_typing_on':
		case 'conversation_typing_off': {
			const raw = parseWith(typingSchema, decoded);
			const parsed: ChatwootTypingEvent = {
				kind: 'typing',
				event,
				conversation: toConversationRef(raw.conversation),
				user: toSender(raw.user),
				isPrivate: raw.is_private === true,
			};
			if (raw.conversation.account) parsed.accountId = raw.conversation.account.id;
			return parsed;
		}
		default:
			return { kind: 'other', event };
	}
}
