/**
 * The package inside a real n8n 2.8.4: gateway webhooks → Sync WhatsApp Message → the sandbox Chatwoot, and agent
 * replies in the sandbox → its signed webhook → Chatwoot Bridge Trigger → the example send nodes → a fake gateway →
 * Report Send Result; the setup and history import examples run by hand (`n8n execute`), the imports reading the fake
 * gateway's history. One n8n boot for the whole file (world.ts); tests run in order and build on each other.
 * Fails, never skips, when n8n cannot be installed or started.
 */
import * as fs from 'fs';
import * as path from 'path';

import { REPO_ROOT, runCli } from '../../scripts/n8n-home';
import { ChatwootBridgeApi } from '../../credentials/ChatwootBridgeApi.credentials';
import { INTEGRATION_ATTRIBUTE } from '../../nodes/shared/bridge/integration/config';
import {
	CLOUD_ACCESS_TOKEN,
	EVOLUTION_API_KEY,
	GRAPH_VERSION_PATH,
	UNREACHABLE_NUMBER,
	VIEW_ONCE_PREFIX,
	WAHA_API_KEY,
} from './fakeGateway';
import { PHOTO, PHOTO_MIME, timeOf, type GatewayStory } from './gatewayHistory';
import { fixture, gatewayAuthHeaders, post, waitFor } from './helpers';
import { LANGUAGE_IMPORT, LANGUAGE_INSTANCES } from './languageImport';
import { failureOf, nodeOutput, type Execution } from './n8nApi';
import {
	COEXISTING_PACKAGE,
	EVOLUTION_PAGE_SIZE,
	IMPORT_FLAGS_ON,
	IMPORT_WORKFLOWS,
	INSTANCES,
	integrationRecord,
	n8nVersionUnderTest,
	SETUP_WORKFLOW,
	startWorld,
	WF,
	type World,
} from './world';

let w: World;

beforeAll(async () => {
	w = await startWorld({ extraPackages: [COEXISTING_PACKAGE] });
	process.stderr.write(`[e2e] timings (ms): ${JSON.stringify(w.timings)}\n`);
}, 15 * 60_000);

afterAll(async () => {
	await w?.close();
}, 60_000);

/** Posts a gateway event to an inbound workflow and returns the Sync node's items once the execution finished. */
async function deliverInbound(workflowId: string, body: unknown): Promise<any[]> {
	const before = (await w.api.executions(workflowId)).length;
	const response = await post(w.webhookUrl(workflowId), body);
	expect(response.status).toBe(200);
	const executions = await w.api.waitForExecutions(workflowId, before + 1);
	const execution = executions[executions.length - 1];
	expect(execution.status).toBe('success');
	return nodeOutput(execution, 'Sync WhatsApp Message');
}

const messagesIn = (inboxId: number) => w.sb.state.messages.filter((message) => message.inbox_id === inboxId);
const bySource = (sourceId: string) => w.sb.state.messages.filter((message) => message.source_id === sourceId);
function conversationOf(inboxId: number, jid: string) {
	const state = w.sb.state;
	const contactInbox = state.contactInboxes.find((row) => row.inbox_id === inboxId && row.source_id === jid);
	return state.conversations.find((row) => row.contact_inbox_id === contactInbox?.id);
}

/** `<package>.<node name>` for every node file the package.json lists (how n8n names community node types). */
function nodeTypesOf(pkg: { name: string; n8n: { nodes: string[] } }): string[] {
	return pkg.n8n.nodes.map((file) => `${pkg.name}.${path.basename(file, '.node.js').replace(/^./, (c) => c.toLowerCase())}`);
}

describe('the package in n8n', () => {
	it('loads every node and credential listed in package.json', async () => {
		const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
		const { status, json } = await w.api.getJson('/types/nodes.json');
		expect(status).toBe(200);
		const loaded = new Set((json as Array<{ name: string }>).map((node) => node.name));
		expect(nodeTypesOf(pkg).filter((name: string) => !loaded.has(name))).toEqual([]);
		const credentials = await w.api.getJson('/types/credentials.json');
		expect((credentials.json as Array<{ name: string }>).map((type) => type.name)).toContain('chatwootBridgeApi');
	});

	// n8n reads each node's codex file (`<Node>.node.json` next to its .js) into the description the editor's nodes
	// panel uses: category, search aliases, documentation link. Without the file the node has no codex at all.
	it('gives every node a codex: the Communication category, the search aliases and its README section', async () => {
		const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
		const { json } = await w.api.getJson('/types/nodes.json');
		type Codex = { categories?: string[]; alias?: string[]; resources?: { primaryDocumentation?: Array<{ url: string }> } };
		const codexOf = new Map((json as Array<{ name: string; codex?: Codex }>).map((node) => [node.name, node.codex]));
		for (const type of nodeTypesOf(pkg)) {
			const codex = codexOf.get(type);
			expect([type, codex?.categories]).toEqual([type, ['Communication']]);
			expect([type, codex?.alias]).toEqual([type, expect.arrayContaining(['whatsapp', 'chatwoot', 'evolution', 'waha'])]);
			expect([type, codex?.resources?.primaryDocumentation?.[0]?.url]).toEqual([
				type,
				expect.stringMatching(new RegExp(`^${pkg.homepage}#[a-z-]+$`)),
			]);
		}
	});

	// The same boot also loads @devlikeapro/n8n-nodes-chatwoot (world.ts), the way a user who has both would run
	// them: every other test of this file, the credential tests included, runs with it loaded.
	it(`coexists with ${COEXISTING_PACKAGE}: both packages' nodes and credentials load, no type name is shared`, async () => {
		const theirs = JSON.parse(
			fs.readFileSync(path.join(w.home.userFolder, '.n8n/nodes/node_modules/@devlikeapro/n8n-nodes-chatwoot/package.json'), 'utf8'),
		);
		const ours = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
		const nodes = ((await w.api.getJson('/types/nodes.json')).json as Array<{ name: string; displayName: string }>).map((node) => node.name);
		const credentials = ((await w.api.getJson('/types/credentials.json')).json as Array<{ name: string }>).map((type) => type.name);
		const count = (list: string[], name: string) => list.filter((entry) => entry === name).length;

		expect(nodeTypesOf(theirs)).toEqual(['@devlikeapro/n8n-nodes-chatwoot.chatWoot']);
		for (const type of [...nodeTypesOf(ours), ...nodeTypesOf(theirs)]) expect([type, count(nodes, type)]).toEqual([type, 1]);
		for (const type of ['chatwootBridgeApi', 'chatwootApi']) expect([type, count(credentials, type)]).toEqual([type, 1]);
		// n8n logs a package it could not load and goes on; neither package may be among them.
		expect(w.n8n.lines.filter((line) => /n8n-nodes-chatwoot/i.test(line) && /error|fail|problem|could not/i.test(line))).toEqual([]);
	});
});

describe('the setup example: Chatwoot Bridge Integration → Set, run with `n8n execute` next to the server', () => {
	it('creates the instance\'s API inbox and stores the integration on it', async () => {
		const output = await runCli(w.home, ['execute', `--id=${SETUP_WORKFLOW}`, '--rawOutput'], /"runData"|"resultData"|\{/);
		const inbox = w.sb.state.inboxes.find((row) => (row.additional_attributes as any)?.[INTEGRATION_ATTRIBUTE]?.instance === 'my-instance');
		expect(inbox).toBeDefined();
		expect(inbox!.channel_type).toBe('Channel::Api');
		expect((inbox!.additional_attributes as any)[INTEGRATION_ATTRIBUTE].settings).toMatchObject({ sign_msg: true, enabled: true });
		expect(output).toContain('my-instance');
	}, 90_000);
});

describe('the Instance field\'s list through n8n (POST /rest/dynamic-node-parameters/resource-locator-results)', () => {
	const search = (node: string, operation: string, filter: string) =>
		w.api.rest('POST', '/dynamic-node-parameters/resource-locator-results', {
			path: 'parameters.instance',
			nodeTypeAndVersion: { name: `n8n-nodes-chatwoot-bridge.${node}`, version: 1 },
			methodName: 'searchInstances',
			currentNodeParameters: { operation, instance: { __rl: true, mode: 'list', value: '' } },
			credentials: { chatwootBridgeApi: { id: 'cwbChatwootApi', name: 'Chatwoot Bridge API' } },
			filter,
		});

	it('offers the instance the setup example configured, by name with its inbox, in the Integration and Sync nodes', async () => {
		const inbox = w.sb.state.inboxes.find((row) => (row.additional_attributes as any)?.[INTEGRATION_ATTRIBUTE]?.instance === 'my-instance')!;
		for (const [node, operation] of [['chatwootBridgeIntegration', 'import'], ['syncWhatsAppMessage', 'sync']]) {
			const { status, json } = await search(node, operation, 'my-inst');
			expect(status).toBe(200);
			expect(json.data.results).toEqual([
				{
					name: 'my-instance',
					value: 'my-instance',
					description: `Inbox ${inbox.name} (#${inbox.id})`,
					url: `${w.sb.baseUrl}/app/accounts/${w.sb.accountId}/settings/inboxes/${inbox.id}`,
				},
			]);
		}
	});
});

describe('credential test through n8n (POST /rest/credentials/test)', () => {
	const test = (data: Record<string, unknown>) =>
		// The stored credential's id, as the editor sends it (2.40 requires one); its data is replaced by `data`.
		w.api.rest('POST', '/credentials/test', { credentials: { id: 'cwbChatwootApi', name: 'Chatwoot Bridge API', type: 'chatwootBridgeApi', data } });
	const good = () => ({ baseUrl: `${w.sb.baseUrl}/`, accountId: w.sb.accountId, apiAccessToken: w.sb.tokens.admin, headerName: 'api_access_token' });

	it('accepts an administrator token (trailing slash on the base URL removed)', async () => {
		const { status, json } = await test(good());
		expect(status).toBe(200);
		expect(json.data).toMatchObject({ status: 'OK' });
	});

	// n8n 2.8.4 never applies a credential's `test.rules` of type responseCode to HTTP errors: NodeApiError's class
	// field `cause` shadows the axios error, so the tester's `error.cause?.response` is undefined and it answers with
	// NodeApiError's generic text. 2.40 applies the rules. These assertions pin what a user of each version sees.
	const ruleMessage = (status: number) =>
		(new ChatwootBridgeApi().test.rules as Array<{ properties: { value: number; message: string } }>).find((rule) => rule.properties.value === status)!
			.properties.message;
	const onOldN8n = n8nVersionUnderTest() === '2.8.4';

	it(`refuses a wrong token (${onOldN8n ? "n8n's generic 401 text" : "the credential's rule message"})`, async () => {
		const { json } = await test({ ...good(), apiAccessToken: 'not-a-token' });
		const message = onOldN8n ? 'Authorization failed - please check your credentials' : ruleMessage(401);
		expect(json.data).toEqual({ status: 'Error', message });
	});

	it(`refuses an unknown account (${onOldN8n ? 'generic 404 text' : 'rule message'}), and accepts the hyphenated header`, async () => {
		const { json } = await test({ ...good(), accountId: 999 });
		const message = onOldN8n ? 'The resource you are requesting could not be found' : ruleMessage(404);
		expect(json.data).toEqual({ status: 'Error', message });
		const hyphen = await test({ ...good(), headerName: 'Api-Access-Token' });
		expect(hyphen.json.data).toMatchObject({ status: 'OK' });
	});
});

describe('gateway credential tests through n8n (POST /rest/credentials/test)', () => {
	const test = (id: string, type: string, data: Record<string, unknown>) =>
		w.api.rest('POST', '/credentials/test', { credentials: { id, name: id, type, data } });

	it.each([
		['cwbEvolutionGateway', 'chatwootBridgeEvolutionApi', () => ({ baseUrl: `${w.gateway.baseUrl}/`, apiKey: EVOLUTION_API_KEY }), 'apiKey'],
		['cwbWahaGateway', 'chatwootBridgeWahaApi', () => ({ baseUrl: w.gateway.baseUrl, apiKey: WAHA_API_KEY }), 'apiKey'],
		['cwbCloudGateway', 'chatwootBridgeWhatsAppCloudApi', () => ({ baseUrl: `${w.gateway.baseUrl}${GRAPH_VERSION_PATH}`, accessToken: CLOUD_ACCESS_TOKEN }), 'accessToken'],
	])('%s: the right key passes, a wrong one is refused', async (id, type, good, keyField) => {
		expect((await test(id, type, good())).json.data).toMatchObject({ status: 'OK' });
		expect((await test(id, type, { ...good(), [keyField]: 'wrong-key' })).json.data).toMatchObject({ status: 'Error' });
	});
});

const TEXT_ID = '3A5F1C2B9D8E7A6B5C4D';
const MARIA = '5511999990001@s.whatsapp.net';

describe('WhatsApp → Chatwoot through the example workflows', () => {
	it('Evolution text: contact, conversation and message appear once, also when the event comes twice', async () => {
		const [out] = await deliverInbound(WF.evolutionIn, fixture('evolution/text'));
		expect(out).toMatchObject({ status: 'created', instance: INSTANCES.evolution, gateway: 'evolution' });
		const state = w.sb.state;
		const contact = state.contacts.find((row) => row.identifier === MARIA);
		expect(contact).toMatchObject({ name: 'Maria Souza', phone_number: '+5511999990001' });
		const conversation = conversationOf(w.inboxes.evolution.id, MARIA);
		expect(conversation).toBeDefined();
		expect(bySource(`WAID:${TEXT_ID}`)).toEqual([
			expect.objectContaining({ message_type: 'incoming', content: 'Olá! Vocês entregam no sábado?', conversation_id: conversation!.id }),
		]);

		const [again] = await deliverInbound(WF.evolutionIn, fixture('evolution/text'));
		expect(again).toMatchObject({ status: 'skipped', skip: 'duplicate' });
		expect(bySource(`WAID:${TEXT_ID}`)).toHaveLength(1);
	});

	it('Evolution image with base64: the file is attached with its caption', async () => {
		const [out] = await deliverInbound(WF.evolutionIn, fixture('evolution/image-caption'));
		expect(out.status).toBe('created');
		expect(out.mediaError).toBeUndefined();
		const message = w.sb.state.messages.find((row) => row.id === out.messageId)!;
		expect(message.content).toBe('Esse modelo tem em azul?');
		expect(w.sb.state.attachments.filter((row) => row.message_id === message.id)).toEqual([expect.objectContaining({ file_type: 'image' })]);
	});

	it('Evolution group, reply and fromMe', async () => {
		const [group] = await deliverInbound(WF.evolutionIn, fixture('evolution/group-text'));
		expect(group.status).toBe('created');
		expect(w.sb.state.messages.find((row) => row.id === group.messageId)!.content).toMatch(/^\*\*João Lima\*\* \(\+5511999990002\):\n/);

		const reply = fixture('evolution/reply');
		reply.data.key.id = 'E2EREPLY0001';
		reply.data.contextInfo.stanzaId = TEXT_ID;
		const [replied] = await deliverInbound(WF.evolutionIn, reply);
		const original = bySource(`WAID:${TEXT_ID}`)[0];
		expect(w.sb.state.messages.find((row) => row.id === replied.messageId)!.content_attributes).toMatchObject({
			in_reply_to: original.id,
			in_reply_to_external_id: `WAID:${TEXT_ID}`,
		});

		const [mine] = await deliverInbound(WF.evolutionIn, fixture('evolution/fromMe'));
		expect(mine.status).toBe('created');
		const mirrored = w.sb.state.messages.find((row) => row.id === mine.messageId)!;
		expect(mirrored).toMatchObject({ message_type: 'outgoing' });
		expect(mirrored.content_attributes).toMatchObject({ external_echo: true });
	});

	it('WAHA text lands in the session\'s inbox', async () => {
		const [out] = await deliverInbound(WF.wahaIn, fixture('waha/text'));
		expect(out).toMatchObject({ status: 'created', instance: INSTANCES.waha, gateway: 'waha' });
		expect(messagesIn(w.inboxes.waha.id)).toEqual([expect.objectContaining({ content: 'Olá! Vocês entregam no sábado?' })]);
	});

	it('Cloud API text (raw, auto-detected) and the same message as an n8n WhatsApp Trigger item: one message', async () => {
		const [raw] = await deliverInbound(WF.autoDetect, fixture('cloud-api/text'));
		expect(raw).toMatchObject({ status: 'created', instance: INSTANCES.cloud, gateway: 'cloud' });
		const [item] = await deliverInbound(WF.cloudTriggerItems, fixture('n8n-whatsapp-trigger/text'));
		expect(item).toMatchObject({ status: 'skipped', skip: 'duplicate', gateway: 'n8nWhatsAppTrigger' });
		expect(messagesIn(w.inboxes.cloud.id)).toHaveLength(1);
	});
});

describe('the trust boundary: authenticated webhooks, media from the gateway API', () => {
	/** Posts with the given headers and returns the finished execution (refused deliveries end in an error). */
	async function deliverAs(workflowId: string, body: unknown, headers?: Record<string, string>): Promise<Execution> {
		const before = (await w.api.executions(workflowId)).length;
		const response = await post(w.webhookUrl(workflowId), body, headers);
		expect(response.status).toBe(200);
		const executions = await w.api.waitForExecutions(workflowId, before + 1);
		return executions[executions.length - 1];
	}

	const counts = () => ({ contacts: w.sb.state.contacts.length, messages: w.sb.state.messages.length });

	it.each([
		['WAHA without X-Webhook-Hmac', WF.wahaIn, 'waha/text', {}, /webhook refused: X-Webhook-Hmac is missing/],
		['WAHA with a forged X-Webhook-Hmac', WF.wahaIn, 'waha/text', { 'x-webhook-hmac': 'ab'.repeat(64), 'x-webhook-hmac-algorithm': 'sha512' }, /X-Webhook-Hmac does not match the body/],
		['Cloud API without X-Hub-Signature-256', WF.cloudSigned, 'cloud-api/text', {}, /webhook refused: X-Hub-Signature-256 is missing/],
		['Cloud API with a forged X-Hub-Signature-256', WF.cloudSigned, 'cloud-api/text', { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` }, /does not match the body/],
		['Evolution without the shared secret', WF.evolutionIn, 'evolution/text', {}, /webhook refused: x-bridge-secret is missing/],
		['Evolution with a wrong shared secret', WF.evolutionIn, 'evolution/text', { 'x-bridge-secret': 'guessed' }, /does not match the shared secret/],
	])('%s: refused, Chatwoot untouched', async (_, workflowId, name, headers, reason) => {
		const body = fixture(name);
		const keyed = body.data?.key ?? body.payload ?? body.entry?.[0]?.changes?.[0]?.value?.messages?.[0];
		keyed.id = `FORGED${Date.now()}`;
		const before = counts();
		const execution = await deliverAs(workflowId, body, { ...headers });
		expect(execution.status).toBe('error');
		expect(failureOf(execution)).toMatch(reason);
		expect(counts()).toEqual(before);
	});

	it('Cloud API: a signed delivery passes; the same bytes altered do not', async () => {
		const body = fixture('cloud-api/text');
		body.entry[0].changes[0].value.messages[0].id = 'wamid.E2ESIGNED0001';
		const raw = Buffer.from(JSON.stringify(body));
		const execution = await deliverAs(WF.cloudSigned, body);
		expect(nodeOutput(execution, 'Sync WhatsApp Message')).toEqual([expect.objectContaining({ status: 'created', gateway: 'cloud' })]);
		const altered = JSON.parse(raw.toString('utf8'));
		altered.entry[0].changes[0].value.messages[0].text.body = 'altered';
		const before = counts();
		const refused = await deliverAs(WF.cloudSigned, altered, gatewayAuthHeaders(raw));
		expect(failureOf(refused)).toMatch(/X-Hub-Signature-256 does not match the body/);
		expect(counts()).toEqual(before);
	});

	it('Evolution view-once photo (never in the webhook): fetched with getBase64FromMediaMessage, attached', async () => {
		const body = fixture('evolution/image-caption');
		const image = body.data.message.imageMessage;
		body.data.message = { viewOnceMessageV2: { message: { imageMessage: { ...image, viewOnce: true } } } };
		body.data.messageType = 'viewOnceMessageV2';
		body.data.key.id = `${VIEW_ONCE_PREFIX}0001`;
		const [out] = await deliverInbound(WF.evolutionIn, body);
		expect(out).toMatchObject({ status: 'created' });
		expect(out.mediaError).toBeUndefined();
		expect(w.sb.state.attachments.filter((row) => row.message_id === out.messageId)).toEqual([expect.objectContaining({ file_type: 'image' })]);
		const asked = w.gateway.requests.filter((request) => request.path === `/chat/getBase64FromMediaMessage/${INSTANCES.evolution}`);
		expect(asked.at(-1)).toMatchObject({ body: { message: { key: { id: `${VIEW_ONCE_PREFIX}0001` } }, convertToMp4: false } });
		expect(asked.at(-1)!.headers.apikey).toBe(EVOLUTION_API_KEY);
	});

	it('Cloud API media id: resolved on the Graph API and downloaded with the token, attached', async () => {
		const body = fixture('cloud-api/image-caption');
		body.entry[0].changes[0].value.messages[0].id = 'wamid.E2EMEDIA0001';
		const execution = await deliverAs(WF.cloudSigned, body);
		const [out] = nodeOutput(execution, 'Sync WhatsApp Message');
		expect(out).toMatchObject({ status: 'created', gateway: 'cloud' });
		expect(out.mediaError).toBeUndefined();
		expect(w.sb.state.attachments.filter((row) => row.message_id === out.messageId)).toEqual([expect.objectContaining({ file_type: 'image' })]);
		const mediaId = body.entry[0].changes[0].value.messages[0].image.id;
		const calls = w.gateway.requests.filter((request) => request.path.endsWith(`/${mediaId}`));
		expect(calls.map((request) => [request.path, request.headers.authorization])).toEqual([
			[`${GRAPH_VERSION_PATH}/${mediaId}`, `Bearer ${CLOUD_ACCESS_TOKEN}`],
			[`/cloud-media/${mediaId}`, `Bearer ${CLOUD_ACCESS_TOKEN}`],
		]);
	});
});

describe('Chatwoot → WhatsApp through the Chatwoot Bridge Trigger', () => {
	/** Send requests (a POST) whose path starts with the prefix; reads such as the credential tests' do not count. */
	const sends = (pathPrefix: string) => w.gateway.requests.filter((request) => request.method === 'POST' && request.path.startsWith(pathPrefix));

	/** The agent writes; resolves with the gateway request it caused and the workflow's last execution. */
	async function agentSends(workflowId: string, displayId: number, options: Parameters<World['sb']['agentReply']>[1]) {
		const before = w.gateway.requests.length;
		const executionsBefore = (await w.api.executions(workflowId)).length;
		const message = w.sb.agentReply(displayId, options);
		const request = await waitFor('the gateway request', () => w.gateway.requests[before]);
		const executions = await w.api.waitForExecutions(workflowId, executionsBefore + 1);
		return { message, request, execution: executions[executions.length - 1] as Execution };
	}

	it('registered each trigger\'s production URL on its inbox at activation', () => {
		const inboxes = w.sb.state.inboxes;
		const urlOf = (id: number) => inboxes.find((inbox) => inbox.id === id)?.webhook_url;
		expect(urlOf(w.inboxes.evolution.id)).toBe(w.webhookUrl(WF.evolutionOut));
		expect(urlOf(w.inboxes.waha.id)).toBe(w.webhookUrl(WF.wahaOut));
		expect(urlOf(w.inboxes.cloud.id)).toBe(w.webhookUrl(WF.cloudOut));
	});

	it('Evolution: an agent reply is sent with the agent signature and reported sent', async () => {
		const conversation = conversationOf(w.inboxes.evolution.id, MARIA)!;
		const { message, request, execution } = await agentSends(WF.evolutionOut, conversation.display_id, { content: 'Sim, entregamos **sábado**!' });
		expect(request).toMatchObject({
			method: 'POST',
			path: `/message/sendText/${INSTANCES.evolution}`,
			status: 201,
			body: { number: '5511999990001', text: '*Sandbox Admin:*\nSim, entregamos *sábado*!' },
		});
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'Report Send Result')).toEqual([
			expect.objectContaining({ status: 'sent', messageId: message.id, whatsappId: request.response.key.id }),
		]);
		expect(w.sb.state.messages.find((row) => row.id === message.id)!.status).toBe('sent');
	});

	it('Evolution: a reply quotes the WhatsApp message, and a group gets its JID', async () => {
		const conversation = conversationOf(w.inboxes.evolution.id, MARIA)!;
		const quoted = bySource(`WAID:${TEXT_ID}`)[0];
		const { request } = await agentSends(WF.evolutionOut, conversation.display_id, { content: 'Respondendo', inReplyTo: quoted.id });
		expect(request.body.quoted).toEqual({ key: { id: TEXT_ID } });

		const group = conversationOf(w.inboxes.evolution.id, '120363041234567890@g.us')!;
		const { request: toGroup } = await agentSends(WF.evolutionOut, group.display_id, { content: 'Olá grupo' });
		expect(toGroup.body.number).toBe('120363041234567890@g.us');
	});

	it('Evolution: an attachment goes through sendMedia with Chatwoot\'s file URL', async () => {
		const conversation = conversationOf(w.inboxes.evolution.id, MARIA)!;
		const { request, execution } = await agentSends(WF.evolutionOut, conversation.display_id, {
			content: 'Segue o catálogo',
			attachments: [{ filename: 'catalogo.pdf', contentType: 'application/pdf', data: '%PDF-1.4 e2e' }],
		});
		expect(request.path).toBe(`/message/sendMedia/${INSTANCES.evolution}`);
		expect(request.body).toMatchObject({ number: '5511999990001', mediatype: 'document', mimetype: 'application/pdf', fileName: 'catalogo.pdf' });
		expect(request.body.caption).toContain('Segue o catálogo');
		const file = await fetch(request.body.media);
		expect(Buffer.from(await file.arrayBuffer()).toString()).toBe('%PDF-1.4 e2e');
		expect(nodeOutput(execution, 'Report Send Result')[0].status).toBe('sent');
	});

	it('Evolution: a send the gateway refuses is reported failed with its error', async () => {
		const unreachable = fixture('evolution/text');
		unreachable.data.key = { remoteJid: `${UNREACHABLE_NUMBER}@s.whatsapp.net`, fromMe: false, id: 'E2EUNREACH0001' };
		await deliverInbound(WF.evolutionIn, unreachable);
		const conversation = conversationOf(w.inboxes.evolution.id, `${UNREACHABLE_NUMBER}@s.whatsapp.net`)!;
		const { message, request, execution } = await agentSends(WF.evolutionOut, conversation.display_id, { content: 'Olá?' });
		expect(request.status).toBe(400);
		expect(nodeOutput(execution, 'Report Send Result')[0]).toMatchObject({ status: 'failed', messageId: message.id });
		const stored = w.sb.state.messages.find((row) => row.id === message.id)!;
		expect(stored.status).toBe('failed');
		expect(String(stored.content_attributes.external_error)).toMatch(/400/);
	});

	it('WAHA: an agent reply goes to /api/sendText with session and chatId, no signature', async () => {
		const conversation = conversationOf(w.inboxes.waha.id, MARIA)!;
		const { message, request, execution } = await agentSends(WF.wahaOut, conversation.display_id, { content: 'Oi do WAHA' });
		expect(request).toMatchObject({
			path: '/api/sendText',
			body: { session: INSTANCES.waha, chatId: '5511999990001@c.us', text: 'Oi do WAHA' },
		});
		expect(request.headers['x-api-key']).toBeDefined();
		expect(nodeOutput(execution, 'Report Send Result')).toEqual([expect.objectContaining({ status: 'sent', messageId: message.id })]);
		expect(sends('/api/')).toHaveLength(1);
	});

	it('echoes of what the bridge wrote, private notes and status updates start no execution', async () => {
		const conversation = conversationOf(w.inboxes.evolution.id, MARIA)!;
		const sentBefore = w.gateway.requests.length;
		w.sb.agentReply(conversation.display_id, { content: 'nota interna', private: true });
		await w.sb.idle();
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		expect(w.gateway.requests.length).toBe(sentBefore);

		// One execution per agent message sent above, none for the dozens of other deliveries.
		// Agent messages: outgoing, public, written in the dashboard (mirrored phone messages carry a WAID source_id).
		const agentMessages = (inboxId: number) =>
			w.sb.state.messages.filter((row) => row.inbox_id === inboxId && row.message_type === 'outgoing' && !row.private && !row.source_id);
		expect(await w.api.executions(WF.evolutionOut)).toHaveLength(agentMessages(w.inboxes.evolution.id).length);
		expect(await w.api.executions(WF.wahaOut)).toHaveLength(agentMessages(w.inboxes.waha.id).length);
		expect(await w.api.executions(WF.cloudOut)).toHaveLength(0);

		const toN8n = w.sb.deliveries.filter((delivery) => delivery.url.startsWith(w.n8n.baseUrl));
		expect(toN8n.length).toBeGreaterThan(20);
		expect(toN8n.filter((delivery) => delivery.result?.ok !== true).map((delivery) => [delivery.event, delivery.result])).toEqual([]);
	});
});

describe('the full loop', () => {
	const jid = '5511999990003@s.whatsapp.net';
	const now = () => Math.floor(Date.now() / 1000);
	let agentId = 0;
	let conversationDbId = 0;
	let sent: { id: string; text: string } = { id: '', text: '' };

	it('contact writes, agent answers, the gateway echoes its send (send.message) and acks: nothing duplicated', async () => {
		const inbound = fixture('evolution/text');
		inbound.data.key = { remoteJid: jid, fromMe: false, id: 'E2ELOOP00001' };
		inbound.data.pushName = 'Ana Loop';
		inbound.data.message = { conversation: 'Quero fazer um pedido' };
		inbound.data.messageTimestamp = now();
		await deliverInbound(WF.evolutionIn, inbound);
		const conversation = conversationOf(w.inboxes.evolution.id, jid)!;
		conversationDbId = conversation.id;

		const before = w.gateway.requests.length;
		const executions = (await w.api.executions(WF.evolutionOut)).length;
		const agent = w.sb.agentReply(conversation.display_id, { content: 'Claro! Qual produto?' });
		agentId = agent.id;
		const request = await waitFor('the send', () => w.gateway.requests[before]);
		await w.api.waitForExecutions(WF.evolutionOut, executions + 1);
		sent = { id: request.response.key.id, text: request.body.text };

		// What Evolution reports after an API send: send.message, then delivery acks.
		const sendMessage = fixture('evolution/send-message');
		sendMessage.data.key = { remoteJid: jid, fromMe: true, id: sent.id };
		sendMessage.data.message = { conversation: sent.text };
		sendMessage.data.messageTimestamp = now();
		const [echo] = await deliverInbound(WF.evolutionIn, sendMessage);
		expect(echo).toMatchObject({ status: 'skipped', skip: 'duplicate', messageId: agent.id });

		const ack = fixture('evolution/messages-update');
		ack.data = { ...ack.data, keyId: sent.id, remoteJid: jid, fromMe: true, status: 'DELIVERY_ACK' };
		const [acked] = await deliverInbound(WF.evolutionIn, ack);
		expect(acked).toMatchObject({ messageId: agent.id });

		const inConversation = w.sb.state.messages.filter((row) => row.conversation_id === conversation.id && row.message_type !== 'activity');
		expect(inConversation.map((row) => [row.message_type, row.content, row.status])).toEqual([
			['incoming', 'Quero fazer um pedido', 'sent'],
			['outgoing', 'Claro! Qual produto?', 'delivered'],
		]);
		expect(w.gateway.requests.length).toBe(before + 1);
	});

	it('Evolution\'s fromMe messages.upsert of that same API send is not added again', async () => {
		const upsert = fixture('evolution/fromMe');
		upsert.data.key = { remoteJid: jid, fromMe: true, id: sent.id };
		upsert.data.message = { conversation: sent.text };
		upsert.data.messageTimestamp = now();
		const [mirror] = await deliverInbound(WF.evolutionIn, upsert);
		expect(mirror).toMatchObject({ status: 'skipped', messageId: agentId });
		const outgoing = w.sb.state.messages.filter((row) => row.conversation_id === conversationDbId && row.message_type === 'outgoing');
		expect(outgoing.map((row) => row.id)).toEqual([agentId]);
	});

	it('the agent deletes that reply after n8n restarted: Evolution is asked to revoke exactly that WhatsApp message', async () => {
		await w.restart(); // nothing of the send is left in process memory
		const conversation = w.sb.state.conversations.find((row) => row.id === conversationDbId)!;
		const before = w.gateway.requests.length;
		const executions = (await w.api.executions(WF.evolutionOut)).length;
		w.sb.deleteMessage(conversation.display_id, agentId);
		const request = await waitFor('the revoke', () => w.gateway.requests.slice(before).find((r) => r.method === 'DELETE'));
		expect(request.path).toBe(`/chat/deleteMessageForEveryone/${INSTANCES.evolution}`);
		expect(request.body).toEqual({ id: sent.id, remoteJid: jid, fromMe: true });
		const [execution] = (await w.api.waitForExecutions(WF.evolutionOut, executions + 1)).slice(executions);
		expect(nodeOutput(execution, 'Chatwoot Bridge Trigger')[0]).toMatchObject({
			action: 'delete',
			target: { whatsappId: sent.id },
			chatwoot: { messageId: agentId },
		});
	});
});

describe('the conversation table right after an agent changes the status (default settings, trigger active)', () => {
	const jid = '5511999990004@s.whatsapp.net';
	const now = () => Math.floor(Date.now() / 1000);
	let seq = 0;
	let conversationDisplayId = 0;
	const write = async (text: string) => {
		seq += 1;
		const inbound = fixture('evolution/text');
		inbound.data.key = { remoteJid: jid, fromMe: false, id: `E2ETABLE${String(seq).padStart(4, '0')}` };
		inbound.data.pushName = 'Bia Tabela';
		inbound.data.message = { conversation: text };
		inbound.data.messageTimestamp = now();
		const [item] = await deliverInbound(WF.evolutionIn, inbound);
		return item;
	};
	const statusNow = () => conversationOf(w.inboxes.evolution.id, jid)?.status;
	const settle = () => new Promise((resolve) => setTimeout(resolve, 1_000));

	it('customer first: the message opens the conversation; an agent resolves it afterwards and it stays resolved', async () => {
		const first = await write('Oi, preciso de ajuda');
		expect(first).toMatchObject({ status: 'created', conversationCreated: true });
		conversationDisplayId = first.conversationId;
		w.sb.resolveConversation(conversationDisplayId);
		await settle();
		expect(statusNow()).toBe('resolved');
	});

	it('agent resolved 1 s before: the message reopens that conversation, and the output says so', async () => {
		const back = await write('Voltei');
		expect(back).toMatchObject({ status: 'created', conversationId: conversationDisplayId, conversationReopened: true });
		expect(statusNow()).toBe('open');
	});

	it('agent snoozed 1 s before: the message goes into it and Chatwoot opens it; nothing was reopened', async () => {
		w.sb.setConversationStatus(conversationDisplayId, 'snoozed', { snoozedUntil: now() + 3600 });
		await settle();
		const item = await write('Ainda aí?');
		expect(item).toMatchObject({ conversationId: conversationDisplayId, conversationReopened: false });
		expect(statusNow()).toBe('open');
	});

	it('agent set pending 1 s before: the message goes into it and it stays pending', async () => {
		w.sb.setConversationStatus(conversationDisplayId, 'pending');
		await settle();
		const item = await write('Alguém?');
		expect(item).toMatchObject({ conversationId: conversationDisplayId, conversationReopened: false });
		expect(statusNow()).toBe('pending');
		const conversations = w.sb.state.conversations.filter((row) => row.inbox_id === w.inboxes.evolution.id && row.contact_id === conversationOf(w.inboxes.evolution.id, jid)?.contact_id);
		expect(conversations).toHaveLength(1);
	});
});

describe('trigger activation lifecycle (REST deactivate / activate)', () => {
	const webhookOf = () => w.sb.state.inboxes.find((inbox) => inbox.id === w.inboxes.waha.id)?.webhook_url;

	it('deactivation clears the inbox webhook URL, activation sets it again', async () => {
		expect(webhookOf()).toBe(w.webhookUrl(WF.wahaOut));
		// 2.8.4 runs delete()/create() inside the request; 2.40 answers first and applies it through its publication
		// outbox within seconds, hence the waits.
		const off = await w.api.rest('POST', `/workflows/${WF.wahaOut}/deactivate`, {});
		expect(off.status).toBe(200);
		await waitFor('the inbox webhook URL to be cleared', () => !webhookOf(), 30_000);

		const versionId = await w.api.versionId(WF.wahaOut);
		const on = await w.api.rest('POST', `/workflows/${WF.wahaOut}/activate`, { versionId });
		expect(on.status).toBe(200);
		await waitFor('the inbox webhook URL to be set again', () => webhookOf() === w.webhookUrl(WF.wahaOut), 30_000);
	});

	it('"Listen for test event" while production is active: the test takes the inbox, then production gets it back and receives', async () => {
		const { json } = await w.api.rest('GET', `/workflows/${WF.wahaOut}`);
		const workflowData = json.data;
		const trigger = workflowData.nodes.find((node: { type: string }) => node.type === 'n8n-nodes-chatwoot-bridge.chatwootBridgeTrigger');
		// What the editor sends for "Listen for test event" on the trigger.
		const run = await w.api.rest('POST', `/workflows/${WF.wahaOut}/run`, { workflowData, triggerToStartFrom: { name: trigger.name } });
		expect(run.status).toBe(200);
		expect(run.json.data).toEqual({ waitingForWebhook: true });
		await waitFor('the inbox to point at the test URL', () => webhookOf()?.includes('/webhook-test/'), 30_000);

		// The editor's "stop listening" (the test also ends by itself after 2 minutes or at its first event).
		const stop = await w.api.rest('DELETE', `/test-webhook/${WF.wahaOut}`);
		expect(stop.status).toBe(200);
		await waitFor('the production URL to be back on the inbox', () => webhookOf() === w.webhookUrl(WF.wahaOut), 30_000);

		const conversation = conversationOf(w.inboxes.waha.id, MARIA)!;
		const sendsBefore = w.gateway.requests.filter((request) => request.path === '/api/sendText').length;
		const executionsBefore = (await w.api.executions(WF.wahaOut)).length;
		w.sb.agentReply(conversation.display_id, { content: 'Depois do teste' });
		const executions = await w.api.waitForExecutions(WF.wahaOut, executionsBefore + 1);
		expect(executions[executions.length - 1].status).toBe('success');
		await waitFor('the reply to reach WAHA', () =>
			w.gateway.requests.filter((request) => request.path === '/api/sendText').length === sendsBefore + 1 ? true : undefined,
		);
		expect(w.gateway.requests.filter((request) => request.path === '/api/sendText').at(-1)!.body.text).toBe('Depois do teste');
	});
});

describe('the import examples: gateway history → Import into Chatwoot, run with `n8n execute` next to the server', () => {
	const DAY = 86_400;
	const phoneJid = (phone: string) => `${phone}@s.whatsapp.net`;
	const gatewaySends = () => w.gateway.requests.filter((request) => /^\/message\/send|^\/api\/send/.test(request.path)).length;
	const readsSince = (from: number, path: RegExp) => w.gateway.requests.slice(from).filter((request) => path.test(request.path));

	/** Runs an example once; resolves with the Import node's summary and the gateway requests the run made. */
	async function runImport(workflowId: string, nodeNames = ['Import into Chatwoot']) {
		const from = w.gateway.requests.length;
		const output = await runCli(w.home, ['execute', `--id=${workflowId}`, '--rawOutput'], /"resultData"/, 180_000);
		// `--rawOutput` prints the whole run as indented JSON (after n8n's own log lines, if any).
		const lines = output.split('\n');
		const run = JSON.parse(lines.slice(lines.indexOf('{'), lines.lastIndexOf('}') + 1).join('\n'));
		const summaries = nodeNames.map((name) => {
			const items = run.data.resultData.runData[name][0].data.main[0] as Array<{ json: any }>;
			expect(items).toHaveLength(1);
			return items[0].json;
		});
		return { summary: summaries[0], summaries, from };
	}

	/** What the inbox and the account hold, to compare before and after a run. */
	function counts(inboxId: number) {
		const state = w.sb.state;
		const messageIds = new Set(state.messages.filter((row) => row.inbox_id === inboxId).map((row) => row.id));
		return {
			contacts: state.contacts.length,
			contactInboxes: state.contactInboxes.filter((row) => row.inbox_id === inboxId).length,
			conversations: state.conversations.filter((row) => row.inbox_id === inboxId).length,
			messages: messageIds.size,
			attachments: state.attachments.filter((row) => messageIds.has(row.message_id)).length,
		};
	}

	/**
	 * What an agent sees of a history in the inbox: one contact per chat with the chat's name and phone, one
	 * conversation holding the messages of the window in WhatsApp order (`WAID:<id>`, WhatsApp time), the photo
	 * attached, the reply linked to the photo, and nothing of the message older than the window.
	 */
	function expectImported(inboxId: number, story: GatewayStory) {
		const state = w.sb.state;
		const history = w.gateway.history;
		for (const chat of [story.chats.a, story.chats.b]) {
			expect(state.contacts.filter((row) => row.phone_number === `+${chat.phone}`)).toEqual([
				expect.objectContaining({ name: chat.name, identifier: phoneJid(chat.phone) }),
			]);
			const contactInbox = state.contactInboxes.filter((row) => row.inbox_id === inboxId && row.source_id === phoneJid(chat.phone));
			expect(contactInbox).toHaveLength(1);
			const conversations = state.conversations.filter((row) => row.contact_inbox_id === contactInbox[0].id);
			expect(conversations).toHaveLength(1);
			const inWindow = chat.messages.filter((message) => message.id !== story.tooOld);
			const stored = state.messages.filter((row) => row.conversation_id === conversations[0].id && row.message_type !== 'activity');
			// external_created_at: a number, or a string when the message went as multipart with its attachment.
			const time = (row: (typeof stored)[number]) => Number(row.content_attributes.external_created_at);
			expect(stored.map((row) => [row.source_id, row.message_type, row.content, time(row)])).toEqual(
				inWindow.map((message) => [`WAID:${message.id}`, message.fromMe ? 'outgoing' : 'incoming', message.text, timeOf(history, message)]),
			);
		}
		expect(bySource(`WAID:${story.tooOld}`)).toEqual([]);

		const [photo] = bySource(`WAID:${story.photo}`);
		const attachments = state.attachments.filter((row) => row.message_id === photo.id);
		expect(attachments).toEqual([expect.objectContaining({ file_type: 'image' })]);
		expect(state.blobs.find((blob) => blob.id === attachments[0].blob_id)).toMatchObject({ content_type: PHOTO_MIME, byte_size: PHOTO.length });
		const [reply] = bySource(`WAID:${story.reply}`);
		expect(reply.content_attributes).toMatchObject({ in_reply_to: photo.id, in_reply_to_external_id: `WAID:${story.photo}` });
	}

	/** The summary of a first run: both chats' contacts and conversations created, the six messages imported. */
	function expectFirstSummary(summary: any, instance: string, inboxId: number, story: GatewayStory) {
		expect(summary).toMatchObject({
			instance,
			status: 'complete',
			what: 'all',
			days: 7,
			inbox: { id: inboxId },
			totals: { chats: 2, contacts_created: 2, contacts_failed: 0, imported: 6, skipped: 0, failed: 0 },
			unassigned: { skipped: 0, failed: 0, reasons: [] },
			warnings: [],
		});
		const byChat = Object.fromEntries(summary.chats.map((chat: any) => [chat.chat, chat]));
		expect(byChat[phoneJid(story.chats.a.phone)]).toMatchObject({ name: story.chats.a.name, contact_created: true, conversation_created: true, imported: 4, skipped: 0 });
		expect(byChat[phoneJid(story.chats.b.phone)]).toMatchObject({ name: story.chats.b.name, contact_created: true, conversation_created: true, imported: 2, skipped: 0 });
	}

	/** A second run: the same history read again, everything reported skipped as already in Chatwoot, nothing added. */
	async function expectIdempotentRerun(gateway: 'evolution' | 'waha') {
		const inboxId = w.inboxes[gateway].id;
		const before = counts(inboxId);
		const { summary } = await runImport(IMPORT_WORKFLOWS[gateway]);
		expect(summary).toMatchObject({
			status: 'complete',
			totals: { chats: 2, contacts_created: 0, contacts_failed: 0, imported: 0, skipped: 6, failed: 0 },
		});
		for (const chat of summary.chats) {
			expect(chat).toMatchObject({ contact_created: false, conversation_created: false, imported: 0 });
			expect(chat.reasons).toEqual([expect.objectContaining({ status: 'skipped', reason: expect.stringMatching(/^already in Chatwoot/), count: chat.skipped })]);
		}
		expect(counts(inboxId)).toEqual(before);
		expectImported(inboxId, w.gateway.history[gateway]);
	}

	/** Imported messages reach the Chatwoot Bridge Trigger as webhooks like any other: none may be sent to WhatsApp. */
	async function expectNothingSent(workflowId: string, sendsBefore: number, executionsBefore: number) {
		await w.sb.idle();
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		expect(gatewaySends()).toBe(sendsBefore);
		expect(await w.api.executions(workflowId)).toHaveLength(executionsBefore);
	}

	/**
	 * A gateway's first import: the summary and the inbox as an agent sees them; `finish` then checks that nothing was
	 * sent to WhatsApp meanwhile.
	 */
	async function firstImport(gateway: 'evolution' | 'waha', sendWorkflow: string) {
		const story = w.gateway.history[gateway];
		const sendsBefore = gatewaySends();
		const executionsBefore = (await w.api.executions(sendWorkflow)).length;
		const { summary, from } = await runImport(IMPORT_WORKFLOWS[gateway]);
		expectFirstSummary(summary, INSTANCES[gateway], w.inboxes[gateway].id, story);
		expectImported(w.inboxes[gateway].id, story);
		return { story, from, finish: () => expectNothingSent(sendWorkflow, sendsBefore, executionsBefore) };
	}

	it('with import_contacts and import_messages off, the Evolution example imports nothing, says which flags, and Chatwoot stays as it was', async () => {
		const inbox = w.inboxes.evolution;
		const stored = () => w.sb.state.inboxes.find((row) => row.id === inbox.id)!.additional_attributes;
		const before = structuredClone(stored());
		const record = before[INTEGRATION_ATTRIBUTE] as any;
		w.sb.updateInbox(inbox.id, {
			additional_attributes: { ...before, [INTEGRATION_ATTRIBUTE]: { ...record, settings: { ...record.settings, import_contacts: false, import_messages: false } } },
		});
		try {
			const accountBefore = counts(inbox.id);
			const contactsBefore = w.sb.state.contacts.length;
			const { summary } = await runImport(IMPORT_WORKFLOWS.evolution);
			expect(summary).toMatchObject({
				instance: INSTANCES.evolution,
				status: 'refused',
				what: 'all',
				refused: expect.stringMatching(/import_contacts is off.*import_messages is off/),
				totals: { chats: 0, contacts_created: 0, imported: 0, skipped: 0, failed: 0 },
			});
			expect(counts(inbox.id)).toEqual(accountBefore);
			expect(w.sb.state.contacts).toHaveLength(contactsBefore);
			expect(bySource(`WAID:${w.gateway.history.evolution.photo}`)).toEqual([]);
		} finally {
			w.sb.updateInbox(inbox.id, { additional_attributes: before });
		}
	}, 240_000);

	it('Evolution: contacts, the window\'s messages in WhatsApp order, the photo and the reply land in the instance\'s inbox', async () => {
		const { story, from, finish } = await firstImport('evolution', WF.evolutionOut);

		// What the example asked Evolution: the contacts, 7 days of messages page by page, the photo as base64.
		const key = { apikey: EVOLUTION_API_KEY };
		expect(readsSince(from, /^\/chat\/findContacts\//)).toEqual([
			expect.objectContaining({ path: `/chat/findContacts/${INSTANCES.evolution}`, headers: expect.objectContaining(key), status: 200 }),
		]);
		const pages = readsSince(from, /^\/chat\/findMessages\//);
		expect(pages.map((request) => [request.path, request.body.page, request.body.offset, request.status])).toEqual([
			[`/chat/findMessages/${INSTANCES.evolution}`, 1, EVOLUTION_PAGE_SIZE, 200],
			[`/chat/findMessages/${INSTANCES.evolution}`, 2, EVOLUTION_PAGE_SIZE, 200],
		]);
		expect(pages.map((request) => request.response.messages.records.length)).toEqual([EVOLUTION_PAGE_SIZE, 6 - EVOLUTION_PAGE_SIZE]);
		const range = pages[0].body.where.messageTimestamp;
		const now = Date.now() / 1000;
		expect(Math.abs(Date.parse(range.gte) / 1000 - (now - 7 * DAY))).toBeLessThan(600);
		expect(Math.abs(Date.parse(range.lte) / 1000 - now)).toBeLessThan(600);
		expect(readsSince(from, /^\/chat\/getBase64FromMediaMessage\//)).toEqual([
			expect.objectContaining({ body: { message: { key: { id: story.photo } }, convertToMp4: false }, headers: expect.objectContaining(key), status: 201 }),
		]);

		await finish();
	}, 240_000);

	it('Evolution: running the example again adds nothing and reports every message skipped', async () => {
		await expectIdempotentRerun('evolution');
	}, 240_000);

	it('WAHA: chats, the window\'s messages in WhatsApp order, the photo from WAHA\'s file server and the reply land in the session\'s inbox', async () => {
		const { story, from, finish } = await firstImport('waha', WF.wahaOut);

		// What the example asked WAHA: the chats, 7 days of each chat's messages with media, the photo's file.
		const key = { 'x-api-key': WAHA_API_KEY };
		expect(readsSince(from, /^\/api\/[^/]+\/chats$/)).toEqual([
			expect.objectContaining({ path: `/api/${INSTANCES.waha}/chats`, query: { limit: '1000' }, headers: expect.objectContaining(key), status: 200 }),
		]);
		const chatReads = readsSince(from, /^\/api\/[^/]+\/chats\/[^/]+\/messages$/);
		expect(chatReads.map((request) => request.path).sort()).toEqual(
			[story.chats.a, story.chats.b].map((chat) => `/api/${INSTANCES.waha}/chats/${encodeURIComponent(`${chat.phone}@c.us`)}/messages`).sort(),
		);
		for (const request of chatReads) {
			expect(request).toMatchObject({ headers: expect.objectContaining(key), status: 200 });
			expect(request.query).toMatchObject({ limit: '1000', downloadMedia: 'true' });
			expect(Math.abs(Number(request.query['filter.timestamp.gte']) - (Date.now() / 1000 - 7 * DAY))).toBeLessThan(600);
		}
		expect(readsSince(from, /^\/api\/files\//)).toEqual([
			expect.objectContaining({ path: `/api/files/${INSTANCES.waha}/${story.photo}.png`, headers: expect.objectContaining(key), status: 200 }),
		]);

		await finish();
	}, 240_000);

	it('WAHA: running the example again adds nothing and reports every message skipped', async () => {
		await expectIdempotentRerun('waha');
	}, 240_000);
});

describe('texts in the integration\'s language (pt-BR, es), imported with `n8n execute`', () => {
	it('a location, a photo whose file is missing, a poll and a group member known only by LID read in each inbox\'s language', async () => {
		const inboxFor = (language: keyof typeof LANGUAGE_INSTANCES) =>
			w.sb.createInbox({
				name: `WhatsApp ${language}`,
				additionalAttributes: {
					[INTEGRATION_ATTRIBUTE]: integrationRecord(LANGUAGE_INSTANCES[language], { language, ...IMPORT_FLAGS_ON }),
				},
			});
		const inboxes = { 'pt-BR': inboxFor('pt-BR'), es: inboxFor('es') };
		const output = await runCli(w.home, ['execute', `--id=${LANGUAGE_IMPORT}`, '--rawOutput'], /"resultData"/, 180_000);
		expect(output).toContain('"status": "complete"');
		const contents = (inboxId: number) =>
			Object.fromEntries(
				w.sb.state.messages
					.filter((row) => row.inbox_id === inboxId && row.message_type !== 'activity')
					.map((row) => [row.source_id, row.content]),
			);
		const pt = contents(inboxes['pt-BR'].id);
		expect(pt['WAID:E2ELANGLOC1']).toMatch(/^📍 \*\*Localização: Loja Paulista\*\*\n/);
		expect(pt['WAID:E2ELANGIMG2']).toMatch(/^\[Imagem: não foi possível anexar \(.+\)\]$/);
		expect(pt['WAID:E2ELANGPOLL3']).toBe('📊 **Enquete: Entrega?**\n▫️ Sim\n▫️ Não');
		expect(pt['WAID:E2ELANGGRP4']).toBe('**Participante do grupo (nome e número desconhecidos)**:\nBom dia');
		const es = contents(inboxes.es.id);
		expect(es['WAID:E2ELANGLOC1']).toMatch(/^📍 \*\*Ubicación: Loja Paulista\*\*\n/);
		expect(es['WAID:E2ELANGIMG2']).toMatch(/^\[Imagen: no se pudo adjuntar \(.+\)\]$/);
		expect(es['WAID:E2ELANGPOLL3']).toBe('📊 **Encuesta: Entrega?**\n▫️ Sim\n▫️ Não');
		expect(es['WAID:E2ELANGGRP4']).toBe('**Miembro del grupo (nombre y número desconocidos)**:\nBom dia');
	}, 240_000);
});

/**
 * The rows that differ from Chatwoot's own reopen: each setting is stored on the Evolution inbox and given the
 * Sync node's settings cache (30 s) to expire, then an agent changes the status 1 s before the customer writes.
 * Last in the file: the inbox keeps the last settings.
 */
describe('the conversation table with the other settings, right after an agent changes the status', () => {
	const now = () => Math.floor(Date.now() / 1000);
	let seq = 0;
	const write = async (jid: string, text: string) => {
		seq += 1;
		const inbound = fixture('evolution/text');
		inbound.data.key = { remoteJid: jid, fromMe: false, id: `E2ESETTINGS${String(seq).padStart(4, '0')}` };
		inbound.data.pushName = 'Cris Tabela';
		inbound.data.message = { conversation: text };
		inbound.data.messageTimestamp = now();
		const [item] = await deliverInbound(WF.evolutionIn, inbound);
		return item;
	};
	const conversationsOf = (jid: string) => {
		const state = w.sb.state;
		const contactInbox = state.contactInboxes.find((row) => row.inbox_id === w.inboxes.evolution.id && row.source_id === jid);
		return state.conversations.filter((row) => row.contact_inbox_id === contactInbox?.id).sort((a, b) => a.id - b.id);
	};
	const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

	const cases: Array<{ reopen: boolean; pending: boolean; resolvedGoes: 'same' | 'new'; status: 'open' | 'pending' }> = [
		{ reopen: true, pending: true, resolvedGoes: 'same', status: 'pending' },
		{ reopen: false, pending: false, resolvedGoes: 'new', status: 'open' },
		{ reopen: false, pending: true, resolvedGoes: 'new', status: 'pending' },
	];
	cases.forEach(({ reopen, pending, resolvedGoes, status }, index) => {
		it(`reopen_conversation ${reopen}, conversation_pending ${pending}: resolved, snoozed and pending 1 s before the customer writes`, async () => {
			const inbox = w.sb.state.inboxes.find((row) => row.id === w.inboxes.evolution.id)!;
			const record = (inbox.additional_attributes as any)[INTEGRATION_ATTRIBUTE];
			w.sb.updateInbox(inbox.id, {
				additional_attributes: {
					...inbox.additional_attributes,
					[INTEGRATION_ATTRIBUTE]: { ...record, settings: { ...record.settings, reopen_conversation: reopen, conversation_pending: pending } },
				},
			});
			await pause(31_000); // the settings cache of the Sync node
			const jid = `55119999901${String(index).padStart(2, '0')}@s.whatsapp.net`;

			// Customer first: a new conversation per `conversation_pending`; an agent's resolve afterwards stands.
			const first = await write(jid, 'Oi');
			expect(first).toMatchObject({ conversationCreated: true });
			expect(conversationsOf(jid).map((row) => row.status)).toEqual([pending ? 'pending' : 'open']);
			w.sb.resolveConversation(first.conversationId);
			await pause(1_000);

			// Agent resolved 1 s before.
			const back = await write(jid, 'Voltei');
			const afterResolve = conversationsOf(jid);
			if (resolvedGoes === 'same') {
				expect(back).toMatchObject({ conversationId: first.conversationId, conversationReopened: true, conversationCreated: false });
				expect(afterResolve.map((row) => row.status)).toEqual([status]);
			} else {
				expect(back).toMatchObject({ conversationReopened: false, conversationCreated: true });
				expect(back.conversationId).not.toBe(first.conversationId);
				expect(afterResolve.map((row) => row.status)).toEqual(['resolved', status]);
			}

			// Agent snoozed 1 s before: the message goes into it (Chatwoot opens it).
			w.sb.setConversationStatus(back.conversationId, 'snoozed', { snoozedUntil: now() + 3600 });
			await pause(1_000);
			const snoozed = await write(jid, 'Ainda aí?');
			expect(snoozed).toMatchObject({ conversationId: back.conversationId, conversationReopened: false });
			expect(conversationsOf(jid).find((row) => row.display_id === back.conversationId)?.status).toBe('open');

			// Agent set pending 1 s before: the message goes into it, still pending.
			w.sb.setConversationStatus(back.conversationId, 'pending');
			await pause(1_000);
			const waiting = await write(jid, 'Alguém?');
			expect(waiting).toMatchObject({ conversationId: back.conversationId, conversationReopened: false });
			expect(conversationsOf(jid).find((row) => row.display_id === back.conversationId)?.status).toBe('pending');
		}, 120_000);
	});
});
