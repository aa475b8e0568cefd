/**
 * The typed Chatwoot Application-API client of the bridge: one method per step the bridge takes, each with its
 * idempotency stated (it drives retries, see retry.ts) and its answer checked by a schema. No n8n imports: the
 * transport is an injected SendRequest (nodes/shared/transport in n8n, test/support/nodeSend.ts in tests).
 */
import { compact } from './compact';
import { invalidBody } from './errors';
import { messageJson, messageMultipart, type MessageInput } from './messageBody';
import type { ChatwootRequest, HttpMethod, SendRequest } from './request';
import { createChatwootHttp, type CallOptions, type ChatwootCall, type ChatwootHttpOptions } from './retry';
import {
	contactCreateResultSchema,
	contactInboxSchema,
	contactListSchema,
	contactSchema,
	contactUpdateResultSchema,
	conversationListSchema,
	conversationSchema,
	inboxListSchema,
	inboxSchema,
	messageListSchema,
	messageSchema,
	profileSchema,
	queuedDeletionSchema,
	toggleStatusResultSchema,
	type Contact,
	type ContactCreateResult,
	type ContactInbox,
	type Conversation,
	type Inbox,
	type Message,
	type Profile,
	type ToggleStatusResult,
} from './schemas';

export type { MessageAttachment, MessageInput, MessageType } from './messageBody';

export type ConversationStatus = 'open' | 'resolved' | 'pending' | 'snoozed';
export type MessageStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface CreateApiInboxInput {
	name: string;
	webhookUrl?: string;
	/** Channel settings (our integration record lives here, docs/architecture.md, State). */
	additionalAttributes?: Record<string, unknown>;
	lockToSingleConversation?: boolean;
	hmacMandatory?: boolean;
	enableAutoAssignment?: boolean;
	greetingEnabled?: boolean;
	greetingMessage?: string;
}

export interface UpdateInboxInput {
	name?: string;
	/** `''` clears it. */
	webhookUrl?: string;
	/** Replaces the WHOLE object (docs/chatwoot-behaviour.md, Inboxes): read, merge, write. */
	additionalAttributes?: Record<string, unknown>;
	lockToSingleConversation?: boolean;
	hmacMandatory?: boolean;
}

export interface ContactFields {
	name?: string;
	/** The chat JID (docs/architecture.md, State). */
	identifier?: string;
	/** Strict E.164, e.g. `+5511987654321`. */
	phone?: string;
	email?: string;
	avatarUrl?: string;
	blocked?: boolean;
	additionalAttributes?: Record<string, unknown>;
	customAttributes?: Record<string, unknown>;
}

export interface CreateContactInput extends ContactFields {
	inboxId: number;
	/** The contact inbox `source_id`: the chat JID. */
	sourceId: string;
}

export type ContactFilter = { identifier: string; phone?: never } | { phone: string; identifier?: never };

export interface CreateConversationInput {
	inboxId: number;
	contactId: number;
	/**
	 * Always pass the chat's source id, or Chatwoot creates an orphan contact inbox (docs/chatwoot-behaviour.md,
	 * Conversations).
	 */
	sourceId: string;
	status?: 'open' | 'pending' | 'resolved';
	assigneeId?: number;
	teamId?: number;
	additionalAttributes?: Record<string, unknown>;
	customAttributes?: Record<string, unknown>;
	/** First message, built like `createMessage` (no attachments). */
	message?: Omit<MessageInput, 'attachments'>;
}

export interface ChatwootClientOptions {
	http: ChatwootCall;
	accountId: number | string;
}

/** Chatwoot's `phone_number` rule (docs/chatwoot-behaviour.md, Contacts). */
const E164 = /^\+[1-9]\d{1,14}$/;
const WEBHOOK_URL_MAX = 2048;

/** Chatwoot ids are positive integers; anything else (e.g. from an expression) fails before it is sent. */
function idOf(field: string, value: number | string): number {
	const text = String(value);
	if (!/^[1-9]\d*$/.test(text)) throw invalidBody(field, `expected a positive integer id (got "${text}")`);
	return Number(text);
}

/** An id as a URL path segment. */
function segment(field: string, value: number | string): string {
	return encodeURIComponent(String(idOf(field, value)));
}

function nonEmpty(field: string, value: string | undefined): string {
	if (typeof value !== 'string' || value.trim() === '') throw invalidBody(field, 'must not be empty');
	return value;
}

function contactBody(fields: ContactFields): Record<string, unknown> {
	if (fields.phone !== undefined && !E164.test(fields.phone)) {
		throw invalidBody('phone_number', `expected E.164 such as +5511987654321 (got "${fields.phone}")`);
	}
	return compact({
		name: fields.name,
		identifier: fields.identifier,
		phone_number: fields.phone,
		email: fields.email,
		avatar_url: fields.avatarUrl,
		blocked: fields.blocked,
		additional_attributes: fields.additionalAttributes,
		custom_attributes: fields.customAttributes,
	});
}

function checkWebhookUrl(url: string | undefined): void {
	if (url !== undefined && url.length > WEBHOOK_URL_MAX) {
		throw invalidBody('channel.webhook_url', `at most ${WEBHOOK_URL_MAX} characters (got ${url.length})`);
	}
}

/**
 * `+55 (11) 98765-4321` and `+5511987654321` compare equal, as Chatwoot's filter normalises phones
 * (docs/chatwoot-behaviour.md, Contacts).
 */
function phoneDigits(phone: string | null | undefined): string {
	return (phone ?? '').replace(/[^\d]/g, '');
}

/**
 * `/contacts/search` matches substrings (docs/chatwoot-behaviour.md, Contacts): keep only the contacts whose phone or
 * identifier is exactly the one asked for.
 */
export function exactContactMatches(
	contacts: Contact[],
	wanted: { phone?: string; identifier?: string },
): Contact[] {
	const phone = phoneDigits(wanted.phone);
	return contacts.filter(
		(contact) =>
			(phone !== '' && phoneDigits(contact.phone_number) === phone) ||
			(wanted.identifier !== undefined && contact.identifier === wanted.identifier),
	);
}

export class ChatwootClient {
	readonly http: ChatwootCall;
	readonly accountId: number | string;
	private readonly base: string;

	constructor(options: ChatwootClientOptions) {
		this.http = options.http;
		this.accountId = options.accountId;
		this.base = `/api/v1/accounts/${segment('accountId', options.accountId)}`;
	}

	/** Client over a plain SendRequest with the default call policy. */
	static over(send: SendRequest, options: ChatwootHttpOptions): ChatwootClient {
		return new ChatwootClient({ http: createChatwootHttp(send, options), accountId: options.accountId });
	}

	private request(
		method: HttpMethod,
		path: string,
		idempotent: boolean,
		extra: Partial<ChatwootRequest> = {},
	): ChatwootRequest {
		return { method, path: `${this.base}${path}`, idempotent, ...extra };
	}

	// --- profile and inboxes ------------------------------------------------------------------------------------

	/**
	 * `GET /api/v1/profile` (no account prefix): the cheap credential check (docs/chatwoot-behaviour.md, Tokens and error
	 * answers). The token is stripped.
	 */
	profile(): Promise<Profile> {
		return this.http({ method: 'GET', path: '/api/v1/profile', idempotent: true }, profileSchema);
	}

	async listInboxes(): Promise<Inbox[]> {
		return (await this.http(this.request('GET', '/inboxes', true), inboxListSchema)).payload;
	}

	getInbox(inboxId: number): Promise<Inbox> {
		return this.http(this.request('GET', `/inboxes/${segment('inboxId', inboxId)}`, true), inboxSchema);
	}

	/** Not idempotent: a second POST makes a second inbox. */
	createApiInbox(input: CreateApiInboxInput): Promise<Inbox> {
		checkWebhookUrl(input.webhookUrl);
		const body = compact({
			name: nonEmpty('name', input.name),
			lock_to_single_conversation: input.lockToSingleConversation,
			enable_auto_assignment: input.enableAutoAssignment,
			greeting_enabled: input.greetingEnabled,
			greeting_message: input.greetingMessage,
			channel: compact({
				type: 'api',
				webhook_url: input.webhookUrl,
				hmac_mandatory: input.hmacMandatory,
				additional_attributes: input.additionalAttributes,
			}),
		});
		return this.http(this.request('POST', '/inboxes', false, { body }), inboxSchema);
	}

	/**
	 * PATCH with absolute values is idempotent. `additionalAttributes` replaces the stored object
	 * (docs/chatwoot-behaviour.md, Inboxes).
	 */
	updateInbox(inboxId: number, input: UpdateInboxInput): Promise<Inbox> {
		checkWebhookUrl(input.webhookUrl);
		const channel = compact({
			webhook_url: input.webhookUrl,
			hmac_mandatory: input.hmacMandatory,
			additional_attributes: input.additionalAttributes,
		});
		const body = compact({
			name: input.name === undefined ? undefined : nonEmpty('name', input.name),
			lock_to_single_conversation: input.lockToSingleConversation,
			channel: Object.keys(channel).length ? channel : undefined,
		});
		if (Object.keys(body).length === 0) throw invalidBody('body', 'nothing to update');
		const path = `/inboxes/${segment('inboxId', inboxId)}`;
		return this.http(this.request('PATCH', path, true, { body }), inboxSchema);
	}

	/**
	 * Deletes an inbox (not in swagger, docs/chatwoot-behaviour.md, Inboxes): admin only, queued as a background job, so
	 * it still shows in a listing for a moment. Marked idempotent: deleting twice is deleting once.
	 */
	async deleteInbox(inboxId: number): Promise<void> {
		await this.http(this.request('DELETE', `/inboxes/${segment('inboxId', inboxId)}`, true), queuedDeletionSchema);
	}

	/**
	 * Rotates the webhook signing secret (not in swagger, docs/chatwoot-behaviour.md, Inboxes). Marked idempotent: a
	 * repeat only rotates again and its answer carries the secret now in force, so the caller never holds a stale one.
	 */
	resetInboxSecret(inboxId: number): Promise<Inbox> {
		const path = `/inboxes/${segment('inboxId', inboxId)}/reset_secret`;
		return this.http(this.request('POST', path, true), inboxSchema);
	}

	// --- contacts --------------------------------------------------------------------------------------------------

	/**
	 * Exact lookup of the contact owning `(inboxId, sourceId)` (not in swagger, docs/chatwoot-behaviour.md, Contact
	 * inboxes). `undefined` when there is none (empty-body 404); an unknown inbox is a JSON 404 and throws `notFound`.
	 */
	findContactByChat(inboxId: number, sourceId: string): Promise<Contact | undefined> {
		const body = { inbox_id: idOf('inboxId', inboxId), source_id: nonEmpty('source_id', sourceId) };
		const options: CallOptions & { absentOnEmpty404: true } = { absentOnEmpty404: true };
		return this.http(this.request('POST', '/contact_inboxes/filter', true, { body }), contactSchema, options);
	}

	/**
	 * Exact match (`equal_to`) on identifier (case-insensitive in Chatwoot) or phone (normalised),
	 * docs/chatwoot-behaviour.md, Contacts.
	 */
	async filterContacts(by: ContactFilter, page?: number): Promise<Contact[]> {
		if (by.identifier !== undefined && by.phone !== undefined) {
			throw invalidBody('filter', 'give identifier or phone, not both');
		}
		const [attributeKey, value] =
			by.identifier !== undefined ? ['identifier', by.identifier] : ['phone_number', by.phone];
		const body = {
			payload: [
				{
					attribute_key: attributeKey,
					filter_operator: 'equal_to',
					values: [nonEmpty(attributeKey, value)],
					query_operator: null,
				},
			],
		};
		const request = this.request('POST', '/contacts/filter', true, { body, query: compact({ page }) });
		return (await this.http(request, contactListSchema)).payload;
	}

	/**
	 * Substring search on name, email, phone, identifier (docs/chatwoot-behaviour.md, Contacts); 15 per page. Compare with
	 * `exactContactMatches` before trusting a hit. The sender encodes `+` as `%2B`.
	 */
	async searchContacts(q: string, page?: number): Promise<Contact[]> {
		const query = compact({ q: nonEmpty('q', q), page });
		return (await this.http(this.request('GET', '/contacts/search', true, { query }), contactListSchema)).payload;
	}

	/**
	 * Creates the contact and its contact inbox in one transaction (docs/chatwoot-behaviour.md, Contacts). Not idempotent.
	 * A 500 is the unique-index race on `(inbox_id, source_id)` or `identifier`: thrown as `conflict` so the caller looks
	 * up and reuses (docs/architecture.md, State).
	 */
	async createContact(input: CreateContactInput): Promise<ContactCreateResult> {
		const body = {
			inbox_id: idOf('inboxId', input.inboxId),
			source_id: nonEmpty('source_id', input.sourceId),
			...contactBody(input),
		};
		const request = this.request('POST', '/contacts', false, { body });
		return (await this.http(request, contactCreateResultSchema, { conflictOn500: true })).payload;
	}

	/** PUT with absolute values; attributes are merged by Chatwoot, so a repeat changes nothing. */
	async updateContact(contactId: number, fields: ContactFields): Promise<Contact> {
		const body = contactBody(fields);
		if (Object.keys(body).length === 0) throw invalidBody('body', 'nothing to update');
		const request = this.request('PUT', `/contacts/${segment('contactId', contactId)}`, true, { body });
		return (await this.http(request, contactUpdateResultSchema)).payload;
	}

	/**
	 * Attaches `sourceId` in `inboxId` to the contact. Idempotent in Chatwoot (same contact again returns the row);
	 * a `sourceId` owned by another contact is a 500 → `conflict` (docs/chatwoot-behaviour.md, Contact inboxes).
	 */
	createContactInbox(contactId: number, inboxId: number, sourceId: string): Promise<ContactInbox> {
		const body = { inbox_id: idOf('inboxId', inboxId), source_id: nonEmpty('source_id', sourceId) };
		const path = `/contacts/${segment('contactId', contactId)}/contact_inboxes`;
		return this.http(this.request('POST', path, true, { body }), contactInboxSchema, { conflictOn500: true });
	}

	// --- conversations ---------------------------------------------------------------------------------------------

	/**
	 * All inboxes and statuses, newest activity first, at most 20 (docs/chatwoot-behaviour.md, Contacts): filter on the
	 * client.
	 */
	async listContactConversations(contactId: number): Promise<Conversation[]> {
		const path = `/contacts/${segment('contactId', contactId)}/conversations`;
		return (await this.http(this.request('GET', path, true), conversationListSchema)).payload;
	}

	getConversation(displayId: number): Promise<Conversation> {
		const path = `/conversations/${segment('displayId', displayId)}`;
		return this.http(this.request('GET', path, true), conversationSchema);
	}

	/**
	 * Not idempotent: Chatwoot always creates a new conversation (unless the inbox locks to one),
	 * docs/chatwoot-behaviour.md, Conversations.
	 */
	createConversation(input: CreateConversationInput): Promise<Conversation> {
		const body = compact({
			inbox_id: idOf('inboxId', input.inboxId),
			contact_id: idOf('contactId', input.contactId),
			source_id: nonEmpty('source_id', input.sourceId),
			status: input.status,
			assignee_id: input.assigneeId,
			team_id: input.teamId,
			additional_attributes: input.additionalAttributes,
			custom_attributes: input.customAttributes,
			message: input.message ? messageJson(input.message) : undefined,
		});
		return this.http(this.request('POST', '/conversations', false, { body }), conversationSchema);
	}

	/** Setting an explicit status is idempotent. `snoozedUntil` in unix seconds. */
	async toggleConversationStatus(
		displayId: number,
		status: ConversationStatus,
		snoozedUntil?: number,
	): Promise<ToggleStatusResult> {
		const body = compact({ status, snoozed_until: status === 'snoozed' ? snoozedUntil : undefined });
		const path = `/conversations/${segment('displayId', displayId)}/toggle_status`;
		return (await this.http(this.request('POST', path, true, { body }), toggleStatusResultSchema)).payload;
	}

	// --- messages --------------------------------------------------------------------------------------------------

	/** Latest 20 by default; `after` up to 100 ascending; `before` 20 (docs/chatwoot-behaviour.md, Messages). */
	async listMessages(displayId: number, range: { before?: number; after?: number } = {}): Promise<Message[]> {
		const query = compact({
			before: range.before === undefined ? undefined : idOf('before', range.before),
			after: range.after === undefined ? undefined : idOf('after', range.after),
		});
		const path = `/conversations/${segment('displayId', displayId)}/messages`;
		return (await this.http(this.request('GET', path, true, { query }), messageListSchema)).payload;
	}

	/**
	 * JSON without attachments, multipart with them. Not idempotent: Chatwoot accepts duplicates
	 * (docs/chatwoot-behaviour.md, Identity and uniqueness).
	 */
	createMessage(displayId: number, input: MessageInput): Promise<Message> {
		const path = `/conversations/${segment('displayId', displayId)}/messages`;
		const payload = input.attachments?.length
			? { multipart: messageMultipart(input) }
			: { body: messageJson(input) };
		return this.http(this.request('POST', path, false, payload), messageSchema);
	}

	/**
	 * Delivery status of a message of an API inbox (not in swagger, docs/chatwoot-behaviour.md, Messages). `externalError`
	 * is sent only with `failed`, the only status Chatwoot keeps it with.
	 */
	updateMessageStatus(
		displayId: number,
		messageId: number,
		status: MessageStatus,
		externalError?: string,
	): Promise<Message> {
		const body = compact({ status, external_error: status === 'failed' ? externalError : undefined });
		const path = `/conversations/${segment('displayId', displayId)}/messages/${segment('messageId', messageId)}`;
		return this.http(this.request('PATCH', path, true, { body }), messageSchema);
	}

	/** Soft delete; deleting again leaves the same state (docs/chatwoot-behaviour.md, Messages). */
	deleteMessage(displayId: number, messageId: number): Promise<Message> {
		const path = `/conversations/${segment('displayId', displayId)}/messages/${segment('messageId', messageId)}`;
		return this.http(this.request('DELETE', path, true), messageSchema);
	}
}
