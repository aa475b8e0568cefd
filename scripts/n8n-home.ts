/**
 * A real n8n 2.8.4 around this package, for `npm start`, `npm run demo` and the e2e suite (runtime doc §7):
 * install once into a cache outside the repository, prepare a user folder, copy the built package in, import and
 * publish workflows with the CLI, start `n8n start`, and stop exactly the processes started here.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export const N8N_VERSION = '2.8.4';
export const PACKAGE_NAME = 'n8n-nodes-chatwoot-bridge';
export const REPO_ROOT = path.resolve(__dirname, '..');

export type Log = (line: string) => void;
const defaultLog: Log = (line) => console.log(`[n8n-home] ${line}`);

/** Where the pinned n8n lives: `N8N_CHATWOOT_BRIDGE_N8N_DIR`, else `~/.cache/n8n-chatwoot-bridge/n8n-2.8.4`. */
export function defaultN8nDir(): string {
	return (
		process.env.N8N_CHATWOOT_BRIDGE_N8N_DIR ||
		path.join(os.homedir(), '.cache', 'n8n-chatwoot-bridge', `n8n-${N8N_VERSION}`)
	);
}

function n8nBin(n8nDir: string): string {
	return path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n');
}

/** The n8n version installed in `n8nDir`, if any. */
export function installedN8nVersion(n8nDir: string): string | undefined {
	try {
		const pkg = JSON.parse(fs.readFileSync(path.join(n8nDir, 'node_modules', 'n8n', 'package.json'), 'utf8'));
		return fs.existsSync(n8nBin(n8nDir)) ? String(pkg.version) : undefined;
	} catch {
		return undefined;
	}
}

// ---- child processes: every one we start is tracked, and only those are ever signalled ----------------------------

const children = new Set<ChildProcess>();
let exitHooksInstalled = false;
const shutdownHooks = new Set<() => Promise<void>>();

let stopping = false;

/** True once Ctrl-C / SIGTERM arrived: processes exiting now are being stopped on purpose. */
export function isShuttingDown(): boolean {
	return stopping;
}

/** Runs `hook` once on Ctrl-C / SIGTERM before exiting; the returned function unregisters it. */
export function onShutdown(hook: () => Promise<void>): () => void {
	installExitHooks();
	shutdownHooks.add(hook);
	return () => shutdownHooks.delete(hook);
}

/** `evenIfExited`: the leader is gone but its group (n8n's task runners) may not be. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals, evenIfExited = false): void {
	if (child.pid === undefined) return;
	if (!evenIfExited && (child.exitCode !== null || child.signalCode !== null)) return;
	try {
		// Detached children lead their own process group: this reaches n8n's task runners too, and nothing else.
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

function installExitHooks(): void {
	if (exitHooksInstalled) return;
	exitHooksInstalled = true;
	// Last resort (synchronous): nothing we started may outlive us.
	process.on('exit', () => {
		for (const child of children) killGroup(child, 'SIGKILL');
	});
	const onSignal = (signal: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		process.stderr.write(`\n${signal}: stopping what was started here…\n`);
		const hooks = [...shutdownHooks].map((hook) => hook().catch((error: Error) => console.error(error.message)));
		Promise.all(hooks)
			.then(() => Promise.all([...children].map((child) => stopChild(child))))
			.finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
}

function track(child: ChildProcess): ChildProcess {
	installExitHooks();
	children.add(child);
	child.once('exit', () => children.delete(child));
	return child;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
		child.once('exit', () => {
			clearTimeout(timer);
			// Runners that ignored the group SIGTERM go now.
			killGroup(child, 'SIGKILL', true);
			resolve();
		});
		killGroup(child, 'SIGTERM');
	});
}

// ---- install -------------------------------------------------------------------------------------------------------

/**
 * Makes sure n8n 2.8.4 is installed in `n8nDir`. A missing install is made in a sibling folder and renamed into place
 * when complete, so an interrupted install never looks finished. The xlsx override replaces a tarball on an
 * unreachable CDN (runtime doc §7.2).
 */
export async function ensureN8n(options: { n8nDir?: string; log?: Log } = {}): Promise<string> {
	const n8nDir = options.n8nDir ?? defaultN8nDir();
	const log = options.log ?? defaultLog;
	const found = installedN8nVersion(n8nDir);
	if (found === N8N_VERSION) return n8nDir;
	if (found) throw new Error(`${n8nDir} holds n8n ${found}, not ${N8N_VERSION}: remove it or set N8N_CHATWOOT_BRIDGE_N8N_DIR`);

	removeAbandonedInstalls(n8nDir);
	const staging = `${n8nDir}.partial-${process.pid}`;
	fs.rmSync(staging, { recursive: true, force: true });
	fs.mkdirSync(staging, { recursive: true });
	const manifest = { name: 'n8n-chatwoot-bridge-host', version: '1.0.0', private: true, overrides: { xlsx: 'npm:xlsx@0.18.5' } };
	fs.writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
	const logFile = path.join(staging, 'install.log');
	log(`installing n8n ${N8N_VERSION} into ${n8nDir} (once; about 4 minutes and 2.3 GB on a cold npm cache)`);
	log(`npm output goes to ${logFile}`);
	const started = Date.now();
	const out = fs.openSync(logFile, 'a');
	const child = track(
		spawn('npm', ['install', `n8n@${N8N_VERSION}`, '--save-exact', '--no-audit', '--no-fund'], {
			cwd: staging,
			stdio: ['ignore', out, out],
			detached: true,
		}),
	);
	const ticker = setInterval(() => log(`  still installing… ${Math.round((Date.now() - started) / 1000)} s`), 30_000);
	const code = await new Promise<number | null>((resolve) => {
		child.once('error', () => resolve(-1));
		child.once('exit', (exitCode) => resolve(exitCode));
	}).finally(() => {
		clearInterval(ticker);
		fs.closeSync(out);
	});
	const version = installedN8nVersion(staging);
	if (code !== 0 || version !== N8N_VERSION) {
		const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-25).join('\n');
		throw new Error(`installing n8n ${N8N_VERSION} failed (npm exit ${code}); see ${logFile}\n${tail}`);
	}
	if (installedN8nVersion(n8nDir) !== N8N_VERSION) {
		fs.rmSync(n8nDir, { recursive: true, force: true });
		fs.mkdirSync(path.dirname(n8nDir), { recursive: true });
		fs.renameSync(staging, n8nDir);
	} else {
		fs.rmSync(staging, { recursive: true, force: true }); // another run finished first
	}
	log(`n8n ${N8N_VERSION} installed in ${Math.round((Date.now() - started) / 1000)} s`);
	return n8nDir;
}

/** Half-finished installs (about 2 GB each) whose installing process is gone. */
function removeAbandonedInstalls(n8nDir: string): void {
	const parent = path.dirname(n8nDir);
	const prefix = `${path.basename(n8nDir)}.partial-`;
	if (!fs.existsSync(parent)) return;
	for (const entry of fs.readdirSync(parent)) {
		if (!entry.startsWith(prefix)) continue;
		const pid = Number(entry.slice(prefix.length));
		let alive = false;
		try {
			process.kill(pid, 0);
			alive = pid !== process.pid;
		} catch {
			alive = false;
		}
		if (!alive) fs.rmSync(path.join(parent, entry), { recursive: true, force: true });
	}
}

// ---- user folder and package ---------------------------------------------------------------------------------------

export interface N8nHome {
	n8nDir: string;
	/** N8N_USER_FOLDER: n8n keeps everything in `<userFolder>/.n8n`. */
	userFolder: string;
	port: number;
	/** The internal task broker; every n8n process needs its own (runtime doc §7.9). */
	brokerPort: number;
	/** Base of getNodeWebhookUrl(); default `http://127.0.0.1:<port>/`. */
	webhookUrl?: string;
	/** Unset: n8n creates one in `.n8n/config` on first start and keeps using it. */
	encryptionKey?: string;
	/** Extra or overriding environment variables. */
	env?: Record<string, string>;
	log?: Log;
}

/**
 * Copies package.json and dist/ into `.n8n/nodes/node_modules/<package>` (runtime doc §7.4: a copy resolves
 * n8n-workflow to n8n's own copy; a symlink would pick the repository's devDependency). Files listed in the `n8n`
 * section but absent from dist/ are reported: n8n would refuse the whole package because of one missing file.
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

/** The environment of runtime doc §7.3. */
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

// ---- CLI -------------------------------------------------------------------------------------------------------------

/**
 * Runs one n8n CLI command to completion and returns its output. Several commands log errors and still exit 0
 * (import, publish), so `expect` names the line that proves success.
 */
export async function runCli(home: N8nHome, args: string[], expect?: RegExp, timeoutMs = 120_000): Promise<string> {
	// The CLI opens the database directly; its task broker must not collide with a running server's.
	const env = n8nEnv({ ...home, brokerPort: await freePort() });
	const child = track(spawn(process.execPath, [n8nBin(home.n8nDir), ...args], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }));
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const timer = setTimeout(() => void stopChild(child, 2_000), timeoutMs);
	const code = await new Promise<number | null>((resolve) => child.once('close', (exitCode) => resolve(exitCode)));
	clearTimeout(timer);
	if (code !== 0 || (expect && !expect.test(output)) || /GOT ERROR|An error occurred/.test(output)) {
		throw new Error(`n8n ${args.join(' ')} failed (exit ${code}):\n${output.trim()}`);
	}
	return output;
}

export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	/** Plain values; the CLI encrypts them with the instance's key. */
	data: Record<string, unknown>;
}

function tempJson(home: N8nHome, name: string, value: unknown): string {
	const dir = path.join(home.userFolder, 'imports');
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, name);
	fs.writeFileSync(file, JSON.stringify(value, null, 2));
	return file;
}

export async function importCredentials(home: N8nHome, credentials: CredentialImport[]): Promise<void> {
	if (!credentials.length) return;
	const file = tempJson(home, 'credentials.json', credentials);
	await runCli(home, ['import:credentials', `--input=${file}`], /Successfully imported/);
}

/** Imported workflows are always inactive; publish the ones that should run. */
export async function importWorkflows(home: N8nHome, workflows: Array<Record<string, unknown>>): Promise<void> {
	if (!workflows.length) return;
	const file = tempJson(home, 'workflows.json', workflows);
	await runCli(home, ['import:workflow', `--input=${file}`], /Successfully imported/);
}

/** `publish:workflow` is 2.x's activation; the server activates published workflows at its next start. */
export async function publishWorkflows(home: N8nHome, ids: string[]): Promise<void> {
	for (const id of ids) await runCli(home, ['publish:workflow', `--id=${id}`], /Publishing workflow/);
}

// ---- server ----------------------------------------------------------------------------------------------------------

export interface RunningN8n {
	baseUrl: string;
	logFile: string;
	child: ChildProcess;
	/** Every line n8n printed so far. */
	lines: string[];
	/** Resolves with the first line (already printed or future) that matches. */
	waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
	stop(): Promise<void>;
}

export interface StartOptions {
	/** Workflow ids that must log "Activated workflow" before start() resolves; an activation error rejects. */
	activeWorkflowIds?: string[];
	/** Also print n8n's output on this process's stdout. */
	echo?: boolean;
	timeoutMs?: number;
}

/** `n8n start`, resolved once /healthz answers and every expected workflow is active. */
export async function startN8n(home: N8nHome, options: StartOptions = {}): Promise<RunningN8n> {
	const log = home.log ?? defaultLog;
	const timeoutMs = options.timeoutMs ?? 90_000;
	await assertPortFree(home.port);
	const logFile = path.join(home.userFolder, 'n8n.log');
	fs.mkdirSync(home.userFolder, { recursive: true });
	const logStream = fs.createWriteStream(logFile, { flags: 'a' });
	const child = track(
		spawn(process.execPath, [n8nBin(home.n8nDir), 'start'], { env: n8nEnv(home), detached: true, stdio: ['ignore', 'pipe', 'pipe'] }),
	);
	const lines: string[] = [];
	const waiters = new Set<(line: string) => void>();
	let pending = '';
	const onData = (chunk: Buffer) => {
		logStream.write(chunk);
		if (options.echo) process.stdout.write(chunk);
		pending += chunk.toString();
		const parts = pending.split('\n');
		pending = parts.pop() ?? '';
		for (const line of parts) {
			lines.push(line);
			for (const waiter of waiters) waiter(line);
		}
	};
	child.stdout?.on('data', onData);
	child.stderr?.on('data', onData);
	const exited = new Promise<never>((_, reject) =>
		child.once('exit', (code, signal) =>
			reject(new Error(`n8n exited (code ${code}, signal ${signal}); last lines of ${logFile}:\n${lines.slice(-30).join('\n')}`)),
		),
	);
	exited.catch(() => undefined);

	const waitForLine = (pattern: RegExp, waitMs = timeoutMs): Promise<string> => {
		const seen = lines.find((line) => pattern.test(line));
		if (seen) return Promise.resolve(seen);
		return Promise.race([
			exited,
			new Promise<string>((resolve, reject) => {
				const timer = setTimeout(() => {
					waiters.delete(waiter);
					reject(new Error(`n8n did not print ${pattern} within ${waitMs} ms; see ${logFile}`));
				}, waitMs);
				const waiter = (line: string) => {
					if (!pattern.test(line)) return;
					clearTimeout(timer);
					waiters.delete(waiter);
					resolve(line);
				};
				waiters.add(waiter);
			}),
		]);
	};
	const baseUrl = `http://127.0.0.1:${home.port}`;
	const running: RunningN8n = {
		baseUrl,
		logFile,
		child,
		lines,
		waitForLine,
		stop: async () => {
			await stopChild(child);
			logStream.end();
		},
	};
	try {
		const started = Date.now();
		await Promise.race([exited, waitForHealth(`${baseUrl}/healthz`, timeoutMs)]);
		log(`n8n answers /healthz after ${Date.now() - started} ms`);
		for (const id of options.activeWorkflowIds ?? []) {
			const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
			const line = await waitForLine(new RegExp(`(Activated workflow|Issue on initial workflow activation try of) .*\\(ID: ${escaped}\\)`));
			if (line.includes('Issue on initial')) {
				throw new Error(`n8n could not activate workflow ${id}: ${line}\nlast lines:\n${lines.slice(-20).join('\n')}`);
			}
		}
		await waitForLine(/Editor is now accessible via/);
		log(`n8n ready after ${Date.now() - started} ms (log: ${logFile})`);
	} catch (error) {
		await running.stop();
		throw error;
	}
	return running;
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const status = await new Promise<number>((resolve) => {
			const req = http.get(url, (res) => {
				res.resume();
				resolve(res.statusCode ?? 0);
			});
			req.on('error', () => resolve(0));
			req.setTimeout(1_000, () => req.destroy());
		});
		if (status === 200) return;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

// ---- ports ------------------------------------------------------------------------------------------------------------

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

export function assertPortFree(port: number): Promise<void> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', () => reject(new Error(`port ${port} is already in use (another n8n?); set N8N_PORT to use another one`)));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
	});
}
