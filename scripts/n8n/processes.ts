/**
 * Child processes: every one started through here is tracked, leads its own process group (so n8n's task runners
 * go with it), and only those are ever signalled. Ctrl-C / SIGTERM runs the registered shutdown hooks, then stops
 * every tracked child; on exit anything left gets SIGKILL.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'child_process';
import * as fs from 'fs';

export type Log = (line: string) => void;
export const defaultLog: Log = (line) => console.log(`[n8n-home] ${line}`);

const children = new Set<ChildProcess>();
const shutdownHooks = new Set<() => Promise<void>>();
let exitHooksInstalled = false;
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

/** spawn() in its own process group, tracked until it exits. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions): ChildProcess {
	installExitHooks();
	const child = spawn(command, args, { ...options, detached: true });
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

/**
 * A command run to completion with its output appended to `logFile` (npm installs); resolves with the exit code
 * (-1 if it could not start). Stopped after `timeoutMs`.
 */
export async function runLogged(
	command: string,
	args: string[],
	options: { cwd: string; logFile: string; timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<number | null> {
	const out = fs.openSync(options.logFile, 'a');
	const child = spawnTracked(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', out, out] });
	const timer = setTimeout(() => void stopChild(child, 5_000), options.timeoutMs);
	return new Promise<number | null>((resolve) => {
		child.once('error', () => resolve(-1));
		child.once('exit', (exitCode) => resolve(exitCode));
	}).finally(() => {
		clearTimeout(timer);
		fs.closeSync(out);
	});
}

/** The last `count` lines of a file, for error messages. */
export function tail(file: string, count = 25): string {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-count).join('\n');
	} catch {
		return '';
	}
}

export interface LoggedServer {
	child: ChildProcess;
	/** The server's own output (stdout and stderr) so far. */
	output(): string;
}

/**
 * Starts a throw-away server (redis, PostgreSQL) and resolves once its output shows `ready`; a server that exits or
 * stays silent past `timeoutMs` is stopped and the error carries what it printed.
 */
export async function startLoggedServer(
	name: string,
	command: string,
	args: string[],
	options: { ready: RegExp; timeoutMs: number },
): Promise<LoggedServer> {
	const child = spawnTracked(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	const ready = new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${name} did not start within ${options.timeoutMs} ms:\n${output}`)), options.timeoutMs);
		const collect = (chunk: Buffer) => {
			output += chunk.toString();
			if (options.ready.test(output)) {
				clearTimeout(timer);
				resolve();
			}
		};
		child.stdout?.on('data', collect);
		child.stderr?.on('data', collect);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`${name} exited (code ${code}):\n${output}`));
		});
	});
	try {
		await ready;
	} catch (error) {
		await stopChild(child, 2_000);
		throw error;
	}
	return { child, output: () => output };
}
