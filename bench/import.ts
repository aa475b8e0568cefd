/**
 * Import speed and memory: the Chatwoot Bridge Integration node's `import` operation against the sandbox
 * Chatwoot, through the n8n context double (real HTTP on 127.0.0.1).
 *   1. paced at Chatwoot's default 3000 requests/min, with the sandbox throttling at 3000/min (Chatwoot never
 *      throttles 127.0.0.1; the knob simulates n8n on another host): messages/s and % of the limit (goal ≥ 90 %);
 *   2. the limit lifted: messages/s for 10 000 messages over 200 chats (goal ≥ 500/s);
 *   3. peak RSS while importing 100 000 messages (goal: flat), with the input items built before the import starts
 *      (in n8n they are in memory already).
 * The sandbox runs in a child process (as Chatwoot would be another process) and every case runs in a fresh child,
 * so one case's heap does not colour the next one's RSS. Nothing lost / nothing doubled is checked in the sandbox.
 *
 * Run: npx ts-node --transpile-only bench/import.ts          (paced case over 2 000 messages, ≈ 3 min in all)
 *      npx ts-node --transpile-only bench/import.ts --full   (paced case over all 10 000 messages, ≈ 3.5 min more)
 */
import { fork, type ChildProcess } from 'child_process';

import type { IDataObject, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';

import { evolutionHistoryRecord, type ImportCase } from './lib/historyRecord';

const FULL = process.argv.includes('--full');
const ROLE = process.argv.find((arg) => arg.startsWith('--role='))?.slice('--role='.length) ?? 'main';

interface SandboxInfo {
	baseUrl: string;
	accountId: number;
	token: string;
}

interface CaseSpec extends ImportCase {
	/** V8's old-space cap for the runner (`--max-old-space-size`), to show how little the import needs. */
	maxOldSpaceMb?: number;
}

interface CaseResult {
	spec: CaseSpec;
	totals: IDataObject;
	rate: IDataObject;
	wallSeconds: number;
	rss: { beforeItems: number; withItems: number; peak: number; quartiles: number[] };
	/** Heap in use after a full collection: with the items built, then at 25 / 50 / 75 / 100 % of the messages. */
	liveHeap: { withItems: number; quartiles: number[] };
	inChatwoot?: { messages: number; distinct: number };
}

// ---- sandbox child ---------------------------------------------------------------------------------------------

async function sandboxRole(): Promise<void> {
	const { startSandbox, DEFAULT_TOKENS } = await import('../test/sandbox');
	const sb = await startSandbox();
	const send = (message: unknown) => process.send?.(message);
	process.on('message', async (raw: unknown) => {
		const message = raw as { id: number; cmd: string; arg?: unknown };
		if (message.cmd === 'rateLimit') {
			sb.setRateLimit(message.arg as never);
			send({ id: message.id });
		} else if (message.cmd === 'count') {
			const prefix = `WAID:${String(message.arg)}`;
			const ids = sb.state.messages.map((m) => m.source_id).filter((id): id is string => !!id && id.startsWith(prefix));
			send({ id: message.id, value: { messages: ids.length, distinct: new Set(ids).size } });
		} else if (message.cmd === 'close') {
			await sb.close();
			send({ id: message.id });
			process.exit(0);
		}
	});
	send({ ready: { baseUrl: sb.baseUrl, accountId: sb.accountId, token: DEFAULT_TOKENS.admin } });
}

// ---- runner child: one import in a fresh process -------------------------------------------------------------

async function runnerRole(): Promise<void> {
	const spec = JSON.parse(process.env.BENCH_CASE as string) as CaseSpec;
	const sandbox = JSON.parse(process.env.BENCH_SANDBOX as string) as SandboxInfo;
	const { ChatwootBridgeIntegration } = await import('../nodes/ChatwootBridgeIntegration/ChatwootBridgeIntegration.node');
	const { executeContext, nodeHttpRequest } = await import('../test/support/fakeN8n');
	const gc = (globalThis as { gc?: () => void }).gc;
	const credentials = { baseUrl: sandbox.baseUrl, accountId: sandbox.accountId, apiAccessToken: sandbox.token };
	const node = new ChatwootBridgeIntegration();
	const instance = `bench-${spec.tag}`;

	const setCtx = executeContext({
		credentials,
		items: [{ json: {} }],
		parameters: {
			operation: 'set',
			instance,
			webhookUrl: '',
			inputMode: 'fields',
			name_inbox: `Bench ${spec.tag}`,
			enabled: true,
			auto_create: true,
			sign_msg: false,
			reopen_conversation: true,
			conversation_pending: false,
			ignore_groups: false,
			ignore_jids: '',
			// The import honours the integration's flags: a history import is asked for with them on.
			additionalFields: { days_limit_import_messages: 30, import_contacts: true, import_messages: true },
		},
	});
	await node.execute.call(setCtx as never);

	gc?.();
	const beforeItems = process.memoryUsage().rss;
	const now = Math.floor(Date.now() / 1000);
	// One item per record, as n8n's HTTP Request node splits a history answer; chats interleaved like a history.
	const items: INodeExecutionData[] = [];
	for (let message = 0; message < spec.perChat; message++) {
		for (let chat = 0; chat < spec.chats; chat++) items.push({ json: evolutionHistoryRecord(spec.tag, chat, message, now) as unknown as IDataObject });
	}
	gc?.();
	const withItems = process.memoryUsage().rss;
	const liveWithItems = process.memoryUsage().heapUsed;

	const parameters = { operation: 'import', instance, what: 'messages', gateway: 'evolution', days: 0, requestsPerMinute: spec.requestsPerMinute, options: {} };
	const ctx = executeContext({ credentials, items, parameters: {} });
	ctx.getNodeParameter = ((name: string, itemIndex: number, fallback?: unknown) =>
		name === 'records' ? items[itemIndex].json : ((parameters as Record<string, unknown>)[name] ?? fallback)) as typeof ctx.getNodeParameter;
	// The double's request log would grow with every request: n8n keeps no such log.
	ctx.helpers.httpRequestWithAuthentication = async (_type: string, options: IHttpRequestOptions) =>
		await nodeHttpRequest({ ...options, headers: { ...(options.headers as IDataObject), api_access_token: sandbox.token } });
	// The node's progress lines tell how far it is: take the live heap (after a full collection) at each quarter.
	const liveQuartiles: number[] = [];
	Object.assign(ctx, {
		logger: {
			info: (line: string) => {
				const match = /: (\d+)\/(\d+) messages/.exec(line);
				if (!match || !gc) return;
				const done = Number(match[1]) / Number(match[2]);
				if (liveQuartiles.length < 3 && done >= (liveQuartiles.length + 1) / 4) {
					gc();
					liveQuartiles.push(process.memoryUsage().heapUsed);
				}
			},
		},
	});

	const samples: Array<{ t: number; rss: number }> = [];
	const sampler = setInterval(() => samples.push({ t: Date.now(), rss: process.memoryUsage().rss }), 25);
	const started = Date.now();
	const [[summary]] = await node.execute.call(ctx as never);
	const wallSeconds = (Date.now() - started) / 1000;
	if (!summary.json.rate) throw new Error(`the import gave no rate: ${JSON.stringify(summary.json).slice(0, 2000)}`);
	clearInterval(sampler);
	samples.push({ t: Date.now(), rss: process.memoryUsage().rss });
	gc?.();
	liveQuartiles.push(process.memoryUsage().heapUsed);

	const quartiles = [0.25, 0.5, 0.75, 1].map((q) => {
		const until = started + q * (Date.now() - started);
		const upTo = samples.filter((sample) => sample.t <= until);
		return upTo.length ? Math.max(...upTo.map((sample) => sample.rss)) : withItems;
	});
	const result: Omit<CaseResult, 'inChatwoot'> = {
		spec,
		totals: summary.json.totals as IDataObject,
		rate: summary.json.rate as IDataObject,
		wallSeconds,
		rss: { beforeItems, withItems, peak: Math.max(withItems, ...samples.map((sample) => sample.rss)), quartiles },
		liveHeap: { withItems: liveWithItems, quartiles: liveQuartiles },
	};
	process.send?.({ result });
	process.exit(0);
}

// ---- orchestration -------------------------------------------------------------------------------------------

const TS_NODE = ['-r', 'ts-node/register/transpile-only'];

function startSandboxChild(): Promise<{ child: ChildProcess; info: SandboxInfo; call: (cmd: string, arg?: unknown) => Promise<unknown> }> {
	const child = fork(__filename, ['--role=sandbox'], { execArgv: TS_NODE });
	let nextId = 1;
	const pending = new Map<number, (value: unknown) => void>();
	return new Promise((resolve, reject) => {
		child.once('error', reject);
		child.on('message', (raw: unknown) => {
			const message = raw as { ready?: SandboxInfo; id?: number; value?: unknown };
			if (message.ready) {
				resolve({
					child,
					info: message.ready,
					call: (cmd, arg) =>
						new Promise((done) => {
							const id = nextId++;
							pending.set(id, done);
							child.send({ id, cmd, arg });
						}),
				});
			} else if (message.id !== undefined) {
				pending.get(message.id)?.(message.value);
				pending.delete(message.id);
			}
		});
	});
}

function runCase(spec: CaseSpec, sandbox: SandboxInfo): Promise<Omit<CaseResult, 'inChatwoot'>> {
	const child = fork(__filename, ['--role=runner'], {
		execArgv: ['--expose-gc', ...(spec.maxOldSpaceMb ? [`--max-old-space-size=${spec.maxOldSpaceMb}`] : []), ...TS_NODE],
		env: { ...process.env, BENCH_CASE: JSON.stringify(spec), BENCH_SANDBOX: JSON.stringify(sandbox) },
	});
	return new Promise((resolve, reject) => {
		child.on('message', (raw: unknown) => resolve((raw as { result: Omit<CaseResult, 'inChatwoot'> }).result));
		child.on('exit', (code) => (code === 0 ? undefined : reject(new Error(`case "${spec.name}" exited with ${code}`))));
	});
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

async function main(): Promise<void> {
	const sandbox = await startSandboxChild();
	const paced: CaseSpec = FULL
		? { name: 'paced at 3000 requests/min', tag: '11', chats: 200, perChat: 50, requestsPerMinute: 3000, sandboxLimit: 3000 }
		: { name: 'paced at 3000 requests/min', tag: '11', chats: 40, perChat: 50, requestsPerMinute: 3000, sandboxLimit: 3000 };
	const cases: CaseSpec[] = [
		paced,
		{ name: 'limit lifted', tag: '22', chats: 200, perChat: 50, requestsPerMinute: 0, sandboxLimit: null },
		{ name: 'limit lifted, 100 000 messages (memory)', tag: '33', chats: 2000, perChat: 50, requestsPerMinute: 0, sandboxLimit: null },
		{
			name: 'limit lifted, 100 000 messages, V8 old space capped at 256 MB',
			tag: '44',
			chats: 2000,
			perChat: 50,
			requestsPerMinute: 0,
			sandboxLimit: null,
			maxOldSpaceMb: 256,
		},
	];
	const results: CaseResult[] = [];
	for (const spec of cases) {
		await sandbox.call('rateLimit', spec.sandboxLimit ? { perMinute: spec.sandboxLimit, scope: 'ip' } : null);
		process.stderr.write(`running: ${spec.name}, ${spec.chats * spec.perChat} messages over ${spec.chats} chats…\n`);
		const result = await runCase(spec, sandbox.info);
		const inChatwoot = (await sandbox.call('count', spec.tag)) as CaseResult['inChatwoot'];
		results.push({ ...result, inChatwoot });
	}
	await sandbox.call('close');

	console.log('## Import speed (sandbox Chatwoot, 127.0.0.1, one item per history record)\n');
	console.log('| case | messages / chats | Chatwoot requests | calls per message | seconds | messages/s | vs limit | 429s | in Chatwoot (distinct) | goal |');
	console.log('|---|---|---|---|---|---|---|---|---|---|');
	for (const result of results) {
		const { spec, totals, rate } = result;
		const messages = spec.chats * spec.perChat;
		const perSecond = Number(rate.messages_per_second);
		const limitPerSecond = spec.requestsPerMinute / 60;
		const share = spec.requestsPerMinute ? (perSecond / limitPerSecond) * 100 : undefined;
		const lost = messages - Number(result.inChatwoot?.distinct ?? 0);
		const doubled = Number(result.inChatwoot?.messages ?? 0) - Number(result.inChatwoot?.distinct ?? 0);
		const goal = spec.requestsPerMinute
			? `≥ 90 % of ${limitPerSecond}/s: ${share! >= 90 ? 'met' : 'MISSED'}`
			: spec.chats * spec.perChat === 10_000
				? `≥ 500/s: ${perSecond >= 500 ? 'met' : 'MISSED'}`
				: '—';
		console.log(
			`| ${spec.name} | ${messages} / ${spec.chats} | ${rate.requests} | ${(Number(rate.requests) / messages).toFixed(3)} | ${Number(rate.seconds).toFixed(1)} | ${perSecond.toFixed(1)} | ${share === undefined ? '—' : `${share.toFixed(1)} % of ${limitPerSecond}/s`} | ${rate.throttled} | ${result.inChatwoot?.messages} (${result.inChatwoot?.distinct}); imported ${totals.imported}, failed ${totals.failed}, lost ${lost}, doubled ${doubled} | ${goal} |`,
		);
	}
	if (!FULL) {
		console.log(
			`\nThe paced case was measured over ${paced.chats * paced.perChat} messages / ${paced.chats} chats (same shape as 10 000 / 200: 50 per chat); \`--full\` measures all 10 000 (≈ 3.5 min).`,
		);
	}
	console.log('\n## Memory (RSS of the n8n side; input items built before the import starts)\n');
	const header =
		'| RSS before items | RSS with items (baseline) | peak RSS during import | peak − baseline | running peak RSS at 25 / 50 / 75 / 100 % of the time | live heap above baseline at 25 / 50 / 75 / 100 % of the messages |';
	const cellsOf = (result: CaseResult) => {
		const { rss, liveHeap } = result;
		const live = liveHeap.quartiles.map((bytes) => `${((bytes - liveHeap.withItems) / 1024 / 1024).toFixed(1)} MB`);
		return `${mb(rss.beforeItems)} | ${mb(rss.withItems)} | ${mb(rss.peak)} | ${mb(rss.peak - rss.withItems)} | ${rss.quartiles.map(mb).join(' / ')} | ${live.join(' / ')} |`;
	};
	console.log(`| messages ${header}`);
	console.log('|---|---|---|---|---|---|---|');
	for (const result of results.filter((r) => r.spec.requestsPerMinute === 0 && !r.spec.maxOldSpaceMb)) {
		console.log(`| ${result.spec.chats * result.spec.perChat} | ${cellsOf(result)}`);
	}
	const capped = results.filter((r) => r.spec.maxOldSpaceMb);
	if (capped.length) {
		console.log(`\nThe same import with V8's old space capped (\`--max-old-space-size\`):\n`);
		console.log(`| V8 old space cap | messages ${header}`);
		console.log('|---|---|---|---|---|---|---|---|');
		for (const result of capped) {
			console.log(`| ${result.spec.maxOldSpaceMb} MB | ${result.spec.chats * result.spec.perChat} | ${cellsOf(result)}`);
		}
	}
	console.log(
		[
			'',
			'Live heap = heap in use right after a full collection (what the import holds beyond the input items); RSS above it is',
			'garbage the collector has not returned yet: V8 lets its heap grow in proportion to the live heap (here mostly the 100 000',
			'input items) while allocation is fast. Capped at 256 MB of old space, the same import runs in a flat, much lower RSS.',
			'The import keeps one small index entry per message (time, id, a reference to its record), normalizes each message again',
			'when its chat is imported and drops a chat\'s index when the chat is done: what it holds does not grow as it goes.',
		].join('\n'),
	);
}

const roles: Record<string, () => Promise<void>> = { main, sandbox: sandboxRole, runner: runnerRole };
roles[ROLE]().catch((error) => {
	console.error(error);
	process.exit(1);
});
