import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

export const WEBHOOK_FIXTURES_DIR = join(__dirname, '..', '..', 'fixtures', 'chatwoot-webhooks');

/** The webhook bodies (every sample except the delivery-headers example). */
export const WEBHOOK_SAMPLES = readdirSync(WEBHOOK_FIXTURES_DIR)
	.filter((name) => name.endsWith('.json') && !name.startsWith('_'))
	.sort();

/** The exact bytes, as a signature check sees them. */
export function rawSample(name: string): Buffer {
	return readFileSync(join(WEBHOOK_FIXTURES_DIR, name));
}

/** A fresh, mutable copy of a sample's JSON. */
export function sample(name: string): Record<string, any> {
	return JSON.parse(rawSample(name).toString('utf8'));
}
