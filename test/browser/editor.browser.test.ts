/**
 * The editor as a user meets the package: Debian's headless Chromium (playwright-core) drives a real n8n 2.8.4 in
 * which the package is installed from its `npm pack` tarball (test/browser/packedPackage.ts), next to the sandbox
 * Chatwoot, the fake gateway and the example workflows (test/e2e/world.ts).
 *
 * Proves: the Chatwoot credential's Test passes against Chatwoot; the nodes panel finds every node by "chatwoot" and
 * by "whatsapp"; the Trigger's Inbox list and the Integration node's Instance list show the configured instances and
 * take a pick (the Integration node then runs with it); the setup example runs from the editor and shows its result.
 * On a failure the tab is photographed and the PNG's path printed.
 *
 * Needs `chromium` (Debian package; `.ci/run` installs it): without it the suite is skipped, and fails under CI=true.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import type { Page } from 'playwright-core';

import { INTEGRATION_ATTRIBUTE } from '../../nodes/shared/bridge/integration/config';
import { chromiumPath, launchChromium, NO_CHROMIUM, signIn, type BrowserSession } from '../../scripts/browser';
import { PACKAGE_NAME, REPO_ROOT } from '../../scripts/n8n-home';
import { example, INSTANCES, SETUP_WORKFLOW, startWorld, type World } from '../e2e/world';
import {
	addNode,
	chooseCredential,
	createChatwootCredential,
	executeStep,
	executeWorkflow,
	openNodesPanel,
	pickFromList,
	searchNodes,
	type PanelEntry,
} from './editor';
import { packedPackage } from './packedPackage';

const TRIGGER = `${PACKAGE_NAME}.chatwootBridgeTrigger`;
const INTEGRATION = `${PACKAGE_NAME}.chatwootBridgeIntegration`;

/** Every node of the package as the nodes panel lists it (n8n drops " Trigger" from a trigger's name there). */
const OUR_NODES: PanelEntry[] = [
	{ type: INTEGRATION, name: 'Chatwoot Bridge Integration' },
	{ type: TRIGGER, name: 'Chatwoot Bridge' },
	{ type: `${PACKAGE_NAME}.syncWhatsAppMessage`, name: 'Sync WhatsApp Message' },
];

if (!chromiumPath() && process.env.CI === 'true') throw new Error(`${NO_CHROMIUM}; CI must run the browser suite`);
const describeInBrowser = chromiumPath() ? describe : describe.skip;
if (!chromiumPath()) process.stderr.write(`[browser] ${NO_CHROMIUM}: browser suite skipped (it fails under CI=true)\n`);

let w: World;
let browser: BrowserSession;
let pkg: ReturnType<typeof packedPackage> | undefined;

beforeAll(async () => {
	if (!chromiumPath()) return;
	const started = Date.now();
	pkg = packedPackage();
	w = await startWorld({ userFolder: path.join(REPO_ROOT, '.e2e', 'browser-home'), packageRoot: pkg.root, activateWorkflows: false });
	browser = await launchChromium();
	const page = await browser.context.newPage();
	await signIn(page, w.n8n.baseUrl);
	await page.close();
	process.stderr.write(`[browser] ready after ${Date.now() - started} ms; world timings (ms): ${JSON.stringify(w.timings)}\n`);
}, 15 * 60_000);

afterAll(async () => {
	if (browser?.refused.size) process.stderr.write(`[browser] refused requests beyond 127.0.0.1: ${[...browser.refused].join(', ')}\n`);
	await browser?.close();
	await w?.close();
	pkg?.remove();
}, 60_000);

/** A test in its own tab (signed in); when it fails, a screenshot of the tab goes to a temp dir and its path is printed. */
function inEditor(name: string, body: (page: Page) => Promise<void>): void {
	it(name, async () => {
		const page = await browser.context.newPage();
		try {
			await body(page);
		} catch (error) {
			const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cwb-browser-')), `${name.replace(/\W+/g, '-').slice(0, 80)}.png`);
			await page.screenshot({ path: file }).then(
				() => process.stderr.write(`[browser] screenshot of the failure: ${file}\n`),
				() => undefined,
			);
			throw error;
		} finally {
			await page.close();
		}
	});
}

/** How the Trigger's inbox list shows a configured instance: `<instance> · <inbox name> (#<inbox id>)`. */
const listed = (which: keyof typeof INSTANCES) => `${INSTANCES[which]} · ${w.inboxes[which].name} (#${w.inboxes[which].id})`;

describeInBrowser('n8n editor with the package installed from its tarball', () => {
	inEditor('a new Chatwoot Bridge API credential passes n8n’s connection test against Chatwoot', async (page) => {
		const verdict = await createChatwootCredential(page, w.n8n.baseUrl, {
			baseUrl: w.sb.baseUrl,
			accountId: w.sb.accountId,
			token: w.sb.tokens.admin,
		});
		expect(verdict).toBe('Connection tested successfully');
	});

	for (const query of ['chatwoot', 'whatsapp']) {
		inEditor(`the nodes panel lists every node of the package when searching "${query}"`, async (page) => {
			const panel = await openNodesPanel(page, w.n8n.baseUrl);
			const found = await searchNodes(panel, query, OUR_NODES.map((node) => node.type));
			expect(found.filter((entry) => entry.type.startsWith(`${PACKAGE_NAME}.`))).toEqual(expect.arrayContaining(OUR_NODES));
		});
	}

	inEditor('the Trigger’s Inbox field lists the configured instances and keeps the one picked', async (page) => {
		const panel = await openNodesPanel(page, w.n8n.baseUrl);
		await searchNodes(panel, 'chatwoot', [TRIGGER]);
		const ndv = await addNode(page, panel, TRIGGER, 'On agent messages');
		expect(await chooseCredential(page, ndv, 'cwbChatwootApi')).toBe('Chatwoot Bridge API');
		const inbox = await pickFromList(page, ndv, 'inbox', listed('evolution'));
		expect(inbox.listed).toEqual(expect.arrayContaining([listed('evolution'), listed('waha'), listed('cloud')]));
		expect(inbox.shown).toBe(listed('evolution'));
	});

	inEditor('the Integration node’s Instance field lists the configured instances, and the one picked runs', async (page) => {
		const panel = await openNodesPanel(page, w.n8n.baseUrl);
		await searchNodes(panel, 'chatwoot', [INTEGRATION]);
		const ndv = await addNode(page, panel, INTEGRATION, 'Get the integration of an instance');
		expect(await chooseCredential(page, ndv, 'cwbChatwootApi')).toBe('Chatwoot Bridge API');
		const instance = await pickFromList(page, ndv, 'instance', INSTANCES.evolution);
		expect(instance.listed).toEqual(expect.arrayContaining(Object.values(INSTANCES)));
		expect(instance.shown).toBe(INSTANCES.evolution);
		const output = await executeStep(page, ndv);
		expect(output).toContain(`"instance": "${INSTANCES.evolution}", "status": "active"`);
		expect(output).toContain(`"chatwoot_inbox_id": ${w.inboxes.evolution.id}, "chatwoot_inbox_name": "${w.inboxes.evolution.name}"`);
	});

	inEditor('the setup example runs from the editor and its output shows the instance and the inbox it created', async (page) => {
		const node = example('setup-integration.json').nodes.find((candidate) => candidate.name === 'Chatwoot Bridge Integration')!;
		const instance = String(node.parameters.instance?.value ?? node.parameters.instance);
		const output = await executeWorkflow(page, w.n8n.baseUrl, SETUP_WORKFLOW, node.name);
		const inbox = w.sb.state.inboxes.find((row) => (row.additional_attributes as any)?.[INTEGRATION_ATTRIBUTE]?.instance === instance);
		expect(inbox).toBeDefined();
		expect(output).toContain(`"instance": "${instance}", "status": "active"`);
		expect(output).toContain(`"inbox": { "id": ${inbox!.id}, "name": "${inbox!.name}" }, "inbox_created": true`);
	});
});
