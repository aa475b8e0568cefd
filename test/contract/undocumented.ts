/**
 * What the client sends that Chatwoot's swagger.json (v4.15.1) does not document, each ONCE, with the Chatwoot
 * behaviour that justifies it (../shared/docs/chatwoot-behaviour.md, "the doc"). The contract test fails on any
 * request outside the spec that is not listed here, and on any entry here that no request uses any more.
 */
import type { Schema } from './openapi';

export interface Undocumented {
	method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	/** Path template in the spec's style. */
	path: string;
	/**
	 * On a documented endpoint: the undocumented body fields we send (`message.source_id` for nested ones).
	 * Absent for an endpoint missing from the spec, whose body is then checked against `body`.
	 */
	fields?: string[];
	/** For an endpoint missing from the spec: its body as the Chatwoot code permits it, from the doc. */
	body?: Schema;
	fact: string;
}

const ACCOUNT = '/api/v1/accounts/{account_id}';

export const UNDOCUMENTED: Undocumented[] = [
	{
		method: 'DELETE',
		path: `${ACCOUNT}/inboxes/{id}`,
		fact: 'docs/chatwoot-behaviour.md, Inboxes: deletes an inbox, admin only, queued as a background job; answers 200 {"message": …} at once. Not in swagger.',
	},
	{
		method: 'POST',
		path: `${ACCOUNT}/inboxes/{id}/reset_secret`,
		fact: 'docs/chatwoot-behaviour.md, Inboxes: rotates the API inbox webhook signing secret (v4.13.0+), admin only; answers the inbox JSON with the new `secret`, or an empty-body 404 for a non-API inbox. Not in swagger.',
	},
	{
		method: 'POST',
		path: `${ACCOUNT}/contact_inboxes/filter`,
		body: {
			type: 'object',
			required: ['inbox_id', 'source_id'],
			properties: { inbox_id: { type: 'integer' }, source_id: { type: 'string' } },
			additionalProperties: false,
		},
		fact: 'docs/chatwoot-behaviour.md, Contact inboxes: body {inbox_id, source_id}; answers the contact with its contact inboxes, an empty-body 404 when the source_id is unknown in that inbox, a JSON 404 for an unknown inbox. Not in swagger.',
	},
	{
		method: 'PATCH',
		path: `${ACCOUNT}/conversations/{conversation_id}/messages/{message_id}`,
		body: {
			type: 'object',
			required: ['status'],
			properties: {
				status: { type: 'string', enum: ['sent', 'delivered', 'read', 'failed'] },
				external_error: { type: 'string' },
			},
			additionalProperties: false,
		},
		fact: 'docs/chatwoot-behaviour.md, Messages: body {status: sent|delivered|read|failed, external_error}; API inboxes only (403 otherwise), admin or agent user tokens; external_error kept only with failed; emits message_updated. Not in swagger.',
	},
	{
		method: 'POST',
		path: `${ACCOUNT}/conversations/{conversation_id}/messages`,
		fields: ['source_id', 'external_created_at', 'is_voice_message', 'is_recorded_audio'],
		fact: 'docs/chatwoot-behaviour.md, Messages: `source_id` is stored verbatim (not unique, not validated); `external_created_at` is copied into content_attributes.external_created_at (display only); `is_voice_message` tags audio attachments as voice notes (v4 attachment_processing.rb `tag_voice_message`); `is_recorded_audio` (a JSON list of file names) does the same in builds before it (docs/voice-notes.md). None "in swagger"; they are accepted in JSON and in multipart.',
	},
	{
		method: 'POST',
		path: `${ACCOUNT}/conversations`,
		fields: [
			'message.message_type',
			'message.private',
			'message.source_id',
			'message.content_attributes',
			'message.external_created_at',
			'message.is_voice_message',
			'message.is_recorded_audio',
		],
		fact: 'docs/chatwoot-behaviour.md, Conversations: the optional `message` is built exactly like POST .../messages (same parameters, same transaction); swagger lists only content and template_params for it.',
	},
	{
		method: 'POST',
		path: `${ACCOUNT}/contacts`,
		fields: ['source_id'],
		fact: 'docs/chatwoot-behaviour.md, Contacts: permitted fields plus `inbox_id` and optional `source_id`; with inbox_id the contact and its contact inbox (with that source_id) are created in one transaction. Swagger lacks source_id.',
	},
];

/**
 * Where swagger.json says something the v4.15.1 code does not do (docs/chatwoot-behaviour.md, The spec and the code).
 * Entries with `tolerate` let one precise violation through (the value must be one of `values`); the others are
 * informational (our client conforms anyway) and document why.
 */
export interface SpecDeviation {
	method: Undocumented['method'];
	path: string;
	/** Field path, arrays as `[]`. */
	field: string;
	spec: string;
	fact: string;
	tolerate?: { values: unknown[] };
}

export const SPEC_DEVIATIONS: SpecDeviation[] = [
	{
		method: 'POST',
		path: `${ACCOUNT}/contacts/filter`,
		field: 'payload[].query_operator',
		spec: 'type string, enum ["AND", "OR"] (not nullable)',
		fact: 'docs/chatwoot-behaviour.md, Contacts: the single (or last) condition carries `"query_operator": null`, as swagger\'s own example of this body does; conditions are chained with "and"/"or".',
		tolerate: { values: [null] },
	},
	{
		method: 'POST',
		path: `${ACCOUNT}/contacts`,
		field: 'inbox_id',
		spec: 'required',
		fact: 'docs/chatwoot-behaviour.md, The spec and the code: the spec marks inbox_id required; the code does not. The bridge always sends it (it creates the contact inbox in the same transaction).',
	},
	{
		method: 'POST',
		path: `${ACCOUNT}/conversations`,
		field: 'source_id',
		spec: 'required',
		fact: 'docs/chatwoot-behaviour.md, The spec and the code: the spec marks source_id required; the code does not (a random UUID contact inbox is created without it). The bridge always sends the chat\'s source_id.',
	},
	{
		method: 'POST',
		path: `${ACCOUNT}/conversations/{conversation_id}/messages`,
		field: 'message_type',
		spec: 'enum ["outgoing", "incoming"]',
		fact: 'docs/chatwoot-behaviour.md, Messages: the model also has activity and template; create accepts only outgoing/incoming, which is all the bridge sends.',
	},
	{
		method: 'PATCH',
		path: `${ACCOUNT}/inboxes/{id}`,
		field: 'channel.additional_attributes',
		spec: 'described as "Additional attributes stored on contacts created through the API channel"',
		fact: 'docs/chatwoot-behaviour.md, Inboxes: it is the API channel\'s own settings (jsonb; Chatwoot reads agent_reply_time_window there) and a PATCH replaces the whole object; the bridge keeps its integration record there.',
	},
	{
		method: 'PUT',
		path: `${ACCOUNT}/contacts/{id}`,
		field: '(method)',
		spec: 'PUT only',
		fact: 'docs/chatwoot-behaviour.md, Contacts: PUT and PATCH both update (attributes merged); the bridge uses the documented PUT.',
	},
	{
		method: 'GET',
		path: `${ACCOUNT}/inboxes/{id}`,
		field: '(response)',
		spec: 'inbox response schema without webhook_url, secret, inbox_identifier, hmac_token, additional_attributes',
		fact: 'docs/chatwoot-behaviour.md, Inboxes: API inboxes have them, `secret`/`hmac_token` only for administrator tokens; our schemas.ts reads them as optional.',
	},
];
