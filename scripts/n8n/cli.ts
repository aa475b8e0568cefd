/**
 * n8n's CLI (docs/n8n-runtime.md, Running n8n for tests): import credentials and workflows, publish (2.x activation).
 * Run before `n8n start`.
 */
import * as fs from 'fs';
import * as path from 'path';

import { n8nBin } from './install';
import { freePort } from './ports';
import { spawnTracked, stopChild } from './processes';
import { n8nEnv, type N8nHome } from './userFolder';

/**
 * Runs one n8n CLI command to completion and returns its output. Several commands log errors and still exit 0
 * (import, publish), so `expect` names the line that proves success.
 */
export async function runCli(home: N8nHome, args: string[], expect?: RegExp, timeoutMs = 120_000): Promise<string> {
	// The CLI opens the database directly; its task broker must not collide with a running server's.
	const env = n8nEnv({ ...home, brokerPort: await freePort() });
	const child = spawnTracked(home.nodeBin ?? process.execPath, [n8nBin(home.n8nDir), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
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
