/**
 * What webhook() needs to know about the bound inbox (name, signing secret, stored integration), read from Chatwoot
 * and cached PER PROCESS for 30 s (docs/n8n-runtime.md, Process memory): Chatwoot gives up after 5 s
 * (docs/chatwoot-behaviour.md, Webhooks of an API inbox), so at most one short read (one attempt, 2.5 s) happens per
 * inbox and per 30 s, concurrent calls share it, and a failed read falls back to the last snapshot this process saw.
 * The truth stays in Chatwoot (docs/architecture.md, State).
 */
import type { IWebhookFunctions } from 'n8n-workflow';

import type { ChatwootClient } from '../shared/chatwoot/client';
import type { Inbox } from '../shared/chatwoot/schemas';
import { connectChatwoot } from '../shared/transport/chatwootClient';
import { instanceConfigOf, pickInbox, type InstanceConfig } from './binding';
import { memoryClock } from './memory';

export const SNAPSHOT_FRESH_MS = 30_000;
/** A stale snapshot still beats nothing while Chatwoot cannot be read. */
const SNAPSHOT_KEEP_MS = 24 * 3600_000;
const READ_TIMEOUT_MS = 2_500;
/** After a failed read, deliveries use the last known settings for this long instead of waiting on Chatwoot again. */
const RETRY_AFTER_FAILURE_MS = 10_000;
const MAX_INBOXES = 1_000;

export interface InboxSnapshot {
	inboxId: number;
	name: string;
	secret?: string;
	config: InstanceConfig;
	readAt: number;
}

export interface SnapshotRead {
	snapshot?: InboxSnapshot;
	/** Set when Chatwoot could not be read just now (the snapshot, if any, is an older one). */
	error?: string;
}

const snapshots = new Map<string, InboxSnapshot>();
const instances = new Map<string, { inboxId: number; readAt: number }>();
const inflight = new Map<string, Promise<unknown>>();
const failures = new Map<string, { at: number; error: string }>();

function remember<V>(map: Map<string, V>, key: string, value: V): void {
	map.delete(key);
	if (map.size >= MAX_INBOXES) {
		const oldest = map.keys().next().value;
		if (oldest !== undefined) map.delete(oldest);
	}
	map.set(key, value);
}

function toSnapshot(inbox: Inbox): InboxSnapshot {
	const snapshot: InboxSnapshot = {
		inboxId: inbox.id,
		name: inbox.name,
		config: instanceConfigOf(inbox),
		readAt: memoryClock.now(),
	};
	if (inbox.secret) snapshot.secret = inbox.secret;
	return snapshot;
}

interface FastConnection {
	client: ChatwootClient;
	/** `<base URL>|<account id>`: caches never mix two Chatwoot installations or accounts. */
	scope: string;
}

/** A client for webhook time: one attempt, a short timeout, no retries (the 5 s budget of Chatwoot). */
async function fastConnection(ctx: IWebhookFunctions): Promise<FastConnection> {
	const { client, settings } = await connectChatwoot(ctx, { maxAttempts: 1, timeoutMs: READ_TIMEOUT_MS });
	return { client, scope: `${settings.baseUrl}|${settings.accountId}` };
}

function once<T>(key: string, work: () => Promise<T>): Promise<T> {
	const pending = inflight.get(key) as Promise<T> | undefined;
	if (pending) return pending;
	const started = work().finally(() => inflight.delete(key));
	inflight.set(key, started);
	return started;
}

function isFresh(readAt: number): boolean {
	return memoryClock.now() - readAt < SNAPSHOT_FRESH_MS;
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * The inbox as this process last saw it, re-read when older than `maxAgeMs` (default 30 s). Never throws: a failed
 * read returns the last snapshot (if any) with `error`.
 */
export async function readInboxSnapshot(
	ctx: IWebhookFunctions,
	inboxId: number,
	maxAgeMs = SNAPSHOT_FRESH_MS,
): Promise<SnapshotRead> {
	let connection: FastConnection;
	try {
		connection = await fastConnection(ctx);
	} catch (error) {
		return { error: describe(error) };
	}
	const key = `${connection.scope}|${inboxId}`;
	const cached = snapshots.get(key);
	if (cached && memoryClock.now() - cached.readAt < maxAgeMs) return { snapshot: cached };
	const kept = cached && memoryClock.now() - cached.readAt < SNAPSHOT_KEEP_MS ? cached : undefined;
	const failed = failures.get(key);
	if (failed && memoryClock.now() - failed.at < RETRY_AFTER_FAILURE_MS) {
		return kept ? { snapshot: kept, error: failed.error } : { error: failed.error };
	}
	try {
		const snapshot = await once(key, async () => {
			const read = toSnapshot(await connection.client.getInbox(inboxId));
			remember(snapshots, key, read);
			failures.delete(key);
			return read;
		});
		return { snapshot };
	} catch (error) {
		remember(failures, key, { at: memoryClock.now(), error: describe(error) });
		return kept ? { snapshot: kept, error: describe(error) } : { error: describe(error) };
	}
}

/** The inbox bound to an instance name (used only when activation left no inbox id). Never throws. */
export async function findInstanceInbox(
	ctx: IWebhookFunctions,
	instance: string,
): Promise<{ inboxId?: number; error?: string }> {
	let connection: FastConnection;
	try {
		connection = await fastConnection(ctx);
	} catch (error) {
		return { error: describe(error) };
	}
	const key = `${connection.scope}|instance:${instance}`;
	const cached = instances.get(key);
	if (cached && isFresh(cached.readAt)) return { inboxId: cached.inboxId };
	try {
		const inboxes = await once(key, () => connection.client.listInboxes());
		for (const inbox of inboxes) remember(snapshots, `${connection.scope}|${inbox.id}`, toSnapshot(inbox));
		const picked = pickInbox(inboxes, { by: 'instance', instance });
		if ('problem' in picked) return { error: picked.problem };
		remember(instances, key, { inboxId: picked.inbox.id, readAt: memoryClock.now() });
		return { inboxId: picked.inbox.id };
	} catch (error) {
		return cached ? { inboxId: cached.inboxId, error: describe(error) } : { error: describe(error) };
	}
}

/** Drops what this process knows about an inbox (after activation changed it). */
export function forgetInbox(inboxId: number): void {
	for (const map of [snapshots, failures]) {
		for (const key of [...map.keys()]) if (key.endsWith(`|${inboxId}`)) map.delete(key);
	}
}

/** Empties the caches (tests, and nothing else). */
export function resetInboxSnapshots(): void {
	snapshots.clear();
	instances.clear();
	inflight.clear();
	failures.clear();
}
