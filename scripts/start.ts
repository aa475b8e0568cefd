/**
 * `npm start`: build the package, install n8n 2.8.4 once (cache outside the repository), load the package into a
 * persistent user folder, import the example workflows on first run, and run n8n at http://127.0.0.1:5678 until
 * Ctrl-C. Environment: N8N_PORT, WEBHOOK_URL and other N8N_* variables are passed to n8n;
 * N8N_CHATWOOT_BRIDGE_HOME moves the user folder (default `.n8n-home/` in the repository, gitignored);
 * CHATWOOT_BASE_URL, CHATWOOT_ACCOUNT_ID, CHATWOOT_API_TOKEN fill the Chatwoot credential on first run;
 * EVOLUTION_BASE_URL, EVOLUTION_API_KEY, EVOLUTION_WEBHOOK_SECRET, WAHA_BASE_URL, WAHA_API_KEY, WAHA_WEBHOOK_HMAC_KEY,
 * WHATSAPP_ACCESS_TOKEN and WHATSAPP_APP_SECRET the gateway credentials (localhost gateways may be private hosts).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import {
	ensureN8n,
	freePort,
	importCredentials,
	importWorkflows,
	installPackage,
	isShuttingDown,
	onShutdown,
	publishWorkflows,
	REPO_ROOT,
	startN8n,
	type N8nHome,
} from './n8n-home';

const log = (line: string) => console.log(`[start] ${line}`);

/** Examples that run as soon as they are imported (a Webhook node needs nothing external to activate). */
const ACTIVE_ON_IMPORT = ['cwbEvolutionInbound', 'cwbWahaInbound'];

/** What a run of this script already imported; the user's later edits and deletions are never overwritten. */
interface Seeded {
	workflows: string[];
	credentials: string[];
}

type Workflow = { id: string; name: string; nodes: Array<Record<string, any>> };

const env = (name: string, fallback = '') => process.env[name] || fallback;

/** The credentials the examples refer to, filled from the environment on first run. */
function seedCredentials() {
	return [
		{
			id: 'cwbChatwootApi',
			name: 'Chatwoot Bridge API',
			type: 'chatwootBridgeApi',
			data: {
				baseUrl: env('CHATWOOT_BASE_URL', 'http://127.0.0.1:3999'),
				accountId: Number(env('CHATWOOT_ACCOUNT_ID', '1')),
				apiAccessToken: env('CHATWOOT_API_TOKEN', 'test-admin-token'),
				headerName: 'api_access_token',
			},
		},
		{
			id: 'cwbEvolutionGateway',
			name: 'Evolution API (gateway)',
			type: 'chatwootBridgeEvolutionApi',
			data: {
				baseUrl: env('EVOLUTION_BASE_URL', 'http://localhost:8080'),
				apiKey: env('EVOLUTION_API_KEY'),
				webhookSecret: env('EVOLUTION_WEBHOOK_SECRET'),
				webhookHeaderName: 'x-bridge-secret',
				allowPrivateHost: true,
			},
		},
		{
			id: 'cwbWahaGateway',
			name: 'WAHA (gateway)',
			type: 'chatwootBridgeWahaApi',
			data: {
				baseUrl: env('WAHA_BASE_URL', 'http://localhost:3000'),
				apiKey: env('WAHA_API_KEY'),
				webhookSecret: env('WAHA_WEBHOOK_HMAC_KEY'),
				allowPrivateHost: true,
			},
		},
		{
			id: 'cwbCloudGateway',
			name: 'WhatsApp Cloud API (gateway)',
			type: 'chatwootBridgeWhatsAppCloudApi',
			data: { accessToken: env('WHATSAPP_ACCESS_TOKEN'), appSecret: env('WHATSAPP_APP_SECRET'), baseUrl: 'https://graph.facebook.com/v21.0' },
		},
	];
}

function readJson<T>(file: string, fallback: T): T {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
	} catch {
		return fallback;
	}
}

function passThroughEnv(): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (value !== undefined && (key === 'WEBHOOK_URL' || key.startsWith('N8N_')) && key !== 'N8N_USER_FOLDER') env[key] = value;
	}
	return env;
}

function webhookUrlOf(base: string, workflow: Workflow): string | undefined {
	const node = workflow.nodes.find((candidate) => candidate.webhookId);
	if (!node) return undefined;
	const root = base.replace(/\/$/, '');
	return node.type === 'n8n-nodes-base.webhook'
		? `${root}/webhook/${node.parameters.path}`
		: `${root}/webhook/${node.webhookId}/webhook`;
}

async function main(): Promise<void> {
	log('building the package (npm run build)');
	const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
	if (build.status !== 0) throw new Error('npm run build failed');

	const n8nDir = await ensureN8n({ log });
	const userFolder = path.resolve(process.env.N8N_CHATWOOT_BRIDGE_HOME || path.join(REPO_ROOT, '.n8n-home'));
	const extraEnv = passThroughEnv();
	const port = Number(extraEnv.N8N_PORT ?? 5678);
	const home: N8nHome = {
		n8nDir,
		userFolder,
		port,
		brokerPort: Number(extraEnv.N8N_RUNNERS_BROKER_PORT ?? (await freePort())),
		webhookUrl: extraEnv.WEBHOOK_URL,
		env: extraEnv,
		log,
	};
	installPackage(userFolder, { log });

	const examplesDir = path.join(REPO_ROOT, 'examples');
	const examples: Workflow[] = fs
		.readdirSync(examplesDir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => readJson<Workflow>(path.join(examplesDir, file), { id: '', name: file, nodes: [] }));
	const seededFile = path.join(userFolder, 'chatwoot-bridge-seeded.json');
	const seeded = readJson<Seeded>(seededFile, { workflows: [], credentials: [] });

	// The examples refer to these ids. Without CHATWOOT_* the Chatwoot credential points at the sandbox
	// (`npm run sandbox`); the gateway credentials take their keys and webhook secrets from the environment.
	const credentials = seedCredentials().filter((credential) => !seeded.credentials.includes(credential.id));
	if (credentials.length) {
		await importCredentials(home, credentials);
		seeded.credentials.push(...credentials.map((credential) => credential.id));
		fs.writeFileSync(seededFile, JSON.stringify(seeded, null, 2));
		for (const credential of credentials.filter((candidate) => 'webhookSecret' in candidate.data && !candidate.data.webhookSecret)) {
			log(`${credential.name}: no webhook secret set, so its webhooks are not authenticated (docs/security.md)`);
		}
	}
	const fresh = examples.filter((workflow) => !seeded.workflows.includes(workflow.id));
	if (fresh.length) {
		log(`importing ${fresh.length} example workflow(s): ${fresh.map((workflow) => workflow.name).join(', ')}`);
		await importWorkflows(home, fresh);
		await publishWorkflows(home, fresh.map((workflow) => workflow.id).filter((id) => ACTIVE_ON_IMPORT.includes(id)));
		seeded.workflows.push(...fresh.map((workflow) => workflow.id));
		fs.writeFileSync(seededFile, JSON.stringify(seeded, null, 2));
	}

	const n8n = await startN8n(home, { echo: process.env.N8N_CHATWOOT_BRIDGE_QUIET !== '1', timeoutMs: 120_000 });
	onShutdown(() => n8n.stop());
	const base = extraEnv.WEBHOOK_URL ?? `http://127.0.0.1:${port}/`;
	const active = new Set(examples.filter((workflow) => n8n.lines.some((line) => line.includes(`Activated workflow "${workflow.name}"`))).map((workflow) => workflow.id));
	const rows = examples.map((workflow) => {
		const url = webhookUrlOf(base, workflow);
		const where = url ? `POST ${url}` : 'run it by hand (Execute workflow) to create an instance\'s inbox';
		return `  ${active.has(workflow.id) ? '● active  ' : '○ inactive'}  ${workflow.name.padEnd(34)} ${where}`;
	});
	const creds = process.env.CHATWOOT_BASE_URL ? process.env.CHATWOOT_BASE_URL : 'the sandbox Chatwoot (npm run sandbox, port 3999)';
	console.log(
		[
			'',
			`n8n 2.8.4 with n8n-nodes-chatwoot-bridge is running: http://127.0.0.1:${port}`,
			'',
			'Next:',
			'  1. Open it and create the owner account (first run only).',
			`  2. Credentials → "Chatwoot Bridge API": it points at ${creds}; change it to your Chatwoot`,
			'     (base URL, account id, an administrator\'s API access token) and press Test.',
			'  3. Example workflows (inactive ones need a gateway address, an API-key credential and an inbox first):',
			...rows,
			'     The Chatwoot → … workflows register their own URL on the inbox when you activate them.',
			'     Chatwoot and the gateways must reach these URLs: set WEBHOOK_URL (and N8N_LISTEN_ADDRESS=0.0.0.0) if they',
			'     run elsewhere, e.g. in Docker.',
			'',
			`User folder ${userFolder} (SQLite), n8n log ${n8n.logFile}. Ctrl-C stops n8n.`,
			'',
		].join('\n'),
	);
	await new Promise<void>((resolve) => n8n.child.once('exit', () => resolve()));
	// On Ctrl-C the shutdown hook exits the process; otherwise n8n stopped by itself.
	if (!isShuttingDown()) throw new Error(`n8n exited; see ${n8n.logFile}`);
}

main().catch((error: Error) => {
	console.error(`[start] ${error.message}`);
	process.exit(1);
});
