/**
 * Long-running n8n processes: `n8n start` (main) and, for queue mode (docs/n8n-runtime.md, Queue mode), `n8n worker`.
 * Each one's output goes to a log file in the user folder and is kept line by line for assertions.
 */
import type { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { n8nBin } from './install';
import { assertPortFree, freePort, waitForHealth, waitForWebhook } from './ports';
import { defaultLog, spawnTracked, stopChild } from './processes';
import { n8nEnv, type N8nHome } from './userFolder';

export interface RunningN8n {
	/** Main: `http://127.0.0.1:<port>`. Worker: its health server, `http://127.0.0.1:<QUEUE_HEALTH_CHECK_PORT>`. */
	baseUrl: string;
	logFile: string;
	child: ChildProcess;
	/** Every line n8n printed so far. */
	lines: string[];
	/** Resolves with the first line (already printed or future) that matches; rejects if the process exits first. */
	waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
	stop(): Promise<void>;
}

export interface StartOptions {
	/**
	 * Workflow ids that must be active before start() resolves: n8n 2.8.4 logs "Activated workflow" (an activation
	 * error rejects at once); 2.40.x activates through its publication service without an info line, so give
	 * `webhookUrls` for those workflows too.
	 */
	activeWorkflowIds?: string[];
	/** Production webhook URL per workflow id: registered (CORS preflight answers 204) also counts as active. */
	webhookUrls?: Record<string, string>;
	/** Also print n8n's output on this process's stdout. */
	echo?: boolean;
	timeoutMs?: number;
}

/** Spawns `n8n <args>` with the home's environment and collects its output; does not wait for anything. */
function spawnN8n(
	home: N8nHome,
	args: string[],
	logFile: string,
	options: { echo?: boolean; timeoutMs: number },
): { running: RunningN8n; exited: Promise<never> } {
	fs.mkdirSync(path.dirname(logFile), { recursive: true });
	const logStream = fs.createWriteStream(logFile, { flags: 'a' });
	const child = spawnTracked(home.nodeBin ?? process.execPath, [n8nBin(home.n8nDir), ...args], {
		env: n8nEnv(home),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
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
			reject(new Error(`n8n ${args[0]} exited (code ${code}, signal ${signal}); last lines of ${logFile}:\n${lines.slice(-30).join('\n')}`)),
		),
	);
	exited.catch(() => undefined);

	const waitForLine = (pattern: RegExp, waitMs = options.timeoutMs): Promise<string> => {
		const seen = lines.find((line) => pattern.test(line));
		if (seen) return Promise.resolve(seen);
		return Promise.race([
			exited,
			new Promise<string>((resolve, reject) => {
				const timer = setTimeout(() => {
					waiters.delete(waiter);
					reject(new Error(`n8n ${args[0]} did not print ${pattern} within ${waitMs} ms; see ${logFile}`));
				}, waitMs);
				timer.unref(); // a wait nobody awaits any more must not keep the process alive
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
	const running: RunningN8n = {
		baseUrl: `http://127.0.0.1:${home.port}`,
		logFile,
		child,
		lines,
		waitForLine,
		stop: async () => {
			await stopChild(child);
			logStream.end();
		},
	};
	return { running, exited };
}

/** `n8n start`, resolved once /healthz answers and every expected workflow is active. */
export async function startN8n(home: N8nHome, options: StartOptions = {}): Promise<RunningN8n> {
	const log = home.log ?? defaultLog;
	const timeoutMs = options.timeoutMs ?? 90_000;
	await assertPortFree(home.port);
	const { running, exited } = spawnN8n(home, ['start'], path.join(home.userFolder, 'n8n.log'), { echo: options.echo, timeoutMs });
	try {
		const started = Date.now();
		await Promise.race([exited, waitForHealth(`${running.baseUrl}/healthz`, timeoutMs, () => running.child.exitCode !== null || running.child.signalCode !== null)]);
		log(`n8n answers /healthz after ${Date.now() - started} ms`);
		const gone = () => running.child.exitCode !== null || running.child.signalCode !== null;
		for (const id of options.activeWorkflowIds ?? []) {
			const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
			const logged = running.waitForLine(new RegExp(`(Activated workflow|Issue on initial workflow activation try of) .*\\(ID: ${escaped}\\)`));
			logged.catch(() => undefined);
			const url = options.webhookUrls?.[id];
			let settled = false;
			const probed = url ? waitForWebhook(url, timeoutMs, () => settled || gone()).then(() => 'registered') : undefined;
			probed?.catch(() => undefined);
			const line = await (probed ? Promise.race([logged, probed]) : logged).finally(() => (settled = true));
			if (line.includes('Issue on initial')) {
				throw new Error(`n8n could not activate workflow ${id}: ${line}\nlast lines:\n${running.lines.slice(-20).join('\n')}`);
			}
		}
		await running.waitForLine(/Editor is now accessible via/);
		log(`n8n ready after ${Date.now() - started} ms (log: ${running.logFile})`);
	} catch (error) {
		await running.stop();
		throw error;
	}
	return running;
}

export interface WorkerOptions {
	/** `--concurrency`; default 10 (n8n's default). */
	concurrency?: number;
	/** Names the log file `worker-<name>.log`; default the health port. */
	name?: string;
	echo?: boolean;
	timeoutMs?: number;
}

/**
 * `n8n worker` for queue mode. `home` is the main's home with EXECUTIONS_MODE=queue and the QUEUE_BULL_REDIS_*
 * variables in `env`; the worker gets its own task broker port and health-check port (docs/n8n-runtime.md, Queue mode)
 * and is resolved once it prints "n8n worker is now ready" and its /healthz answers.
 */
export async function startWorker(home: N8nHome, options: WorkerOptions = {}): Promise<RunningN8n> {
	const log = home.log ?? defaultLog;
	const timeoutMs = options.timeoutMs ?? 90_000;
	const healthPort = await freePort();
	const workerHome: N8nHome = {
		...home,
		brokerPort: await freePort(),
		env: { ...home.env, QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' },
	};
	const name = options.name ?? String(healthPort);
	const { running, exited } = spawnN8n(workerHome, ['worker', `--concurrency=${options.concurrency ?? 10}`], path.join(home.userFolder, `worker-${name}.log`), {
		echo: options.echo,
		timeoutMs,
	});
	running.baseUrl = `http://127.0.0.1:${healthPort}`;
	try {
		const started = Date.now();
		await running.waitForLine(/n8n worker is now ready/);
		await Promise.race([exited, waitForHealth(`${running.baseUrl}/healthz`, timeoutMs, () => running.child.exitCode !== null || running.child.signalCode !== null)]);
		log(`worker ${name} ready after ${Date.now() - started} ms (log: ${running.logFile})`);
	} catch (error) {
		await running.stop();
		throw error;
	}
	return running;
}
