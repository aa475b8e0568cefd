/**
 * What a user does in n8n 2.8.4's editor, through the `data-test-id` attributes its own end-to-end tests use. Each
 * function returns what the user would read on screen, for the test to assert on.
 */
import type { Locator, Page } from 'playwright-core';

const SECOND = 1_000;

/** Reads `read()` until `done` holds or `timeoutMs` passes; returns the last reading either way. */
export async function settle<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10 * SECOND): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let value = await read();
	while (!done(value) && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 250));
		value = await read();
	}
	return value;
}

export interface ChatwootAccount {
	baseUrl: string;
	accountId: number;
	token: string;
}

const TESTED_OK = 'Connection tested successfully';
const TEST_FAILED = 'Couldn’t connect with these settings';

/**
 * Credentials → Create credential → "Chatwoot Bridge API" → the three fields → Save (n8n tests the connection on
 * save). Returns the test's verdict as shown: "Connection tested successfully", or the failure line with its details.
 */
export async function createChatwootCredential(page: Page, n8nUrl: string, account: ChatwootAccount): Promise<string> {
	await page.goto(`${n8nUrl}/home/credentials/create`);
	await page.getByTestId('new-credential-type-select').locator('input').pressSequentially('Chatwoot Bridge API');
	await page.getByTestId('new-credential-type-select-option').filter({ hasText: /^Chatwoot Bridge API$/ }).click();
	await page.getByTestId('new-credential-type-button').click();
	const dialog = page.getByTestId('credential-edit-dialog');
	await dialog.getByTestId('parameter-input-baseUrl').locator('input').fill(account.baseUrl);
	await dialog.getByTestId('parameter-input-accountId').locator('input').fill(String(account.accountId));
	await dialog.getByTestId('parameter-input-apiAccessToken').locator('input').fill(account.token);
	await page.getByTestId('credential-save-button').click();
	const success = dialog.getByTestId('credentials-config-container-test-success');
	const failure = dialog.getByText(TEST_FAILED);
	await success.or(failure).first().waitFor({ timeout: 30 * SECOND });
	if (await success.isVisible()) return TESTED_OK;
	await dialog.getByText('More details').click();
	const container = dialog.getByTestId('node-credentials-config-container');
	// The details line appears under the banner, above the fields; the rest of the container is chrome.
	const details = async () => {
		const lines = (await container.innerText()).split('\n').map((line) => line.trim());
		return lines.slice(lines.findIndex((line) => line === 'Retry') + 1, lines.findIndex((line) => line.startsWith('Base URL')));
	};
	return `${TEST_FAILED}: ${(await settle(details, (lines) => lines.length > 0, 3 * SECOND)).join(' ')}`;
}

/** One entry of the nodes panel: the node type it adds and the name n8n shows (triggers lose their " Trigger"). */
export interface PanelEntry {
	type: string;
	name: string;
}

/** A new workflow's nodes panel ("What triggers this workflow?"), opened with the canvas's + button. */
export async function openNodesPanel(page: Page, n8nUrl: string): Promise<Locator> {
	await page.goto(`${n8nUrl}/workflow/new`);
	await page.getByTestId('canvas-add-button').click();
	const panel = page.getByTestId('node-creator');
	await panel.getByTestId('node-creator-search-bar').waitFor();
	return panel;
}

/**
 * Types `query` into the panel's search bar and returns the node entries it lists once the list holds `expectedTypes`
 * (or after 10 s). Each entry's keyboard-navigation id is `<node type>-<uuid>`.
 */
export async function searchNodes(panel: Locator, query: string, expectedTypes: string[]): Promise<PanelEntry[]> {
	await panel.getByTestId('node-creator-search-bar').fill(query);
	const read = () =>
		panel.locator('[data-test-id="item-iterator-item"][data-keyboard-nav-type="node"]').evaluateAll((items) =>
			items.map((item) => ({
				type: (item.getAttribute('data-keyboard-nav-id') ?? '').replace(/-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/, ''),
				name: item.querySelector('[data-test-id="node-creator-item-name"]')?.textContent?.trim() ?? '',
			})),
		);
	return settle(read, (entries) => expectedTypes.every((type) => entries.some((entry) => entry.type === type)));
}

/** Clicks a node in the panel's results, then one of its trigger events or actions when n8n lists them. */
export async function addNode(page: Page, panel: Locator, type: string, action: string): Promise<Locator> {
	await panel.locator(`[data-keyboard-nav-id^="${type}-"]`).click();
	await panel.getByTestId('item-iterator-item').filter({ hasText: action }).first().click();
	const ndv = page.getByTestId('ndv');
	await ndv.waitFor();
	return ndv;
}

/** Picks a stored credential in the open node's credential select; returns the name the select then shows. */
export async function chooseCredential(page: Page, ndv: Locator, credentialId: string): Promise<string> {
	const select = ndv.getByTestId('node-credentials-select');
	await select.click();
	await page.getByTestId(`node-credentials-select-item-${credentialId}`).click();
	return select.locator('input').inputValue();
}

/**
 * A resource locator parameter in "From list" mode: opens its list, returns the entries shown, picks the one
 * containing `pick`, and returns what the field then shows.
 */
export async function pickFromList(page: Page, ndv: Locator, parameter: string, pick: string): Promise<{ listed: string[]; shown: string }> {
	const locator = ndv.getByTestId(`resource-locator-${parameter}`);
	const input = locator.getByTestId('rlc-input');
	await input.click();
	const items = page.getByTestId('rlc-item').filter({ visible: true });
	const listed = await settle(() => items.allInnerTexts(), (texts) => texts.some((text) => text.includes(pick)));
	if (listed.some((text) => text.includes(pick))) await items.filter({ hasText: pick }).first().click();
	else await page.keyboard.press('Escape');
	return { listed: listed.map((text) => text.trim()), shown: await input.inputValue() };
}

/**
 * The open node's output in the panel's JSON view, as one line (whitespace collapsed), once it shows items (or after
 * `timeoutMs`: then whatever the panel shows, e.g. the node's error).
 */
export async function outputJson(page: Page, timeoutMs = 30 * SECOND): Promise<string> {
	const output = page.getByTestId('ndv').getByTestId('output-panel');
	await output.waitFor();
	await output.getByTestId('radio-button-json').click({ timeout: 5 * SECOND }).catch(() => undefined);
	const read = async () => (await output.innerText()).replace(/\s+/g, ' ').trim();
	return settle(read, (text) => text.includes('[ {'), timeoutMs);
}

/** Presses the open node's "Execute step" and returns its output (outputJson). */
export async function executeStep(page: Page, ndv: Locator): Promise<string> {
	await ndv.getByTestId('node-execute-button').click();
	return outputJson(page);
}

/** Opens a workflow, presses "Execute workflow", and once `node` has run opens it and returns its output (outputJson). */
export async function executeWorkflow(page: Page, n8nUrl: string, workflowId: string, node: string): Promise<string> {
	await page.goto(`${n8nUrl}/workflow/${workflowId}`);
	const canvasNode = page.locator(`[data-test-id="canvas-node"][data-node-name="${node}"]`);
	await canvasNode.waitFor({ timeout: 30 * SECOND });
	await page.getByTestId('execute-workflow-button').click();
	await canvasNode
		.getByTestId('canvas-node-status-success')
		.waitFor({ timeout: 60 * SECOND })
		.catch(() => undefined);
	await canvasNode.dblclick();
	return outputJson(page, 5 * SECOND);
}
