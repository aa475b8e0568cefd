/**
 * Other community packages next to ours: npm packages copied into `<userFolder>/.n8n/nodes/node_modules`, where n8n
 * loads them like packages a user installed from Settings → Community Nodes. Their peer `n8n-workflow` is never
 * installed (npm would fetch `n8n-workflow@latest`, whose native build fails on Node 20, docs/n8n-runtime.md, Running
 * n8n for tests): at run time n8n resolves it to its own copy. Each set of specs is installed once into
 * `<cache>/extra-packages/` and copied from there; pin exact versions, since a cached range is never re-resolved.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import { cacheRoot, commit, stagingFolder } from './install';
import { defaultLog, runLogged, tail, type Log } from './processes';
import { PACKAGE_NAME } from './userFolder';

export interface ExtraPackage {
	/** The npm spec as given, e.g. `@devlikeapro/n8n-nodes-chatwoot@1.0.2`. */
	spec: string;
	name: string;
	version: string;
	/** The `n8n` section of its package.json (node and credential files); undefined if it has none. */
	n8n?: { nodes?: string[]; credentials?: string[] };
}

/**
 * Installs `extraPackages` (npm specs) into `<userFolder>/.n8n/nodes/node_modules`, next to ours. npm runs once per
 * set of specs, in the cache, with `--legacy-peer-deps` (the peer `n8n-workflow` is neither resolved nor installed)
 * and `--ignore-scripts`; later calls only copy (about 0.3 s for a 12 MB tree). Our own package's folder is never
 * overwritten. Returns what was installed, in the order of `extraPackages`.
 */
export async function installExtraPackages(
	userFolder: string,
	extraPackages: string[],
	options: { cacheDir?: string; log?: Log } = {},
): Promise<ExtraPackage[]> {
	if (!extraPackages.length) return [];
	const log = options.log ?? defaultLog;
	const cached = await ensureExtraPackages(extraPackages, options.cacheDir ?? path.join(cacheRoot(), 'extra-packages'), log);
	const source = path.join(cached, 'node_modules');
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
	fs.mkdirSync(target, { recursive: true });
	for (const entry of fs.readdirSync(source)) {
		if (entry.startsWith('.')) continue; // .bin (symlinks), .package-lock.json
		const names = entry.startsWith('@') ? fs.readdirSync(path.join(source, entry)).map((sub) => `${entry}/${sub}`) : [entry];
		for (const name of names) {
			if (name === PACKAGE_NAME) continue;
			fs.rmSync(path.join(target, name), { recursive: true, force: true });
			fs.cpSync(path.join(source, name), path.join(target, name), { recursive: true });
		}
	}
	const installed: ExtraPackage[] = JSON.parse(fs.readFileSync(path.join(cached, 'installed.json'), 'utf8')).packages;
	log(`extra packages in ${target}: ${installed.map((pkg) => `${pkg.name}@${pkg.version}`).join(', ')}`);
	return installed;
}

/** The cache folder of one set of specs, installed if missing. */
async function ensureExtraPackages(specs: string[], cacheDir: string, log: Log): Promise<string> {
	const key = createHash('sha256').update(JSON.stringify([...specs].sort())).digest('hex').slice(0, 12);
	const label = specs.length === 1 ? specs[0].replace(/^@/, '').replace(/[^A-Za-z0-9._@-]+/g, '+') : `${specs.length}-packages`;
	const dir = path.join(cacheDir, `${label}-${key}`);
	if (fs.existsSync(path.join(dir, 'installed.json'))) return dir;

	const staging = stagingFolder(dir);
	fs.writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify({ name: 'n8n-chatwoot-bridge-extras', version: '1.0.0', private: true }, null, 2)}\n`);
	const logFile = path.join(staging, 'install.log');
	log(`installing ${specs.join(', ')} into ${dir} (once)`);
	const started = Date.now();
	const args = ['install', ...specs, '--save-exact', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund'];
	const code = await runLogged('npm', args, { cwd: staging, logFile, timeoutMs: 5 * 60_000 });
	if (code !== 0) throw new Error(`npm ${args.join(' ')} failed (exit ${code}); see ${logFile}\n${tail(logFile)}`);
	const dependencies: Record<string, string> = JSON.parse(fs.readFileSync(path.join(staging, 'package.json'), 'utf8')).dependencies ?? {};
	const packages: ExtraPackage[] = specs.map((spec) => {
		// `name@range`, `@scope/name@range` or a bare name: npm saved it under its real name either way.
		const name = Object.keys(dependencies).find((candidate) => spec === candidate || spec.startsWith(`${candidate}@`));
		if (!name) throw new Error(`npm installed ${JSON.stringify(dependencies)}, none of which is ${spec}`);
		const manifest = JSON.parse(fs.readFileSync(path.join(staging, 'node_modules', name, 'package.json'), 'utf8'));
		if (!manifest.n8n) log(`WARNING: ${name} has no "n8n" section in its package.json; n8n will load nothing from it`);
		return { spec, name, version: String(manifest.version), n8n: manifest.n8n };
	});
	if (fs.existsSync(path.join(staging, 'node_modules', 'n8n-workflow'))) {
		log('WARNING: a dependency (not a peer) pulled n8n-workflow into the extra packages; n8n will use that copy for them');
	}
	fs.writeFileSync(path.join(staging, 'installed.json'), `${JSON.stringify({ specs, packages }, null, 2)}\n`);
	commit(staging, dir, () => fs.existsSync(path.join(dir, 'installed.json')));
	log(`installed ${packages.map((pkg) => `${pkg.name}@${pkg.version}`).join(', ')} in ${Math.round((Date.now() - started) / 1000)} s`);
	return dir;
}
