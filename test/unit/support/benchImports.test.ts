/**
 * The benchmarks and scripts run under ts-node, whose resolver tries `.json` before `.ts`: without `preferTsExts`
 * (tsconfig.json) an import of `…/ChatwootBridgeIntegration.node` loads the node's codex file
 * (`ChatwootBridgeIntegration.node.json`) instead of its class, and `npm run bench` fails.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../../..');

it('ts-node resolves a node module to its class, not to its codex file', () => {
	const script = [
		"const m = require('./nodes/ChatwootBridgeIntegration/ChatwootBridgeIntegration.node');",
		"const s = require('./nodes/SyncWhatsAppMessage/SyncWhatsAppMessage.node');",
		'console.log(typeof m.ChatwootBridgeIntegration, typeof s.SyncWhatsAppMessage);',
	].join('\n');
	const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
		cwd: ROOT,
		encoding: 'utf8',
		timeout: 60_000,
	});
	expect(run.stderr).toBe('');
	expect(run.stdout.trim()).toBe('function function');
});
