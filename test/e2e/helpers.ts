/** Small helpers shared by the e2e suites. */
import * as fs from 'fs';
import * as path from 'path';

import { REPO_ROOT } from '../../scripts/n8n-home';

/** A gateway payload from test/fixtures/whatsapp-payloads, fresh each call (tests mutate it). */
export function fixture(name: string): any {
	return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/whatsapp-payloads', `${name}.json`), 'utf8'));
}

export async function post(url: string, body: unknown): Promise<{ status: number; text: string }> {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
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
