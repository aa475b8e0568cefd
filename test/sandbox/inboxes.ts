/**
 * Inboxes (docs/chatwoot-behaviour.md, Inboxes): the API channel's webhook_url / secret / additional_attributes, and
 * just enough of a web-widget channel to have a non-API inbox for the "API inboxes only" quirks.
 */
import { randomBytes } from 'crypto';
import { accountOf, authorizeInbox, canSeeInbox, isAdministrator, requireAdministrator } from './auth';
import type { Core } from './core';
import { head, json, notFound, recordInvalid, unprocessable, type FieldError } from './http';
import { castBoolean, isObject, str, toJsonObject, type Params } from './params';
import { registerSecret } from '../support/capture';
import type { RequestContext, Route } from './router';
import { inboxJson } from './serializers';
import type { InboxRecord } from './types';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Rails `has_secure_token`: 24 base58 characters (secret, identifier, hmac_token). */
export function secureToken(length = 24): string {
	const bytes = randomBytes(length);
	return [...bytes].map((b) => BASE58[b % 58]).join('');
}

/** A webhook signing secret; the test suite's secret scan must never find it in what the nodes output. */
function issuedSecret(): string {
	const secret = secureToken();
	registerSecret(secret);
	return secret;
}

const URL_LENGTH_LIMIT = 2048;
const CHANNEL_TYPES = ['web_widget', 'api', 'email', 'line', 'telegram', 'whatsapp', 'sms'];

const BOOLEAN_SETTINGS = [
	'enable_auto_assignment',
	'greeting_enabled',
	'enable_email_collect',
	'csat_survey_enabled',
	'working_hours_enabled',
	'allow_messages_after_resolved',
	'lock_to_single_conversation',
] as const;
const TEXT_SETTINGS = ['greeting_message', 'out_of_office_message', 'timezone', 'sender_name_type', 'business_name'] as const;

/** "Any inbox parameter whose value is the literal string "null" is turned into nil" (§3.1). */
function nullify(value: unknown): unknown {
	return value === 'null' ? null : value;
}

export interface ApiInboxInput {
	name: string;
	webhook_url?: string | null;
	hmac_mandatory?: boolean;
	additional_attributes?: Record<string, unknown>;
	lock_to_single_conversation?: boolean;
	channelType?: 'api' | 'web_widget';
}

/** Used by `POST /inboxes` and by the `sb.createInbox` seeding helper. */
export function insertInbox(core: Core, accountId: number, input: ApiInboxInput): InboxRecord {
	const api = (input.channelType ?? 'api') === 'api';
	const now = Date.now();
	const inbox: InboxRecord = {
		id: core.store.nextId('inboxes'),
		account_id: accountId,
		channel_id: core.store.nextId(api ? 'channel_api' : 'channel_web_widget'),
		channel_type: api ? 'Channel::Api' : 'Channel::WebWidget',
		name: input.name,
		webhook_url: api ? (input.webhook_url ?? null) : null,
		hmac_mandatory: input.hmac_mandatory ?? false,
		hmac_token: secureToken(),
		identifier: secureToken(),
		secret: api ? issuedSecret() : null,
		additional_attributes: api ? (input.additional_attributes ?? {}) : {},
		website_url: api ? null : 'https://example.test',
		website_token: api ? null : secureToken(),
		widget_color: api ? null : '#1f93ff',
		enable_auto_assignment: true,
		greeting_enabled: false,
		greeting_message: null,
		enable_email_collect: true,
		csat_survey_enabled: false,
		working_hours_enabled: false,
		out_of_office_message: null,
		timezone: 'UTC',
		allow_messages_after_resolved: true,
		lock_to_single_conversation: input.lock_to_single_conversation ?? false,
		sender_name_type: 'friendly',
		business_name: null,
		member_ids: [],
		agent_bot_id: null,
		created_at: now,
		updated_at: now,
	};
	core.store.inboxes.set(inbox.id, inbox);
	return inbox;
}

function validateApiChannel(channel: Params): FieldError[] {
	const errors: FieldError[] = [];
	const url = nullify(channel.webhook_url);
	if (typeof url === 'string' && url.length > URL_LENGTH_LIMIT) {
		errors.push({
			attribute: 'webhook_url',
			message: `Webhook url is too long (maximum is ${URL_LENGTH_LIMIT} characters)`,
		});
	}
	if (channel.additional_attributes !== undefined && isObject(channel.additional_attributes)) {
		const window = channel.additional_attributes.agent_reply_time_window;
		if (window !== undefined && window !== null && !(Number.isInteger(Number(window)) && Number(window) > 0)) {
			errors.push({
				attribute: 'additional_attributes',
				message: 'Additional attributes agent_reply_time_window must be a positive integer',
			});
		}
	}
	return errors;
}

function applySettings(inbox: InboxRecord, params: Params): void {
	if (params.name !== undefined) inbox.name = str(nullify(params.name)) ?? '';
	for (const key of BOOLEAN_SETTINGS) {
		if (params[key] !== undefined) inbox[key] = castBoolean(nullify(params[key])) ?? false;
	}
	for (const key of TEXT_SETTINGS) {
		if (params[key] !== undefined) {
			const value = str(nullify(params[key]));
			if (key === 'timezone' || key === 'sender_name_type') inbox[key] = value ?? inbox[key];
			else inbox[key] = value ?? null;
		}
	}
}

/** The channel is updated with the permitted hash: `additional_attributes` is REPLACED, never merged (§3.1). */
function applyApiChannel(inbox: InboxRecord, channel: Params): void {
	if (channel.webhook_url !== undefined) inbox.webhook_url = str(nullify(channel.webhook_url)) ?? null;
	if (channel.hmac_mandatory !== undefined) inbox.hmac_mandatory = castBoolean(nullify(channel.hmac_mandatory)) ?? false;
	if (channel.additional_attributes !== undefined) {
		inbox.additional_attributes = isObject(channel.additional_attributes)
			? toJsonObject(channel.additional_attributes)
			: {};
	}
}

export function findInbox(ctx: RequestContext, id: unknown): InboxRecord {
	const inbox = ctx.core.store.inboxes.get(Number(id));
	if (!inbox || inbox.account_id !== accountOf(ctx).id) throw notFound();
	return inbox;
}

const routes = (base: string): Route[] => [
	{
		method: 'GET',
		template: `${base}/inboxes`,
		scope: 'account',
		handler: (ctx) => {
			const account = accountOf(ctx);
			const inboxes = [...ctx.core.store.inboxes.values()]
				.filter((i) => i.account_id === account.id && canSeeInbox(ctx, i))
				.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.id - b.id);
			return json(200, { payload: inboxes.map((i) => inboxJson(i, isAdministrator(ctx))) });
		},
	},
	{
		method: 'GET',
		template: `${base}/inboxes/:id`,
		scope: 'account',
		handler: (ctx) => {
			const inbox = findInbox(ctx, ctx.pathParams.id);
			authorizeInbox(ctx, inbox);
			return json(200, inboxJson(inbox, isAdministrator(ctx)));
		},
	},
	{
		method: 'POST',
		template: `${base}/inboxes`,
		scope: 'account',
		handler: async (ctx) => {
			const account = accountOf(ctx);
			requireAdministrator(ctx);
			await ctx.core.gap();
			const params = ctx.params;
			const channel = isObject(params.channel) ? params.channel : {};
			const type = str(channel.type);
			if (!type || !CHANNEL_TYPES.includes(type)) {
				throw recordInvalid([{ attribute: 'channel', message: 'Channel must exist' }]);
			}
			if (type !== 'api' && type !== 'web_widget') {
				throw unprocessable(`The sandbox implements only api and web_widget channels, not ${type}`);
			}
			const name = str(nullify(params.name));
			const errors = type === 'api' ? validateApiChannel(channel) : [];
			if (!name || name.trim() === '') errors.unshift({ attribute: 'name', message: "Name can't be blank" });
			if (errors.length) throw recordInvalid(errors);
			const inbox = insertInbox(ctx.core, account.id, { name: name!, channelType: type });
			if (type === 'api') applyApiChannel(inbox, channel);
			applySettings(inbox, params);
			return json(200, inboxJson(inbox, true));
		},
	},
	...(['PATCH', 'PUT'] as const).map(
		(method): Route => ({
			method,
			template: `${base}/inboxes/:id`,
			scope: 'account',
			handler: async (ctx) => {
				const inbox = findInbox(ctx, ctx.pathParams.id);
				requireAdministrator(ctx);
				await ctx.core.gap();
				const channel = isObject(ctx.params.channel) ? ctx.params.channel : undefined;
				const errors = channel && inbox.channel_type === 'Channel::Api' ? validateApiChannel(channel) : [];
				if (ctx.params.name !== undefined && !str(nullify(ctx.params.name))?.trim()) {
					errors.unshift({ attribute: 'name', message: "Name can't be blank" });
				}
				if (errors.length) throw recordInvalid(errors);
				applySettings(inbox, ctx.params);
				if (channel && inbox.channel_type === 'Channel::Api') applyApiChannel(inbox, channel);
				inbox.updated_at = Date.now();
				// inbox_updated goes to account webhooks only, never to the inbox's own URL (§3.1).
				return json(200, inboxJson(inbox, true));
			},
		}),
	),
	{
		method: 'POST',
		template: `${base}/inboxes/:id/reset_secret`,
		scope: 'account',
		handler: (ctx) => {
			const inbox = findInbox(ctx, ctx.pathParams.id);
			requireAdministrator(ctx);
			if (inbox.channel_type !== 'Channel::Api') return head(404);
			inbox.secret = issuedSecret();
			inbox.updated_at = Date.now();
			return json(200, inboxJson(inbox, true));
		},
	},
	{
		method: 'DELETE',
		template: `${base}/inboxes/:id`,
		scope: 'account',
		handler: (ctx) => {
			const inbox = findInbox(ctx, ctx.pathParams.id);
			requireAdministrator(ctx);
			// Deletion is a background job in Chatwoot: the answer comes first, the rows disappear a moment later.
			ctx.core.defer(() => destroyInbox(ctx.core, inbox.id));
			return json(200, { message: 'Your inbox deletion request will be processed in some time.' });
		},
	},
];

export function destroyInbox(core: Core, inboxId: number): void {
	const store = core.store;
	for (const conversation of [...store.conversations.values()]) {
		if (conversation.inbox_id !== inboxId) continue;
		store.removeConversation(conversation.id);
	}
	for (const contactInbox of [...store.contactInboxes.values()]) {
		if (contactInbox.inbox_id !== inboxId) continue;
		store.removeContactInbox(contactInbox);
	}
	store.inboxes.delete(inboxId);
}

export const inboxRoutes = routes('/api/v1/accounts/:account_id');

