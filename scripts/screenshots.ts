/**
 * `npm run screenshots`: the PNGs under docs/images/, taken from a real n8n 2.8.4 with the package and the example
 * workflows loaded (the e2e suite's setup, test/e2e/world.ts: sandbox Chatwoot, fake gateway, owner account). Drives
 * Debian's headless Chromium (`/usr/bin/chromium`, or CHROMIUM_PATH) with playwright-core; no browser download.
 * Look at the result before committing: every file should show what its name says.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import type { Page } from 'playwright-core';

import { post } from '../test/e2e/helpers';
import { SETUP_WORKFLOW, startWorld, WF, type World } from '../test/e2e/world';
import { chromiumPath, dismissPopups, launchChromium, NO_CHROMIUM, signIn, type BrowserSession } from './browser';
import { REPO_ROOT } from './n8n-home';

const OUT = path.join(REPO_ROOT, 'docs', 'images');
const log = (line: string) => console.log(`[screenshots] ${line}`);

interface Shot {
	file: string;
	workflowId: string;
	/** Open this node's parameter panel; without it, the canvas. */
	node?: string;
}

const SHOTS: Shot[] = [
	{ file: 'sync-whatsapp-message.png', workflowId: WF.evolutionIn, node: 'Sync WhatsApp Message' },
	{ file: 'report-send-result.png', workflowId: WF.evolutionOut, node: 'Report Send Result' },
	{ file: 'chatwoot-bridge-trigger.png', workflowId: WF.evolutionOut, node: 'Chatwoot Bridge Trigger' },
	{ file: 'chatwoot-bridge-integration.png', workflowId: SETUP_WORKFLOW, node: 'Chatwoot Bridge Integration' },
	{ file: 'canvas-evolution-to-chatwoot.png', workflowId: WF.evolutionIn },
	{ file: 'canvas-chatwoot-to-evolution.png', workflowId: WF.evolutionOut },
];

async function shoot(page: Page, baseUrl: string, shot: Shot): Promise<string> {
	await page.goto(`${baseUrl}/workflow/${shot.workflowId}`);
	const nodes = page.locator('[data-test-id="canvas-node"]');
	await nodes.first().waitFor({ timeout: 30_000 });
	await page.waitForTimeout(1_000); // icons and fonts
	await dismissPopups(page);
	if (shot.node) {
		await nodes.filter({ hasText: shot.node }).first().dblclick();
		await page.locator('[data-test-id="ndv"]').first().waitFor({ timeout: 30_000 });
		await page.waitForTimeout(1_000); // the panel's transition
	} else {
		await page.locator('[data-test-id="canvas-zoom-to-fit"]').click({ timeout: 2_000 }).catch(() => page.keyboard.press('1'));
		await page.waitForTimeout(800);
	}
	const file = path.join(OUT, shot.file);
	await page.screenshot({ path: file });
	return file;
}

/** One message each way, so the panels' input side shows real items (as after `npm run demo`). */
async function seedExecutions(w: World): Promise<void> {
	const text = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/whatsapp-payloads/evolution/text.json'), 'utf8'));
	await post(w.webhookUrl(WF.evolutionIn), text); // signed as Evolution API signs (the example checks it)
	await w.api.waitForExecutions(WF.evolutionIn, 1);
	const conversation = w.sb.state.conversations[w.sb.state.conversations.length - 1];
	if (!conversation) throw new Error('the seeded message did not reach the sandbox');
	w.sb.agentReply(conversation.display_id, { content: 'Oi Maria! Entregamos sim, **sábado** até as 14h.' });
	await w.api.waitForExecutions(WF.evolutionOut, 1);
}

async function main(): Promise<void> {
	if (!process.env.SCREENSHOTS_N8N_URL) {
		const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
		if (build.status !== 0) throw new Error('npm run build failed');
	}
	if (!chromiumPath()) throw new Error(NO_CHROMIUM);
	// SCREENSHOTS_N8N_URL: shoot a running `npm run demo` instead of booting one (same workflows and owner).
	const existing = process.env.SCREENSHOTS_N8N_URL?.replace(/\/$/, '');
	const w = existing ? undefined : await startWorld({ userFolder: path.join(REPO_ROOT, '.e2e', 'screenshots-home') });
	const baseUrl = existing ?? w!.n8n.baseUrl;
	if (w) await seedExecutions(w);
	let browser: BrowserSession | undefined;
	try {
		browser = await launchChromium();
		const page = browser.context.pages()[0] ?? (await browser.context.newPage());
		await signIn(page, baseUrl);
		fs.mkdirSync(OUT, { recursive: true });
		const only = process.argv.slice(2);
		for (const shot of SHOTS.filter((candidate) => !only.length || only.some((name) => candidate.file.includes(name)))) {
			const file = await shoot(page, baseUrl, shot);
			log(`${path.relative(REPO_ROOT, file)} (${Math.round(fs.statSync(file).size / 1024)} KB)`);
		}
	} finally {
		await browser?.close();
		await w?.close();
	}
}

main().then(
	() => process.exit(0),
	(error: Error) => {
		console.error(`[screenshots] ${error.stack ?? error.message}`);
		process.exit(1);
	},
);
