/**
 * "Listen for test event" while a production workflow is bound to the inbox, and a second workflow binding the same
 * inbox, against the sandbox Chatwoot. n8n runs a test's create in manual mode with the test URL, and hands the static
 * data the test's create wrote to its delete (test-webhooks: `cacheableWebhook.staticData`).
 */
import { resetInboxSnapshots } from '../../../nodes/ChatwootBridgeTrigger/inboxSnapshot';
import { startSandbox, type Sandbox } from '../../sandbox';
import { triggerNode, triggerParams } from './scenario';

const PRODUCTION = 'https://n8n.example.test/webhook/00000000-0000-4000-8000-00000000000a/webhook';
const TEST = 'https://n8n.example.test/webhook-test/00000000-0000-4000-8000-00000000000a/webhook';
const OTHER_WORKFLOW = 'https://n8n.example.test/webhook/00000000-0000-4000-8000-00000000000b/webhook';

describe('test runs and second bindings', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSandbox();
	});
	afterAll(async () => {
		await sb.close();
	});
	beforeEach(() => {
		sb.reset();
		resetInboxSnapshots();
	});

	const urlOf = (id: number) => sb.state.inboxes.find((inbox) => inbox.id === id)!.webhook_url;

	function testRun(inboxId: number) {
		const node = triggerNode(sb, triggerParams(inboxId), TEST);
		node.hookMode = 'manual';
		return node;
	}

	it('a test run while production is bound: the inbox goes back to the production URL when the test ends', async () => {
		const inbox = sb.createInbox({ name: 'Busy inbox' });
		const production = triggerNode(sb, triggerParams(inbox.id), PRODUCTION);
		await production.activate();

		const test = testRun(inbox.id);
		await test.activate();
		expect(urlOf(inbox.id)).toBe(TEST);
		expect(test.logs).toContainEqual({ level: 'info', message: expect.stringContaining(`then again to ${PRODUCTION}`) });
		await test.delete();

		expect(urlOf(inbox.id)).toBe(PRODUCTION);
		expect(await production.checkExists()).toBe(true);
	});

	it('a test run on an inbox bound to nothing leaves it bound to nothing', async () => {
		const inbox = sb.createInbox({ name: 'Idle inbox' });
		const test = testRun(inbox.id);
		await test.activate();
		await test.delete();
		expect(urlOf(inbox.id)).toBe('');
	});

	it('a URL someone set during the test is left alone when the test ends', async () => {
		const inbox = sb.createInbox({ name: 'Changed during test' });
		await triggerNode(sb, triggerParams(inbox.id), PRODUCTION).activate();
		const test = testRun(inbox.id);
		await test.activate();
		sb.updateInbox(inbox.id, { webhook_url: OTHER_WORKFLOW });
		await test.delete();
		expect(urlOf(inbox.id)).toBe(OTHER_WORKFLOW);
	});

	it('a second workflow binding an inbox that delivers elsewhere warns, naming the receiver it replaced', async () => {
		const inbox = sb.createInbox({ name: 'Shared inbox' });
		await triggerNode(sb, triggerParams(inbox.id), PRODUCTION).activate();
		const second = triggerNode(sb, triggerParams(inbox.id), OTHER_WORKFLOW);
		await second.activate();
		expect(urlOf(inbox.id)).toBe(OTHER_WORKFLOW);
		expect(second.logs).toContainEqual({
			level: 'warn',
			message: expect.stringMatching(new RegExp(`delivered to another receiver \\(${PRODUCTION.replace(/[.?]/g, '\\$&')}\\).*Bind each inbox to one active workflow`)),
		});
		expect(second.staticData.replacedWebhookUrl).toBe(PRODUCTION);
	});

	it('re-activating the same workflow does not warn', async () => {
		const inbox = sb.createInbox({ name: 'Own inbox' });
		const node = triggerNode(sb, triggerParams(inbox.id), PRODUCTION);
		await node.activate();
		sb.updateInbox(inbox.id, { webhook_url: '' });
		await node.activate();
		expect(node.logs.filter((line) => line.level === 'warn')).toEqual([]);
	});
});
