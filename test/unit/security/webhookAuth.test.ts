import { readFileSync } from 'fs';
import { join } from 'path';

import { verifyGatewayWebhook, type WebhookRequest, type WebhookSecret } from '../../../nodes/shared/whatsapp/webhookAuth';
import { FIXTURES } from '../whatsapp/fixtures';

/** Bodies as the gateways send them: the bytes of our sample files, never re-serialised. */
const cloudBody = readFileSync(join(FIXTURES, 'cloud-api', 'text.json'));
const wahaBody = readFileSync(join(FIXTURES, 'waha', 'text.json'));

// Computed outside our code (`openssl dgst -sha256 -hmac test-app-secret < cloud-api/text.json`, and -sha512 for WAHA),
// following Meta's and WAHA's documented recipes: HMAC of the raw body, hex.
const CLOUD_SECRET = 'test-app-secret';
const CLOUD_SIGNATURE = 'sha256=c1ca32f5dcc9635c768f66b7a2fc784aefba0198b84197f134ce44e5909f2dcc';
const WAHA_KEY = 'waha-hmac-key';
const WAHA_HMAC =
	'1a35ec80987e3bf2ccb00bedbf56557d975dfbbbab951e1a49e709fc96ff4073fce243614cc2c869b2ccd0075dbdf51f5a23665d7ca5e1aa2745ccca30197c23';

const cloud: WebhookSecret = { gateway: 'cloud', appSecret: CLOUD_SECRET };
const waha: WebhookSecret = { gateway: 'waha', hmacKey: WAHA_KEY };
const evolution: WebhookSecret = { gateway: 'evolution', sharedSecret: 's3cr3t-evo', headerName: 'X-Bridge-Secret' };

function altered(body: Buffer): Buffer {
	return Buffer.from(body.toString('utf8').replace('"text"', '"texT"'), 'utf8');
}

function message(secret: WebhookSecret, request: WebhookRequest): string {
	const verdict = verifyGatewayWebhook(secret, request);
	return verdict.ok ? 'accepted' : verdict.message;
}

describe('WhatsApp Cloud API deliveries (X-Hub-Signature-256, HMAC-SHA256 with the app secret)', () => {
	it('accepts the signature Meta computes over the raw body, whatever the header case', () => {
		expect(message(cloud, { headers: { 'x-hub-signature-256': CLOUD_SIGNATURE }, rawBody: cloudBody })).toBe('accepted');
		expect(message(cloud, { headers: { 'X-Hub-Signature-256': CLOUD_SIGNATURE.toUpperCase().replace('SHA256=', 'sha256=') }, rawBody: cloudBody })).toBe('accepted');
	});

	it('refuses a missing signature and names the header', () => {
		expect(message(cloud, { headers: {}, rawBody: cloudBody })).toMatch(/^webhook refused: X-Hub-Signature-256 is missing/);
	});

	it('refuses a forged signature (right shape, other secret)', () => {
		const forged = verifyGatewayWebhook({ gateway: 'cloud', appSecret: 'attacker' }, { headers: {}, rawBody: cloudBody });
		expect(forged.ok).toBe(false);
		const text = message(cloud, { headers: { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` }, rawBody: cloudBody });
		expect(text).toMatch(/X-Hub-Signature-256 does not match the body/);
	});

	it('refuses an altered body under the original signature', () => {
		expect(message(cloud, { headers: { 'x-hub-signature-256': CLOUD_SIGNATURE }, rawBody: altered(cloudBody) })).toMatch(/does not match/);
	});

	it('refuses a re-serialised body (what n8n parsed, not what Meta signed)', () => {
		const reserialised = Buffer.from(JSON.stringify(JSON.parse(cloudBody.toString('utf8'))));
		expect(message(cloud, { headers: { 'x-hub-signature-256': CLOUD_SIGNATURE }, rawBody: reserialised })).toMatch(/does not match/);
	});

	it('refuses when the raw body was not passed, saying which Webhook option to turn on', () => {
		expect(message(cloud, { headers: { 'x-hub-signature-256': CLOUD_SIGNATURE } })).toMatch(/raw body is missing.*"Raw Body"/);
	});

	it('refuses a signature of another algorithm', () => {
		expect(message(cloud, { headers: { 'x-hub-signature-256': `sha1=${'a'.repeat(40)}` }, rawBody: cloudBody })).toMatch(/malformed/);
	});
});

describe('WAHA deliveries (X-Webhook-Hmac, HMAC-SHA512 with the webhook HMAC key)', () => {
	const signed = { 'x-webhook-hmac': WAHA_HMAC, 'x-webhook-hmac-algorithm': 'sha512' };

	it('accepts the HMAC WAHA computes over the raw body', () => {
		expect(message(waha, { headers: signed, rawBody: wahaBody })).toBe('accepted');
	});

	it('refuses a missing HMAC and says where WAHA configures the key', () => {
		expect(message(waha, { headers: {}, rawBody: wahaBody })).toMatch(/^webhook refused: X-Webhook-Hmac is missing.*hmac\.key/);
	});

	it('refuses a forged HMAC, an altered body and another algorithm', () => {
		expect(message(waha, { headers: { ...signed, 'x-webhook-hmac': 'f'.repeat(128) }, rawBody: wahaBody })).toMatch(/does not match/);
		expect(message(waha, { headers: signed, rawBody: altered(wahaBody) })).toMatch(/does not match/);
		expect(message(waha, { headers: { ...signed, 'x-webhook-hmac-algorithm': 'md5' }, rawBody: wahaBody })).toMatch(
			/X-Webhook-Hmac-Algorithm names "md5"/,
		);
	});

	it('refuses a valid HMAC made with another key', () => {
		expect(message({ gateway: 'waha', hmacKey: 'other-key' }, { headers: signed, rawBody: wahaBody })).toMatch(/does not match/);
	});
});

describe('Evolution API deliveries (unsigned: a shared secret in a header or the URL path)', () => {
	const body = Buffer.from('{"event":"messages.upsert"}');

	it('accepts the secret in the configured header, or in the :secret path segment', () => {
		expect(message(evolution, { headers: { 'x-bridge-secret': 's3cr3t-evo' }, rawBody: body })).toBe('accepted');
		expect(message(evolution, { headers: {}, params: { secret: 's3cr3t-evo' } })).toBe('accepted');
	});

	it('refuses a request without the secret, naming the header and the path alternative', () => {
		expect(message(evolution, { headers: {}, rawBody: body })).toMatch(/X-Bridge-Secret is missing.*:secret/);
	});

	it('refuses a wrong secret, also one that only shares a prefix', () => {
		expect(message(evolution, { headers: { 'x-bridge-secret': 's3cr3t' } })).toMatch(/does not match the shared secret/);
		expect(message(evolution, { headers: {}, params: { secret: 's3cr3t-evo-x' } })).toMatch(/does not match/);
	});

	it('never repeats the secret in its message', () => {
		expect(message(evolution, { headers: { 'x-bridge-secret': 'wrong' } })).not.toContain('s3cr3t-evo');
	});
});
