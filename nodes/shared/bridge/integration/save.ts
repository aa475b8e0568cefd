/**
 * `set` of the Chatwoot Bridge Integration node: saves the integration of a WhatsApp instance on its API inbox under
 * `additional_attributes[INTEGRATION_ATTRIBUTE]` (docs/architecture.md, The integration record). No n8n imports: the
 * node adds parameters, transport and output items.
 *
 * Rules kept here:
 * - Chatwoot replaces the whole `additional_attributes` object on PATCH: always read, merge, write; other keys stay.
 * - A `set` that changes nothing writes nothing (no PATCH, no POST) and keeps `updated_at`.
 * - `integration_id` is made once (random) and then kept: across updates, inbox moves and delete → set.
 * - The webhook URL is touched only when it is ours: given to `set`, or recorded by an earlier `set`.
 */
import { randomUUID } from 'crypto';

import type { ChatwootClient } from '../../chatwoot/client';
import { ChatwootError, invalidBody, isChatwootError } from '../../chatwoot/errors';
import type { Inbox } from '../../chatwoot/schemas';
import { settle } from '../../settle';
import { KeyedMutex } from '../keyedMutex';
import { INTEGRATION_ATTRIBUTE, withStoredIntegration, type IntegrationSettings } from './config';
import {
	attributesOf,
	boundInboxes,
	expectedWebhookUrl,
	pickTarget,
	recordOf,
	webhookOf,
	withoutOurKey,
	type IntegrationRecord,
} from './records';

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

export function newIntegrationId(): string {
	return `cwb-${randomUUID()}`;
}

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

