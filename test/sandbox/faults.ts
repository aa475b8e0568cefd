/**
 * Network and server faults a client of Chatwoot must survive: a 5xx answer, a slow answer, a connection dropped
 * before any answer, a connection dropped AFTER the request was processed (the write happened, the client cannot
 * know), and a 429 with Retry-After. Random faults use a seeded PRNG so a failing run can be replayed.
 */

export type FaultKind = '5xx' | 'slow' | 'drop' | 'drop_after_commit' | '429';

export interface FaultDecision {
	kind: FaultKind;
	/** For '5xx' (default 500). */
	status?: number;
	/** For 'slow' (default 1000 ms): the answer is delayed, then the request is processed normally. */
	delayMs?: number;
	/** For '429' (default 60). */
	retryAfterSeconds?: number;
}

export interface FaultRequestInfo {
	method: string;
	path: string;
	/** Route template, e.g. `POST /api/v1/accounts/:account_id/contacts`. */
	key: string;
}

export type FaultMatch = ((info: FaultRequestInfo) => boolean) | { method?: string; path?: string | RegExp };

export interface FaultConfig {
	/** Probability (0..1) that a matching request gets a fault. */
	rate: number;
	kinds?: FaultKind[];
	seed?: number;
	match?: FaultMatch;
	status?: number;
	delayMs?: number;
	retryAfterSeconds?: number;
}

export type FaultPolicy = FaultConfig | ((info: FaultRequestInfo) => FaultDecision | null | undefined);

export interface InjectedFault extends FaultDecision {
	method: string;
	path: string;
	at: number;
}

/** mulberry32: tiny, fast, good enough for test fault schedules. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function matches(match: FaultMatch | undefined, info: FaultRequestInfo): boolean {
	if (!match) return true;
	if (typeof match === 'function') return match(info);
	if (match.method && match.method.toUpperCase() !== info.method) return false;
	if (match.path instanceof RegExp) return match.path.test(info.path);
	if (typeof match.path === 'string') return info.path === match.path || info.key.endsWith(` ${match.path}`);
	return true;
}

export class FaultInjector {
	private policy: FaultPolicy | null = null;
	private random: () => number = Math.random;
	private readonly queued: Array<{ decision: FaultDecision; match?: FaultMatch }> = [];
	readonly injected: InjectedFault[] = [];

	set(policy: FaultPolicy | null): void {
		this.policy = policy;
		this.random = policy && typeof policy === 'object' && policy.seed !== undefined ? seededRandom(policy.seed) : Math.random;
	}

	/** The next `count` matching requests get this fault, before any random policy. */
	failNext(count: number, kind: FaultKind, options: Omit<FaultDecision, 'kind'> & { match?: FaultMatch } = {}): void {
		const { match, ...rest } = options;
		for (let i = 0; i < count; i++) this.queued.push({ decision: { kind, ...rest }, match });
	}

	clear(): void {
		this.policy = null;
		this.queued.length = 0;
		this.injected.length = 0;
	}

	decide(info: FaultRequestInfo): FaultDecision | null {
		const queuedIndex = this.queued.findIndex((q) => matches(q.match, info));
		let decision: FaultDecision | null = null;
		if (queuedIndex >= 0) decision = this.queued.splice(queuedIndex, 1)[0].decision;
		else if (typeof this.policy === 'function') decision = this.policy(info) ?? null;
		else if (this.policy && matches(this.policy.match, info) && this.random() < this.policy.rate) {
			const kinds = this.policy.kinds?.length ? this.policy.kinds : (['5xx'] as FaultKind[]);
			const kind = kinds[Math.floor(this.random() * kinds.length)];
			decision = {
				kind,
				status: this.policy.status,
				delayMs: this.policy.delayMs,
				retryAfterSeconds: this.policy.retryAfterSeconds,
			};
		}
		if (decision) this.injected.push({ ...decision, method: info.method, path: info.path, at: Date.now() });
		return decision;
	}
}
