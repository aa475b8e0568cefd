/**
 * The integration of a WhatsApp instance as the Chatwoot Bridge Integration node manages it: saved on the instance's
 * API inbox under `additional_attributes[INTEGRATION_ATTRIBUTE]` (docs/architecture.md, The integration record), read
 * back with its live state, and removed again. No n8n imports: the node adds parameters, transport and output items.
 *
 * Rules kept here:
 * - Chatwoot replaces the whole `additional_attributes` object on PATCH: always read, merge, write; other keys stay.
 * - A `set` that changes nothing writes nothing (no PATCH, no POST) and keeps `updated_at`.
 * - `integration_id` is made once (random) and then kept: across updates, inbox moves and delete → set.
 * - The webhook URL is touched only when it is ours: given to `set`, or recorded by an earlier `set`.
 */
import { randomUUID } from 'crypto';

import type { ChatwootClient } from '../chatwoot/client';
import {
	ChatwootError,
	displayUrl,
	instanceNotFound,
	integrationNotConfigured,
	invalidBody,
	isChatwootError,
} from '../chatwoot/errors';
import type { Inbox, Profile } from '../chatwoot/schemas';
import {
	INTEGRATION_ATTRIBUTE,
	InvalidSettingsError,
	parseIntegrationSettings,
	readStoredIntegration,
	withStoredIntegration,
	type IntegrationSettings,
	type StoredIntegration,
} from './integrationConfig';
import { settle } from '../settle';
import { locateIntegration } from './integrationLocator';
import { KeyedMutex } from './keyedMutex';

const API_CHANNEL = 'Channel::Api';
const WEBHOOK_URL_MAX = 2048;
const HTTP_URL = /^https?:\/\/[^/\s?#]+/i;

// ---------------------------------------------------------------------------------------------------------------
// Input validation (400 `invalid body: <field>: <reason>`, README, Errors).

/** The settings as zod reads them, as a 400 ChatwootError naming the field when they are not valid. */
export function validateSettings(input: Record<string, unknown>): IntegrationSettings {
	const outcome = parseSettings(input);
	if (outcome instanceof InvalidSettingsError) throw invalidBody(outcome.field, outcome.reason);
	return outcome;
}

/** parseIntegrationSettings with its (only) failure as a value. */
function parseSettings(input: Record<string, unknown>): IntegrationSettings | InvalidSettingsError {
	try {
		return parseIntegrationSettings(input);
	} catch (error) {
		return error instanceof InvalidSettingsError
			? error
			: new InvalidSettingsError('body', error instanceof Error ? error.message : String(error));
	}
}

/**
 * `''` → undefined; otherwise an http(s) URL Chatwoot accepts (at most 2048 characters, docs/chatwoot-behaviour.md,
 * Limits).
 */
export function validateWebhookUrl(field: string, value: unknown): string | undefined {
	const url = typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : undefined;
	if (url === undefined) throw invalidBody(field, 'expected a URL as text');
	if (url === '') return undefined;
	if (!HTTP_URL.test(url)) throw invalidBody(field, 'expected an http(s) URL, e.g. the Chatwoot Bridge Trigger\'s production URL');
	if (url.length > WEBHOOK_URL_MAX) throw invalidBody(field, `at most ${WEBHOOK_URL_MAX} characters (got ${url.length})`);
	return url;
}

/** An instance name: trimmed, not empty. */
export function validateInstance(value: unknown): string {
	const instance = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	if (instance === '') throw invalidBody('instance', 'must not be empty');
	if (instance.length > 255) throw invalidBody('instance', 'at most 255 characters');
	return instance;
}

/**
 * `ignore_jids` as a builder types it: a JSON array, or JIDs separated by commas, semicolons, spaces or new lines.
 * Each entry is then checked by the settings schema (`invalid body: ignore_jids.0: …`).
 */
export function parseJidList(value: unknown): unknown {
	if (Array.isArray(value) || value === undefined || value === null) return value ?? [];
	if (typeof value !== 'string') return value;
	const text = value.trim();
	if (text === '') return [];
	if (text.startsWith('[')) {
		try {
			return JSON.parse(text) as unknown;
		} catch {
			throw invalidBody('ignore_jids', 'is not a valid JSON array; give ["…@g.us", …] or a comma-separated list');
		}
	}
	return text.split(/[\s,;]+/).filter((entry) => entry !== '');
}

// ---------------------------------------------------------------------------------------------------------------
// Reading records off inboxes.

/** Our record plus the URL `set` expects on the inbox (a passthrough key of the stored schema). */
export type IntegrationRecord = StoredIntegration & { webhook_url?: string };

function isApiInbox(inbox: Inbox): boolean {
	return inbox.channel_type === API_CHANNEL;
}

function attributesOf(inbox: Inbox): Record<string, unknown> {
	const attributes = inbox.additional_attributes;
	return attributes && typeof attributes === 'object' ? attributes : {};
}

function recordOf(inbox: Inbox): IntegrationRecord | undefined {
	return readStoredIntegration(attributesOf(inbox)) as IntegrationRecord | undefined;
}

/** The webhook URL an integration record expects on its inbox, if `set` was given one. */
export function expectedWebhookUrl(record: IntegrationRecord | undefined): string | undefined {
	const url = record?.webhook_url;
	return typeof url === 'string' && url !== '' ? url : undefined;
}

function webhookOf(inbox: Inbox): string | undefined {
	return inbox.webhook_url ? inbox.webhook_url : undefined;
}

interface Bound {
	inbox: Inbox;
	record: IntegrationRecord;
}

/** API inboxes whose record names `instance` (configured or only the binding `delete` keeps); configured first. */
function boundInboxes(inboxes: Inbox[], instance: string): Bound[] {
	const bound: Bound[] = [];
	for (const inbox of inboxes.filter(isApiInbox)) {
		const record = recordOf(inbox);
		if (record?.instance === instance) bound.push({ inbox, record });
	}
	return bound.sort(
		(a, b) => Number(b.record.settings !== undefined) - Number(a.record.settings !== undefined) || a.inbox.id - b.inbox.id,
	);
}

type TargetPick = { inbox: Inbox } | { taken: Inbox; by: string } | { none: true };

/**
 * The API inbox named exactly `name` that `instance` may use: the one already bound to it, else one without a
 * configured integration (a binding kept by another instance's `delete` may be taken over); lowest id first.
 */
function pickTarget(inboxes: Inbox[], instance: string, name: string): TargetPick {
	const named = inboxes.filter((inbox) => isApiInbox(inbox) && inbox.name === name);
	const rank = (inbox: Inbox): number => {
		const record = recordOf(inbox);
		if (record?.instance === instance) return 0;
		if (!record) return 1;
		return record.settings ? 3 : 2;
	};
	const usable = named.filter((inbox) => rank(inbox) < 3).sort((a, b) => rank(a) - rank(b) || a.id - b.id);
	if (usable.length) return { inbox: usable[0] };
	if (named.length) return { taken: named[0], by: recordOf(named[0])?.instance ?? '' };
	return { none: true };
}

/** 404 when `auto_create` is off and the inbox to bind does not exist ("not configured", by name). */
export function inboxNotFound(name: string, accountId: number | string): ChatwootError {
	return new ChatwootError({
		kind: 'notConfigured',
		httpCode: 404,
		message: `Chatwoot inbox not found - no API inbox named "${name}" exists in account ${accountId}; create it in Chatwoot or turn on auto_create. Detail: no API inbox named "${name}"`,
		detail: `no API inbox named "${name}"`,
		retryable: false,
	});
}

/** JSON with sorted keys: equality of two records regardless of key order. */
function canonical(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) =>
		v && typeof v === 'object' && !Array.isArray(v)
			? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
			: v,
	);
}

function withoutOurKey(attributes: Record<string, unknown>): Record<string, unknown> {
	const rest = { ...attributes };
	delete rest[INTEGRATION_ATTRIBUTE];
	return rest;
}

export function newIntegrationId(): string {
	return `cwb-${randomUUID()}`;
}

// ---------------------------------------------------------------------------------------------------------------
// set

export interface SaveInput {
	instance: string;
	settings: IntegrationSettings;
	/** The URL Chatwoot should call; undefined keeps the one an earlier `set` recorded (if any). */
	webhookUrl?: string;
	accountId: number | string;
	/** The Chatwoot this account lives on (its base URL): with `accountId` and `instance`, the key Sets queue on. */
	chatwoot?: string;
	now?: () => Date;
}

export interface SaveResult {
	/** Whether anything was written to Chatwoot. */
	changed: boolean;
	inbox: Inbox;
	/** The inbox was created by this `set` (auto_create). */
	inboxCreated: boolean;
	record: IntegrationRecord;
	/** The URL the integration expects (given or recorded), else the inbox's current one; null when none. */
	webhookUrl: string | null;
	/** Whether the inbox's webhook_url is that URL. */
	webhookApplied: boolean;
	/** Inboxes the instance was bound to before and whose record was removed (instance moved). */
	movedFrom: Array<{ id: number; name: string }>;
	/**
	 * Another process created the instance's inbox at the same moment: the inbox this `set` created, given up for
	 * the earlier one. `deleted`: removed (Chatwoot deletes in the background); otherwise left unbound and renamed.
	 */
	duplicateInbox?: { id: number; deleted: boolean };
}

/** One `set` per (Chatwoot, account, instance) at a time in this process; other processes converge (below). */
const saving = new KeyedMutex();

/**
 * Creates or updates the integration of `input.instance`: find (or, with auto_create, create) the API inbox named
 * `name_inbox`, merge our record into its additional_attributes, set its webhook_url (auto_create only), and remove
 * our record from any other inbox the instance was bound to.
 */
export async function saveIntegration(client: ChatwootClient, input: SaveInput): Promise<SaveResult> {
	const key = JSON.stringify([input.chatwoot ?? '', String(input.accountId), input.instance]);
	return await saving.run(key, async () => {
		const saved = await saveOnce(client, input, new Set());
		if (!saved.inboxCreated) return saved;
		const earlier = await earlierTwin(client, input, saved.inbox.id);
		if (earlier === undefined) return saved;
		// Lost the race: give up our new (empty) inbox and write the settings to the earlier one instead.
		const deleted = await giveUpInbox(client, saved.inbox, saved.record);
		const again = await saveOnce(client, input, new Set([saved.inbox.id]));
		return { ...again, duplicateInbox: { id: saved.inbox.id, deleted } };
	});
}

/**
 * Two processes that both found no inbox both create one. Each then reads the inboxes again: inbox ids grow with
 * creation, so the later creator always sees the earlier inbox and steps back; the earliest one stays.
 */
async function earlierTwin(client: ChatwootClient, input: SaveInput, createdId: number): Promise<Inbox | undefined> {
	const inboxes = await client.listInboxes();
	return boundInboxes(inboxes, input.instance)
		.filter(({ inbox, record }) => record.settings !== undefined && inbox.id < createdId && inbox.name === input.settings.name_inbox)
		.map(({ inbox }) => inbox)[0];
}

/**
 * Removes an inbox this `set` just created and nobody used yet. An admin token deletes it; when Chatwoot refuses,
 * it is unbound and renamed so agents see what it is. Whether it was deleted.
 */
async function giveUpInbox(client: ChatwootClient, inbox: Inbox, record: IntegrationRecord): Promise<boolean> {
	const deletion = await settle(client.deleteInbox(inbox.id));
	if (deletion.ok) return true;
	// Only a refusal (a token without admin rights) falls back; no answer at all may still have deleted it.
	const refused = isChatwootError(deletion.error, 'forbidden') || isChatwootError(deletion.error, 'tokenRejected');
	if (!refused) throw deletion.error;
	await client.updateInbox(inbox.id, {
		name: `${inbox.name} (duplicate of instance ${record.instance}, safe to delete)`.slice(0, 255),
		additionalAttributes: withoutOurKey(attributesOf(inbox)),
		...(webhookOf(inbox) ? { webhookUrl: '' } : {}),
	});
	return false;
}

/** One pass of `set`; `skip`: inboxes this `set` gave up (Chatwoot may still list them while deleting). */
async function saveOnce(client: ChatwootClient, input: SaveInput, skip: Set<number>): Promise<SaveResult> {
	const { instance, settings } = input;
	const now = (input.now ?? (() => new Date()))().toISOString();
	const inboxes = (await client.listInboxes()).filter((inbox) => !skip.has(inbox.id));
	const bound = boundInboxes(inboxes, instance);
	const pick = pickTarget(inboxes, instance, settings.name_inbox);
	if ('taken' in pick) {
		throw invalidBody(
			'name_inbox',
			`inbox ${pick.taken.id} "${pick.taken.name}" already holds the integration of instance "${pick.by}"; choose another inbox name or delete that integration first`,
		);
	}
	let target = 'inbox' in pick ? pick.inbox : undefined;
	if (!target && !settings.auto_create) throw inboxNotFound(settings.name_inbox, input.accountId);

	const onTarget = target ? recordOf(target) : undefined;
	const ownOnTarget = onTarget?.instance === instance ? onTarget : undefined;
	/** What to keep (id, creation time, recorded URL, unknown keys): this inbox's record, else the one moved from. */
	const base = ownOnTarget ?? bound[0]?.record;
	const configured = base?.settings !== undefined;
	const expected = input.webhookUrl ?? (configured ? expectedWebhookUrl(base) : undefined);

	const record: IntegrationRecord = {
		...(configured ? base : {}),
		version: 1,
		instance,
		integration_id: base?.integration_id ?? newIntegrationId(),
		created_at: configured ? base!.created_at : now,
		updated_at: now,
		settings,
	};
	delete record.removed_at;
	if (expected) record.webhook_url = expected;
	else delete record.webhook_url;

	const sameRecord =
		ownOnTarget?.settings !== undefined &&
		canonical({ ...ownOnTarget, updated_at: '' }) === canonical({ ...record, updated_at: '' });
	if (sameRecord) record.updated_at = ownOnTarget!.updated_at;

	let changed = false;
	let inboxCreated = false;
	// auto_create manages the inbox's webhook_url; without it the URL is only recorded and the inbox is the user's.
	const applyUrl = settings.auto_create && expected !== undefined;
	if (!target) {
		target = await client.createApiInbox({
			name: settings.name_inbox,
			webhookUrl: applyUrl ? expected : undefined,
			additionalAttributes: { [INTEGRATION_ATTRIBUTE]: record },
		});
		changed = true;
		inboxCreated = true;
	} else {
		const patch: { additionalAttributes?: Record<string, unknown>; webhookUrl?: string } = {};
		if (!sameRecord) patch.additionalAttributes = withStoredIntegration(attributesOf(target), record);
		if (applyUrl && webhookOf(target) !== expected) patch.webhookUrl = expected;
		if (Object.keys(patch).length) {
			target = await client.updateInbox(target.id, patch);
			changed = true;
		}
	}

	// Written after the new inbox holds the record: a failure here leaves the instance configured, and a retry of
	// `set` converges (the target is unchanged, the leftovers are cleaned).
	const movedFrom: Array<{ id: number; name: string }> = [];
	for (const old of bound) {
		if (old.inbox.id === target.id) continue;
		const ours = new Set([expectedWebhookUrl(old.record), expected].filter((url): url is string => !!url));
		const current = webhookOf(old.inbox);
		const cleaned = await settle(
			client.updateInbox(old.inbox.id, {
				additionalAttributes: withoutOurKey(attributesOf(old.inbox)),
				...(current && ours.has(current) ? { webhookUrl: '' } : {}),
			}),
		);
		// A twin another process is deleting right now: gone is as good as cleaned.
		if (!cleaned.ok && !isChatwootError(cleaned.error, 'notFound')) throw cleaned.error;
		movedFrom.push({ id: old.inbox.id, name: old.inbox.name });
		changed = true;
	}

	const webhookUrl = expected ?? webhookOf(target) ?? null;
	return {
		changed,
		inbox: target,
		inboxCreated,
		record,
		webhookUrl,
		webhookApplied: webhookUrl !== null && webhookOf(target) === webhookUrl,
		movedFrom,
	};
}

// ---------------------------------------------------------------------------------------------------------------
// delete

export interface RemoveResult {
	inbox: Inbox;
	/** The binding left on the inbox: `{version, instance, integration_id, created_at, updated_at, removed_at}`. */
	binding: StoredIntegration;
	/** The inbox's webhook_url was the integration's recorded URL and was cleared. */
	webhookCleared: boolean;
}

/**
 * Removes the integration of `instance`; the inbox and its conversations stay. Only the instance binding is kept on
 * the inbox, so `list` then answers `no chatwoot integration for this instance` (not `instance not found`). The
 * inbox's webhook_url is cleared only when it is the URL recorded by `set`: a URL set by someone else stays.
 */
export async function removeIntegration(
	client: ChatwootClient,
	instance: string,
	now: () => Date = () => new Date(),
): Promise<RemoveResult> {
	const inboxes = await client.listInboxes();
	const located = locateIntegration(inboxes, instance);
	const bound = boundInboxes(inboxes, instance);
	const primary = bound.find((entry) => entry.record.settings !== undefined);
	if (!located && !primary) throw instanceNotFound(instance);
	if (!primary) {
		throw integrationNotConfigured(
			'instance',
			`inbox ${located!.inbox.id} "${located!.inbox.name}" holds no configuration for instance "${instance}"`,
		);
	}
	const at = now().toISOString();
	const binding: StoredIntegration = {
		version: 1,
		instance,
		integration_id: primary.record.integration_id,
		created_at: primary.record.created_at,
		updated_at: at,
		removed_at: at,
	};
	const expected = expectedWebhookUrl(primary.record);
	const webhookCleared = expected !== undefined && webhookOf(primary.inbox) === expected;
	const inbox = await client.updateInbox(primary.inbox.id, {
		additionalAttributes: withStoredIntegration(attributesOf(primary.inbox), binding),
		...(webhookCleared ? { webhookUrl: '' } : {}),
	});
	// Leftover records of the same instance elsewhere (a concurrent or interrupted `set`) go too.
	for (const other of bound) {
		if (other.inbox.id === primary.inbox.id) continue;
		await client.updateInbox(other.inbox.id, { additionalAttributes: withoutOurKey(attributesOf(other.inbox)) });
	}
	return { inbox, binding, webhookCleared };
}

// ---------------------------------------------------------------------------------------------------------------
// list

export interface ListedIntegration {
	inbox: Inbox;
	record: IntegrationRecord & { settings: IntegrationSettings };
}

/**
 * The configured integrations to report, read from the account's inboxes only, so every n8n process answers the
 * same: the one of `instance` (404 `instance not found` / 404 `no chatwoot integration for this instance`), or with
 * no instance every configured integration on the account's API inboxes. A deleted inbox takes its record with it.
 */
export function integrationsToList(inboxes: Inbox[], instance?: string): ListedIntegration[] {
	if (!instance) {
		const listed: ListedIntegration[] = [];
		for (const inbox of inboxes.filter(isApiInbox).sort((a, b) => a.id - b.id)) {
			const record = recordOf(inbox);
			if (record?.settings) listed.push({ inbox, record: record as ListedIntegration['record'] });
		}
		return listed;
	}
	const located = locateIntegration(inboxes, instance);
	if (!located) {
		throw instanceNotFound(
			`${instance}: no API inbox of this account holds its integration (an inbox deleted in Chatwoot takes the integration with it; run Set to create it again)`,
		);
	}
	if (!located.stored?.settings) {
		throw integrationNotConfigured(
			'instance',
			`inbox ${located.inbox.id} "${located.inbox.name}" holds no configuration for instance "${instance}"`,
		);
	}
	return [{ inbox: located.inbox, record: located.stored as ListedIntegration['record'] }];
}

/** The token as shown to people: its first and last two characters (`te…en`), nothing for short tokens. */
export function maskToken(token: string): string {
	return token.length >= 12 ? `${token.slice(0, 2)}…${token.slice(-2)}` : '…';
}

/** What the live check (`GET /api/v1/profile` within the time limit) found. */
export type LiveCheck =
	| { done: true; profile: Profile }
	| { done: false; error: ChatwootError | Error; timedOut: boolean };

export interface StatusInput {
	listed: ListedIntegration;
	connection: { baseUrl: string; accountId: number; token: string };
	live: LiveCheck;
	checkedAt: string;
}

export interface IntegrationStatus {
	instance: string;
	status: 'active' | 'paused' | 'error';
	last_error: string;
	integration_id: string;
	enabled: boolean;
	created_at: string;
	updated_at: string;
	chatwoot_base_url: string;
	chatwoot_account_id: number;
	chatwoot_inbox_id: number;
	chatwoot_inbox_name: string;
	token_masked: string;
	webhook_url: string | null;
	expected_webhook_url: string | null;
	sign_messages: boolean;
	ignore_groups: boolean;
	start_as_pending: boolean;
	reopen_resolved: boolean;
	settings: IntegrationSettings;
	checks: {
		inbox_exists: boolean;
		webhook_url_matches: boolean | null;
		token_accepted: boolean | null;
		admin_scope: boolean | null;
		secret_present: boolean | null;
		live: boolean;
	};
	warnings: string[];
	checked_at: string;
}

/**
 * Status of one integration (docs/integration-node.md, list): `error` when something keeps it from working (inbox
 * deleted, webhook_url drifted from the recorded URL, no signing secret visible, token without admin scope), else
 * `paused` when `enabled` is false, else `active`. `last_error` lists the problems; `warnings` what may still need
 * doing.
 */
export function integrationStatus(input: StatusInput): IntegrationStatus {
	const { listed, connection, live } = input;
	const { inbox, record } = listed;
	const settings = record.settings;
	const problems: string[] = [];
	const warnings: string[] = [];
	const expected = expectedWebhookUrl(record) ?? null;
	const current = webhookOf(inbox) ?? null;
	const where = `inbox ${inbox.id} "${inbox.name}"`;

	let webhookMatches: boolean | null = null;
	let secretPresent: boolean | null = null;
	if (expected !== null) {
		webhookMatches = current === expected;
		if (!webhookMatches) {
			problems.push(
				`the webhook_url of ${where} is ${current ? `"${current}"` : 'empty'} but the integration expects "${expected}"; run Set again or re-activate the Chatwoot Bridge Trigger`,
			);
		}
	} else if (current === null) {
		warnings.push(
			`${where} has no webhook_url: agent replies will not reach WhatsApp until a Chatwoot Bridge Trigger for this instance is activated or Set is given a Webhook URL`,
		);
	}
	secretPresent = typeof inbox.secret === 'string' && inbox.secret !== '';
	if (!secretPresent) {
		problems.push(
			`Chatwoot shows no webhook signing secret for ${where}: the API token is not an administrator's, or Chatwoot is older than 4.13 (unsigned deliveries)`,
		);
	}

	let tokenAccepted: boolean | null = true; // the inbox list was read with it
	let adminScope: boolean | null = null;
	if (live.done) {
		tokenAccepted = true;
		const membership = live.profile.accounts.find((account) => account.id === connection.accountId);
		adminScope = membership?.role === 'administrator';
		if (!adminScope) {
			problems.push(
				`the API token's user is ${membership ? `"${membership.role ?? 'unknown'}"` : 'not a member'} on account ${connection.accountId}, not an administrator: Set, Delete and the Trigger need admin scope`,
			);
		}
	} else if (live.error instanceof ChatwootError && (live.error.kind === 'tokenRejected' || live.error.kind === 'forbidden')) {
		tokenAccepted = live.error.kind === 'forbidden';
		problems.push(`live check failed: ${live.error.message}`);
	} else {
		const why = live.timedOut ? 'did not finish within the time limit' : `failed: ${live.error.message}`;
		warnings.push(`live check of the API token ${why}; status is based on the stored configuration and the inbox list`);
	}

	return {
		instance: record.instance,
		status: problems.length ? 'error' : settings.enabled ? 'active' : 'paused',
		last_error: problems.join('; '),
		integration_id: record.integration_id,
		enabled: settings.enabled,
		created_at: record.created_at,
		updated_at: record.updated_at,
		chatwoot_base_url: displayUrl(connection.baseUrl),
		chatwoot_account_id: connection.accountId,
		chatwoot_inbox_id: inbox.id,
		chatwoot_inbox_name: inbox.name,
		token_masked: maskToken(connection.token),
		webhook_url: current,
		expected_webhook_url: expected,
		sign_messages: settings.sign_msg,
		ignore_groups: settings.ignore_groups,
		start_as_pending: settings.conversation_pending,
		reopen_resolved: settings.reopen_conversation,
		settings,
		checks: {
			inbox_exists: true,
			webhook_url_matches: webhookMatches,
			token_accepted: tokenAccepted,
			admin_scope: adminScope,
			secret_present: secretPresent,
			live: live.done,
		},
		warnings,
		checked_at: input.checkedAt,
	};
}
