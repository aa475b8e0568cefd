/**
 * The import benchmark of bench/import.ts, inside a real n8n (the e2e suite's n8n 2.8.4) instead of the test double:
 * a workflow `Manual Trigger → Code node (N records of an Evolution API history) → Chatwoot Bridge Integration
 * (Import, What = all)` run with `n8n execute --id=…`, as a user runs the import examples, against the sandbox
 * Chatwoot (in this process; n8n is its own process tree).
 *   1. paced at Chatwoot's default 3000 requests/min, the sandbox throttling at 3000/min: messages/s, % of the limit;
 *   2. the limit lifted: messages/s for 10 000 messages over 200 chats;
 *   3. RSS of the `n8n execute` process group (n8n and its task runner, /proc every 250 ms) while importing 100 000.
 * Memory baselines: the RSS right before the Import node sends its first Chatwoot request (the records are in n8n's
 * memory by then; judged against the goal), and the peak of the same workflow with N = 0 (n8n's own footprint).
 * Nothing lost / nothing doubled is checked in the sandbox. Needs `npm run build`.
 *
 * Run: npx ts-node --transpile-only bench/importN8n.ts    (≈ 4 min; prints Markdown tables on stdout)
 *      npx ts-node --transpile-only bench/importN8n.ts --quick   (1/100 of the messages: does the workflow run?)
 *      … --only=00,22   (just those cases, by tag)
 *      … --max-old-space=MB   (V8's old space of the n8n process capped: is the RSS growth garbage or held?)
 *      … --profile   (adds where n8n's CPU goes during the Import node of the 10 000-message case, by package)
 */
import type { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { INTEGRATION_ATTRIBUTE } from '../nodes/shared/bridge/integration/config';
import { ensureN8n, freePort, importCredentials, importWorkflows, installPackage, N8N_VERSION, onShutdown, stopChild, type N8nHome } from '../scripts/n8n-home';
import { n8nBin } from '../scripts/n8n/install';
import { spawnTracked } from '../scripts/n8n/processes';
import { n8nEnv } from '../scripts/n8n/userFolder';
import { exampleCredentials, IMPORT_FLAGS_ON, integrationRecord } from '../test/e2e/world';
import { startSandbox, type Sandbox } from '../test/sandbox';
import { PROFILER_PRELOAD, selfTimeByPackage, type CpuProfile } from './lib/cpuProfile';
import { evolutionHistoryRecord, type ImportCase } from './lib/historyRecord';
import { groupRss } from './lib/procCpu';
import { progress } from './lib/progress';

const SAMPLE_MS = 250;
const IMPORT_NODE = 'Import into Chatwoot';

type CaseSpec = ImportCase;

interface Sample {
	t: number;
	leader: number;
	group: number;
	requests: number;
}

interface CaseResult {
	spec: CaseSpec;
	summary?: Record<string, any>;
	wallSeconds: number;
	samples: Sample[];
	requestsBefore: number;
	requestsAfter: number;
	inChatwoot: { messages: number; distinct: number };
	/** Self time by package (share of busy time) of the n8n process during the Import node, with `--profile`. */
	profile?: Record<string, number>;
}

const QUICK = process.argv.includes('--quick');
/** `--profile`: V8's CPU profile of the n8n process during the Import node of the 10 000-message case, by package. */
const PROFILE = process.argv.includes('--profile');
/** `--max-old-space=MB`: V8's old space of the n8n process capped (an experiment: is the RSS growth garbage?). */
const MAX_OLD_SPACE = process.argv.find((arg) => arg.startsWith('--max-old-space='))?.slice('--max-old-space='.length);

const FULL_CASES: CaseSpec[] = [
	{ name: 'baseline: the same workflow with N = 0 (the Import node gets no items)', tag: '00', chats: 0, perChat: 0, requestsPerMinute: 0, sandboxLimit: null },
	{ name: 'paced at 3000 requests/min', tag: '11', chats: 40, perChat: 50, requestsPerMinute: 3000, sandboxLimit: 3000 },
	{ name: 'limit lifted', tag: '22', chats: 200, perChat: 50, requestsPerMinute: 0, sandboxLimit: null },
	{ name: 'limit lifted, 100 000 messages (memory)', tag: '33', chats: 2000, perChat: 50, requestsPerMinute: 0, sandboxLimit: null },
];
/** `--quick`: the same cases, 1/100 of the messages (a check that the workflow runs; the figures mean nothing). */
const SIZED = QUICK ? FULL_CASES.map((spec) => ({ ...spec, chats: Math.ceil(spec.chats / 10), perChat: Math.ceil(spec.perChat / 10) })) : FULL_CASES;
/** `--only=22,33`: just those cases (by tag). */
const ONLY = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
const CASES = ONLY ? SIZED.filter((spec) => ONLY.includes(spec.tag)) : SIZED;

const instanceOf = (spec: CaseSpec) => `bench-n8n-${spec.tag}`;
const workflowIdOf = (spec: CaseSpec) => `benchImportN8n${spec.tag}`;

/** The Code node's JavaScript: the records of bench/import.ts, built inside n8n (one item per record, chats interleaved). */
function recordsCode(spec: CaseSpec): string {
	return [
		`const evolutionHistoryRecord = ${evolutionHistoryRecord.toString()};`,
		'const now = Math.floor(Date.now() / 1000);',
		'const items = [];',
		`for (let message = 0; message < ${spec.perChat}; message++) {`,
		`\tfor (let chat = 0; chat < ${spec.chats}; chat++) items.push({ json: evolutionHistoryRecord('${spec.tag}', chat, message, now) });`,
		'}',
		'return items;',
	].join('\n');
}

function importWorkflow(spec: CaseSpec): Record<string, unknown> {
	const node = (name: string, type: string, typeVersion: number, x: number, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
		id: `${spec.tag}-${x}`,
		name,
		type,
		typeVersion,
		position: [x, 0],
		parameters,
		...extra,
	});
	return {
		id: workflowIdOf(spec),
		name: `Bench: import ${spec.chats * spec.perChat} messages in n8n`,
		settings: { executionOrder: 'v1' },
		pinData: {},
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', 1, 0, {}),
			node('History Records', 'n8n-nodes-base.code', 2, 220, { jsCode: recordsCode(spec) }),
			node(
				IMPORT_NODE,
				'n8n-nodes-chatwoot-bridge.chatwootBridgeIntegration',
				1,
				440,
				// A 7-day window covers the records (the last 2 days).
				{ operation: 'import', instance: instanceOf(spec), what: 'all', records: '={{ $json }}', gateway: 'evolution', days: 7, requestsPerMinute: spec.requestsPerMinute, options: {} },
				{ credentials: { chatwootBridgeApi: { id: 'cwbChatwootApi', name: 'Chatwoot Bridge API' } } },
			),
		],
		connections: {
			Start: { main: [[{ node: 'History Records', type: 'main', index: 0 }]] },
			'History Records': { main: [[{ node: IMPORT_NODE, type: 'main', index: 0 }]] },
		},
	};
}

/** `n8n execute --id=… --rawOutput` (as runCli runs it), sampling the RSS of its process group meanwhile. */
async function execute(home: N8nHome, sb: Sandbox, spec: CaseSpec): Promise<Omit<CaseResult, 'inChatwoot'>> {
	const profileDir = PROFILE && spec.chats * spec.perChat === 10_000 ? fs.mkdtempSync(path.join(os.tmpdir(), 'chatwoot-bridge-import-profile-')) : undefined;
	const nodeOptions = [
		...(profileDir ? [`--require "${PROFILER_PRELOAD}"`] : []),
		...(MAX_OLD_SPACE ? [`--max-old-space-size=${MAX_OLD_SPACE}`] : []),
	].join(' ');
	const extraEnv = { ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}), ...(profileDir ? { BENCH_PROFILE_DIR: profileDir } : {}) };
	const env = n8nEnv({ ...home, env: { ...home.env, ...extraEnv }, brokerPort: await freePort() });
	const requestsBefore = sb.requestCounts.total;
	const started = Date.now();
	// Into a file, not a pipe: n8n exits right after printing the run, and a pipe would lose what it had not taken yet
	// (the run of 100 000 items is tens of MB).
	const outputFile = path.join(home.userFolder, `execute-${spec.tag}.out`);
	const out = fs.openSync(outputFile, 'w');
	const child: ChildProcess = spawnTracked(home.nodeBin ?? process.execPath, [n8nBin(home.n8nDir), 'execute', `--id=${workflowIdOf(spec)}`, '--rawOutput'], {
		env,
		stdio: ['ignore', out, out],
	});
	fs.closeSync(out);
	const samples: Sample[] = [];
	const sample = () => samples.push({ t: Date.now(), ...groupRss(child.pid!), requests: sb.requestCounts.total });
	const sampler = setInterval(sample, SAMPLE_MS);
	const timer = setTimeout(() => void stopChild(child, 2_000), 15 * 60_000);
	const code = await new Promise<number | null>((resolve) => child.once('close', (exitCode) => resolve(exitCode)));
	const closedAt = Date.now();
	clearInterval(sampler);
	clearTimeout(timer);
	const wallSeconds = (Date.now() - started) / 1000;
	const output = fs.readFileSync(outputFile, 'utf8');
	fs.rmSync(outputFile);
	if (code !== 0 || /GOT ERROR|An error occurred|Execution was NOT successful/.test(output)) {
		throw new Error(`n8n execute --id=${workflowIdOf(spec)} failed (exit ${code}):\n${output.slice(-3000)}`);
	}
	// `--rawOutput` prints the whole run as indented JSON, after n8n's own log lines.
	const lines = output.split('\n');
	let summary: Record<string, any> | undefined;
	try {
		const run = JSON.parse(lines.slice(lines.indexOf('{'), lines.lastIndexOf('}') + 1).join('\n'));
		summary = run.data.resultData.runData[IMPORT_NODE]?.[0]?.data?.main?.[0]?.[0]?.json;
	} catch (error) {
		// The sandbox's counts and the RSS samples still stand; only the node's own figures are missing.
		progress(`importN8n: the run printed by n8n could not be read (${(error as Error).message})`);
	}
	const result = { spec, summary, wallSeconds, samples, requestsBefore, requestsAfter: sb.requestCounts.total };
	if (!profileDir) return result;
	const profile = importProfile(profileDir, child.pid!, closedAt, importWindow(result).during);
	fs.rmSync(profileDir, { recursive: true, force: true });
	return { ...result, profile };
}

/**
 * The n8n process's profile (written at its exit), cut to the Import node's span. V8's clock is not the wall clock:
 * the profile's end is taken as the moment the process closed (a few ms off at most, against 250 ms samples).
 */
function importProfile(dir: string, pid: number, closedAt: number, during: Sample[]): Record<string, number> | undefined {
	const file = fs.readdirSync(dir).find((name) => name === `${pid}.cpuprofile`);
	if (!file || !during.length) return undefined;
	const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile & { startTime: number; endTime: number };
	const wallOf = (micros: number) => closedAt - (profile.endTime - micros) / 1000;
	const [from, to] = [during[0].t - SAMPLE_MS, during[during.length - 1].t];
	const kept: CpuProfile = { nodes: profile.nodes, samples: [], timeDeltas: [] };
	let at = profile.startTime;
	profile.samples.forEach((id, i) => {
		at += profile.timeDeltas[i] ?? 0;
		const wall = wallOf(at);
		if (wall < from || wall > to) return;
		kept.samples.push(id);
		kept.timeDeltas.push(profile.timeDeltas[i] ?? 0);
	});
	return selfTimeByPackage(kept);
}

function countInChatwoot(sb: Sandbox, tag: string): CaseResult['inChatwoot'] {
	const prefix = `WAID:${tag}C`;
	const ids = sb.state.messages.map((m) => m.source_id).filter((id): id is string => !!id && id.startsWith(prefix));
	return { messages: ids.length, distinct: new Set(ids).size };
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const max = (values: number[]) => values.reduce((a, b) => Math.max(a, b), 0);

/** The Import node's span: from the first sample that saw its Chatwoot requests to the first that saw all of them. */
function importWindow(result: Pick<CaseResult, 'samples' | 'requestsBefore' | 'requestsAfter'>): { before: Sample | undefined; during: Sample[] } {
	const { samples, requestsBefore, requestsAfter } = result;
	const first = samples.findIndex((s) => s.requests > requestsBefore);
	if (first < 0) return { before: undefined, during: [] };
	const last = samples.findIndex((s) => s.requests >= requestsAfter);
	return { before: samples[first - 1], during: samples.slice(first, (last < 0 ? samples.length - 1 : last) + 1) };
}

function report(results: CaseResult[]): void {
	const load = os.loadavg().map((value) => value.toFixed(2)).join(' / ');
	const cap = MAX_OLD_SPACE ? `, V8 old space of n8n capped at ${MAX_OLD_SPACE} MB` : '';
	console.log(`## Import in a real n8n (n8n ${N8N_VERSION}, \`n8n execute\`${cap}, sandbox Chatwoot on 127.0.0.1, one item per history record)\n`);
	console.log('| case | messages / chats | Chatwoot requests | calls per message | seconds | messages/s | vs limit | 429s | in Chatwoot (distinct) | goal |');
	console.log('|---|---|---|---|---|---|---|---|---|---|');
	for (const result of results.filter((r) => r.spec.chats > 0)) {
		const { spec, summary } = result;
		const messages = spec.chats * spec.perChat;
		const rate = summary?.rate ?? {};
		const totals = summary?.totals ?? {};
		const perSecond = Number(rate.messages_per_second);
		const limitPerSecond = spec.requestsPerMinute / 60;
		const share = spec.requestsPerMinute ? (perSecond / limitPerSecond) * 100 : undefined;
		const lost = messages - result.inChatwoot.distinct;
		const doubled = result.inChatwoot.messages - result.inChatwoot.distinct;
		const goal = spec.requestsPerMinute
			? `≥ 90 % of ${limitPerSecond}/s: ${share! >= 90 ? 'met' : 'MISSED'}`
			: messages === 10_000
				? `≥ 500/s: ${perSecond >= 500 ? 'met' : 'MISSED'}`
				: '—';
		console.log(
			`| ${spec.name} | ${messages} / ${spec.chats} | ${rate.requests} (sandbox counted ${result.requestsAfter - result.requestsBefore}) | ${(Number(rate.requests) / messages).toFixed(3)} | ${Number(rate.seconds).toFixed(1)} (n8n execute: ${result.wallSeconds.toFixed(1)}) | ${perSecond.toFixed(1)} | ${share === undefined ? '—' : `${share.toFixed(1)} % of ${limitPerSecond}/s`} | ${rate.throttled} | ${result.inChatwoot.messages} (${result.inChatwoot.distinct}); imported ${totals.imported}, failed ${totals.failed}, lost ${lost}, doubled ${doubled} | ${goal} |`,
		);
	}
	const baseline = results.find((r) => r.spec.chats === 0);
	const n8nOwn = baseline ? { leader: max(baseline.samples.map((s) => s.leader)), group: max(baseline.samples.map((s) => s.group)) } : undefined;
	console.log(`\n## Memory of the \`n8n execute\` process group (n8n + its task runner; /proc every ${SAMPLE_MS} ms)\n`);
	console.log(
		`n8n's own footprint (${baseline?.spec.name ?? 'not measured'}): peak ${n8nOwn ? `${mb(n8nOwn.group)} (n8n process ${mb(n8nOwn.leader)})` : '—'}.\n`,
	);
	console.log(
		'| messages | baseline: RSS right before the Import node (n8n process) | peak RSS during the Import node (n8n process) | peak − baseline | running peak at 25 / 50 / 75 / 100 % of the Import node\'s time | peak of the whole run (n8n process) | whole-run peak − N = 0 peak | goal |',
	);
	console.log('|---|---|---|---|---|---|---|---|');
	for (const result of results.filter((r) => r.spec.requestsPerMinute === 0 && r.spec.chats > 0)) {
		const { before, during } = importWindow(result);
		if (!before || !during.length) {
			console.log(`| ${result.spec.chats * result.spec.perChat} | not sampled (the import took less than ${SAMPLE_MS} ms) | | | | | | |`);
			continue;
		}
		const peak = { leader: max(during.map((s) => s.leader)), group: max(during.map((s) => s.group)) };
		const whole = { leader: max(result.samples.map((s) => s.leader)), group: max(result.samples.map((s) => s.group)) };
		const span = during[during.length - 1].t - during[0].t;
		const quartiles = [0.25, 0.5, 0.75, 1].map((q) => max(during.filter((s) => s.t <= during[0].t + q * span).map((s) => s.group)));
		const above = peak.group - before.group;
		console.log(
			`| ${result.spec.chats * result.spec.perChat} | ${mb(before.group)} (${mb(before.leader)}) | ${mb(peak.group)} (${mb(peak.leader)}) | ${mb(above)} | ${quartiles.map(mb).join(' / ')} | ${mb(whole.group)} (${mb(whole.leader)}) | ${n8nOwn ? mb(whole.group - n8nOwn.group) : '—'} | < 200 MB above the baseline: ${above < 200 * 1024 * 1024 ? 'met' : 'MISSED'} |`,
		);
	}
	for (const result of results.filter((r) => r.profile)) {
		console.log(`\n## Where the n8n process's CPU goes during the Import node (${result.spec.chats * result.spec.perChat} messages; V8 profile, self time by package)\n`);
		console.log('| package | share of busy time |');
		console.log('|---|---|');
		for (const [name, share] of Object.entries(result.profile!).slice(0, 12)) console.log(`| ${name} | ${(share * 100).toFixed(1)} % |`);
	}
	console.log(
		[
			'',
			'Baseline for the goal = the group\'s RSS in the last sample before the Import node\'s first Chatwoot request: the Code',
			'node has built the records and n8n holds them as items by then (they are the input, as a history read by an HTTP',
			'Request node would be). The whole-run peak also holds n8n\'s own work after the import: saving the execution (every',
			'node\'s items) in its database and printing the run as JSON (`--rawOutput`). Task runner = the Code node\'s process.',
			`Load average (1/5/15 min) at the end: ${load} on ${os.cpus().length} cores, shared with other work: absolute speeds are noisy.`,
		].join('\n'),
	);
}

async function main(): Promise<void> {
	const log = (line: string) => progress(`importN8n: ${line}`);
	log(`load average ${os.loadavg().map((v) => v.toFixed(2)).join(' / ')}`);
	const n8nDir = await ensureN8n({ log });
	const sb = await startSandbox();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'chatwoot-bridge-bench-import-'));
	const close = async () => {
		fs.rmSync(userFolder, { recursive: true, force: true });
		await sb.close();
	};
	const unregister = onShutdown(close);
	try {
		const home: N8nHome = { n8nDir, userFolder, port: await freePort(), brokerPort: await freePort(), encryptionKey: 'chatwoot-bridge-bench-encryption-key', log };
		for (const spec of CASES) {
			sb.createInbox({ name: `Bench import ${spec.tag}`, additionalAttributes: { [INTEGRATION_ATTRIBUTE]: integrationRecord(instanceOf(spec), IMPORT_FLAGS_ON) } });
		}
		installPackage(userFolder, { log });
		await importCredentials(home, exampleCredentials(sb));
		await importWorkflows(home, CASES.map(importWorkflow));
		const results: CaseResult[] = [];
		for (const spec of CASES) {
			sb.setRateLimit(spec.sandboxLimit ? { perMinute: spec.sandboxLimit, scope: 'ip' } : null);
			log(`running: ${spec.name}, ${spec.chats * spec.perChat} messages over ${spec.chats} chats…`);
			const result = await execute(home, sb, spec);
			results.push({ ...result, inChatwoot: countInChatwoot(sb, spec.tag) });
			log(`  done in ${result.wallSeconds.toFixed(1)} s`);
		}
		report(results);
	} finally {
		unregister();
		await close();
	}
}

main()
	.then(() => process.exit(0))
	.catch((error) => {
		console.error(error);
		process.exit(1);
	});
