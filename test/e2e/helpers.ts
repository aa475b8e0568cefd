/** Small helpers shared by the e2e suites. */
import { createHmac } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import { REPO_ROOT } from '../../scripts/n8n-home';

/** A gateway payload from test/fixtures/whatsapp-payloads, fresh each call (tests mutate it). */
export function fixture(name: string): any {
	return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/whatsapp-payloads', `${name}.json`), 'utf8'));
}

/** The webhook secrets of the suite's gateway credentials (world.ts `gatewayCredentials`). */
export const EVOLUTION_WEBHOOK_SECRET = 'e2e-evolution-webhook-secret';
export const WAHA_HMAC_KEY = 'e2e-waha-hmac-key';
export const CLOUD_APP_SECRET = 'e2e-cloud-app-secret';

/**
 * What each gateway adds to a genuine delivery of these bytes: Evolution's shared-secret header (its webhook
 * `headers` config), WAHA's X-Webhook-Hmac (HMAC-SHA512) and Meta's X-Hub-Signature-256 (HMAC-SHA256). Each
 * gateway's check reads only its own header.
 */
export function gatewayAuthHeaders(raw: Buffer): Record<string, string> {
	return {
		'x-bridge-secret': EVOLUTION_WEBHOOK_SECRET,
		'x-webhook-hmac': createHmac('sha512', WAHA_HMAC_KEY).update(raw).digest('hex'),
		'x-webhook-hmac-algorithm': 'sha512',
		'x-hub-signature-256': `sha256=${createHmac('sha256', CLOUD_APP_SECRET).update(raw).digest('hex')}`,
	};
}

/** Posts a gateway event as the gateways deliver it (authenticated); `headers` replace those (e.g. a forged one). */
export async function post(url: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; text: string }> {
	const raw = Buffer.from(JSON.stringify(body));
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(headers ?? gatewayAuthHeaders(raw)) },
		body: raw,
	});
	return { status: response.status, text: await response.text() };
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}
