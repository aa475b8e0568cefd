/**
 * Pacing of an import, so Chatwoot's limits (docs/chatwoot-behaviour.md, Limits) are kept by waiting, not met by
 * failing:
 * - every HTTP request of the run (reads, writes and retries) takes a slot of one shared schedule, evenly spaced at
 *   the configured requests per minute (Rack::Attack counts per client IP in fixed one-minute windows: evenly spaced
 *   requests never put more than the limit into any window; a 1 % margin absorbs timer and network jitter);
 * - messages into one conversation stay under its flood guard (200 per sliding minute), counted in a sliding window.
 * Timers are injected (in the node, a sleep that ends when the execution is cancelled), so this runs under fake clocks
 * in tests.
 */
import type { ChatwootResponse, SendRequest } from '../../chatwoot/request';

export interface Clock {
	now: () => number;
	sleep: (ms: number) => Promise<void>;
}

/** The rate the schedule actually keeps: the limit minus 1 % (at least one request), never below one a minute. */
export function pacedPerMinute(limitPerMinute: number): number {
	if (limitPerMinute <= 0) return 0;
	return Math.max(1, limitPerMinute - Math.max(1, Math.ceil(limitPerMinute * 0.01)));
}

/** One request per `60 s / rate`, whoever asks (a token bucket holding one token). `0` = no limit. */
export class RequestPacer {
	readonly intervalMs: number;
	private next = -Infinity;

	constructor(
		limitPerMinute: number,
		private readonly clock: Clock,
	) {
		const rate = pacedPerMinute(limitPerMinute);
		this.intervalMs = rate > 0 ? 60_000 / rate : 0;
	}

	async take(): Promise<void> {
		if (this.intervalMs === 0) return;
		const now = this.clock.now();
		const at = Math.max(now, this.next);
		this.next = at + this.intervalMs;
		if (at > now) await this.clock.sleep(at - now);
	}
}

export interface PacedStats {
	/** HTTP requests sent (retries included). */
	requests: number;
	/** Answers with HTTP 429 (the client retried them after `Retry-After`). */
	throttled: number;
}

/** A SendRequest whose every exchange waits for its slot first and is counted. */
export function pacedSend(send: SendRequest, pacer: RequestPacer, stats: PacedStats): SendRequest {
	return async (request): Promise<ChatwootResponse> => {
		await pacer.take();
		stats.requests += 1;
		const response = await send(request);
		if (response.status === 429) stats.throttled += 1;
		return response;
	};
}

const MINUTE_MS = 60_000;

/**
 * At most `perMinute` messages per conversation in any 60 s, as Chatwoot counts them (messages created in the last
 * minute, docs/chatwoot-behaviour.md, Limits). Seeded with what the conversation already got in the last minute, so a
 * re-run right after an interrupted one does not run into the guard either.
 */
export class ConversationPacer {
	private readonly windows = new Map<number, number[]>();

	constructor(
		readonly perMinute: number,
		private readonly clock: Clock,
	) {}

	private window(conversationId: number): number[] {
		let times = this.windows.get(conversationId);
		if (!times) {
			times = [];
			this.windows.set(conversationId, times);
		}
		return times;
	}

	/** Times (ms) of messages the conversation received recently, e.g. read with its ledger. */
	seed(conversationId: number, times: number[]): void {
		const window = this.window(conversationId);
		window.push(...times);
		window.sort((a, b) => a - b);
	}

	/** Counts a message that was posted without `take` (the first one, sent with a new conversation). */
	note(conversationId: number): void {
		this.window(conversationId).push(this.clock.now());
	}

	/** Waits until one more message fits into the conversation's minute, then counts it. */
	async take(conversationId: number): Promise<void> {
		if (this.perMinute <= 0) return;
		const window = this.window(conversationId);
		for (;;) {
			const now = this.clock.now();
			while (window.length && window[0] <= now - MINUTE_MS) window.shift();
			if (window.length < this.perMinute) {
				window.push(now);
				return;
			}
			await this.clock.sleep(window[0] + MINUTE_MS - now + 1);
		}
	}

	/** A finished chat's conversation needs no window any more. */
	forget(conversationId: number): void {
		this.windows.delete(conversationId);
	}
}
