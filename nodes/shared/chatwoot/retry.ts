/**
 * The Chatwoot call policy over one SendRequest: bounded retries with exponential backoff and full jitter for
 * idempotent requests, `Retry-After` honoured on 429 for every request, classification of failures, and shape checks
 * of answers. No timers of its own: `sleep` is injected (n8n's `sleep` in nodes, a fake in tests).
 */
import type { ZodType, ZodTypeDef } from 'zod';

import { throwIfCancelled } from '../cancellation';
import { describeZodIssue } from '../zodIssues';
import { classifyChatwootFailure, networkCodeOf, unexpectedResponse, type FailureContext } from './errors';
import type { ChatwootRequest, ChatwootResponse, SendRequest } from './request';

export { describeZodIssue };

export interface ChatwootHttpOptions {
	baseUrl: string;
	accountId: number | string;
	/** Attempts per call, first one included. Default 4. */
	maxAttempts?: number;
	/** Backoff base: attempt n waits a uniform random time in [0, min(maxDelayMs, baseDelayMs·2^(n-1))]. Default 300. */
	baseDelayMs?: number;
	/** Default 8000. */
	maxDelayMs?: number;
	/** A 429 asking to wait longer than this fails at once (carrying `retryAfterMs`). Default 60000. */
	maxRetryAfterMs?: number;
	sleep: (ms: number) => Promise<void>;
	/** The execution's cancel signal: once aborted nothing more is sent (`sleep` should end with it too). */
	signal?: AbortSignal;
	/** In [0, 1). Default Math.random. */
	random?: () => number;
	/** Clock for HTTP-date `Retry-After`. Default Date.now. */
	now?: () => number;
	/** Redacted from every error (the API token). */
	secrets?: string[];
	/**
	 * Wait after Chatwoot's per-conversation flood guard (422 "Too many messages", 200 per minute,
	 * docs/chatwoot-behaviour.md, Limits). Default 5000, up to `maxFloodWaits` times (default 12: a full minute), since
	 * the window slides by itself.
	 */
	floodGuardWaitMs?: number;
	maxFloodWaits?: number;
}

export interface CallOptions {
	/**
	 * A 500 means Chatwoot's unique-index race on a create: throw `conflict`, do not retry (docs/chatwoot-behaviour.md,
	 * Identity and uniqueness).
	 */
	conflictOn500?: boolean;
	/**
	 * Resolve `undefined` for a 404 with an empty body (e.g. `POST /contact_inboxes/filter`, docs/chatwoot-behaviour.md,
	 * Contact inboxes).
	 */
	absentOnEmpty404?: boolean;
}

export interface ChatwootHttpStats {
	/** Calls made through `call`. */
	calls: number;
	/** HTTP exchanges attempted (calls + retries). */
	attempts: number;
	retries: number;
	/** Total ms passed to `sleep`. */
	waitedMs: number;
	/** Every wait, in order (for tests and benchmarks). */
	waits: number[];
}

type AnySchema<T> = ZodType<T, ZodTypeDef, unknown>;

export interface ChatwootCall {
	<T>(
		request: ChatwootRequest,
		schema: AnySchema<T>,
		options: CallOptions & { absentOnEmpty404: true },
	): Promise<T | undefined>;
	<T = unknown>(request: ChatwootRequest, schema?: AnySchema<T>, options?: CallOptions): Promise<T>;
	readonly stats: ChatwootHttpStats;
}

/** `Retry-After` as delta-seconds or an HTTP date (RFC 9110 §10.2.3), in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
	const text = value?.trim();
	if (!text) return undefined;
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

function isEmptyBody(body: unknown): boolean {
	if (body === undefined || body === null) return true;
	if (typeof body === 'string') return body.trim() === '';
	return Buffer.isBuffer(body) && body.length === 0;
}

function header(response: ChatwootResponse, name: string): string | undefined {
	for (const [key, value] of Object.entries(response.headers ?? {})) if (key.toLowerCase() === name) return value;
	return undefined;
}

export function createChatwootHttp(send: SendRequest, options: ChatwootHttpOptions): ChatwootCall {
	const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
	const baseDelayMs = options.baseDelayMs ?? 300;
	const maxDelayMs = options.maxDelayMs ?? 8000;
	const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
	const floodGuardWaitMs = options.floodGuardWaitMs ?? 5_000;
	const maxFloodWaits = options.maxFloodWaits ?? 12;
	const random = options.random ?? Math.random;
	const now = options.now ?? Date.now;
	const stats: ChatwootHttpStats = { calls: 0, attempts: 0, retries: 0, waitedMs: 0, waits: [] };

	/** Full jitter (uniform in [0, cap]) keeps concurrent workers from retrying in lockstep. */
	const backoff = (retry: number): number =>
		Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1)));

	const wait = async (ms: number): Promise<void> => {
		stats.retries += 1;
		stats.waitedMs += ms;
		stats.waits.push(ms);
		await options.sleep(ms);
	};

	async function call(
		request: ChatwootRequest,
		schema?: AnySchema<unknown>,
		callOptions: CallOptions = {},
	): Promise<unknown> {
		stats.calls += 1;
		const path = request.path;
		const context = (attempts: number, extra: Partial<FailureContext> = {}): FailureContext => ({
			baseUrl: options.baseUrl,
			accountId: options.accountId,
			method: request.method,
			path,
			secrets: options.secrets,
			idempotent: request.idempotent,
			attempts,
			conflictOn500: callOptions.conflictOn500,
			...extra,
		});

		let floodWaits = 0;
		for (let attempt = 1; ; attempt += 1) {
			throwIfCancelled(options.signal);
			stats.attempts += 1;
			const canRetry = attempt < maxAttempts;
			let response: ChatwootResponse;
			try {
				response = await send(request);
			} catch (error) {
				// A request cut by the cancel (or a pacing wait that ended with it) is not Chatwoot being unreachable.
				throwIfCancelled(options.signal);
				// Only the code survives: a transport error may carry the request headers, token included.
				const failure = networkCodeOf(error);
				// Without an answer a non-idempotent request may have been applied: never send it twice.
				if (request.idempotent && canRetry) {
					await wait(backoff(attempt));
					continue;
				}
				throw classifyChatwootFailure(failure, context(attempt));
			}

			const { status } = response;
			if (status >= 200 && status < 300) return parse(response, schema, request, context(attempt));
			if (status === 404 && callOptions.absentOnEmpty404 && isEmptyBody(response.body)) return undefined;

			if (status === 429) {
				// Throttled means not processed (Rack::Attack answers before the app, docs/chatwoot-behaviour.md, Limits): safe for
				// every request.
				const retryAfterMs = parseRetryAfter(header(response, 'retry-after'), now());
				if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) {
					throw classifyChatwootFailure(
						response,
						context(attempt, {
							retryAfterMs,
							rateLimitNote: `Chatwoot asked to wait ${Math.ceil(retryAfterMs / 1000)} s, more than the ${Math.round(maxRetryAfterMs / 1000)} s this node waits`,
						}),
					);
				}
				if (canRetry) {
					await wait(retryAfterMs ?? backoff(attempt));
					continue;
				}
				throw classifyChatwootFailure(response, context(attempt, { retryAfterMs }));
			}

			// The flood guard rejects in validation: nothing was created, so waiting and sending again is safe.
			if (isFloodGuard(response) && floodWaits < maxFloodWaits) {
				floodWaits += 1;
				attempt -= 1;
				await wait(floodGuardWaitMs + backoff(1));
				continue;
			}

			const conflict = status === 500 && callOptions.conflictOn500;
			const transient = status === 408 || status >= 500;
			if (transient && !conflict && request.idempotent && canRetry) {
				await wait(backoff(attempt));
				continue;
			}
			throw classifyChatwootFailure(response, context(attempt));
		}
	}

	const callable = call as unknown as ChatwootCall;
	Object.defineProperty(callable, 'stats', { value: stats, enumerable: true });
	return callable;
}

function isFloodGuard(response: ChatwootResponse): boolean {
	const body = response.body as { error?: unknown } | undefined;
	return response.status === 422 && typeof body?.error === 'string' && /Too many messages/i.test(body.error);
}

function parse(
	response: ChatwootResponse,
	schema: AnySchema<unknown> | undefined,
	request: ChatwootRequest,
	context: FailureContext,
): unknown {
	if (!schema) return response.body;
	const result = schema.safeParse(response.body);
	if (result.success) return result.data;
	throw unexpectedResponse(
		{ method: request.method, path: request.path, secrets: context.secrets },
		describeZodIssue(result.error.issues[0]),
		response.status,
	);
}
