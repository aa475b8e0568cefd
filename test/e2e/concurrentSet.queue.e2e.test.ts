/**
 * One inbox per instance when first Sets race across n8n processes: queue mode (redis, PostgreSQL, `n8n start` plus
 * two `n8n worker`s, as in queue.e2e.test.ts), a workflow Webhook → Chatwoot Bridge Integration *Set*, and a burst of
 * simultaneous first Sets of one new instance. Executions inside one worker queue on the instance; the two workers
 * race on Chatwoot, and the later creator must give its inbox up, so the agents' sidebar shows one inbox.
 *
 * Needs redis-server and PostgreSQL like the queue-mode suite; skipped without them (fails under CI=true).
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
} from '../../scripts/n8n-home';
import { INTEGRATION_ATTRIBUTE } from '../../nodes/shared/bridge/integration/config';
import { startSandbox, type Sandbox } from '../sandbox';
import { post } from './helpers';
import { failureOf, N8nApi } from './n8nApi';
import { n8nVersionUnderTest } from './world';

const SET_WORKFLOW = 'e2eConcurrentSet';
const SETS = 12;
const INSTANCE = 'fila-set';
const INBOX_NAME = 'WhatsApp Fila';

const missing = [findRedisServer() ? '' : 'redis-server', findPostgresBin() ? '' : 'postgresql'].filter(Boolean);
if (missing.length && process.env.CI === 'true') throw new Error(`${missing.join(' and ')} missing; CI must run the queue-mode suites`);
const describeQueue = missing.length ? describe.skip : describe;

/** Webhook → Set, the instance and inbox name taken from the request body. */
function setWorkflow() {
	return {
		id: SET_WORKFLOW,
		name: 'e2e: concurrent first Sets',
		nodes: [
			{
				id: 'e2e-set-webhook',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '4b0e7a52-3c51-4f0e-9d7e-e2e000000013',
				parameters: { httpMethod: 'POST', path: 'e2e-set', responseMode: 'onReceived', options: {} },
			},
			{
				id: 'e2e-set-node',
				name: 'Set Integration',
				type: 'n8n-nodes-chatwoot-bridge.chatwootBridgeIntegration',
				typeVersion: 1,
				position: [300, 0],
				parameters: {
					operation: 'set',
					instance: '={{ $json.body.instance }}',
					webhookUrl: '',
					inputMode: 'fields',
					name_inbox: '={{ $json.body.name }}',
					additionalFields: { organization: '={{ $json.body.organization }}' },
				},
				credentials: { chatwootBridgeApi: { id: 'cwbChatwootApi', name: 'Chatwoot Bridge API' } },
			},
		],
		connections: { Webhook: { main: [[{ node: 'Set Integration', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

let sb: Sandbox;
let api: N8nApi;
let url: string;
let workers: RunningN8n[] = [];
const stops: Array<() => Promise<void>> = [];

beforeAll(async () => {
	if (missing.length) return;
	const stopAll = async () => {
		for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
	};
	const unregister = onShutdown(stopAll);
	stops.push(async () => unregister());
	const log = (line: string) => process.stderr.write(`[queue-set] ${line}\n`);
	const runtime = await ensureN8nRuntime({ version: n8nVersionUnderTest(), log });
	// Latency per request so the creates of the two workers overlap, as over a real network.
	sb = await startSandbox({ latencyMs: 15 });
	stops.push(() => sb.close());
	const redis = await startRedis();
	stops.push(() => redis.stop());
	const postgres = await startPostgres();
	stops.push(() => postgres.stop());
	const home: N8nHome = {
		n8nDir: runtime.n8nDir,
		nodeBin: runtime.nodeBin,
		userFolder: path.join(REPO_ROOT, '.e2e', 'queue-set-home'),
		port: await freePort(),
		brokerPort: await freePort(),
		encryptionKey: 'chatwoot-bridge-e2e-encryption-key',
		env: { EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(redis.port), ...postgres.n8nEnv },
		log,
	};
	fs.rmSync(home.userFolder, { recursive: true, force: true });
	installPackage(home.userFolder, { log });
	await importCredentials(home, [
		{
			id: 'cwbChatwootApi',
			name: 'Chatwoot Bridge API',
			type: 'chatwootBridgeApi',
			data: { baseUrl: sb.baseUrl, accountId: sb.accountId, apiAccessToken: sb.tokens.admin, headerName: 'api_access_token' },
		},
	]);
	await importWorkflows(home, [setWorkflow()]);
	await publishWorkflows(home, [SET_WORKFLOW]);
	url = `http://127.0.0.1:${home.port}/webhook/e2e-set`;
	const [main, ...started] = await Promise.all([
		startN8n(home, { activeWorkflowIds: [SET_WORKFLOW], webhookUrls: { [SET_WORKFLOW]: url } }).then((running) => (stops.push(() => running.stop()), running)),
		...[1, 2].map((index) => startWorker(home, { concurrency: 10, name: String(index) }).then((running) => (stops.push(() => running.stop()), running))),
	]);
	workers = started;
	api = new N8nApi(main.baseUrl);
	await api.setupOwner();
}, 15 * 60_000);

afterAll(async () => {
	for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
}, 60_000);

describeQueue('queue mode: simultaneous first Sets of one instance on two workers', () => {
	it(`${SETS} Sets at once leave exactly one inbox holding the integration`, async () => {
		const answers = await Promise.all(
			Array.from({ length: SETS }, (_, index) => post(url, { instance: INSTANCE, name: INBOX_NAME, organization: `set ${index + 1}` })),
		);
		expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
		const executions = await api.waitForExecutions(SET_WORKFLOW, SETS, 180_000);
		expect(executions.map(failureOf).filter(Boolean)).toEqual([]);

		// Both workers ran Sets: the race was between processes, not only inside one.
		const byWorker = workers.map((worker) => worker.lines.filter((line) => /Worker finished execution/.test(line)).length);
		expect(byWorker.every((count) => count > 0)).toBe(true);

		await sb.idle(); // Chatwoot deletes inboxes in the background
		const named = sb.state.inboxes.filter((inbox) => inbox.name.startsWith(INBOX_NAME));
		expect(named).toHaveLength(1);
		const record = named[0].additional_attributes[INTEGRATION_ATTRIBUTE] as { instance: string; settings: { organization: string } };
		expect(record.instance).toBe(INSTANCE);
		const creates = sb.requestCounts['POST /api/v1/accounts/:account_id/inboxes'] ?? 0;
		const deletes = sb.requestCounts['DELETE /api/v1/accounts/:account_id/inboxes/:id'] ?? 0;
		process.stderr.write(`[queue-set] ${SETS} Sets on workers ${JSON.stringify(byWorker)}: ${creates} inbox(es) created, ${deletes} given up\n`);
		expect(creates - deletes).toBe(1);
	}, 300_000);
});
