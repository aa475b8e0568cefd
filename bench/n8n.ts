/**
 * Issue 7, rows 1 and 2, in one real n8n 2.8.4 against one sandbox Chatwoot (bench/lib/benchWorld.ts):
 * 1. Chatwoot calls per message for this package and for the naive @devlikeapro workflow: steady state 1:1, steady
 *    state group, first message of a new contact, an agent reply. Counted with the sandbox's request counters around
 *    each phase, after n8n went quiet; the benchmark's own setup requests fall outside every phase.
 * 2. Throughput, webhook in → message in the sandbox: this package, the naive workflow and the floor (one HTTP POST),
 *    interleaved rounds, median msgs/s per workflow.
 *
 * Run alone: npx ts-node --transpile-only bench/n8n.ts (needs `npm run build` first); prints JSON.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { writeConversationPointer } from '../nodes/shared/bridge/conversationPointer';
import { INTEGRATION_CACHE_TTL_MS } from '../nodes/shared/bridge/integration/cache';
import { INTEGRATION_ATTRIBUTE } from '../nodes/shared/bridge/integration/config';
import { ChatwootClient } from '../nodes/shared/chatwoot/client';
import { createNodeSend } from '../test/support/nodeSend';
import { startBenchWorld, WORKFLOWS, type BenchWorld } from './lib/benchWorld';
import { N8nProfiler, PROFILER_PRELOAD } from './lib/cpuProfile';
import { diffCounts, fire, median, quiet, token, waitForTokens, waitUntil, type Counts } from './lib/measure';
import { evolutionText, groupJid, personJid } from './lib/payloads';
import { groupCpuSeconds } from './lib/procCpu';
import { progress } from './lib/progress';

export interface N8nBenchOptions {
	newContacts: number;
	steadyMessages: number;
	groupMessages: number;
	agentReplies: number;
	/** Concurrency of the calls phases (webhooks in flight). */
	callsConcurrency: number;
	throughputMessages: number;
	throughputChats: number;
	throughputConcurrency: number;
	throughputRounds: number;
	/** Extra environment for n8n; empty for the table (n8n as users run it). */
	n8nEnv: Record<string, string>;
	/** After the counted rounds, one more round per workflow under V8's CPU profiler (n8n's CPU by package). */
	profile: boolean;
}

export const DEFAULT_N8N_OPTIONS: N8nBenchOptions = {
	newContacts: 20,
	steadyMessages: 100,
	groupMessages: 100,
	agentReplies: 20,
	callsConcurrency: 5,
	throughputMessages: 300,
	throughputChats: 10,
	throughputConcurrency: 10,
	throughputRounds: 5,
	n8nEnv: {},
	profile: false,
};

export type Side = 'ours' | 'naive';
export type CallsCase = 'steady' | 'group' | 'newContact' | 'agentReply';

export interface PhaseCalls {
	messages: number;
	perMessage: number;
	/** Cached reads of the inbox (integration settings, trigger's signing secret): GET /inboxes, GET /inboxes/:id. */
	lookupsPerMessage: number;
	byEndpoint: Counts;
}

export interface ThroughputRun {
	messages: number;
	seconds: number;
	perSecond: number;
	/** Seconds until n8n had answered every webhook (it answers before running the workflow). */
	acceptedSeconds: number;
	/** CPU time of n8n's process group per message (Linux /proc), including its execution bookkeeping. */
	n8nCpuMsPerMessage?: number;
	/** CPU time of this process (sandbox Chatwoot + webhook sender) per message. */
	benchCpuMsPerMessage: number;
	/** Chatwoot requests per message during the run. */
	callsPerMessage: number;
}

export interface N8nBenchResult {
	n8nVersion: string;
	naivePackage: string;
	options: N8nBenchOptions;
	calls: Record<CallsCase, Record<Side, PhaseCalls>>;
	/**
	 * Ours only: returning senders this n8n process never saw (another worker, a restart), with and without pointer;
	 * then, on those chats, phone-typed messages and the `conversation_pending` setting, which read the status.
	 */
	returning: { withPointer: PhaseCalls; withoutPointer: PhaseCalls; phoneTyped: PhaseCalls; pendingSetting: PhaseCalls };
	throughput: Record<
		'ours' | 'naive' | 'floor',
		{ runs: ThroughputRun[]; medianPerSecond: number; medianN8nCpuMs?: number; profile?: Record<string, number> }
	>;
	timings: Record<string, number>;
}

const CHAT_PREFIX: Record<Side, string> = { ours: '5511', naive: '5521' };
const GROUP: Record<Side, number> = { ours: 1, naive: 2 };
const LANDING_TIMEOUT_MS = 300_000;

function isLookup(endpoint: string): boolean {
	return /^GET \S*\/inboxes(\/:[a-z_]+)?$/.test(endpoint);
}

function summarize(byEndpoint: Counts, messages: number): PhaseCalls {
	const total = byEndpoint.total ?? 0;
	const lookups = Object.entries(byEndpoint)
		.filter(([endpoint]) => isLookup(endpoint))
		.reduce((sum, [, count]) => sum + count, 0);
	return { messages, perMessage: total / messages, lookupsPerMessage: lookups / messages, byEndpoint };
}

/** The last failed execution of a workflow, to say why messages did not arrive. */
async function lastFailure(w: BenchWorld, workflowId: string): Promise<string> {
	try {
		const executions = await w.api.executions(workflowId, true);
		const failed = executions.reverse().find((execution) => execution.status !== 'success');
		if (!failed) return `${executions.length} executions, none failed`;
		return JSON.stringify(failed.data?.resultData.error ?? failed.status).slice(0, 1_500);
	} catch (error) {
		return `(could not read executions: ${(error as Error).message})`;
	}
}

/** Sends gateway events to one side's inbound workflow and counts the Chatwoot calls they cause. */
async function inboundPhase(w: BenchWorld, side: Side, phase: string, bodies: Array<{ body: unknown; token: string }>, concurrency: number): Promise<PhaseCalls> {
	await quiet(w.sb);
	const before = w.sb.requestCounts;
	const since = w.sb.dispatchedEvents.length;
	const fired = await fire(bodies.map(({ body }) => ({ url: w.urls[side], body })), concurrency);
	if (fired.failures.length) throw new Error(`${side} ${phase}: ${fired.failures.length} webhooks refused: ${fired.failures[0]}`);
	try {
		await waitForTokens(w.sb, bodies.map((entry) => entry.token), since, LANDING_TIMEOUT_MS);
	} catch (error) {
		const workflow = side === 'ours' ? WORKFLOWS.oursIn : WORKFLOWS.naiveIn;
		throw new Error(`${side} ${phase}: ${(error as Error).message}; last failure: ${await lastFailure(w, workflow)}`);
	}
	await quiet(w.sb);
	const calls = summarize(diffCounts(before, w.sb.requestCounts), bodies.length);
	progress(`calls: ${side} ${phase}: ${calls.perMessage.toFixed(3)} per message (${JSON.stringify(calls.byEndpoint)})`);
	return calls;
}

function textBodies(
	phase: string,
	count: number,
	chatOf: (i: number) => { chat: string; participant?: string },
	extra: { fromMe?: boolean; timestamp?: number } = {},
) {
	return Array.from({ length: count }, (_, i) => {
		const tag = token(phase, i);
		const { chat, participant } = chatOf(i);
		return { token: tag, body: evolutionText(`BM${phase.toUpperCase()}${i}`, chat, { participant, text: `hello ${tag}`, ...extra }) };
	});
}

/** The conversation each chat's messages went to last, per inbox (display ids). */
function latestConversation(w: BenchWorld, inboxId: number, jid: string): number {
	const state = w.sb.state;
	const contactInboxes = new Set(state.contactInboxes.filter((row) => row.inbox_id === inboxId && row.source_id === jid).map((row) => row.id));
	const conversations = state.conversations.filter((row) => contactInboxes.has(row.contact_inbox_id)).sort((a, b) => b.id - a.id);
	if (!conversations.length) throw new Error(`no conversation for ${jid} in inbox ${inboxId}`);
	return conversations[0].display_id;
}

/** Agents answer in the dashboard; Chatwoot's webhook runs each side's outbound workflow to the gateway. */
async function agentReplyPhase(w: BenchWorld, side: Side, count: number, chats: number): Promise<PhaseCalls> {
	await quiet(w.sb);
	const inbox = w.inboxes[side].id;
	const conversations = Array.from({ length: Math.min(chats, count) }, (_, i) => latestConversation(w, inbox, personJid(i, CHAT_PREFIX[side])));
	const before = w.sb.requestCounts;
	const gatewayBefore = w.gateway.requests.length;
	const replies = Array.from({ length: count }, (_, i) =>
		w.sb.agentReply(conversations[i % conversations.length], { content: `agent answer ${token(`ar${side}`, i)}` }),
	);
	const tokens = new Set(replies.map((reply) => reply.content!.match(/bm-\S+/)![0]));
	const sent = () => w.gateway.requests.slice(gatewayBefore).filter((request) => tokens.has(String(request.body.text ?? '').match(/bm-\S+/)?.[0] ?? ''));
	try {
		await waitUntil(`${count} agent replies at the gateway`, () => sent().length >= count, LANDING_TIMEOUT_MS);
		if (side === 'ours') {
			// Report Send Result marks each reply sent in Chatwoot: that PATCH is part of the path.
			const ids = new Set(replies.map((reply) => reply.id));
			await waitUntil(
				'the send results in Chatwoot',
				() => w.sb.state.messages.filter((message) => ids.has(message.id) && message.status === 'sent').length === count,
				LANDING_TIMEOUT_MS,
			);
		}
	} catch (error) {
		const workflow = side === 'ours' ? WORKFLOWS.oursOut : WORKFLOWS.naiveOut;
		throw new Error(`${side} agent replies: ${(error as Error).message}; last failure: ${await lastFailure(w, workflow)}`);
	}
	await quiet(w.sb);
	const calls = summarize(diffCounts(before, w.sb.requestCounts), count);
	progress(`calls: ${side} agent reply: ${calls.perMessage.toFixed(3)} per reply (${JSON.stringify(calls.byEndpoint)})`);
	return calls;
}

/**
 * Returning senders this n8n process has never seen: their contact and open conversation were made through the API
 * (as another worker or an earlier run of n8n would have), half with the contact's conversation pointer written,
 * half without (contacts from before the pointer existed: listed once, then pointed). Their last message is older
 * than the clock allowance (60 s), as a returning sender's is.
 */
async function returningPhases(w: BenchWorld, count: number): Promise<N8nBenchResult['returning']> {
	const client = ChatwootClient.over(createNodeSend({ baseUrl: w.sb.baseUrl, token: w.sb.tokens.admin }), {
		baseUrl: w.sb.baseUrl,
		accountId: w.sb.accountId,
		sleep: async () => undefined,
	});
	const inboxId = w.inboxes.ours.id;
	const seed = async (jid: string, pointer: boolean) => {
		const { contact } = await client.createContact({ inboxId, sourceId: jid, name: jid, identifier: jid });
		const conversation = await client.createConversation({
			inboxId,
			contactId: contact.id,
			sourceId: jid,
			status: 'open',
			message: { content: 'earlier message', messageType: 'incoming', sourceId: `WAID:SEED${jid.split('@')[0]}` },
		});
		if (pointer) await writeConversationPointer(client, contact.id, contact.additional_attributes, inboxId, conversation.id);
	};
	const withPointer = (i: number) => ({ chat: personJid(700 + i, CHAT_PREFIX.ours) });
	const withoutPointer = (i: number) => ({ chat: personJid(800 + i, CHAT_PREFIX.ours) });
	for (let i = 0; i < count; i++) {
		await seed(withPointer(i).chat, true);
		await seed(withoutPointer(i).chat, false);
	}
	progress('calls: waiting 61 s, so the seeded messages are older than the clock allowance');
	await new Promise((resolve) => setTimeout(resolve, 61_000));
	// Written now, as a returning sender's new message is.
	const now = { timestamp: Math.floor(Date.now() / 1000) };
	const result = {
		withPointer: await inboundPhase(w, 'ours', 'returning, pointer', textBodies('rp', count, withPointer, now), 1),
		withoutPointer: await inboundPhase(w, 'ours', 'returning, no pointer', textBodies('rn', count, withoutPointer, now), 1),
		phoneTyped: await inboundPhase(w, 'ours', 'phone-typed (fromMe)', textBodies('pt', count, withPointer, { ...now, fromMe: true }), 1),
		pendingSetting: await withSettings(w, { conversation_pending: true }, () =>
			inboundPhase(w, 'ours', 'conversation_pending on', textBodies('cp', count, withPointer, now), 1),
		),
	};
	return result;
}

/** Runs `work` with other integration settings on our inbox (after the 30 s settings cache), then restores them. */
async function withSettings<T>(w: BenchWorld, settings: Record<string, unknown>, work: () => Promise<T>): Promise<T> {
	const inbox = w.sb.state.inboxes.find((row) => row.id === w.inboxes.ours.id)!;
	const original = inbox.additional_attributes;
	const record = original[INTEGRATION_ATTRIBUTE] as { settings: Record<string, unknown> };
	const changed = { ...original, [INTEGRATION_ATTRIBUTE]: { ...record, settings: { ...record.settings, ...settings } } };
	const cacheExpiry = () => new Promise((resolve) => setTimeout(resolve, INTEGRATION_CACHE_TTL_MS + 1_000));
	w.sb.updateInbox(inbox.id, { additional_attributes: changed });
	progress(`calls: settings ${JSON.stringify(settings)}; waiting for the 30 s settings cache`);
	await cacheExpiry();
	try {
		return await work();
	} finally {
		w.sb.updateInbox(inbox.id, { additional_attributes: original });
		await cacheExpiry();
	}
}

async function callsFor(w: BenchWorld, side: Side, o: N8nBenchOptions): Promise<Record<CallsCase, PhaseCalls>> {
	const prefix = CHAT_PREFIX[side];
	const person = (i: number) => ({ chat: personJid(i % o.newContacts, prefix) });
	// Not counted: the first execution after boot fills the per-process caches (integration settings) that a running
	// bridge has; a chat of its own, so every counted new contact is still new.
	await inboundPhase(w, side, 'warm-up', textBodies(`w${side}`, 1, () => ({ chat: personJid(9_999, prefix) })), 1);
	const newContact = await inboundPhase(w, side, 'new contact', textBodies(`n${side}`, o.newContacts, person), o.callsConcurrency);
	const steady = await inboundPhase(w, side, 'steady 1:1', textBodies(`s${side}`, o.steadyMessages, person), o.callsConcurrency);
	const group = groupJid(GROUP[side]);
	const member = (i: number) => ({ chat: group, participant: personJid(500 + (i % 9), prefix) });
	await inboundPhase(w, side, 'group warm-up', textBodies(`gw${side}`, 1, member), 1);
	const groupCalls = await inboundPhase(w, side, 'steady group', textBodies(`g${side}`, o.groupMessages, member), o.callsConcurrency);
	const agentReply = await agentReplyPhase(w, side, o.agentReplies, o.newContacts);
	return { steady, group: groupCalls, newContact, agentReply };
}

/** Conversations in the floor inbox for the floor workflow to post into (setup: before any phase counts). */
async function floorConversations(w: BenchWorld, chats: number): Promise<number[]> {
	const ids: number[] = [];
	for (let i = 0; i < chats; i++) {
		const jid = personJid(i, '5531');
		const { contact } = await w.sb.createContact({ name: `Floor ${i}`, identifier: jid, inboxId: w.inboxes.floor.id, sourceId: jid });
		const response = await fetch(`${w.sb.baseUrl}/api/v1/accounts/${w.sb.accountId}/conversations`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', api_access_token: w.sb.tokens.admin },
			body: JSON.stringify({ source_id: jid, inbox_id: w.inboxes.floor.id, contact_id: contact.id }),
		});
		const json = (await response.json()) as { id?: number };
		if (!response.ok || !json.id) throw new Error(`floor conversation: ${response.status} ${JSON.stringify(json)}`);
		ids.push(json.id);
	}
	return ids;
}

async function throughputRun(w: BenchWorld, target: 'ours' | 'naive' | 'floor', round: number, o: N8nBenchOptions, floorIds: number[]): Promise<ThroughputRun> {
	await quiet(w.sb, 1_000);
	const phase = `t${target}${round < 0 ? 'w' : round >= o.throughputRounds ? 'p' : round}`;
	const deliveries = Array.from({ length: o.throughputMessages }, (_, i) => {
		const chat = i % o.throughputChats;
		const tag = token(phase, i);
		if (target === 'floor') {
			const body = evolutionText(`BM${phase.toUpperCase()}${i}`, personJid(chat, '5531'), { text: `hello ${tag}` });
			return { token: tag, url: `${w.urls.floor}?c=${floorIds[chat]}`, body };
		}
		const body = evolutionText(`BM${phase.toUpperCase()}${i}`, personJid(chat, CHAT_PREFIX[target]), { text: `hello ${tag}` });
		return { token: tag, url: w.urls[target], body };
	});
	const since = w.sb.dispatchedEvents.length;
	const countsBefore = w.sb.requestCounts;
	const cpuBefore = groupCpuSeconds(w.n8n.child.pid);
	const ownBefore = process.cpuUsage();
	const fired = await fire(deliveries, o.throughputConcurrency);
	if (fired.failures.length) throw new Error(`throughput ${target}: ${fired.failures.length} webhooks refused: ${fired.failures[0]}`);
	let landed;
	try {
		landed = await waitForTokens(w.sb, deliveries.map((entry) => entry.token), since, LANDING_TIMEOUT_MS);
	} catch (error) {
		const workflow = { ours: WORKFLOWS.oursIn, naive: WORKFLOWS.naiveIn, floor: WORKFLOWS.floor }[target];
		throw new Error(`throughput ${target}: ${(error as Error).message}; last failure: ${await lastFailure(w, workflow)}`);
	}
	const seconds = (landed.lastAt - fired.startedAt) / 1_000;
	// n8n finishes its bookkeeping (saving the execution) after the last Chatwoot call: let it settle before reading.
	await quiet(w.sb, 500);
	const cpuAfter = groupCpuSeconds(w.n8n.child.pid);
	const own = process.cpuUsage(ownBefore);
	const calls = diffCounts(countsBefore, w.sb.requestCounts);
	const run: ThroughputRun = {
		messages: o.throughputMessages,
		seconds,
		perSecond: o.throughputMessages / seconds,
		acceptedSeconds: (fired.answeredAt - fired.startedAt) / 1_000,
		n8nCpuMsPerMessage: cpuBefore === undefined || cpuAfter === undefined ? undefined : ((cpuAfter - cpuBefore) * 1_000) / o.throughputMessages,
		benchCpuMsPerMessage: (own.user + own.system) / 1_000 / o.throughputMessages,
		callsPerMessage: (calls.total ?? 0) / o.throughputMessages,
	};
	if (run.callsPerMessage > (target === 'naive' ? 3 : 1) * 1.05) progress(`throughput: ${target}: Chatwoot calls ${JSON.stringify(calls)}`);
	const cpu = run.n8nCpuMsPerMessage === undefined ? '' : `; ${run.callsPerMessage.toFixed(2)} Chatwoot calls/msg; n8n CPU ${run.n8nCpuMsPerMessage.toFixed(2)} ms/msg, sandbox+sender ${run.benchCpuMsPerMessage.toFixed(2)} ms/msg`;
	const label = round < 0 ? 'warm-up (not counted)' : round >= o.throughputRounds ? 'profiled run (not counted)' : `round ${round + 1}`;
	progress(`throughput: ${target} ${label}: ${run.perSecond.toFixed(1)} msgs/s (${seconds.toFixed(2)} s; webhooks answered in ${run.acceptedSeconds.toFixed(2)} s${cpu})`);
	return run;
}

export async function runN8nBench(options: Partial<N8nBenchOptions> = {}): Promise<N8nBenchResult> {
	const o = { ...DEFAULT_N8N_OPTIONS, ...options };
	if (o.throughputChats > o.newContacts) throw new Error('throughputChats must not exceed newContacts (the chats that exist)');
	const profileDir = o.profile ? fs.mkdtempSync(path.join(os.tmpdir(), 'chatwoot-bridge-bench-profile-')) : undefined;
	const n8nEnv = profileDir ? { ...o.n8nEnv, NODE_OPTIONS: `--require "${PROFILER_PRELOAD}"`, BENCH_PROFILE_DIR: profileDir } : o.n8nEnv;
	const w = await startBenchWorld({ n8nEnv });
	try {
		const started = Date.now();
		const ours = await callsFor(w, 'ours', o);
		const naive = await callsFor(w, 'naive', o);
		const returning = await returningPhases(w, o.newContacts);
		w.timings.callsPhases = Date.now() - started;

		// Throughput measures the inbound path only: Chatwoot's webhooks to the outbound workflows are switched off
		// meanwhile (they would run the naive outbound workflow once per Chatwoot event, and wake our trigger).
		const floorIds = await floorConversations(w, o.throughputChats);
		// The floor has not run yet: its first executions load the HTTP Request node and warm its code paths, which
		// the calls phases already did for the other two. Not timed.
		await throughputRun(w, 'floor', -1, { ...o, throughputMessages: 20 }, floorIds);
		const hooks = { ours: w.sb.state.inboxes.find((row) => row.id === w.inboxes.ours.id)!.webhook_url, naive: w.inboxes.naive.webhook_url };
		w.sb.updateInbox(w.inboxes.ours.id, { webhook_url: null });
		w.sb.updateInbox(w.inboxes.naive.id, { webhook_url: null });
		// The flood guard (200 messages per conversation per minute) is not what this row measures.
		w.sb.setConversationMessageLimit(1_000_000);
		const targets = ['ours', 'naive', 'floor'] as const;
		const runs: Record<(typeof targets)[number], ThroughputRun[]> = { ours: [], naive: [], floor: [] };
		const throughputStarted = Date.now();
		for (let round = 0; round < o.throughputRounds; round++) {
			// Rotate the order, so a slow drift (growing n8n database, other load) does not favour one workflow.
			for (let k = 0; k < targets.length; k++) {
				const target = targets[(k + round) % targets.length];
				runs[target].push(await throughputRun(w, target, round, o, floorIds));
			}
		}
		w.timings.throughput = Date.now() - throughputStarted;
		const profiles: Partial<Record<(typeof targets)[number], Record<string, number>>> = {};
		if (profileDir) {
			const profiler = new N8nProfiler(w.n8n.child.pid!, profileDir);
			for (const target of targets) {
				profiler.start();
				await throughputRun(w, target, o.throughputRounds, o, floorIds);
				profiles[target] = await profiler.stop();
				progress(`profile: ${target}: ${Object.entries(profiles[target]!).slice(0, 6).map(([key, share]) => `${key} ${(share * 100).toFixed(1)} %`).join(', ')}`);
			}
		}
		w.sb.updateInbox(w.inboxes.ours.id, { webhook_url: hooks.ours });
		w.sb.updateInbox(w.inboxes.naive.id, { webhook_url: hooks.naive });
		const throughput = Object.fromEntries(
			targets.map((target) => {
				const cpu = runs[target].map((run) => run.n8nCpuMsPerMessage).filter((value): value is number => value !== undefined);
				return [
					target,
					{
						runs: runs[target],
						medianPerSecond: median(runs[target].map((run) => run.perSecond)),
						medianN8nCpuMs: cpu.length ? median(cpu) : undefined,
						profile: profiles[target],
					},
				];
			}),
		) as N8nBenchResult['throughput'];

		const calls = Object.fromEntries(
			(['steady', 'group', 'newContact', 'agentReply'] as const).map((key) => [key, { ours: ours[key], naive: naive[key] }]),
		) as N8nBenchResult['calls'];
		if (w.sb.serverErrors.length) progress(`WARNING: sandbox errors: ${w.sb.serverErrors.map((error) => error.message).join('; ')}`);
		return {
			n8nVersion: w.n8nVersion,
			naivePackage: `${w.naivePackage.name}@${w.naivePackage.version}`,
			options: o,
			returning,
			calls,
			throughput,
			timings: w.timings,
		};
	} finally {
		await w.close();
		if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
	}
}

if (require.main === module) {
	runN8nBench()
		.then((result) => console.log(JSON.stringify(result, null, 2)))
		.catch((error) => {
			console.error(error);
			process.exitCode = 1;
		});
}
