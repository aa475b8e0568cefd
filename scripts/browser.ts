/**
 * Debian's headless Chromium driven by playwright-core (no browser download), signed in to an n8n as the owner the e2e
 * world sets up. Used by `npm run screenshots` and the browser e2e suite (test/browser/).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { chromium, selectors, type BrowserContext, type Page } from 'playwright-core';

import { OWNER } from '../test/e2e/n8nApi';

export const VIEWPORT = { width: 1440, height: 900 };

/** n8n's editor marks its elements with `data-test-id`; `page.getByTestId()` reads that attribute from here on. */
selectors.setTestIdAttribute('data-test-id');

export function chromiumPath(): string | undefined {
	for (const candidate of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
		if (candidate && fs.existsSync(candidate)) return candidate;
	}
	return undefined;
}

export const NO_CHROMIUM = 'no Chromium found: apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH)';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface BrowserSession {
	context: BrowserContext;
	/** Addresses the browser tried to reach beyond 127.0.0.1 (refused), once each. */
	refused: Set<string>;
	close(): Promise<void>;
}

/**
 * A fresh profile in a temp dir, headless, without GPU, sync or component updates. Host names other than 127.0.0.1
 * and localhost do not resolve, and any request elsewhere is refused and recorded: the machine has no other network
 * and the editor must work without one.
 */
export async function launchChromium(): Promise<BrowserSession> {
	const executablePath = chromiumPath();
	if (!executablePath) throw new Error(NO_CHROMIUM);
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cwb-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath,
		headless: true,
		viewport: VIEWPORT,
		deviceScaleFactor: 1,
		locale: 'en-US',
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
		],
	});
	const refused = new Set<string>();
	await context.route(
		(url) => /^https?:$/.test(url.protocol) && !LOCAL_HOSTS.has(url.hostname),
		async (route) => {
			const url = new URL(route.request().url());
			refused.add(`${url.origin}${url.pathname}`);
			await route.abort('blockedbyclient');
		},
	);
	return {
		context,
		refused,
		close: async () => {
			await context.close().catch(() => undefined);
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}

export async function signIn(page: Page, baseUrl: string): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	await page.locator('input[type="email"], input[name="emailOrLdapLoginId"]').first().fill(OWNER.email);
	await page.locator('input[type="password"]').first().fill(OWNER.password);
	await page.keyboard.press('Enter');
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
}

/** Closes whatever n8n pops up on a fresh instance (banners, "what's new", toasts). */
export async function dismissPopups(page: Page): Promise<void> {
	await page.keyboard.press('Escape').catch(() => undefined);
	for (const selector of ['[data-test-id="banner-close"]', '.el-notification__closeBtn', '[data-test-id="close-button"]']) {
		for (const element of await page.locator(selector).all()) await element.click({ timeout: 1_000 }).catch(() => undefined);
	}
}
