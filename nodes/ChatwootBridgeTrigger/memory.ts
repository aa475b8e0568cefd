/**
 * The trigger's in-process memory: delivery ids already accepted (replay protection) and logical events already
 * emitted (duplicate protection). PER PROCESS (docs/n8n-runtime.md, Process memory): every n8n main / webhook process
 * keeps its own sets, a restart empties them, and two webhook processes behind a load balancer do not see each other's
 * entries. Chatwoot delivers each event once (no retries, docs/chatwoot-behaviour.md, Webhooks of an API inbox), so
 * these sets catch replays and accidental double deliveries (a proxy retrying, a second registration) seen by the same
 * process; exactly-once delivery to WhatsApp cannot rest on them (docs/architecture.md, State).
 */
import { createHash } from 'crypto';

import type { ChatwootMessageEvent } from '../shared/chatwoot/webhook/parse';

/** Replaceable clock, so tests can move time; production reads Date.now. */
export const memoryClock = { now: (): number => Date.now() };
const now = (): number => memoryClock.now();

/** How long a logical event (event + message id [+ content_attributes]) is remembered. */
export const EVENT_DEDUPE_TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 20_000;

/** A bounded set with per-entry expiry whose test-and-add is synchronous: concurrent webhook() calls cannot both pass. */
class SeenSet {
	private readonly expiries = new Map<string, number>();

	constructor(private readonly maxEntries: number) {}

	/** True the first time a key is seen within its TTL; records it for `ttlMs`. */
	firstSight(key: string, ttlMs: number): boolean {
		const at = now();
		const expiresAt = this.expiries.get(key);
		if (expiresAt !== undefined && expiresAt > at) return false;
		this.expiries.delete(key);
		if (this.expiries.size >= this.maxEntries) this.evict(at);
		this.expiries.set(key, at + ttlMs);
		return true;
	}

	/** Drops expired entries, then the oldest ones (a Map keeps insertion order) down to 90 % of the bound. */
	private evict(at: number): void {
		for (const [key, expiresAt] of this.expiries) if (expiresAt <= at) this.expiries.delete(key);
		for (const key of this.expiries.keys()) {
			if (this.expiries.size < this.maxEntries * 0.9) break;
			this.expiries.delete(key);
		}
	}

	clear(): void {
		this.expiries.clear();
	}
}

const deliveries = new SeenSet(MAX_ENTRIES);
const events = new SeenSet(MAX_ENTRIES);

/**
 * Records an `X-Chatwoot-Delivery` id (a new uuid per delivery, docs/chatwoot-behaviour.md, Webhooks of an API inbox)
 * for twice the replay window: a signed timestamp may be up to one window in the future and one in the past. False when
 * already seen.
 */
export function firstDelivery(scope: string, deliveryId: string, replayWindowSeconds: number): boolean {
	return deliveries.firstSight(`${scope}|${deliveryId}`, 2 * replayWindowSeconds * 1000);
}

function stableJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, item]) => item !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/**
 * The identity of a logical message event (docs/chatwoot-behaviour.md, Sorting an arriving webhook): `event` + message
 * id, plus a hash of `content_attributes` for `message_updated` (a delete and a later status change are different
 * updates).
 */
export function logicalEventKey(event: ChatwootMessageEvent): string {
	const base = `${event.event}:${event.id}`;
	if (event.event !== 'message_updated') return base;
	const hash = createHash('sha256').update(stableJson(event.contentAttributes.raw)).digest('hex').slice(0, 16);
	return `${base}:${hash}`;
}

/** False when the same logical event was already emitted by this process within EVENT_DEDUPE_TTL_MS. */
export function firstEmission(scope: string, key: string): boolean {
	return events.firstSight(`${scope}|${key}`, EVENT_DEDUPE_TTL_MS);
}

/** Empties every per-process set (tests, and nothing else). */
export function resetTriggerMemory(): void {
	deliveries.clear();
	events.clear();
}
