/**
 * Verification of Chatwoot's webhook signature (v4.13.0+, docs/chatwoot-behaviour.md, Webhooks of an API inbox):
 * `X-Chatwoot-Signature: sha256=<hex HMAC-SHA256(inbox secret, "<X-Chatwoot-Timestamp>.<raw body bytes>")>`.
 * Evolution's built-in endpoint checks nothing (docs/peers.md, Evolution API's built-in integration); this one fails
 * closed.
 */
import { createHmac, timingSafeEqual } from 'crypto';

export const CHATWOOT_SIGNATURE_HEADER = 'x-chatwoot-signature';
export const CHATWOOT_TIMESTAMP_HEADER = 'x-chatwoot-timestamp';
export const CHATWOOT_DELIVERY_HEADER = 'x-chatwoot-delivery';

/** Five minutes each way: Chatwoot signs at send time and gives up after 5 s, so only clock skew needs room. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureFailureReason =
	| 'missing-signature'
	| 'malformed-signature'
	| 'bad-signature'
	| 'stale-timestamp'
	| 'missing-timestamp'
	| 'malformed-timestamp'
	| 'missing-secret';

export type SignatureVerdict =
	| { ok: true; signed: boolean }
	| { ok: false; reason: SignatureFailureReason; message: string };

export interface VerifyChatwootSignatureInput {
	/** The request body exactly as received. A re-serialised JSON body will not verify. */
	rawBody: Buffer | string;
	signatureHeader?: string;
	timestampHeader?: string;
	/** The API inbox's `secret` (readable with an administrator token, docs/chatwoot-behaviour.md, Inboxes). */
	secret?: string;
	nowSeconds: number;
	toleranceSeconds: number;
	/** Accept unsigned deliveries while no secret is known (Chatwoot < v4.13.0). Never weakens a known secret. */
	allowUnsigned: boolean;
}

const SIGNATURE_FORMAT = /^sha256=([0-9a-f]{64})$/i;
const TIMESTAMP_FORMAT = /^\d{1,12}$/;

function fail(reason: SignatureFailureReason, message: string): SignatureVerdict {
	return { ok: false, reason, message };
}

function hmacHex(secret: string, timestamp: string, rawBody: Buffer | string): string {
	return createHmac('sha256', secret)
		.update(`${timestamp}.`, 'utf8')
		.update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
		.digest('hex');
}

/** `sha256=<hex>` as Chatwoot sends it; for tests and the sandbox server. */
export function signChatwootPayload(secret: string, timestamp: number | string, rawBody: Buffer | string): string {
	return `sha256=${hmacHex(secret, String(timestamp), rawBody)}`;
}

export function verifyChatwootSignature(input: VerifyChatwootSignatureInput): SignatureVerdict {
	const signature = input.signatureHeader?.trim() ?? '';
	const timestamp = input.timestampHeader?.trim() ?? '';
	const secret = input.secret ?? '';

	if (!secret) {
		// A signed delivery we cannot check is not "unsigned": accepting it would let any signature through.
		if (signature) {
			return fail(
				'missing-secret',
				'The delivery is signed but no inbox secret is known; re-read the secret of the API inbox',
			);
		}
		if (input.allowUnsigned) return { ok: true, signed: false };
		return fail(
			'missing-signature',
			'The delivery has no X-Chatwoot-Signature header and unsigned deliveries are not allowed (Chatwoot < 4.13 does not sign)',
		);
	}

	// With a known secret a missing signature is an attack or a misrouted request, whatever allowUnsigned says.
	if (!signature) return fail('missing-signature', 'The delivery has no X-Chatwoot-Signature header');
	const match = SIGNATURE_FORMAT.exec(signature);
	if (!match) {
		return fail('malformed-signature', 'X-Chatwoot-Signature is not of the form sha256=<64 hex digits>');
	}
	if (!timestamp) return fail('missing-timestamp', 'The delivery has no X-Chatwoot-Timestamp header');
	if (!TIMESTAMP_FORMAT.test(timestamp)) {
		return fail('malformed-timestamp', 'X-Chatwoot-Timestamp is not a unix time in seconds');
	}

	const expected = Buffer.from(hmacHex(secret, timestamp, input.rawBody), 'hex');
	const received = Buffer.from(match[1], 'hex');
	// Both are 32 bytes after the format check; the length test keeps timingSafeEqual from throwing regardless.
	if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
		return fail(
			'bad-signature',
			'X-Chatwoot-Signature does not match the raw body signed with the inbox secret (was the secret rotated, or the body re-encoded on the way?)',
		);
	}

	// Checked after the HMAC so "stale" always means a genuine but replayed (or clock-skewed) delivery.
	const skew = input.nowSeconds - Number(timestamp);
	if (Math.abs(skew) > input.toleranceSeconds) {
		const direction = skew > 0 ? `${skew} s old` : `${-skew} s in the future`;
		return fail(
			'stale-timestamp',
			`X-Chatwoot-Timestamp is ${direction}, outside the ${input.toleranceSeconds} s window (replay, or clocks out of sync)`,
		);
	}
	return { ok: true, signed: true };
}
