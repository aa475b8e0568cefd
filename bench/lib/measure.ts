/**
 * Driving a workflow from outside and watching the sandbox Chatwoot: fire webhooks with bounded concurrency, wait
 * until given messages exist, wait until Chatwoot stops being called, and diff the sandbox's request counters.
 */
import type { Sandbox } from '../../test/sandbox';

export interface Delivery {
	url: string;
	body: unknown;
}

export interface FireResult {
	/** ms since epoch when the first request left. */
	startedAt: number;
	/** ms since epoch when the last answer arrived. */
	answeredAt: number;
	failures: string[];
}

/** POSTs every delivery, at most `concurrency` in flight; never throws (failures are listed). */
export async function fire(deliveries: Delivery[], concurrency: number): Promise<FireResult> {
	const failures: string[] = [];
	let next = 0;
	const startedAt = Date.now();
	const worker = async () => {
		while (next < deliveries.length) {
			const { url, body } = deliveries[next++];
			try {
				const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
				const text = await response.text();
				if (response.status !== 200) failures.push(`${response.status} ${text.slice(0, 200)}`);
			} catch (error) {
				failures.push((error as Error).message);
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, deliveries.length) }, worker));
	return { startedAt, answeredAt: Date.now(), failures };
}

export const TOKEN = /bm-[a-z0-9]+-\d+/;

/** A word the benchmark puts into a message's text, to find that message in Chatwoot whatever else is around it. */
export function token(phase: string, n: number): string {
	return `bm-${phase}-${n}`;
}

export interface Landed {
	/** ms since epoch when the last of the messages was created in the sandbox. */
	lastAt: number;
	messageIds: number[];
}

/**
 * Resolves once every token appears in a message created at or after `since` (an index into the sandbox's
 * dispatched events). Cheap while waiting: it scans only new `message_created` events and takes one state snapshot
 * when enough of them arrived.
 */
export async function waitForTokens(sb: Sandbox, tokens: string[], since: number, timeoutMs: number): Promise<Landed> {
	const wanted = new Set(tokens);
	const deadline = Date.now() + timeoutMs;
	const created = new Map<number, number>(); // message id → at
	let scanned = since;
	let lastMissing = tokens.length;
	for (;;) {
		const events = sb.dispatchedEvents;
		for (; scanned < events.length; scanned++) {
			const event = events[scanned];
			if (event.name === 'message_created' && event.messageId !== undefined) created.set(event.messageId, event.at);
		}
		if (created.size >= wanted.size) {
			const found = new Map<string, number>();
			for (const message of sb.state.messages) {
				if (!created.has(message.id)) continue;
				const match = message.content?.match(TOKEN);
				if (match && wanted.has(match[0])) found.set(match[0], message.id);
			}
			lastMissing = wanted.size - found.size;
			if (lastMissing === 0) {
				const ids = [...found.values()];
				return { lastAt: Math.max(...ids.map((id) => created.get(id)!)), messageIds: ids };
			}
		}
		if (Date.now() > deadline) {
			throw new Error(`timed out: ${lastMissing} of ${wanted.size} messages never reached the sandbox (${created.size} created)`);
		}
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}

/** Waits until webhook jobs are done and nobody called Chatwoot for `quietMs`. */
export async function quiet(sb: Sandbox, quietMs = 750, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let last = sb.requestCounts.total;
	let since = Date.now();
	for (;;) {
		await sb.idle();
		await new Promise((resolve) => setTimeout(resolve, 50));
		const now = sb.requestCounts.total;
		if (now !== last) {
			last = now;
			since = Date.now();
		} else if (Date.now() - since >= quietMs) {
			return;
		}
		if (Date.now() > deadline) throw new Error(`Chatwoot kept being called for ${timeoutMs} ms`);
	}
}

export type Counts = Record<string, number>;

/** `after - before` per endpoint, zero entries dropped. */
export function diffCounts(before: Counts, after: Counts): Counts {
	const out: Counts = {};
	for (const [key, value] of Object.entries(after)) {
		const delta = value - (before[key] ?? 0);
		if (delta) out[key] = delta;
	}
	return out;
}

export async function waitUntil<T>(what: string, probe: () => T | undefined | false, timeoutMs: number): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
