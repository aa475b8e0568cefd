/**
 * A throw-away Redis for queue mode (runtime doc §8): Debian's `redis-server` in the foreground on a free port, no
 * persistence, stopped with the rest. `.ci/run` installs the package when it is missing.
 */
import { spawnSync } from 'child_process';
import type { ChildProcess } from 'child_process';

import { freePort } from './ports';
import { spawnTracked, stopChild } from './processes';

export interface RunningRedis {
	port: number;
	child: ChildProcess;
	/** Redis's own output so far. */
	output(): string;
	stop(): Promise<void>;
}

/** The redis-server binary, or undefined when none is installed. */
export function findRedisServer(): string | undefined {
	for (const candidate of [process.env.REDIS_SERVER, 'redis-server', '/usr/bin/redis-server', '/usr/sbin/redis-server']) {
		if (candidate && spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0) return candidate;
	}
	return undefined;
}

export async function startRedis(options: { port?: number; timeoutMs?: number } = {}): Promise<RunningRedis> {
	const binary = findRedisServer();
	if (!binary) throw new Error('redis-server is not installed (Debian: apt-get install -y --no-install-recommends redis-server)');
	const port = options.port ?? (await freePort());
	const child = spawnTracked(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const ready = new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`redis-server did not start within ${options.timeoutMs ?? 10_000} ms:\n${output}`)), options.timeoutMs ?? 10_000);
		const check = () => {
			if (/Ready to accept connections/.test(output)) {
				clearTimeout(timer);
				resolve();
			}
		};
		child.stdout?.on('data', check);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`redis-server exited (code ${code}):\n${output}`));
		});
	});
	try {
		await ready;
	} catch (error) {
		await stopChild(child, 2_000);
		throw error;
	}
	return { port, child, output: () => output, stop: () => stopChild(child, 5_000) };
}
