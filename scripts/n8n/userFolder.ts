/**
 * The user folder of one n8n (docs/n8n-runtime.md, Running n8n for tests): its environment and our package copied into
 * it.
 */
import * as fs from 'fs';
import * as path from 'path';

import { defaultLog, type Log } from './processes';

export const PACKAGE_NAME = 'n8n-nodes-chatwoot-bridge';
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface N8nHome {
	n8nDir: string;
	/** N8N_USER_FOLDER: n8n keeps everything in `<userFolder>/.n8n`. */
	userFolder: string;
	port: number;
	/** The internal task broker; every n8n process needs its own (docs/n8n-runtime.md, Running n8n for tests). */
	brokerPort: number;
	/** Base of getNodeWebhookUrl(); default `http://127.0.0.1:<port>/`. */
	webhookUrl?: string;
	/** Unset: n8n creates one in `.n8n/config` on first start and keeps using it. */
	encryptionKey?: string;
	/** Extra or overriding environment variables. */
	env?: Record<string, string>;
	/** The node binary n8n runs on; default the one running this script (see ensureN8nRuntime). */
	nodeBin?: string;
	log?: Log;
}

/**
 * Copies package.json and dist/ into `.n8n/nodes/node_modules/<package>` (docs/n8n-runtime.md, Running n8n for tests: a
 * copy resolves n8n-workflow to n8n's own copy; a symlink would pick the repository's devDependency). Files listed in
 * the `n8n` section but absent from dist/ are reported: n8n would refuse the whole package because of one missing file.
 */
export function installPackage(userFolder: string, options: { packageRoot?: string; log?: Log } = {}): { missing: string[] } {
	const root = options.packageRoot ?? REPO_ROOT;
	const log = options.log ?? defaultLog;
	const dist = path.join(root, 'dist');
	if (!fs.existsSync(dist)) throw new Error(`${dist} does not exist: run \`npm run build\` first`);
	const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', pkg.name);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	fs.cpSync(dist, path.join(target, 'dist'), { recursive: true });
	const listed: string[] = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	const missing = listed.filter((file) => !fs.existsSync(path.join(root, file)));
	if (missing.length) {
		log(`WARNING: package.json lists files that dist/ lacks; they are left out of this copy: ${missing.join(', ')}`);
		pkg.n8n.nodes = pkg.n8n.nodes.filter((file: string) => !missing.includes(file));
		pkg.n8n.credentials = pkg.n8n.credentials.filter((file: string) => !missing.includes(file));
	}
	fs.writeFileSync(path.join(target, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
	return { missing };
}

/** The environment described in docs/n8n-runtime.md, Running n8n for tests. */
export function n8nEnv(home: N8nHome): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {
		...process.env,
		N8N_USER_FOLDER: home.userFolder,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: String(home.port),
		N8N_LOG_LEVEL: 'info',
		N8N_RUNNERS_BROKER_PORT: String(home.brokerPort),
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		WEBHOOK_URL: home.webhookUrl ?? `http://127.0.0.1:${home.port}/`,
		...home.env,
	};
	if (home.encryptionKey) env.N8N_ENCRYPTION_KEY = home.encryptionKey;
	// Jest sets NODE_ENV=test, under which n8n's CLI silently does nothing; n8n must run as it does for users.
	if (env.NODE_ENV === 'test') delete env.NODE_ENV;
	return env;
}
