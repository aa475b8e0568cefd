/**
 * One real n8n 2.8.4 for the benchmark, with three ways from a WhatsApp gateway to the same sandbox Chatwoot
 * side by side, each on its own API inbox:
 * - **ours**: the shipped examples `evolution-to-chatwoot.json` (Sync WhatsApp Message) and `chatwoot-to-evolution.json`
 *   (Chatwoot Bridge Trigger → Send Text → Report Send Result);
 * - **naive**: `bench/workflows/naive-devlikeapro-inbound.json` on `@devlikeapro/n8n-nodes-chatwoot` (loaded from the
 *   n8n nodes folder like a user's community package) and `bench/workflows/naive-outbound.json`;
 * - **floor**: `bench/workflows/floor-http-post.json`, one HTTP Request per message to a conversation that exists.
 * The fake Evolution gateway of the e2e suite receives the agent replies. Built from the same pieces as the e2e world
 * (scripts/n8n-home.ts, test/e2e/*), in a temporary user folder that is removed on close.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { INTEGRATION_ATTRIBUTE } from '../../nodes/shared/bridge/integration/config';
import {
	ensureN8n,
	freePort,
	importCredentials,
	importWorkflows,
	installExtraPackages,
	installPackage,
	N8N_VERSION,
	onShutdown,
	publishWorkflows,
	startN8n,
	type ExtraPackage,
	type N8nHome,
	type RunningN8n,
} from '../../scripts/n8n-home';
import { EVOLUTION_API_KEY, startFakeGateway, type FakeGateway } from '../../test/e2e/fakeGateway';
import { N8nApi } from '../../test/e2e/n8nApi';
import { adapt, COEXISTING_PACKAGE, example, exampleCredentials, integrationRecord } from '../../test/e2e/world';
import { startSandbox, type InboxRecord, type Sandbox } from '../../test/sandbox';
import { progress } from './progress';

export const BENCH_INSTANCE = 'bench';
export const NAIVE_PACKAGE = COEXISTING_PACKAGE;

type Workflow = { id: string; name: string; nodes: Array<Record<string, any>>; connections: Record<string, any>; [key: string]: unknown };

export const WORKFLOWS = {
	oursIn: 'cwbEvolutionInbound',
	oursOut: 'cwbEvolutionOutbound',
	naiveIn: 'benchNaiveInbound',
	naiveOut: 'benchNaiveOutbound',
	floor: 'benchFloorPost',
} as const;

function benchWorkflow(file: string): Workflow {
	return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'workflows', file), 'utf8'));
}

function webhookPath(workflow: Workflow): string {
	const node = workflow.nodes.find((candidate) => candidate.type === 'n8n-nodes-base.webhook');
	if (!node) throw new Error(`${workflow.id} has no Webhook node`);
	return node.parameters.path;
}

/** Sets a parameter on every node of `type` that has it (the naive workflow's hard-coded account and inbox ids). */
function setParameter(workflow: Workflow, type: string, name: string, value: unknown): void {
	for (const node of workflow.nodes) if (node.type === type && name in node.parameters) node.parameters[name] = value;
}

function replaceInUrls(workflow: Workflow, from: string | RegExp, to: string): void {
	for (const node of workflow.nodes) {
		if (typeof node.parameters?.url === 'string') node.parameters.url = node.parameters.url.replace(from, to);
	}
}

export interface BenchWorld {
	sb: Sandbox;
	gateway: FakeGateway;
	n8n: RunningN8n;
	api: N8nApi;
	home: N8nHome;
	inboxes: { ours: InboxRecord; naive: InboxRecord; floor: InboxRecord };
	/** Production webhook URLs of the three inbound workflows. */
	urls: { ours: string; naive: string; floor: string };
	naivePackage: ExtraPackage;
	n8nVersion: string;
	timings: Record<string, number>;
	close(): Promise<void>;
}

export interface BenchWorldOptions {
	/** Extra environment for n8n (e.g. EXECUTIONS_DATA_SAVE_ON_SUCCESS=none), for experiments. */
	n8nEnv?: Record<string, string>;
}

export async function startBenchWorld(options: BenchWorldOptions = {}): Promise<BenchWorld> {
	const timings: Record<string, number> = {};
	const time = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
		const started = Date.now();
		try {
			return await work();
		} finally {
			timings[label] = Date.now() - started;
		}
	};
	const log = (line: string) => progress(`n8n: ${line}`);
	const n8nDir = await time('ensureN8n', () => ensureN8n({ log }));

	const sb = await startSandbox();
	const gateway = await startFakeGateway();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'chatwoot-bridge-bench-'));
	const closers: Array<() => Promise<void>> = [
		async () => fs.rmSync(userFolder, { recursive: true, force: true }),
		() => sb.close(),
		() => gateway.close(),
	];
	const close = async () => {
		for (const closer of closers.reverse()) await closer().catch(() => undefined);
	};
	const unregister = onShutdown(close);
	try {
		const port = await freePort();
		const home: N8nHome = {
			n8nDir,
			userFolder,
			port,
			brokerPort: await freePort(),
			encryptionKey: 'chatwoot-bridge-bench-encryption-key',
			env: options.n8nEnv,
			log,
		};
		const base = `http://127.0.0.1:${port}`;

		const oursIn = example('evolution-to-chatwoot.json');
		const oursOut = example('chatwoot-to-evolution.json');
		const naiveIn = benchWorkflow('naive-devlikeapro-inbound.json');
		const naiveOut = benchWorkflow('naive-outbound.json');
		const floor = benchWorkflow('floor-http-post.json');

		const inboxes = {
			ours: sb.createInbox({
				name: 'WhatsApp Bench',
				additionalAttributes: { [INTEGRATION_ATTRIBUTE]: integrationRecord(BENCH_INSTANCE) },
			}),
			// Chatwoot calls the naive outbound workflow for every event of its inbox, as a builder would set it up.
			naive: sb.createInbox({ name: 'WhatsApp Naive', webhookUrl: `${base}/webhook/${webhookPath(naiveOut)}` }),
			floor: sb.createInbox({ name: 'WhatsApp Floor' }),
		};

		// The shipped outbound example, aimed at the fake gateway and our inbox, as the e2e world does.
		adapt(oursOut, gateway.baseUrl, BENCH_INSTANCE);
		const devlikeapro = '@devlikeapro/n8n-nodes-chatwoot.chatWoot';
		setParameter(naiveIn, devlikeapro, 'account_id', sb.accountId);
		setParameter(naiveIn, devlikeapro, 'inbox_id', inboxes.naive.id);
		const createConversation = naiveIn.nodes.find((node) => node.name === 'Create Conversation')!;
		createConversation.parameters.inbox_id = String(inboxes.naive.id); // a string field in the generated node
		replaceInUrls(naiveOut, /http:\/\/localhost:8080/, gateway.baseUrl);
		replaceInUrls(floor, 'http://chatwoot.invalid', sb.baseUrl);
		replaceInUrls(floor, '/accounts/1/', `/accounts/${sb.accountId}/`);

		installPackage(userFolder, { log });
		const [naivePackage] = await time('extraPackages', () => installExtraPackages(userFolder, [NAIVE_PACKAGE], { log }));
		await time('importCredentials', () =>
			importCredentials(home, [
				...exampleCredentials(sb),
				{ id: 'benchEvolutionApiKey', name: 'Evolution API key', type: 'httpHeaderAuth', data: { name: 'apikey', value: EVOLUTION_API_KEY } },
				{ id: 'benchDevlikeapro', name: 'ChatWoot account', type: 'chatwootApi', data: { url: sb.baseUrl, accessToken: sb.tokens.admin } },
				{
					id: 'benchChatwootHeader',
					name: 'Chatwoot token header',
					type: 'httpHeaderAuth',
					data: { name: 'api_access_token', value: sb.tokens.admin },
				},
			]),
		);
		const workflows = [oursIn, oursOut, naiveIn, naiveOut, floor];
		await time('importWorkflows', () => importWorkflows(home, workflows));
		const active = Object.values(WORKFLOWS);
		await time('publishWorkflows', () => publishWorkflows(home, active));
		const n8n = await time('boot', () => startN8n(home, { activeWorkflowIds: active }));
		closers.push(() => n8n.stop());
		const api = new N8nApi(n8n.baseUrl);
		await time('ownerSetup', () => api.setupOwner());
		return {
			sb,
			gateway,
			n8n,
			api,
			home,
			inboxes,
			urls: {
				ours: `${base}/webhook/${webhookPath(oursIn)}`,
				naive: `${base}/webhook/${webhookPath(naiveIn)}`,
				floor: `${base}/webhook/${webhookPath(floor)}`,
			},
			naivePackage,
			n8nVersion: N8N_VERSION,
			timings,
			close: async () => {
				unregister();
				await close();
			},
		};
	} catch (error) {
		unregister();
		await close();
		throw error;
	}
}
