/**
 * Is this webhook delivery really from the gateway? Checked on the raw body as received, before anything is written
 * to Chatwoot (docs/security.md):
 * - WhatsApp Cloud API: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(raw body, app secret)>` (Meta signs every delivery).
 * - WAHA: `X-Webhook-Hmac: <hex HMAC-SHA512(raw body, HMAC key)>` with `X-Webhook-Hmac-Algorithm: sha512`.
 * - Evolution API signs nothing: a shared secret in a header the webhook config sends, or in the URL path.
 * Every comparison is constant-time.
 */
import { createHmac, timingSafeEqual } from 'crypto';

export const CLOUD_SIGNATURE_HEADER = 'x-hub-signature-256';
export const WAHA_HMAC_HEADER = 'x-webhook-hmac';
export const WAHA_ALGORITHM_HEADER = 'x-webhook-hmac-algorithm';
export const DEFAULT_EVOLUTION_SECRET_HEADER = 'x-bridge-secret';
/** Name of the Webhook node path parameter that can carry the Evolution secret (`path: evolution/:secret`). */
export const EVOLUTION_SECRET_PATH_PARAMETER = 'secret';

export type WebhookSecret =
	| { gateway: 'cloud'; appSecret: string }
	| { gateway: 'waha'; hmacKey: string }
	| { gateway: 'evolution'; sharedSecret: string; headerName?: string };

export interface WebhookRequest {
	/** Request headers as the Webhook node lists them (`$json.headers`); names in any case. */
	headers?: Record<string, unknown>;
	/** Path parameters (`$json.params`). */
	params?: Record<string, unknown>;
	/** The body exactly as received. A re-serialised JSON body does not verify. */
	rawBody?: Buffer;
}

export type WebhookVerdict = { ok: true } | { ok: false; header: string; message: string };

function headerValue(headers: Record<string, unknown> | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
	const value = key === undefined ? undefined : headers[key];
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' ? first.trim() : undefined;
}

/** Equal in constant time; different lengths are simply unequal (the length of a hex digest is public). */
export function sameSecret(received: string, expected: string): boolean {
	const a = Buffer.from(received, 'utf8');
	const b = Buffer.from(expected, 'utf8');
	return a.length === b.length && timingSafeEqual(a, b);
}

function hmacHex(algorithm: 'sha256' | 'sha512', key: string, body: Buffer): string {
	return createHmac(algorithm, key).update(body).digest('hex');
}

function refused(header: string, reason: string): WebhookVerdict {
	return { ok: false, header, message: `webhook refused: ${header} ${reason}` };
}

const RAW_BODY_MISSING =
	'cannot be checked: the raw body is missing (turn on "Raw Body" in the Webhook node options and pass its binary property)';

function verifyCloud(appSecret: string, request: WebhookRequest): WebhookVerdict {
	const header = 'X-Hub-Signature-256';
	const received = headerValue(request.headers, CLOUD_SIGNATURE_HEADER);
	if (!received) return refused(header, 'is missing: the WhatsApp Cloud API signs every delivery with the app secret');
	const match = /^sha256=([0-9a-f]{64})$/i.exec(received);
	if (!match) return refused(header, 'is malformed: expected "sha256=" and 64 hex digits');
	if (!request.rawBody) return refused(header, RAW_BODY_MISSING);
	return sameSecret(match[1].toLowerCase(), hmacHex('sha256', appSecret, request.rawBody))
		? { ok: true }
		: refused(header, 'does not match the body: not signed with this app secret, or the body was altered');
}

function verifyWaha(hmacKey: string, request: WebhookRequest): WebhookVerdict {
	const header = 'X-Webhook-Hmac';
	const received = headerValue(request.headers, WAHA_HMAC_HEADER);
	if (!received) return refused(header, 'is missing: set the HMAC key in the WAHA webhook config (webhooks[].hmac.key)');
	const algorithm = (headerValue(request.headers, WAHA_ALGORITHM_HEADER) ?? 'sha512').toLowerCase();
	if (algorithm !== 'sha512') {
		return refused('X-Webhook-Hmac-Algorithm', `names "${algorithm.slice(0, 20)}"; only sha512 is accepted`);
	}
	if (!/^[0-9a-f]{128}$/i.test(received)) return refused(header, 'is malformed: expected 128 hex digits (HMAC-SHA512)');
	if (!request.rawBody) return refused(header, RAW_BODY_MISSING);
	return sameSecret(received.toLowerCase(), hmacHex('sha512', hmacKey, request.rawBody))
		? { ok: true }
		: refused(header, 'does not match the body: not signed with this HMAC key, or the body was altered');
}

function verifyEvolution(sharedSecret: string, headerName: string, request: WebhookRequest): WebhookVerdict {
	const fromHeader = headerValue(request.headers, headerName);
	const fromPath = request.params?.[EVOLUTION_SECRET_PATH_PARAMETER];
	const received = fromHeader ?? (typeof fromPath === 'string' ? decodeURIComponent(fromPath) : undefined);
	if (received === undefined) {
		return refused(
			headerName,
			`is missing: add it to the Evolution webhook headers, or put the secret in the Webhook path as :${EVOLUTION_SECRET_PATH_PARAMETER}`,
		);
	}
	return sameSecret(received, sharedSecret) ? { ok: true } : refused(headerName, 'does not match the shared secret');
}

export function verifyGatewayWebhook(secret: WebhookSecret, request: WebhookRequest): WebhookVerdict {
	switch (secret.gateway) {
		case 'cloud':
			return verifyCloud(secret.appSecret, request);
		case 'waha':
			return verifyWaha(secret.hmacKey, request);
		case 'evolution':
			return verifyEvolution(secret.sharedSecret, secret.headerName?.trim() || DEFAULT_EVOLUTION_SECRET_HEADER, request);
	}
}
