/**
 * Queue mode in a real n8n (docs/n8n-runtime.md, Queue mode): a throw-away redis-server, `n8n start` with
 * EXECUTIONS_MODE=queue (it takes the webhooks and queues executions) and two `n8n worker --concurrency=10` processes
 * that run them, all on one throw-away PostgreSQL (what n8n supports for scaling mode; on SQLite the three processes
 * contend for one file's write lock, which is n8n's problem, not the nodes': they keep no state in n8n's database). The
 * workers share only Chatwoot (the sandbox, with 15 ms latency per request so creates overlap).
 *
 * Proves: 50 concurrent first messages of one new contact, spread over both workers, end as one contact, one contact
 * inbox, one unresolved conversation and 50 live messages. Measures (and bounds by the README's documented limit)
 * what happens when the same event is delivered three times at once.
 *
 * Needs redis-server and the PostgreSQL server (Debian packages; `.ci/run` installs them). Without them the suite is
 * skipped locally and fails under CI=true. Every process is stopped in afterAll, also after a failure.
 */
import * as fs from 'fs';
import * as path from 'path';

import {
	ensureN8nRuntime,
	findPostgresBin,
	findRedisServer,
	freePort,
	importCredentials,
	importWorkflows,
	installPackage,
	onShutdown,
	publishWorkflows,
	REPO_ROOT,
	startN8n,
	startPostgres,
	startRedis,
	startWorker,
	type N8nHome,
	type RunningN8n,
	type RunningPostgres,
	type RunningRedis,
} from '../../scripts/n8n-home';
import { INTEGRATION_ATTRIBUTE } from '../../nodes/shared/bridge/integration/config';
import { startSandbox, type InboxRecord, type Sandbox } from '../sandbox';
import { fixture, post } from './helpers';
import { failureOf, N8nApi, nodeOutput, type Execution } from './n8nApi';
import { startFakeGateway, type FakeGateway } from './fakeGateway';
import { adapt, autoDetectWorkflow, example, exampleCredentials, INSTANCES, integrationRecord, n8nVersionUnderTest, WF } from './world';

const WORKERS = 2;
const CONCURRENT_FIRST_MESSAGES = 50;
const DUPLICATE_ROUNDS = 5;
const COPIES = 3;

const missing = [findRedisServer() ? '' : 'redis-server', findPostgresBin() ? '' : 'postgresql'].filter(Boolean);
if (missing.length && process.env.CI === 'true') {
	throw new Error(`${missing.join(' and ')} missing; CI must run the queue-mode suite (apt-get install -y --no-install-recommends ${missing.join(' ')})`);
}
const describeQueue = missing.length ? describe.skip : describe;
if (missing.length) process.stderr.write(`[queue] ${missing.join(' and ')} not installed: queue-mode suite skipped (it fails under CI=true)\n`);

/** Webhook → Chatwoot Bridge Integration (List): what an operator's status check runs, here on either worker. */
const LIST_WORKFLOW = 'e2eQueueList';
const LIST_PATH = 'e2e-queue-list';

function listWorkflow() {
	return {
		id: LIST_WORKFLOW,
		name: 'e2e: integration status',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: { Webhook: { main: [[{ node: 'List', type: 'main', index: 0 }]] } },
		nodes: [
			{
				id: 'a1d3c7e0-0000-4000-8000-00000000e2e1',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'a1d3c7e0-0000-4000-8000-00000000e2e2',
				parameters: { httpMethod: 'POST', path: LIST_PATH, responseMode: 'lastNode', options: {} },
			},
			{
				id: 'a1d3c7e0-0000-4000-8000-00000000e2e3',
				name: 'List',
				type: 'n8n-nodes-chatwoot-bridge.chatwootBridgeIntegration',
				typeVersion: 1,
				position: [220, 0],
				parameters: { operation: 'list', instance: INSTANCES.evolution },
				credentials: { chatwootBridgeApi: { id: 'cwbChatwootApi', name: 'Chatwoot Bridge API' } },
			},
		],
	};
}

interface QueueWorld {
	sb: Sandbox;
	inbox: InboxRecord;
	wahaInbox: InboxRecord;
	cloudInbox: InboxRecord;
	gateway: FakeGateway;
	urls: { evolution: string; waha: string; list: string; auto: string };
	redis: RunningRedis;
	postgres: RunningPostgres;
	main: RunningN8n;
	workers: RunningN8n[];
	api: N8nApi;
	url: string;
}

let q: QueueWorld | undefined;
const stops: Array<() => Promise<void>> = [];
const timings: Record<string, number> = {};

async function stopAll(): Promise<void> {
	// Main first (it stops queueing), then the workers, then redis and the sandbox.
	for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
	const started = Date.now();
	try {
		return await work();
	} finally {
		timings[label] = Date.now() - started;
	}
}

beforeAll(async () => {
	if (missing.length) return;
	const unregister = onShutdown(stopAll);
	stops.push(async () => unregister());
	const log = (line: string) => process.stderr.write(`[queue] ${line}\n`);
	const runtime = await timed('ensureN8n', () => ensureN8nRuntime({ version: n8nVersionUnderTest(), log }));

	const sb = await startSandbox({ latencyMs: 15 });
	stops.push(() => sb.close());
	const inbox = sb.createInbox({
		name: 'WhatsApp Vendas',
		additionalAttributes: { [INTEGRATION_ATTRIBUTE]: integrationRecord(INSTANCES.evolution) },
	});
	const wahaInbox = sb.createInbox({
		name: 'WhatsApp WAHA',
		additionalAttributes: { [INTEGRATION_ATTRIBUTE]: integrationRecord(INSTANCES.waha) },
	});
	const cloudInbox = sb.createInbox({
		name: 'WhatsApp Cloud',
		additionalAttributes: { [INTEGRATION_ATTRIBUTE]: integrationRecord(INSTANCES.cloud) },
	});
	const gateway = await startFakeGateway();
	stops.push(() => gateway.close());
	const redis = await timed('redis', () => startRedis());
	stops.push(() => redis.stop());
	const postgres = await timed('postgres', () => startPostgres());
	stops.push(() => postgres.stop());

	const home: N8nHome = {
		n8nDir: runtime.n8nDir,
		nodeBin: runtime.nodeBin,
		userFolder: path.join(REPO_ROOT, '.e2e', 'queue-home'),
		port: await freePort(),
		brokerPort: await freePort(),
		encryptionKey: 'chatwoot-bridge-e2e-encryption-key',
		env: { EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(redis.port), ...postgres.n8nEnv },
		log,
	};
	fs.rmSync(home.userFolder, { recursive: true, force: true });
	installPackage(home.userFolder, { log });
	await timed('import', async () => {
		await importCredentials(home, [
			...exampleCredentials(sb, gateway.baseUrl),
			// Only so the Cloud example activates; this suite sends nothing through Meta.
			{ id: 'cwbWhatsAppApi', name: 'WhatsApp account', type: 'whatsAppApi', data: { accessToken: 'e2e-unused', businessAccountId: '0' } },
		]);
		// The Chatwoot Bridge Trigger runs on main, where n8n receives webhooks; its executions (send, report) on workers.
		// One trigger per inbox whose duplicates the suite checks: the trigger is what removes a second copy.
		const outbound = [
			adapt(example('chatwoot-to-evolution.json'), gateway.baseUrl, INSTANCES.evolution),
			adapt(example('chatwoot-to-whatsapp-cloud.json'), gateway.baseUrl, INSTANCES.cloud),
		];
		const inbound = [example('evolution-to-chatwoot.json'), example('waha-to-chatwoot.json'), autoDetectWorkflow()];
		await importWorkflows(home, [...inbound, ...outbound, listWorkflow() as never]);
		await publishWorkflows(home, [WF.evolutionIn, WF.wahaIn, WF.autoDetect, WF.evolutionOut, WF.cloudOut, LIST_WORKFLOW]);
	});

	const base = `http://127.0.0.1:${home.port}/webhook`;
	const pathOf = (file: string) => example(file).nodes.find((node) => node.type === 'n8n-nodes-base.webhook')!.parameters.path;
	const triggerUrl = (file: string) =>
		`${base}/${example(file).nodes.find((node) => node.name === 'Chatwoot Bridge Trigger')!.webhookId}/webhook`;
	const urls = {
		evolution: `${base}/${pathOf('evolution-to-chatwoot.json')}`,
		waha: `${base}/${pathOf('waha-to-chatwoot.json')}`,
		auto: `${base}/${autoDetectWorkflow().nodes.find((node) => node.type === 'n8n-nodes-base.webhook')!.parameters.path}`,
		list: `${base}/${LIST_PATH}`,
	};
	const webhookUrls = {
		[WF.evolutionIn]: urls.evolution,
		[WF.wahaIn]: urls.waha,
		[WF.autoDetect]: urls.auto,
		[WF.evolutionOut]: triggerUrl('chatwoot-to-evolution.json'),
		[WF.cloudOut]: triggerUrl('chatwoot-to-whatsapp-cloud.json'),
		[LIST_WORKFLOW]: urls.list,
	};
	const url = urls.evolution;
	// Workers and main boot at the same time (2 cores: about 10 s instead of 20).
	const [main, ...workers] = await timed('boot', () =>
		Promise.all([
			startN8n(home, { activeWorkflowIds: Object.keys(webhookUrls), webhookUrls }).then((running) => (stops.push(() => running.stop()), running)),
			...Array.from({ length: WORKERS }, (_, index) =>
				startWorker(home, { concurrency: 10, name: String(index + 1) }).then((running) => (stops.push(() => running.stop()), running)),
			),
		]),
	);
	expect(main.lines.some((line) => /scaling mode|queue/i.test(line))).toBe(true);
	const api = new N8nApi(main.baseUrl);
	await api.setupOwner();
	q = { sb, inbox, wahaInbox, cloudInbox, gateway, urls, redis, postgres, main, workers, api, url };
	process.stderr.write(`[queue] timings (ms): ${JSON.stringify(timings)}\n`);
}, 15 * 60_000);

afterAll(async () => {
	await stopAll();
}, 60_000);

/** Which worker finished each execution id, from the workers' own logs. */
function executionsByWorker(): Map<string, number> {
	const owner = new Map<string, number>();
	q!.workers.forEach((worker, index) => {
		for (const line of worker.lines) {
			const match = /Worker finished execution (\d+)/.exec(line);
			if (match) owner.set(match[1], index + 1);
		}
	});
	return owner;
}

/** Error lines from main's and the workers' logs, for a failure message. */
function errorLogLines(): string[] {
	return [q!.main, ...q!.workers].flatMap((running, index) =>
		running.lines.filter((line) => /error|sqlite|fail/i.test(line)).slice(-10).map((line) => `${index ? `worker ${index}` : 'main'}: ${line.slice(0, 300)}`),
	);
}

/** Waits until the workers' logs and the public API both show `count` finished executions. */
async function settle(count: number, timeoutMs = 120_000, workflowId: string = WF.evolutionIn): Promise<Execution[]> {
	const executions = await q!.api.waitForExecutions(workflowId, count, timeoutMs);
	const deadline = Date.now() + 10_000;
	const logged = () => executions.every((execution) => executionsByWorker().has(String(execution.id)));
	while (!logged() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
	return executions;
}

/** Polls Chatwoot (the sandbox) until `check` holds or the time is up; returns whether it held. */
async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
	return check();
}

async function eventuallyValue<T>(read: () => T | undefined, timeoutMs = 10_000): Promise<T | undefined> {
	const deadline = Date.now() + timeoutMs;
	let value = read();
	while (value === undefined && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 100));
		value = read();
	}
	return value;
}

function wahaEvent(event: 'message' | 'message.any', jid: string, id: string, text: string): unknown {
	const body = fixture('waha/text');
	body.event = event;
	body.payload.id = `false_${jid.replace('@s.whatsapp.net', '@c.us')}_${id}`;
	body.payload.from = jid.replace('@s.whatsapp.net', '@c.us');
	body.payload.body = text;
	body.payload.timestamp = Math.floor(Date.now() / 1000);
	// The GOWS engine's own copy of the message, which the normalizer reads too.
	Object.assign(body.payload._data.Info, { ID: id, Chat: jid, Sender: jid, Timestamp: new Date().toISOString() });
	body.payload._data.Message = { conversation: text };
	return body;
}

function textEvent(jid: string, id: string, text: string): unknown {
	const event = fixture('evolution/text');
	event.data.key = { remoteJid: jid, fromMe: false, id };
	event.data.pushName = 'Bia Fila';
	event.data.message = { conversation: text };
	event.data.messageTimestamp = Math.floor(Date.now() / 1000);
	return event;
}

const JID = '5511977770001@s.whatsapp.net';

describeQueue(`queue mode: main + ${WORKERS} workers + redis, PostgreSQL`, () => {
	it(`${CONCURRENT_FIRST_MESSAGES} concurrent first messages of one new contact: one contact, one conversation, ${CONCURRENT_FIRST_MESSAGES} messages, both workers used`, async () => {
		const { sb, inbox } = q!;
		const ids = Array.from({ length: CONCURRENT_FIRST_MESSAGES }, (_, index) => `QUEUEFIRST${String(index).padStart(4, '0')}`);
		const started = Date.now();
		const answers = await Promise.all(ids.map((id, index) => post(q!.url, textEvent(JID, id, `mensagem ${index + 1}`))));
		expect(answers.map((answer) => answer.status)).toEqual(ids.map(() => 200));
		const executions = await settle(CONCURRENT_FIRST_MESSAGES);
		const elapsed = Date.now() - started;

		// A failure names its node and Chatwoot's answer (or n8n's own error and the processes' log lines), so a red run says why.
		const failures = executions.map(failureOf).filter(Boolean);
		expect(failures.length ? [...failures, ...errorLogLines()] : []).toEqual([]);
		const state = sb.state;
		const contactInboxes = state.contactInboxes.filter((row) => row.inbox_id === inbox.id && row.source_id === JID);
		expect(contactInboxes).toHaveLength(1);
		expect(state.contacts.filter((row) => row.identifier === JID)).toHaveLength(1);
		const conversations = state.conversations.filter((row) => row.contact_inbox_id === contactInboxes[0].id);
		const unresolved = conversations.filter((row) => row.status !== 'resolved');
		expect(unresolved).toHaveLength(1);
		const live = state.messages.filter((row) => row.inbox_id === inbox.id && !row.content_attributes.deleted && row.message_type === 'incoming');
		expect(live.every((row) => row.conversation_id === unresolved[0].id)).toBe(true);
		expect(live.map((row) => row.source_id).sort()).toEqual(ids.map((id) => `WAID:${id}`).sort());

		const byWorker = executionsByWorker();
		const perWorker = q!.workers.map((_, index) => [...byWorker.values()].filter((worker) => worker === index + 1).length);
		expect(perWorker.reduce((sum, count) => sum + count, 0)).toBe(CONCURRENT_FIRST_MESSAGES);
		for (const count of perWorker) expect(count).toBeGreaterThan(0);
		const outcomes = executions.map((execution) => nodeOutput(execution, 'Sync WhatsApp Message')[0]?.status);
		process.stderr.write(
			`[queue] ${CONCURRENT_FIRST_MESSAGES} first messages: ${elapsed} ms until all executions finished; executions per worker ${JSON.stringify(perWorker)}; ` +
				`conversations created ${conversations.length} (unresolved ${unresolved.length}); deleted messages ${state.messages.filter((row) => row.inbox_id === inbox.id && row.content_attributes.deleted).length}; ` +
				`outcomes ${JSON.stringify(count(outcomes))}\n`,
		);
	}, 180_000);

	it(`the same event ${COPIES} times at once, ${DUPLICATE_ROUNDS} rounds, default options: one visible message each time`, async () => {
		const { sb } = q!;
		const before = (await q!.api.executions(WF.evolutionIn)).length;
		const rounds: Array<{ id: string; visible: number; removed: number; workers: number[]; statuses: string[] }> = [];
		const copiesOf = (id: string) => sb.state.messages.filter((row) => row.source_id === `WAID:${id}`);
		for (let round = 0; round < DUPLICATE_ROUNDS; round++) {
			const id = `QUEUEDUP${String(round).padStart(4, '0')}`;
			const event = textEvent(JID, id, `cópia ${round + 1}`);
			const doneBefore = (await q!.api.executions(WF.evolutionIn)).length;
			await Promise.all(Array.from({ length: COPIES }, () => post(q!.url, event)));
			const executions = (await settle(doneBefore + COPIES)).slice(doneBefore);
			// A copy two workers posted at once is removed by the trigger on main once both echoes arrived.
			await eventually(() => copiesOf(id).filter((row) => !row.content_attributes.deleted).length === 1);
			const owner = executionsByWorker();
			rounds.push({
				id,
				visible: copiesOf(id).filter((row) => !row.content_attributes.deleted).length,
				removed: copiesOf(id).filter((row) => row.content_attributes.deleted).length,
				workers: executions.map((execution) => owner.get(String(execution.id)) ?? 0),
				statuses: executions.map((execution) => `${execution.status}:${nodeOutput(execution, 'Sync WhatsApp Message')[0]?.status ?? '-'}`),
			});
		}
		process.stderr.write(`[queue] duplicates (${COPIES} copies at once per round): ${JSON.stringify(rounds)}\n`);
		expect((await q!.api.executions(WF.evolutionIn)).length).toBe(before + DUPLICATE_ROUNDS * COPIES);
		for (const round of rounds) {
			expect(round.visible).toBe(1);
			// Inside one worker the chat is serialized, so a second copy needs a second worker: at most one removed.
			expect(round.removed).toBeLessThanOrEqual(new Set(round.workers).size - 1);
		}
		// Still one conversation for the chat.
		const contactInbox = sb.state.contactInboxes.find((row) => row.source_id === JID)!;
		expect(sb.state.conversations.filter((row) => row.contact_inbox_id === contactInbox.id && row.status !== 'resolved')).toHaveLength(1);
	}, 180_000);

	it(`WAHA subscribed to message and message.any, ${DUPLICATE_ROUNDS} messages: one message each, nothing removed, both workers used`, async () => {
		const { sb, wahaInbox } = q!;
		const jid = '5511977770002@s.whatsapp.net';
		const doneBefore = (await q!.api.executions(WF.wahaIn)).length;
		const ids = Array.from({ length: DUPLICATE_ROUNDS }, (_, round) => `3EB0WAHAPAIR${String(round).padStart(4, '0')}`);
		await Promise.all(
			ids.flatMap((id, round) => [
				post(q!.urls.waha, wahaEvent('message', jid, id, `par ${round + 1}`)),
				post(q!.urls.waha, wahaEvent('message.any', jid, id, `par ${round + 1}`)),
			]),
		);
		const executions = (await settle(doneBefore + 2 * ids.length, 120_000, WF.wahaIn)).slice(doneBefore);
		const failures = executions.map(failureOf).filter(Boolean);
		expect(failures.length ? [...failures, ...errorLogLines()] : []).toEqual([]);
		const owner = executionsByWorker();
		const inInbox = sb.state.messages.filter((row) => row.inbox_id === wahaInbox.id && row.message_type === 'incoming');
		const perId = ids.map((id) => inInbox.filter((row) => row.source_id === `WAID:${id}`));
		process.stderr.write(
			`[queue] WAHA pairs: copies per message ${JSON.stringify(perId.map((rows) => rows.length))}; executions per worker ${JSON.stringify(count(executions.map((execution) => String(owner.get(String(execution.id)) ?? 0))))}\n`,
		);
		for (const rows of perId) {
			expect(rows).toHaveLength(1);
			expect(rows[0].content_attributes.deleted).toBeFalsy();
		}
		expect(new Set(executions.map((execution) => owner.get(String(execution.id)))).size).toBe(WORKERS);
	}, 180_000);

	it(`Cloud API: the same webhook ${COPIES} times at once, ${DUPLICATE_ROUNDS} rounds, default options: one visible message each time`, async () => {
		const { sb } = q!;
		const copiesOf = (id: string) => sb.state.messages.filter((row) => row.source_id === `WAID:${id}`);
		const rounds: Array<{ visible: number; removed: number; workers: number }> = [];
		for (let round = 0; round < DUPLICATE_ROUNDS; round++) {
			const id = `wamid.QUEUECLOUD${String(round).padStart(4, '0')}`;
			const body = fixture('cloud-api/text');
			const message = body.entry[0].changes[0].value.messages[0];
			Object.assign(message, { id, from: '5511977770003', timestamp: String(Math.floor(Date.now() / 1000)) });
			body.entry[0].changes[0].value.contacts[0].wa_id = '5511977770003';
			const doneBefore = (await q!.api.executions(WF.autoDetect)).length;
			await Promise.all(Array.from({ length: COPIES }, () => post(q!.urls.auto, body)));
			const executions = (await settle(doneBefore + COPIES, 120_000, WF.autoDetect)).slice(doneBefore);
			expect(executions.map(failureOf).filter(Boolean)).toEqual([]);
			await eventually(() => copiesOf(id).filter((row) => !row.content_attributes.deleted).length === 1);
			const owner = executionsByWorker();
			rounds.push({
				visible: copiesOf(id).filter((row) => !row.content_attributes.deleted).length,
				removed: copiesOf(id).filter((row) => row.content_attributes.deleted).length,
				workers: new Set(executions.map((execution) => owner.get(String(execution.id)))).size,
			});
		}
		process.stderr.write(`[queue] Cloud API duplicates: ${JSON.stringify(rounds)}\n`);
		for (const round of rounds) {
			expect(round.visible).toBe(1);
			expect(round.removed).toBeLessThanOrEqual(round.workers - 1);
		}
	}, 180_000);

	it('an agent resolved 1 s before, default settings: the message on a worker reopens that conversation', async () => {
		const { sb, inbox } = q!;
		const jid = '5511977770004@s.whatsapp.net';
		const first = q!.api.executions(WF.evolutionIn);
		const doneBefore = (await first).length;
		await post(q!.url, textEvent(jid, 'QUEUERESOLVE0001', 'Oi'));
		const [opened] = (await settle(doneBefore + 1)).slice(doneBefore);
		const conversationId = nodeOutput(opened, 'Sync WhatsApp Message')[0].conversationId;
		sb.resolveConversation(conversationId);
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		await post(q!.url, textEvent(jid, 'QUEUERESOLVE0002', 'Voltei'));
		const [back] = (await settle(doneBefore + 2)).slice(doneBefore + 1);
		const item = nodeOutput(back, 'Sync WhatsApp Message')[0];
		expect(item).toMatchObject({ status: 'created', conversationId });
		// A worker does not receive the inbox's webhooks: it reports what it knows, never a wrong "false".
		expect([true, null]).toContain(item.conversationReopened);
		const contactInbox = sb.state.contactInboxes.find((row) => row.inbox_id === inbox.id && row.source_id === jid)!;
		expect(sb.state.conversations.filter((row) => row.contact_inbox_id === contactInbox.id).map((row) => row.status)).toEqual(['open']);
	}, 180_000);

	it('an agent deletes a reply a worker sent and reported: main emits the revoke with its WhatsApp id, a worker sends it', async () => {
		const { sb, gateway } = q!;
		const contactInbox = sb.state.contactInboxes.find((row) => row.source_id === JID)!;
		const conversation = sb.state.conversations.find((row) => row.contact_inbox_id === contactInbox.id && row.status !== 'resolved')!;
		const before = gateway.requests.length;
		const reply = sb.agentReply(conversation.display_id, { content: 'Pode deixar' });
		const sent = await eventuallyValue(() => gateway.requests.slice(before).find((request) => /sendText/.test(request.path)), 30_000);
		expect(sent).toBeDefined();
		const whatsappId = sent!.response.key.id;
		// Report Send Result (on a worker) marked it sent and kept the id on the contact.
		expect(await eventually(() => sb.state.messages.find((row) => row.id === reply.id)?.status === 'sent', 30_000)).toBe(true);
		const outboundBefore = (await q!.api.executions(WF.evolutionOut)).length;
		sb.deleteMessage(conversation.display_id, reply.id);
		const revoke = await eventuallyValue(() => gateway.requests.slice(before).find((request) => request.method === 'DELETE'), 30_000);
		if (!revoke) {
			// Say why: what the trigger emitted for the deletion, and how its execution ended.
			const runs = (await q!.api.executions(WF.evolutionOut, true)).slice(outboundBefore);
			const seen = runs.map((run) => ({ status: run.status, item: nodeOutput(run, 'Chatwoot Bridge Trigger')[0], failure: failureOf(run) }));
			throw new Error(`no revoke reached the gateway; outbound executions since the delete: ${JSON.stringify(seen)}; contact: ${JSON.stringify(sb.state.contacts.find((c) => c.id === contactInbox.contact_id)?.additional_attributes)}`);
		}
		expect(revoke).toMatchObject({ path: `/chat/deleteMessageForEveryone/${INSTANCES.evolution}`, body: { id: whatsappId, remoteJid: JID, fromMe: true } });
	}, 180_000);

	it('Integration List answers the same on both workers, from Chatwoot alone', async () => {
		const doneBefore = (await q!.api.executions(LIST_WORKFLOW)).length;
		const answers = await Promise.all(Array.from({ length: 8 }, () => post(q!.urls.list, {})));
		expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
		const executions = (await settle(doneBefore + 8, 120_000, LIST_WORKFLOW)).slice(doneBefore);
		const owner = executionsByWorker();
		const byWorker = new Map<number, string>();
		for (const execution of executions) {
			const [status] = nodeOutput(execution, 'List');
			// Everything but the time of the check.
			const rest = { ...(status as Record<string, unknown>), checked_at: undefined };
			byWorker.set(owner.get(String(execution.id)) ?? 0, JSON.stringify(rest));
		}
		expect([...byWorker.keys()].sort()).toEqual(Array.from({ length: WORKERS }, (_, index) => index + 1));
		expect(new Set(byWorker.values()).size).toBe(1);
		expect(JSON.parse([...byWorker.values()][0])).toMatchObject({ instance: INSTANCES.evolution, status: 'active' });
	}, 180_000);

	it('every process started here is still up until the end (none crashed under load)', () => {
		for (const running of [q!.main, ...q!.workers]) expect([running.logFile, running.child.exitCode]).toEqual([running.logFile, null]);
		expect(q!.redis.child.exitCode).toBeNull();
		expect(q!.postgres.child.exitCode).toBeNull();
	});
});

function count(values: Array<string | undefined>): Record<string, number> {
	const result: Record<string, number> = {};
	for (const value of values) result[String(value)] = (result[String(value)] ?? 0) + 1;
	return result;
}
