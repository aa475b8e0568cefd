/**
 * The trigger's description and its webhook lifecycle (checkExists / create / delete) against the sandbox Chatwoot,
 * called the way n8n calls them (docs/n8n-runtime.md, Webhook lifecycle).
 */
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { ChatwootBridgeTrigger } from '../../../nodes/ChatwootBridgeTrigger/ChatwootBridgeTrigger.node';
import { resetInboxSnapshots } from '../../../nodes/ChatwootBridgeTrigger/inboxSnapshot';
import { startSandbox, type Sandbox } from '../../sandbox';
import { FakeTriggerNode } from './harness';
import { integrationAttributes, triggerNode, triggerParams } from './scenario';

const URL_A = 'https://n8n.example.test/webhook/00000000-0000-4000-8000-00000000000a/webhook';
const URL_B = 'https://n8n-new.example.test/webhook/00000000-0000-4000-8000-00000000000a/webhook';
const ELSEWHERE = 'https://someone-else.example.test/chatwoot';

/** Evaluates the outputs expression the way n8n does for `$parameter` (a plain JS expression inside `={{ }}`). */
function evaluateOutputs(expression: string, parameters: Record<string, unknown>): unknown {
	const body = expression.replace(/^=\{\{/, '').replace(/\}\}$/, '');
	return new Function('$parameter', `return (${body});`)(parameters);
}

describe('ChatwootBridgeTrigger description', () => {
	const { description } = new ChatwootBridgeTrigger();

	it('is a webhook trigger with the prefixed names, the credential and the two icons', () => {
		expect(description.name).toBe('chatwootBridgeTrigger');
		expect(description.displayName).toBe('Chatwoot Bridge Trigger');
		expect(description.group).toEqual(['trigger']);
		expect(description.inputs).toEqual([]);
		expect(description.icon).toEqual({ light: 'file:chatwootBridgeTrigger.svg', dark: 'file:chatwootBridgeTrigger.dark.svg' });
		expect(description.credentials).toEqual([{ name: 'chatwootBridgeApi', required: true }]);
		expect(description.webhooks).toEqual([{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }]);
		expect(description.subtitle).toBeTruthy();
		expect(description.usableAsTool).toBeUndefined();
	});

	it('has one output, or "Messages" + "Conversation Status" when status changes are separated', () => {
		const outputs = description.outputs as string;
		expect(evaluateOutputs(outputs, { statusOutput: false })).toEqual([NodeConnectionTypes.Main]);
		expect(evaluateOutputs(outputs, { statusOutput: true })).toEqual([
			{ type: NodeConnectionTypes.Main, displayName: 'Messages' },
			{ type: NodeConnectionTypes.Main, displayName: 'Conversation Status' },
		]);
	});

	it('documents its parameters with the stated defaults', () => {
		const byName = Object.fromEntries(description.properties.map((p) => [p.name, p]));
		expect(byName.inbox.type).toBe('resourceLocator');
		expect(byName.inbox.modes?.map((m) => m.name)).toEqual(['list', 'id', 'instance']);
		expect(byName.events.default).toEqual(['send', 'delete']);
		expect(byName.statusOutput.default).toBe(false);
		const options = Object.fromEntries((byName.options.options as Array<{ name: string; default: unknown }>).map((o) => [o.name, o.default]));
		expect(options).toEqual({ allowUnsigned: false, replayWindowSeconds: 300 });
	});
});

describe('webhook lifecycle against the sandbox', () => {
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

	function inboxRow(id: number) {
		return sb.state.inboxes.find((inbox) => inbox.id === id)!;
	}

	it('create sets only webhook_url (name, additional_attributes and settings stay) and stores the secret', async () => {
		const attributes = integrationAttributes('acme-sales', { sign_msg: true, sign_delimiter: '\n' }, { agent_reply_time_window: 24, other_tool: { keep: true } });
		const inbox = sb.createInbox({ name: 'WhatsApp Acme', additionalAttributes: attributes, lockToSingleConversation: true });
		const node = triggerNode(sb, triggerParams(inbox.id), URL_A);

		expect(await node.checkExists()).toBe(false);
		expect(await node.create()).toBe(true);

		const row = inboxRow(inbox.id);
		expect(row.webhook_url).toBe(URL_A);
		expect(row.name).toBe('WhatsApp Acme');
		expect(row.additional_attributes).toEqual(attributes);
		expect(row.lock_to_single_conversation).toBe(true);
		expect(node.staticData).toEqual({
			inboxId: inbox.id,
			webhookUrl: URL_A,
			secret: row.secret,
			accountId: 1,
			instance: 'acme-sales',
			signMsg: true,
			signDelimiter: '\n',
			registeredAt: expect.any(String),
		});
		// The PATCH carried only channel.webhook_url.
		expect(node.requests).toEqual([
			{ method: 'GET', path: '/api/v1/accounts/1/inboxes' },
			{ method: 'GET', path: '/api/v1/accounts/1/inboxes' },
			{ method: 'PATCH', path: `/api/v1/accounts/1/inboxes/${inbox.id}` },
		]);
		expect(await node.checkExists()).toBe(true);
	});

	it('an inbox without a stored integration: the inbox name is the instance', async () => {
		const inbox = sb.createInbox({ name: 'Loja Centro' });
		const node = triggerNode(sb, triggerParams(inbox.id), URL_A);
		await node.activate();
		expect(node.staticData).toMatchObject({ instance: 'Loja Centro', signMsg: false, signDelimiter: '\n' });
	});

	it('checkExists is false for another URL, and create repairs a URL that drifted', async () => {
		const inbox = sb.createInbox({ name: 'Drift' });
		const node = triggerNode(sb, triggerParams(inbox.id), URL_A);
		await node.activate();
		expect(await node.checkExists()).toBe(true);

		sb.updateInbox(inbox.id, { webhook_url: ELSEWHERE });
		expect(await node.checkExists()).toBe(false);
		await node.activate();
		expect(inboxRow(inbox.id).webhook_url).toBe(URL_A);
		expect(await node.checkExists()).toBe(true);
	});

	it('delete clears webhook_url when it points at this node, and forgets the activation', async () => {
		const inbox = sb.createInbox({ name: 'Clear me', additionalAttributes: { other_tool: 1 } });
		const node = triggerNode(sb, triggerParams(inbox.id), URL_A);
		await node.activate();
		expect(await node.delete()).toBe(true);
		expect(inboxRow(inbox.id).webhook_url).toBe('');
		expect(inboxRow(inbox.id).additional_attributes).toEqual({ other_tool: 1 });
		expect(node.staticData).toEqual({});
		expect(await node.checkExists()).toBe(false);
	});

	it('delete after drift leaves the other URL alone', async () => {
		const inbox = sb.createInbox({ name: 'Taken over' });
		const node = triggerNode(sb, triggerParams(inbox.id), URL_A);
		await node.activate();
		sb.updateInbox(inbox.id, { webhook_url: ELSEWHERE });
		expect(await node.delete()).toBe(true);
		expect(inboxRow(inbox.id).webhook_url).toBe(ELSEWHERE);
		expect(node.staticData).toEqual({});
		expect(node.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1); // only create's
	});

	it('delete recognises the URL it registered even when n8n now builds another one (WEBHOOK_URL changed)', async () => {
		const inbox = sb.createInbox({ name: 'Moved n8n' });
		const node = triggerNode(sb, triggerParams(inbox.id), URL_A);
		await node.activate();
		node.webhookUrl = URL_B;
		expect(await node.checkExists()).toBe(false);
		await node.delete();
		expect(inboxRow(inbox.id).webhook_url).toBe('');
	});

	it('delete of an inbox that no longer exists succeeds and forgets the activation', async () => {
		const inbox = sb.createInbox({ name: 'Gone' });
		const node = triggerNode(sb, triggerParams(inbox.id), URL_A);
		await node.activate();
		await fetch(`${sb.baseUrl}/api/v1/accounts/1/inboxes/${inbox.id}`, { method: 'DELETE', headers: { api_access_token: sb.tokens.admin } });
		await sb.idle();
		expect(await node.delete()).toBe(true);
		expect(node.staticData).toEqual({});
		expect(node.logs.some((l) => /no longer exists/.test(l.message))).toBe(true);
	});

	it('binds by instance name through the stored integration (locateIntegration)', async () => {
		sb.createInbox({ name: 'acme-sales' }); // a same-named inbox without a record loses to the recorded binding
		const bound = sb.createInbox({ name: 'WhatsApp Acme', additionalAttributes: integrationAttributes('acme-sales') });
		const node = triggerNode(sb, triggerParams(0, { inbox: { __rl: true, mode: 'instance', value: 'acme-sales' } }), URL_A);
		await node.activate();
		expect(node.staticData.inboxId).toBe(bound.id);
		expect(inboxRow(bound.id).webhook_url).toBe(URL_A);
	});

	it('binds by instance name to an API inbox named after the instance when no integration is stored', async () => {
		const named = sb.createInbox({ name: 'loja-norte' });
		const node = triggerNode(sb, triggerParams(0, { inbox: { __rl: true, mode: 'instance', value: 'loja-norte' } }), URL_A);
		await node.activate();
		expect(node.staticData.inboxId).toBe(named.id);
	});

	describe('errors surface (never swallowed)', () => {
		it('an unknown inbox id', async () => {
			const node = triggerNode(sb, triggerParams(999), URL_A);
			await expect(node.checkExists()).rejects.toThrow(NodeOperationError);
			await expect(node.create()).rejects.toThrow('Inbox 999 does not exist in this Chatwoot account');
		});

		it('an unknown instance name', async () => {
			const node = triggerNode(sb, triggerParams(0, { inbox: { __rl: true, mode: 'instance', value: 'nobody' } }), URL_A);
			await expect(node.create()).rejects.toThrow('No API inbox is bound to the instance "nobody"');
		});

		it('a non-API inbox', async () => {
			const widget = sb.createInbox({ name: 'Website', channel: 'web_widget' });
			const node = triggerNode(sb, triggerParams(widget.id), URL_A);
			await expect(node.create()).rejects.toThrow('only API inboxes have a webhook URL');
		});

		it('an empty inbox choice', async () => {
			const node = triggerNode(sb, triggerParams(''), URL_A);
			await expect(node.create()).rejects.toThrow('choose an API inbox or enter its numeric ID');
		});

		it('an agent token (cannot read the secret nor change inboxes) fails activation and changes nothing', async () => {
			const inbox = sb.createInbox({ name: 'Agents only', memberIds: [2] });
			const node = triggerNode(sb, triggerParams(inbox.id), URL_A);
			node.credentials = { ...node.credentials, apiAccessToken: sb.tokens.agent };
			await expect(node.create()).rejects.toThrow('Chatwoot did not show the webhook signing secret');
			node.params = triggerParams(inbox.id, { options: { allowUnsigned: true } });
			const error = await node.create().catch((e: unknown) => e);
			expect(error).toBeInstanceOf(NodeApiError);
			expect((error as Error).message).toMatch(/admin scope/);
			expect(inboxRow(inbox.id).webhook_url).toBeNull();
			expect(node.staticData).toEqual({});
		});

		it('a wrong token', async () => {
			const inbox = sb.createInbox({ name: 'Wrong token' });
			const node = triggerNode(sb, triggerParams(inbox.id), URL_A);
			node.credentials = { ...node.credentials, apiAccessToken: 'nope' };
			await expect(node.checkExists()).rejects.toThrow(/rejected the API token/);
			await expect(node.delete()).rejects.toThrow(/rejected the API token/);
		});

		it('an unreachable Chatwoot', async () => {
			const inbox = sb.createInbox({ name: 'Down' });
			const node = triggerNode(sb, triggerParams(inbox.id), URL_A);
			node.credentials = { ...node.credentials, baseUrl: 'http://127.0.0.1:9' };
			await expect(node.checkExists()).rejects.toThrow(NodeApiError);
		}, 30_000);
	});

	it('Chatwoot before 4.13 (no secret) activates only with "Allow Unsigned Deliveries"', async () => {
		const inbox = sb.createInbox({ name: 'Old Chatwoot' });
		sb.updateInbox(inbox.id, { secret: null });
		const strict = triggerNode(sb, triggerParams(inbox.id), URL_A);
		await expect(strict.create()).rejects.toThrow('Allow Unsigned Deliveries');
		expect(inboxRow(inbox.id).webhook_url).toBeNull();

		const lenient = triggerNode(sb, triggerParams(inbox.id, { options: { allowUnsigned: true } }), URL_A);
		await lenient.activate();
		expect(inboxRow(inbox.id).webhook_url).toBe(URL_A);
		expect(lenient.staticData.secret).toBeUndefined();
	});
});

describe('Inbox list (listSearch)', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSandbox();
	});
	afterAll(async () => {
		await sb.close();
	});

	it('lists the API inboxes only, names the bound instance, filters, and links to the inbox settings', async () => {
		const acme = sb.createInbox({ name: 'WhatsApp Acme', additionalAttributes: integrationAttributes('acme-sales') });
		const plain = sb.createInbox({ name: 'Loja Centro' });
		sb.createInbox({ name: 'Website', channel: 'web_widget' });
		const node = new FakeTriggerNode({ credentials: { baseUrl: sb.baseUrl, accountId: 1, apiAccessToken: sb.tokens.admin }, params: {} });
		const search = node.trigger.methods.listSearch.searchInboxes;
		const context = node.hookContext() as never;

		const all = await search.call(context);
		expect(all.results).toEqual([
			{ name: `Loja Centro (#${plain.id})`, value: String(plain.id), url: `${sb.baseUrl}/app/accounts/1/settings/inboxes/${plain.id}` },
			{ name: `acme-sales · WhatsApp Acme (#${acme.id})`, value: String(acme.id), url: `${sb.baseUrl}/app/accounts/1/settings/inboxes/${acme.id}` },
		]);
		expect((await search.call(context, 'ACME')).results.map((r) => r.value)).toEqual([String(acme.id)]);
		expect((await search.call(context, 'nothing')).results).toEqual([]);
	});
});
