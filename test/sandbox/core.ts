/**
 * The hub every resource module works against: the store, the runtime knobs, the base URL (for `data_url`s) and
 * the webhook dispatcher. Domain events are buffered per request and released after the response (see EventSink).
 */
import type { Store } from './state';
import type { AgentBotRecord, Role, UserRecord } from './types';

export interface RateLimitConfig {
	/** Rack::Attack `req/ip`-style budget (Chatwoot default 3000, sample env 300). */
	perMinute: number;
	/** What one budget is shared by. Chatwoot throttles per client IP; every local request shares one IP. */
	scope?: 'ip' | 'token' | 'account' | 'global';
	/** `GET /contacts/search` per account (RATE_LIMIT_CONTACT_SEARCH, default 100). */
	contactSearchPerMinute?: number;
	/** `POST /upload` per account (default 60 per hour). */
	uploadPerHour?: number;
}

export interface SandboxKnobs {
	/** Processing delay per step; > 0 makes concurrent requests interleave between validation and commit. */
	latencyMs: number;
	/** WEBHOOK_TIMEOUT (open and read), default 5000 (§5.3). */
	webhookTimeoutMs: number;
	/** CONVERSATION_MESSAGE_PER_MINUTE_LIMIT, default 200 (§4). */
	conversationMessageLimitPerMinute: number;
	/** Off by default: Chatwoot never throttles 127.0.0.1; this simulates a remote client (§4). */
	rateLimit: RateLimitConfig | null;
	/**
	 * SAFE_FETCH_ALLOW_PRIVATE_NETWORK (v4.14.1+). Default true because every test receiver listens on 127.0.0.1;
	 * false reproduces the v4.14 default where private webhook URLs fail with "has no public ip addresses" (§5.4).
	 */
	safeFetchAllowPrivateNetwork: boolean;
}

export type Actor = { kind: 'user'; user: UserRecord; role: Role } | { kind: 'bot'; bot: AgentBotRecord };

export type ChangedAttributes = Array<Record<string, { previous_value: unknown; current_value: unknown }>>;

export type DomainEvent =
	| { name: 'message_created' | 'message_updated'; messageId: number }
	| { name: 'conversation_created' | 'conversation_status_changed'; conversationId: number }
	| { name: 'conversation_updated'; conversationId: number; changedAttributes: ChangedAttributes }
	| {
			name: 'conversation_typing_on' | 'conversation_typing_off';
			conversationId: number;
			actor: Actor;
			isPrivate: boolean;
	  };

export interface EventTarget {
	dispatch(events: DomainEvent[]): void;
}

/**
 * Chatwoot dispatches events from `after_commit` callbacks into background jobs, so a client sees webhooks only
 * after (and independently of) the API response (§5.3). Handlers emit into a sink; the server flushes it once the
 * response is written, helpers flush right away.
 */
export class EventSink {
	private readonly events: DomainEvent[] = [];

	constructor(private readonly target: EventTarget) {}

	emit(event: DomainEvent): void {
		this.events.push(event);
	}

	flush(): void {
		const events = this.events.splice(0);
		if (events.length) this.target.dispatch(events);
	}
}

export interface Core {
	readonly store: Store;
	readonly knobs: SandboxKnobs;
	baseUrl: string;
	readonly events: EventTarget;
	/** One "processing step": a real pause when latencyMs > 0, otherwise a macrotask yield. */
	gap(): Promise<void>;
	/** A background job (Sidekiq in Chatwoot): runs after the current response, awaited by `sb.idle()`. */
	defer(job: () => void | Promise<void>): void;
}

export function makeGap(knobs: SandboxKnobs): () => Promise<void> {
	return () =>
		new Promise<void>((resolve) => {
			if (knobs.latencyMs > 0) setTimeout(resolve, knobs.latencyMs);
			else setImmediate(resolve);
		});
}
