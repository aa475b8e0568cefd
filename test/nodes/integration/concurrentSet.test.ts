/**
 * One inbox per instance when first Sets race: inside one process they queue (same account, same instance); across
 * processes (two n8n workers, each with its own module state) the later creator sees the earlier inbox, deletes its
 * own and writes its settings to the earlier one, so agents never see an empty duplicate.
 */
import { INTEGRATION_ATTRIBUTE, parseIntegrationSettings } from '../../../nodes/shared/bridge/integration/config';
import type * as Store from '../../../nodes/shared/bridge/integration/save';
import { ChatwootClient } from '../../../nodes/shared/chatwoot/client';
import type { ChatwootRequest, SendRequest } from '../../../nodes/shared/chatwoot/request';
import { createChatwootHttp } from '../../../nodes/shared/chatwoot/retry';
import type { Sandbox } from '../../sandbox';
import { createNodeSend } from '../../support/nodeSend';
import { fakeSleep } from '../../support/recordingSend';
import { INBOX_NAME, INSTANCE, startHarness, type Harness } from './harness';

/** The API inboxes holding the instance's integration, and every inbox of that name, as an agent's sidebar shows them. */
function inboxesOf(sb: Sandbox) {
	const named = sb.state.inboxes.filter((inbox) => inbox.name.startsWith(INBOX_NAME));
	const bound = named.filter((inbox) => (inbox.additional_attributes[INTEGRATION_ATTRIBUTE] as { instance?: string } | undefined)?.instance === INSTANCE);
	return { named, bound };
}

/** A fresh copy of the store module: what a second n8n process has (its own queue of Sets). */
function storeOfAnotherProcess(): typeof Store {
	let store: typeof Store | undefined;
	jest.isolateModules(() => {
		store = jest.requireActual<typeof Store>('../../../nodes/shared/bridge/integration/save');
	});
	return store!;
}

/** A client whose first inbox listing waits for the other process's, so both decide "no inbox yet" together. */
function racingClient(sb: Sandbox, barrier: { arrived: number; release?: () => void; gate: Promise<void> }, log: ChatwootRequest[]) {
	const nodeSend = createNodeSend({ baseUrl: sb.baseUrl, token: sb.tokens.admin, timeoutMs: 5000 });
	let first = true;
	const send: SendRequest = async (request) => {
		log.push(request);
		const answer = await nodeSend(request);
		if (first && request.method === 'GET' && /\/inboxes$/.test(request.path)) {
			first = false;
			barrier.arrived += 1;
			if (barrier.arrived === 2) barrier.release!();
			await barrier.gate;
		}
		return answer;
	};
	const http = createChatwootHttp(send, { baseUrl: sb.baseUrl, accountId: sb.accountId, sleep: fakeSleep(), secrets: [sb.tokens.admin] });
	return new ChatwootClient({ http, accountId: sb.accountId });
}

describe('concurrent first Sets of one instance', () => {
	let h: Harness;
	beforeEach(async () => {
		h = await startHarness();
	});
	afterEach(async () => {
		await h.close();
	});

	it('in one process: two simultaneous Sets make one POST /inboxes and leave exactly one inbox', async () => {
		const [a, b] = await Promise.all([
			h.run('set', { additionalFields: { organization: 'first' } }),
			h.run('set', { additionalFields: { organization: 'second' } }),
		]);
		expect(h.sb.requestCounts['POST /api/v1/accounts/:account_id/inboxes'] ?? 0).toBe(1);
		const { named, bound } = inboxesOf(h.sb);
		expect(named).toHaveLength(1);
		expect(bound).toHaveLength(1);
		expect([a[0].json.inbox_created, b[0].json.inbox_created]).toEqual([true, false]);
		expect(b[0].json.inbox).toEqual(a[0].json.inbox);
		// Queued in order: the second Set's settings are the ones stored.
		expect((bound[0].additional_attributes[INTEGRATION_ATTRIBUTE] as any).settings.organization).toBe('second');
	});

	it('in two processes: both create an inbox, the later one deletes its own; one inbox stays, holding the integration', async () => {
		let release: () => void = () => undefined;
		const barrier = { arrived: 0, release: undefined as undefined | (() => void), gate: new Promise<void>((resolve) => (release = resolve)) };
		barrier.release = release;
		const logs: ChatwootRequest[][] = [[], []];
		const settings = (organization: string) => parseIntegrationSettings({ name_inbox: INBOX_NAME, organization });
		const workers = [storeOfAnotherProcess(), storeOfAnotherProcess()];
		const results = await Promise.all(
			workers.map((store, index) =>
				store.saveIntegration(racingClient(h.sb, barrier, logs[index]), {
					instance: INSTANCE,
					settings: settings(`worker ${index + 1}`),
					accountId: h.sb.accountId,
					chatwoot: h.sb.baseUrl,
				}),
			),
		);
		// Both really raced: each worker created an inbox.
		expect(logs.map((log) => log.filter((request) => request.method === 'POST' && /\/inboxes$/.test(request.path)).length)).toEqual([1, 1]);
		await h.sb.idle();

		const { named, bound } = inboxesOf(h.sb);
		expect(named).toHaveLength(1);
		expect(bound).toHaveLength(1);
		const kept = bound[0];
		const loser = results.find((result) => result.duplicateInbox)!;
		const winner = results.find((result) => !result.duplicateInbox)!;
		expect(loser.duplicateInbox).toEqual({ id: expect.any(Number), deleted: true });
		expect(loser.duplicateInbox!.id).toBeGreaterThan(kept.id);
		expect([winner.inbox.id, loser.inbox.id]).toEqual([kept.id, kept.id]);
		expect(loser.inboxCreated).toBe(false);
		// One integration id for the instance; the later writer's settings are stored.
		expect(loser.record.integration_id).toBe(winner.record.integration_id);
		expect((kept.additional_attributes[INTEGRATION_ATTRIBUTE] as any).settings.organization).toBe(loser.record.settings!.organization);
	});

	it('a later Set of the same instance changes nothing more', async () => {
		await Promise.all([h.run('set', {}), h.run('set', {})]);
		h.sb.resetCounts();
		await h.run('set', {});
		expect(h.writes()).toBe(0);
		expect(inboxesOf(h.sb).named).toHaveLength(1);
	});
});
