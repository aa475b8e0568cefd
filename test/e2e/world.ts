/**
 * Everything the e2e suite runs against, booted once: the sandbox Chatwoot and a fake gateway in this process, and a
 * real n8n (2.8.4 unless N8N_CHATWOOT_BRIDGE_N8N_VERSION says otherwise; its own process group) with the built package and the example workflows, pointed at both.
 *
 * Integration setup: the instances' integration records are seeded straight into the sandbox inboxes'
 * additional_attributes, in the exact shape the Integration node stores. That costs nothing at boot, whereas a
 * `n8n execute` run per instance costs about 2.5 s each; the Integration node has its own tests.
 */
import * as fs from 'fs';
import * as path from 'path';

import { INTEGRATION_ATTRIBUTE, parseIntegrationSettings, type IntegrationSettingsInput } from '../../nodes/shared/bridge/integration/config';
import {
	ensureN8nRuntime,
	freePort,
	importCredentials,
	importWorkflows,
	installExtraPackages,
	installPackage,
	N8N_VERSION,
	onShutdown,
	publishWorkflows,
	REPO_ROOT,
	startN8n,
	type N8nHome,
	type RunningN8n,
} from '../../scripts/n8n-home';
import { startSandbox, type InboxRecord, type Sandbox } from '../sandbox';
import {
	CLOUD_ACCESS_TOKEN,
	EVOLUTION_API_KEY,
	GRAPH_VERSION_PATH,
	startFakeGateway,
	WAHA_API_KEY,
	type FakeGateway,
} from './fakeGateway';
import { CLOUD_APP_SECRET, EVOLUTION_WEBHOOK_SECRET, WAHA_HMAC_KEY } from './helpers';
import { gatewayHistory } from './gatewayHistory';
import { languageImportWorkflow } from './languageImport';
import { N8nApi } from './n8nApi';

export const INSTANCES = { evolution: 'vendas', waha: 'default', cloud: '106540352242922' } as const;

/** Workflows the suite activates (published before boot): examples as shipped, plus two test-only inbound paths. */
export const WF = {
	evolutionIn: 'cwbEvolutionInbound',
	evolutionOut: 'cwbEvolutionOutbound',
	wahaIn: 'cwbWahaInbound',
	wahaOut: 'cwbWahaOutbound',
	cloudOut: 'cwbCloudOutbound',
	cloudTriggerItems: 'e2eCloudTriggerItems',
	cloudSigned: 'e2eCloudSigned',
	autoDetect: 'e2eAutoDetect',
} as const;

/** The Integration node's example, run by hand (`n8n execute`); not in WF because it is never activated. */
export const SETUP_WORKFLOW = 'cwbSetupIntegration';

/** The history import examples, run by hand (`n8n execute`) against the fake gateway's history; never activated. */
export const IMPORT_WORKFLOWS = { evolution: 'cwbEvolutionImport', waha: 'cwbWahaImport' } as const;

/**
 * Records a page the suite has the Evolution import example ask `findMessages` for (the example asks 500), so the
 * six messages of the fake history take two pages and the example's pagination is exercised.
 */
export const EVOLUTION_PAGE_SIZE = 4;

type Workflow = { id: string; name: string; nodes: Array<Record<string, any>>; connections: Record<string, any>; [key: string]: unknown };

export function example(file: string): Workflow {
	return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8'));
}

const INTEGRATION_NODE = 'n8n-nodes-chatwoot-bridge.chatwootBridgeIntegration';

/**
 * The examples point at `localhost` gateways and placeholder instances: aim them at the fake gateway and our inboxes.
 * The import examples also name their instance in the gateway's paths (`/chat/findMessages/my-instance`,
 * `/api/default/chats`) and on their Import node: both get `instance`.
 */
export function adapt(workflow: Workflow, gatewayUrl: string, instance: string): Workflow {
	const importNode = workflow.nodes.find((node) => node.type === INTEGRATION_NODE && node.parameters?.operation === 'import');
	const placeholder = importNode ? String(importNode.parameters.instance) : undefined;
	const withInstance = (url: string) => url.split('/').map((part) => (part === placeholder ? instance : part)).join('/');
	for (const node of workflow.nodes) {
		if (typeof node.parameters?.url === 'string') {
			node.parameters.url = withInstance(node.parameters.url.replace(/http:\/\/localhost:(8080|3000)/, gatewayUrl));
		}
		if (node.type === 'n8n-nodes-chatwoot-bridge.chatwootBridgeTrigger') node.parameters.inbox.value = instance;
	}
	if (importNode) importNode.parameters.instance = instance;
	return workflow;
}

/**
 * An import example as the suite runs it: adapted, with the value a user types in by hand set for the fakes —
 * (Evolution) a smaller findMessages page. WAHA's API key is in the gateway credential.
 */
function importExample(file: string, gatewayUrl: string, instance: string): Workflow {
	const workflow = adapt(example(file), gatewayUrl, instance);
	const node = (name: string) => {
		const found = workflow.nodes.find((candidate) => candidate.name === name);
		if (!found) throw new Error(`${file}: no node "${name}"`);
		return found;
	};
	const importNode = node('Import into Chatwoot');
	if (importNode.parameters.gateway === 'evolution') {
		const findMessages = node('Find Messages');
		const body = String(findMessages.parameters.jsonBody);
		if (!/offset: 500\b/.test(body)) throw new Error(`${file}: Find Messages no longer asks 500 records a page: update importExample`);
		findMessages.parameters.jsonBody = body.replace(/offset: 500\b/, `offset: ${EVOLUTION_PAGE_SIZE}`);
	}
	return workflow;
}

/** A Webhook node in place of n8n's WhatsApp Trigger (which needs a Meta app) to feed its item shape to the example. */
function withWebhookInstead(workflow: Workflow, id: string, webhookPath: string): Workflow {
	const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.whatsAppTrigger')!;
	Object.assign(trigger, {
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		parameters: { httpMethod: 'POST', path: webhookPath, options: {} },
	});
	delete trigger.credentials;
	const sync = workflow.nodes.find((node) => node.name === 'Sync WhatsApp Message')!;
	sync.parameters.whatsappEvent = '={{ $json.body }}';
	return { ...workflow, id, name: `e2e: ${workflow.name} (webhook)` };
}

/**
 * The WhatsApp Cloud API received by a plain Webhook node (Raw Body on), so the Sync node checks Meta's
 * X-Hub-Signature-256 itself with the app secret of its gateway credential, and resolves media ids on the fake Graph API.
 */
function cloudSignedWorkflow(): Workflow {
	const workflow = example('whatsapp-cloud-to-chatwoot.json');
	const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.whatsAppTrigger')!;
	Object.assign(trigger, {
		name: 'Cloud Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: '4b0e7a52-3c51-4f0e-9d7e-e2e000000002',
		parameters: { httpMethod: 'POST', path: 'e2e-cloud-signed', options: { rawBody: true } },
	});
	delete trigger.credentials;
	workflow.connections = { 'Cloud Webhook': workflow.connections['WhatsApp Trigger'] };
	const sync = workflow.nodes.find((node) => node.name === 'Sync WhatsApp Message')!;
	Object.assign(sync.parameters, {
		whatsappEvent: '={{ $json.body }}',
		gateway: 'cloud',
		webhookHeaders: '={{ $json.headers }}',
		rawBodyProperty: 'data',
	});
	sync.credentials.chatwootBridgeWhatsAppCloudApi = { id: 'e2eCloudSignedGateway', name: 'WhatsApp Cloud API (signed)' };
	return { ...workflow, id: WF.cloudSigned, name: 'e2e: WhatsApp Cloud API webhook (signed) → Chatwoot' };
}

/** The Evolution inbound example with gateway detection on, so one webhook takes every gateway's payloads. */
export function autoDetectWorkflow(): Workflow {
	const workflow = example('evolution-to-chatwoot.json');
	const sync = workflow.nodes.find((node) => node.name === 'Sync WhatsApp Message')!;
	sync.parameters.gateway = 'auto';
	const webhook = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.webhook')!;
	webhook.parameters.path = 'e2e-auto';
	webhook.webhookId = '4b0e7a52-3c51-4f0e-9d7e-e2e000000001';
	return { ...workflow, id: WF.autoDetect, name: 'e2e: any gateway → Chatwoot (auto-detect)' };
}

/**
 * The gateway credentials the inbound examples reference (by id). `webhookSecrets`: with the secrets the suite signs
 * with (helpers.ts `post`); without, webhooks are not checked (for suites that post unsigned events).
 */
export function gatewayCredentials(gatewayUrl = 'http://127.0.0.1:9', webhookSecrets = false) {
	return [
		{
			id: 'cwbEvolutionGateway',
			name: 'Evolution API (gateway)',
			type: 'chatwootBridgeEvolutionApi',
			data: {
				baseUrl: gatewayUrl,
				apiKey: EVOLUTION_API_KEY,
				webhookSecret: webhookSecrets ? EVOLUTION_WEBHOOK_SECRET : '',
				webhookHeaderName: 'x-bridge-secret',
				allowPrivateHost: true,
			},
		},
		{
			id: 'cwbWahaGateway',
			name: 'WAHA (gateway)',
			type: 'chatwootBridgeWahaApi',
			data: { baseUrl: gatewayUrl, apiKey: WAHA_API_KEY, webhookSecret: webhookSecrets ? WAHA_HMAC_KEY : '', allowPrivateHost: true },
		},
		{
			id: 'cwbCloudGateway',
			name: 'WhatsApp Cloud API (gateway)',
			type: 'chatwootBridgeWhatsAppCloudApi',
			data: { accessToken: CLOUD_ACCESS_TOKEN, appSecret: '', baseUrl: `${gatewayUrl}${GRAPH_VERSION_PATH}`, allowPrivateHost: true },
		},
		{
			id: 'e2eCloudSignedGateway',
			name: 'WhatsApp Cloud API (signed)',
			type: 'chatwootBridgeWhatsAppCloudApi',
			data: { accessToken: CLOUD_ACCESS_TOKEN, appSecret: CLOUD_APP_SECRET, baseUrl: `${gatewayUrl}${GRAPH_VERSION_PATH}`, allowPrivateHost: true },
		},
	];
}

/** The credentials the example workflows reference (by id), pointed at the sandbox and the fake gateway. */
export function exampleCredentials(sb: Sandbox, gatewayUrl?: string, webhookSecrets = false) {
	return [
		...gatewayCredentials(gatewayUrl, webhookSecrets),
		{
			id: 'cwbChatwootApi',
			name: 'Chatwoot Bridge API',
			type: 'chatwootBridgeApi',
			data: { baseUrl: sb.baseUrl, accountId: sb.accountId, apiAccessToken: sb.tokens.admin, headerName: 'api_access_token' },
		},
		{ id: 'cwbEvolutionApiKey', name: 'Evolution API key', type: 'httpHeaderAuth', data: { name: 'apikey', value: EVOLUTION_API_KEY } },
	];
}

/** The history import flags the import examples need (off by default, as in the integration docs). */
export const IMPORT_FLAGS_ON = { import_contacts: true, import_messages: true };

export function integrationRecord(instance: string, settings: Partial<IntegrationSettingsInput> = {}) {
	return {
		version: 1,
		instance,
		integration_id: `e2e-${instance}`,
		created_at: '2026-01-01T00:00:00.000Z',
		updated_at: '2026-01-01T00:00:00.000Z',
		settings: parseIntegrationSettings({ name_inbox: `WhatsApp ${instance}`, ...settings }),
	};
}

export interface World {
	sb: Sandbox;
	gateway: FakeGateway;
	n8n: RunningN8n;
	api: N8nApi;
	home: N8nHome;
	inboxes: Record<keyof typeof INSTANCES, InboxRecord>;
	/** Production URL of a workflow's webhook-like node (Webhook node: `/webhook/<path>`; others add the webhookId). */
	webhookUrl(workflowId: string): string;
	timings: Record<string, number>;
	/** Stops n8n and starts it again on the same user folder (process memory gone, database kept). */
	restart(): Promise<void>;
	close(): Promise<void>;
}

export interface WorldOptions {
	/** Default `.e2e/home` (wiped first). */
	userFolder?: string;
	/** n8n's port; default a free one. */
	port?: number;
	/** The sandbox Chatwoot's port; default a free one. */
	sandboxPort?: number;
	/** Print n8n's output (the demo does). */
	echo?: boolean;
	/** Other community packages (npm specs) to load next to ours, e.g. COEXISTING_PACKAGE. */
	extraPackages?: string[];
	/** Default n8nVersionUnderTest(). */
	n8nVersion?: string;
	/** The package to install (a folder with package.json and dist/); default the repository's build. */
	packageRoot?: string;
	/** Publish the WF workflows and wait for their webhooks (default true); the browser suite needs none active. */
	activateWorkflows?: boolean;
}

/** `N8N_CHATWOOT_BRIDGE_N8N_VERSION` (`npm run test:e2e:next` sets the newer line), else 2.8.4. */
export function n8nVersionUnderTest(): string {
	return process.env.N8N_CHATWOOT_BRIDGE_N8N_VERSION || N8N_VERSION;
}

/** The other Chatwoot community package users may already have installed; the suite loads it next to ours. */
export const COEXISTING_PACKAGE = '@devlikeapro/n8n-nodes-chatwoot@1.0.2';

export async function startWorld(options: WorldOptions = {}): Promise<World> {
	const timings: Record<string, number> = {};
	const time = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
		const started = Date.now();
		try {
			return await work();
		} finally {
			timings[label] = Date.now() - started;
		}
	};
	const log = (line: string) => process.stderr.write(`[world] ${line}\n`);
	const runtime = await time('ensureN8n', () => ensureN8nRuntime({ version: options.n8nVersion ?? n8nVersionUnderTest(), log }));

	const sb = await startSandbox({ port: options.sandboxPort });
	const gateway = await startFakeGateway({ history: gatewayHistory(Math.floor(Date.now() / 1000), INSTANCES) });
	const closers: Array<() => Promise<void>> = [() => sb.close(), () => gateway.close()];
	const close = async () => {
		for (const closer of closers.reverse()) await closer().catch(() => undefined);
	};
	const unregister = onShutdown(close);
	try {
		const inboxes = {
			evolution: sb.createInbox({
				name: 'WhatsApp Vendas',
				additionalAttributes: {
					[INTEGRATION_ATTRIBUTE]: integrationRecord(INSTANCES.evolution, { sign_msg: true, ...IMPORT_FLAGS_ON }),
				},
			}),
			waha: sb.createInbox({
				name: 'WhatsApp WAHA',
				additionalAttributes: { [INTEGRATION_ATTRIBUTE]: integrationRecord(INSTANCES.waha, IMPORT_FLAGS_ON) },
			}),
			cloud: sb.createInbox({
				name: 'WhatsApp Cloud',
				additionalAttributes: { [INTEGRATION_ATTRIBUTE]: integrationRecord(INSTANCES.cloud) },
			}),
		};

		const port = options.port ?? (await freePort());
		const home: N8nHome = {
			n8nDir: runtime.n8nDir,
			nodeBin: runtime.nodeBin,
			userFolder: options.userFolder ?? path.join(REPO_ROOT, '.e2e', 'home'),
			port,
			brokerPort: await freePort(),
			encryptionKey: 'chatwoot-bridge-e2e-encryption-key',
			log,
		};
		fs.rmSync(home.userFolder, { recursive: true, force: true });
		installPackage(home.userFolder, { log, packageRoot: options.packageRoot });
		await time('extraPackages', () => installExtraPackages(home.userFolder, options.extraPackages ?? [], { log }));

		const workflows = [
			example('evolution-to-chatwoot.json'),
			example('waha-to-chatwoot.json'),
			adapt(example('chatwoot-to-evolution.json'), gateway.baseUrl, INSTANCES.evolution),
			adapt(example('chatwoot-to-waha.json'), gateway.baseUrl, INSTANCES.waha),
			adapt(example('chatwoot-to-whatsapp-cloud.json'), gateway.baseUrl, INSTANCES.cloud),
			withWebhookInstead(example('whatsapp-cloud-to-chatwoot.json'), WF.cloudTriggerItems, 'e2e-cloud-trigger-items'),
			cloudSignedWorkflow(),
			autoDetectWorkflow(),
			example('setup-integration.json'), // run with `n8n execute`, never active
			importExample('import-evolution.json', gateway.baseUrl, INSTANCES.evolution), // the same
			importExample('import-waha.json', gateway.baseUrl, INSTANCES.waha), // the same
			languageImportWorkflow(), // the same
		];
		await time('importCredentials', () =>
			importCredentials(home, [
				...exampleCredentials(sb, gateway.baseUrl, true),
				{ id: 'cwbWahaApiKey', name: 'WAHA API key', type: 'httpHeaderAuth', data: { name: 'X-Api-Key', value: WAHA_API_KEY } },
				// Only so the Cloud example activates without credential issues; the suite never sends through Meta.
				{ id: 'cwbWhatsAppApi', name: 'WhatsApp account', type: 'whatsAppApi', data: { accessToken: 'e2e-unused', businessAccountId: '0' } },
			]),
		);
		await time('importWorkflows', () => importWorkflows(home, workflows));
		const active: string[] = options.activateWorkflows === false ? [] : Object.values(WF);
		if (active.length) await time('publishWorkflows', () => publishWorkflows(home, active));

		const byId = new Map(workflows.map((workflow) => [workflow.id, workflow]));
		const baseUrl = `http://127.0.0.1:${home.port}`;
		const webhookUrl = (workflowId: string): string => {
			const node = byId.get(workflowId)?.nodes.find((candidate) => candidate.webhookId);
			if (!node) throw new Error(`workflow ${workflowId} has no webhook node`);
			return node.type === 'n8n-nodes-base.webhook'
				? `${baseUrl}/webhook/${node.parameters.path}`
				: `${baseUrl}/webhook/${node.webhookId}/webhook`;
		};
		const webhookUrls = Object.fromEntries(active.map((id) => [id, webhookUrl(id)]));
		const boot = () => startN8n(home, { activeWorkflowIds: active, webhookUrls, echo: options.echo });
		let n8n = await time('boot', boot);
		closers.push(() => n8n.stop());
		const api = new N8nApi(n8n.baseUrl);
		await time('ownerSetup', () => api.setupOwner());
		const world: World = {
			sb,
			gateway,
			n8n,
			api,
			home,
			inboxes,
			webhookUrl,
			timings,
			restart: async () => {
				await n8n.stop();
				n8n = await boot();
				world.n8n = n8n;
			},
			close: async () => {
				unregister();
				await close();
			},
		};
		return world;
	} catch (error) {
		unregister();
		await close();
		throw error;
	}
}
