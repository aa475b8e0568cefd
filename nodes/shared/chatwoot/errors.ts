/**
 * One classifier turns every Chatwoot failure into the actionable messages of the README's error table
 * (docs/architecture.md, Errors), each ending in `Detail: <Chatwoot's own text>`. The API token never appears: every
 * text is redacted, and request headers or raw transport errors (which carry them) are never kept.
 */
import type { ChatwootResponse, HttpMethod } from './request';

export type ChatwootErrorKind =
	| 'notFound'
	| 'invalidRequest'
	| 'invalidBody'
	| 'tokenRejected'
	| 'forbidden'
	| 'instanceNotFound'
	| 'unreachable'
	| 'notConfigured'
	| 'rateLimited'
	| 'unexpectedResponse'
	/**
	 * HTTP 500 on a contact / contact-inbox create: Chatwoot's unique-index race, "maybe exists" (docs/architecture.md,
	 * State).
	 */
	| 'conflict';

/**
 * The codes of the README's error table (400/401/403/404/502/503) plus three more: 409 `conflict` (normally caught
 * by the planner), 429 `rateLimited` once retries are spent, 502 for an unexpected answer (a bad upstream answer).
 */
export type ChatwootHttpCode = 400 | 401 | 403 | 404 | 409 | 429 | 502 | 503;

export interface ChatwootErrorInit {
	kind: ChatwootErrorKind;
	httpCode: ChatwootHttpCode;
	message: string;
	detail: string;
	retryable: boolean;
	chatwootStatus?: number;
	retryAfterMs?: number;
	/**
	 * Fields Chatwoot names in a 422 (`{"message": "...", "attributes": ["phone_number"]}`, docs/chatwoot-behaviour.md,
	 * Tokens and error answers).
	 */
	chatwootAttributes?: string[];
	/** The node parameter or body field our own validation rejected. */
	field?: string;
}

const REDACTED = '***';

/** Replaces every known secret (and its URL-encoded form) with `***`. */
export function redact(text: string, secrets: readonly string[] | undefined): string {
	let out = text;
	for (const secret of secrets ?? []) {
		if (!secret) continue;
		for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join(REDACTED);
	}
	return out;
}

export class ChatwootError extends Error {
	readonly kind: ChatwootErrorKind;
	readonly httpCode: ChatwootHttpCode;
	readonly detail: string;
	readonly retryable: boolean;
	readonly chatwootStatus?: number;
	readonly retryAfterMs?: number;
	readonly chatwootAttributes?: string[];
	readonly field?: string;

	/** `secrets` are used to redact and are not kept. */
	constructor(init: ChatwootErrorInit, secrets?: readonly string[]) {
		super(redact(init.message, secrets));
		this.name = 'ChatwootError';
		this.kind = init.kind;
		this.httpCode = init.httpCode;
		this.detail = redact(init.detail, secrets);
		this.retryable = init.retryable;
		if (init.chatwootStatus !== undefined) this.chatwootStatus = init.chatwootStatus;
		if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
		if (init.chatwootAttributes) {
			this.chatwootAttributes = init.chatwootAttributes.map((a) => redact(a, secrets));
		}
		if (init.field !== undefined) this.field = init.field;
	}

	toJSON(): Record<string, unknown> {
		return {
			name: this.name,
			message: this.message,
			kind: this.kind,
			httpCode: this.httpCode,
			detail: this.detail,
			retryable: this.retryable,
			chatwootStatus: this.chatwootStatus,
			retryAfterMs: this.retryAfterMs,
			chatwootAttributes: this.chatwootAttributes,
			field: this.field,
		};
	}
}

/** Errors of our own checks (bad input, unknown instance, no usable credential): no Chatwoot answer behind them. */
const INPUT_KINDS: readonly ChatwootErrorKind[] = ['invalidBody', 'instanceNotFound', 'notConfigured'];

export function isInputError(error: ChatwootError): boolean {
	return INPUT_KINDS.includes(error.kind);
}

export function isChatwootError(error: unknown, kind?: ChatwootErrorKind): error is ChatwootError {
	return error instanceof ChatwootError && (kind === undefined || error.kind === kind);
}

// ---------------------------------------------------------------------------------------------------------------
// Errors that do not come from a Chatwoot answer (worded as in the README, Errors).

/** 400 `invalid body: <field>: <message>`: our own validation, before anything is sent. */
export function invalidBody(field: string, message: string): ChatwootError {
	return new ChatwootError({
		kind: 'invalidBody',
		httpCode: 400,
		message: `invalid body: ${field}: ${message}`,
		detail: message,
		retryable: false,
		field,
	});
}

/** 404 `instance not found`: no API inbox is bound to this WhatsApp instance. */
export function instanceNotFound(instance?: string): ChatwootError {
	return new ChatwootError({
		kind: 'instanceNotFound',
		httpCode: 404,
		message: 'instance not found',
		detail: instance ?? '',
		retryable: false,
	});
}

/**
 * Seed 003 has two "not configured" answers; in our nodes:
 * - `instance` → 404 `no chatwoot integration for this instance`: the instance's API inbox exists but carries no
 *   integration record (never `set`, or removed by `delete`).
 * - `gateway` → 503 `integration gateway not configured`: the bridge itself cannot reach Chatwoot because no usable
 * Chatwoot Bridge credential is configured on the node (what a gateway's own integration calls "module not enabled on
 * the server").
 */
export function integrationNotConfigured(scope: 'instance' | 'gateway', detail = ''): ChatwootError {
	return scope === 'instance'
		? new ChatwootError({
				kind: 'notConfigured',
				httpCode: 404,
				message: 'no chatwoot integration for this instance',
				detail,
				retryable: false,
			})
		: new ChatwootError({
				kind: 'notConfigured',
				httpCode: 503,
				message: 'integration gateway not configured',
				detail,
				retryable: false,
			});
}

// ---------------------------------------------------------------------------------------------------------------
// Classification of Chatwoot answers and missing answers.

export interface FailureContext {
	baseUrl: string;
	accountId: number | string;
	method: HttpMethod;
	path: string;
	/** Strings to redact (the API token). Never stored. */
	secrets?: readonly string[];
	/** When false, a missing answer or a 5xx may have been applied and was not retried; the message says so. */
	idempotent?: boolean;
	/** Attempts made so far (shown when > 1). */
	attempts?: number;
	/**
	 * The caller creates a contact / contact inbox: a 500 is Chatwoot's unique-index race (docs/chatwoot-behaviour.md,
	 * Identity and uniqueness).
	 */
	conflictOn500?: boolean;
	/** Parsed `Retry-After` of a 429. */
	retryAfterMs?: number;
	/** Why a 429 was not retried, when it was not (e.g. Retry-After above the cap). */
	rateLimitNote?: string;
}

/** What a rejected SendRequest carries: a `code` (ECONNREFUSED, ENOTFOUND, ETIMEDOUT, …) and maybe a message. */
export interface NetworkFailure {
	code?: string;
	message?: string;
}

const NETWORK_CAUSES: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'host name not found (DNS)',
	EAI_AGAIN: 'DNS lookup failed temporarily',
	ETIMEDOUT: 'no answer within the timeout',
	ECONNRESET: 'connection reset (socket hang up)',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	EPIPE: 'connection closed while sending',
};

const STATUS_TEXT: Record<number, string> = {
	301: 'Moved Permanently',
	302: 'Found',
	307: 'Temporary Redirect',
	308: 'Permanent Redirect',
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	408: 'Request Timeout',
	409: 'Conflict',
	413: 'Payload Too Large',
	422: 'Unprocessable Entity',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
};

/** The base URL as shown to users: without `user:password@`, which would be a credential too. */
export function displayUrl(baseUrl: string): string {
	return baseUrl.replace(/^(https?:\/\/)[^/@\s]*@/i, '$1');
}

/** Normalises whatever a transport rejected with into a network code; never keeps the error (it may hold headers). */
export function networkCodeOf(error: unknown): NetworkFailure {
	const e = (error ?? {}) as { code?: unknown; message?: unknown };
	const message = typeof e.message === 'string' ? e.message : undefined;
	if (typeof e.code === 'string' && e.code !== '') return { code: e.code };
	if (message && /timeout|timed out/i.test(message)) return { code: 'ETIMEDOUT' };
	if (message && /socket hang up/i.test(message)) return { code: 'ECONNRESET' };
	return { code: 'ENETWORK' };
}

function networkDetail(failure: NetworkFailure): string {
	const { code } = networkCodeOf(failure);
	const cause = NETWORK_CAUSES[code ?? ''];
	return cause ? `${code} (${cause})` : (code ?? 'ENETWORK');
}

function cleanText(text: string): string {
	const collapsed = text
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return collapsed.length > 300 ? `${collapsed.slice(0, 300)}…` : collapsed;
}

/**
 * Chatwoot's own words: `error` or `message` of the body, else its text, else the status line
 * (docs/chatwoot-behaviour.md, Tokens and error answers).
 */
export function chatwootDetail(response: Pick<ChatwootResponse, 'status' | 'body'>): string {
	const body = response.body;
	if (body && typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body)) {
		const record = body as Record<string, unknown>;
		for (const key of ['error', 'message'] as const) {
			const value = record[key];
			if (typeof value === 'string' && value.trim() !== '') return cleanText(value);
		}
		const errors = record.errors;
		if (Array.isArray(errors) && errors.length > 0) {
			return cleanText(errors.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join(', '));
		}
	}
	if (typeof body === 'string' && body.trim() !== '') {
		const text = cleanText(body);
		if (text !== '') return text;
	}
	const text = STATUS_TEXT[response.status];
	return text ? `HTTP ${response.status} ${text}` : `HTTP ${response.status}`;
}

/** For 5xx the status matters as much as the text: `HTTP 503 Service Unavailable: <text>`. */
function withStatusLine(status: number, detail: string): string {
	const line = chatwootDetail({ status, body: undefined });
	return detail === line ? line : `${line}: ${detail}`;
}

function attributesOf(body: unknown): string[] | undefined {
	const attributes = (body as { attributes?: unknown } | undefined)?.attributes;
	return Array.isArray(attributes) && attributes.every((a) => typeof a === 'string') ? attributes : undefined;
}

function headerOf(headers: ChatwootResponse['headers'] | undefined, name: string): string | undefined {
	for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === name) return value;
	return undefined;
}

function isResponse(failure: ChatwootResponse | NetworkFailure): failure is ChatwootResponse {
	return typeof (failure as ChatwootResponse).status === 'number';
}

function notAppliedNote(ctx: FailureContext): string {
	if (ctx.idempotent === false) {
		return `; ${ctx.method} ${ctx.path} got no usable answer - the request may have been applied; it was not retried`;
	}
	return ctx.attempts && ctx.attempts > 1 ? ` (after ${ctx.attempts} attempts)` : '';
}

function unreachable(detail: string, ctx: FailureContext, chatwootStatus?: number): ChatwootError {
	return new ChatwootError(
		{
			kind: 'unreachable',
			httpCode: 502,
			message: `Chatwoot is unreachable at ${displayUrl(ctx.baseUrl)} - verify the base URL and that the host is reachable from n8n. Detail: ${detail}${notAppliedNote(ctx)}`,
			detail,
			retryable: true,
			chatwootStatus,
		},
		ctx.secrets,
	);
}

/**
 * Turns a Chatwoot answer (any non-2xx) or a missing answer into a ChatwootError with the README's message:
 * 404/3xx → account or endpoint not found (400) · 400/422/other 4xx → invalid request (400) · 401 → token rejected,
 * or (policy refusal / not a member / suspended) denied (403) · 403 → denied (403) · 429 → rate limited ·
 * 408/5xx/no answer → unreachable (502) · 500 with `conflictOn500` → conflict (409).
 */
export function classifyChatwootFailure(
	failure: ChatwootResponse | NetworkFailure,
	ctx: FailureContext,
): ChatwootError {
	if (!isResponse(failure)) return unreachable(networkDetail(failure), ctx);

	const status = failure.status;
	const detail = chatwootDetail(failure);
	const base = { detail, chatwootStatus: status, retryable: false };
	const accountId = String(ctx.accountId);
	const make = (init: Omit<ChatwootErrorInit, 'detail' | 'retryable'> & Partial<ChatwootErrorInit>) =>
		new ChatwootError({ ...base, ...init }, ctx.secrets);

	if (status === 500 && ctx.conflictOn500) {
		return make({
			kind: 'conflict',
			httpCode: 409,
			message: `Chatwoot reported a conflict on ${ctx.method} ${ctx.path} - a concurrent request may already have created this contact or contact inbox; look it up and reuse it. Detail: ${detail}`,
		});
	}
	if (status === 408 || status >= 500) return unreachable(withStatusLine(status, detail), ctx, status);
	if (status === 429) {
		const note = ctx.rateLimitNote ? ` (${ctx.rateLimitNote})` : '';
		return make({
			kind: 'rateLimited',
			httpCode: 429,
			retryable: true,
			retryAfterMs: ctx.retryAfterMs,
			message: `Chatwoot is rate-limiting requests (HTTP 429 on ${ctx.method} ${ctx.path}) - wait and retry, or lower the request rate. Detail: ${detail}${note}`,
		});
	}
	if (status === 401 && !/not authorized|suspended/i.test(detail)) {
		return make({
			kind: 'tokenRejected',
			httpCode: 401,
			message: `Chatwoot rejected the API token - verify the API access token in the credential. Detail: ${detail}`,
		});
	}
	if (status === 401 || status === 403) {
		return make({
			kind: 'forbidden',
			httpCode: 403,
			message: `Chatwoot denied the request - verify the API token has admin scope on account ${accountId}. Detail: ${detail}`,
		});
	}
	if (status === 404 || (status >= 300 && status < 400)) {
		const location = headerOf(failure.headers, 'location');
		const shown = location && status < 400 ? `${detail} (redirect to ${location})` : detail;
		return make({
			kind: 'notFound',
			httpCode: 400,
			detail: shown,
			message: `Chatwoot account or endpoint not found - verify the base URL (${displayUrl(ctx.baseUrl)}) and account ID (${accountId}). Detail: ${shown}`,
		});
	}
	return make({
		kind: 'invalidRequest',
		httpCode: 400,
		chatwootAttributes: attributesOf(failure.body),
		message: `Chatwoot rejected the request as invalid (${ctx.method} ${ctx.path}). Detail: ${detail}`,
	});
}

/** A 2xx whose body does not have the shape the bridge reads. */
export function unexpectedResponse(
	ctx: Pick<FailureContext, 'method' | 'path' | 'secrets'>,
	issue: string,
	chatwootStatus: number,
): ChatwootError {
	return new ChatwootError(
		{
			kind: 'unexpectedResponse',
			httpCode: 502,
			message: `Chatwoot answered ${ctx.method} ${ctx.path} with an unexpected shape: ${issue}`,
			detail: issue,
			retryable: false,
			chatwootStatus,
		},
		ctx.secrets,
	);
}
