/**
 * A throw-away Redis for queue mode (docs/n8n-runtime.md, Queue mode): Debian's `redis-server` in the foreground on a
 * free port, no persistence, stopped with the rest. `.ci/run` installs the package when it is missing.
 */
import { spawnSync } from 'child_process';

import { freePort } from './ports';
import { startLoggedServer, stopChild, type LoggedServer } from './processes';

export interface RunningRedis extends LoggedServer {
	port: number;
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
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'];
	const server = await startLoggedServer('redis-server', binary, args, { ready: /Ready to accept connections/, timeoutMs: options.timeoutMs ?? 10_000 });
	return { port, ...server, stop: () => stopChild(server.child, 5_000) };
}
