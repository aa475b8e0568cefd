/**
 * Shapes of the Chatwoot v4.15.1 REST answers the bridge reads. Each schema requires only what the bridge uses and
 * lets the rest through (`.passthrough()`); types follow the REST side of docs/chatwoot-behaviour.md, Webhook payloads
 * (integer ids and `message_type`, unix-second times) but accept the webhook forms too, since Chatwoot mixes them.
 */
import { z } from 'zod';

const id = z.number().int();
const attributes = z.record(z.unknown());
/**
 * REST answers use unix seconds; webhooks use ISO strings (docs/chatwoot-behaviour.md, Webhook payloads); conversation
 * `updated_at` is a float.
 */
const time = z.union([z.number(), z.string()]);

/** Inbox JSON. `webhook_url`, `inbox_identifier`, `additional_attributes` exist for API inboxes only, `secret` only
 * for administrator tokens (docs/chatwoot-behaviour.md, Inboxes): optional here, the caller decides what it needs. */
export const inboxSchema = z
	.object({
		id,
		name: z.string(),
		channel_id: id.optional(),
		channel_type: z.string().optional(),
		webhook_url: z.string().nullish(),
		secret: z.string().nullish(),
		inbox_identifier: z.string().nullish(),
		additional_attributes: attributes.nullish(),
		lock_to_single_conversation: z.boolean().nullish(),
	})
	.passthrough();

export const inboxListSchema = z.object({ payload: z.array(inboxSchema) }).passthrough();

/**
 * A contact inbox as nested in contacts and as answered by `POST /contacts/{id}/contact_inboxes`
 * (docs/chatwoot-behaviour.md, Contact inboxes).
 */
export const contactInboxSchema = z
	.object({
		source_id: z.string(),
		inbox: z.object({ id }).passthrough().nullish(),
	})
	.passthrough();

export const contactSchema = z
	.object({
		id,
		name: z.string().nullish(),
		identifier: z.string().nullish(),
		phone_number: z.string().nullish(),
		email: z.string().nullish(),
		additional_attributes: attributes.nullish(),
		custom_attributes: attributes.nullish(),
		contact_inboxes: z.array(contactInboxSchema).optional(),
	})
	.passthrough();

/** `POST /contacts`: `{payload: {contact, contact_inbox: {inbox, source_id}}}`; both null without `inbox_id`. */
export const contactCreateResultSchema = z
	.object({
		payload: z
			.object({
				contact: contactSchema,
				contact_inbox: z
					.object({ source_id: z.string().nullish(), inbox: z.object({ id }).passthrough().nullish() })
					.passthrough()
					.nullish(),
			})
			.passthrough(),
	})
	.passthrough();

/** `PUT /contacts/{id}`: `{payload: contact}`. */
export const contactUpdateResultSchema = z.object({ payload: contactSchema }).passthrough();

/**
 * `GET /contacts/search` and `POST /contacts/filter`: `{meta, payload: [contact]}` (docs/chatwoot-behaviour.md,
 * Contacts).
 */
export const contactListSchema = z
	.object({ meta: attributes.optional(), payload: z.array(contactSchema) })
	.passthrough();

/** Conversation JSON; `id` is the display id used in URLs (docs/chatwoot-behaviour.md, Webhook payloads). */
export const conversationSchema = z
	.object({
		id,
		inbox_id: id,
		status: z.string(),
		account_id: id.optional(),
		contact_inbox: z.object({ source_id: z.string().nullish() }).passthrough().nullish(),
		meta: z
			.object({ sender: z.object({ id }).passthrough().nullish() })
			.passthrough()
			.optional(),
		created_at: time.optional(),
		last_activity_at: time.optional(),
		timestamp: time.optional(),
		custom_attributes: attributes.nullish(),
	})
	.passthrough();

export const conversationListSchema = z.object({ payload: z.array(conversationSchema) }).passthrough();

/** `DELETE /inboxes/{id}` (docs/chatwoot-behaviour.md, Inboxes): `{message}`, the deletion being queued. */
export const queuedDeletionSchema = z.object({ message: z.string().optional() }).passthrough();

/** `POST /conversations/{id}/toggle_status` (docs/chatwoot-behaviour.md, Conversations). */
export const toggleStatusResultSchema = z
	.object({
		payload: z
			.object({
				success: z.boolean(),
				conversation_id: id,
				current_status: z.string(),
				snoozed_until: time.nullish(),
			})
			.passthrough(),
	})
	.passthrough();

export const attachmentSchema = z
	.object({ id, file_type: z.string().nullish(), data_url: z.string().nullish() })
	.passthrough();

/** Message JSON from create, status PATCH, delete and list (docs/chatwoot-behaviour.md, Messages). */
export const messageSchema = z
	.object({
		id,
		content: z.string().nullish(),
		/** Integer 0–3 in REST, a string in webhooks (docs/chatwoot-behaviour.md, Webhook payloads). */
		message_type: z.union([z.number().int(), z.string()]),
		content_type: z.string().nullish(),
		status: z.string().nullish(),
		source_id: z.string().nullish(),
		private: z.boolean().nullish(),
		conversation_id: id.optional(),
		inbox_id: id.optional(),
		content_attributes: z.union([attributes, z.string()]).nullish(),
		created_at: time.optional(),
		attachments: z.array(attachmentSchema).optional(),
		sender: z.object({ id }).passthrough().nullish(),
		echo_id: z.string().nullish(),
	})
	.passthrough();

export const messageListSchema = z
	.object({ meta: attributes.optional(), payload: z.array(messageSchema) })
	.passthrough();

/**
 * `GET /api/v1/profile`. Deliberately NOT passthrough: Chatwoot's user JSON carries `access_token` (the very API
 * token) and `pubsub_token`; only the fields below survive parsing, so the token never reaches an output.
 */
export const profileSchema = z.object({
	id,
	name: z.string().nullish(),
	email: z.string().nullish(),
	display_name: z.string().nullish(),
	role: z.string().nullish(),
	account_id: id.nullish(),
	accounts: z
		.array(
			z.object({
				id,
				name: z.string().nullish(),
				role: z.string().nullish(),
				status: z.string().nullish(),
			}),
		)
		.default([]),
});

export type Inbox = z.infer<typeof inboxSchema>;
export type ContactInbox = z.infer<typeof contactInboxSchema>;
export type Contact = z.infer<typeof contactSchema>;
export type ContactCreateResult = z.infer<typeof contactCreateResultSchema>['payload'];
export type Conversation = z.infer<typeof conversationSchema>;
export type ToggleStatusResult = z.infer<typeof toggleStatusResultSchema>['payload'];
export type Message = z.infer<typeof messageSchema>;
export type Profile = z.infer<typeof profileSchema>;
