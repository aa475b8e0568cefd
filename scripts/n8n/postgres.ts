/**
 * A throw-away PostgreSQL for queue mode (docs/n8n-runtime.md, Queue mode: Postgres is what n8n supports for several
 * processes; on SQLite, main and the workers contend for one file's write lock). Debian's server binaries, a fresh
 * cluster in a temporary folder, trust auth on 127.0.0.1 and a free port, no fsync; stopped and deleted with the rest.
 * Runs as the `postgres` system user when started by root, because the server refuses to run as root. `.ci/run`
 * installs the package when it is missing.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { freePort } from './ports';
import { startLoggedServer, stopChild, type LoggedServer } from './processes';

export interface RunningPostgres extends LoggedServer {
	port: number;
	user: string;
	database: string;
	/** The n8n settings that point at this server (DB_TYPE=postgresdb …). */
	n8nEnv: Record<string, string>;
	stop(): Promise<void>;
}

/** The folder holding initdb and postgres (highest installed major version), or undefined. */
export function findPostgresBin(): string | undefined {
	const root = '/usr/lib/postgresql';
	const fromEnv = process.env.POSTGRES_BIN;
	const candidates = fromEnv
		? [fromEnv]
		: fs.existsSync(root)
			? fs
					.readdirSync(root)
					.sort((a, b) => Number(b) - Number(a))
					.map((major) => path.join(root, major, 'bin'))
			: [];
	return candidates.find((bin) => fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(path.join(bin, 'postgres')));
}

/** Root runs the server as `postgres`; anybody else runs it as themselves. */
function asServerUser(command: string, args: string[]): [string, string[]] {
	return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

export async function startPostgres(options: { timeoutMs?: number } = {}): Promise<RunningPostgres> {
	const bin = findPostgresBin();
	if (!bin) throw new Error('PostgreSQL server is not installed (Debian: apt-get install -y --no-install-recommends postgresql)');
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-chatwoot-bridge-pg-'));
	if (process.getuid?.() === 0) {
		const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
		const groupIds = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
		if (ids.status !== 0) throw new Error('running as root needs the `postgres` system user (created by the Debian package)');
		fs.chownSync(dataDir, Number(ids.stdout.trim()), Number(groupIds.stdout.trim()));
	}
	const user = 'n8n';
	const database = 'postgres';
	const [initCommand, initArgs] = asServerUser(path.join(bin, 'initdb'), ['-D', dataDir, '-U', user, '--auth=trust', '--no-sync', '-E', 'UTF8']);
	const init = spawnSync(initCommand, initArgs, { encoding: 'utf8' });
	if (init.status !== 0) {
		fs.rmSync(dataDir, { recursive: true, force: true });
		throw new Error(`initdb failed (${init.status}):\n${init.stdout}\n${init.stderr}`);
	}

	const port = await freePort();
	const serverArgs = ['-D', dataDir, '-p', String(port), '-k', dataDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'full_page_writes=off'];
	const [command, args] = asServerUser(path.join(bin, 'postgres'), serverArgs);
	// Printed once the TCP socket listens.
	const server = await startLoggedServer('postgres', command, args, { ready: /ready to accept connections/, timeoutMs: options.timeoutMs ?? 20_000 }).catch(
		(error: Error) => {
			fs.rmSync(dataDir, { recursive: true, force: true });
			throw error;
		},
	);
	const n8nEnv = {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(port),
		DB_POSTGRESDB_USER: user,
		DB_POSTGRESDB_PASSWORD: '',
		DB_POSTGRESDB_DATABASE: database,
	};
	const stop = async () => {
		await stopChild(server.child, 5_000);
		fs.rmSync(dataDir, { recursive: true, force: true });
	};
	return { port, user, database, ...server, n8nEnv, stop };
}
