/**
 * Several n8n workers (queue mode) share nothing but Chatwoot. Each "worker" here has its own memory, so the
 * in-process lock cannot help: Chatwoot's unique indexes and the planner's convergence must.
 */
import { storeAgentLink } from '../../../nodes/shared/bridge/agentLinks';
import { InboxMemory } from '../../../nodes/shared/bridge/bridgeMemory';
import { syncInboundEvent, type InboundSyncContext } from '../../../nodes/shared/bridge/inboundSync';
import { parseIntegrationSettings } from '../../../nodes/shared/bridge/integration/config';
import { ChatwootClient } from '../../../nodes/shared/chatwoot/client';
import type { InboundEvent } from '../../../nodes/shared/whatsapp/event';
import { startSandbox, type Sandbox } from '../../sandbox';
import { createNodeSend } from '../../support/nodeSend';

const settings = parseIntegrationSettings({ name_inbox: 'Workers' });
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A worker whose conversation creates reach Chatwoot `stallMs` late (a busy event loop, a GC pause, a slow link). */
function worker(sb: Sandbox, inboxId: number, checkAcrossWorkers = false, stallMs = 0): InboundSyncContext {
	const send = createNodeSend({ baseUrl: sb.baseUrl, token: sb.tokens.admin });
	const stalled: typeof send = async (request) => {
		if (stallMs && request.method === 'POST' && /\/conversations$/.test(request.path)) await sleep(stallMs);
		return send(request);
	};
	const client = ChatwootClient.over(stalled, {
		baseUrl: sb.baseUrl,
		accountId: sb.accountId,
		sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
	});
	return {
		client,
		inboxId,
		memory: new InboxMemory(),
		settings,
		sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
		loadMedia: async () => {
			throw new Error('no media in this test');
		},
		onMediaFailure: 'placeholder',
		mirrorApiSends: false,
		checkAcrossWorkers,
	};
}

function textEvent(id: string, text: string): InboundEvent {
	return {
		gateway: 'evolution',
		kind: 'message',
		whatsappId: id,
		chat: { jid: '5511988887777@s.whatsapp.net', phone: '+5511988887777', isGroup: false, name: 'Ana' },
		fromMe: false,
		sender: { jid: '5511988887777@s.whatsapp.net', phone: '+5511988887777', name: 'Ana' },
		timestamp: 1767261600,
		text,
	};
}

describe('exactly once across workers that share only Chatwoot', () => {
	let sb: Sandbox;
	let inboxId: number;
	beforeEach(async () => {
		// Latency spreads each request over time, so twenty creates really overlap inside the sandbox.
		sb = await startSandbox({ latencyMs: 15 });
		inboxId = sb.createInbox({ name: 'Workers' }).id;
	});
	afterEach(async () => {
		await sb.close();
	});

	it('twenty first messages of a new contact on twenty workers: one contact, one conversation, twenty messages', async () => {
		const outcomes = await Promise.all(
			Array.from({ length: 20 }, (_, index) =>
				syncInboundEvent(worker(sb, inboxId), textEvent(`W${index}`, `message ${index}`)),
			),
		);
		const state = sb.state;
		expect(state.contacts).toHaveLength(1);
		expect(state.contactInboxes).toHaveLength(1);
		const unresolved = state.conversations.filter((conversation) => conversation.status !== 'resolved');
		expect(unresolved).toHaveLength(1);
		const live = state.messages.filter(
			(message) => message.conversation_id === unresolved[0].id && !message.content_attributes.deleted,
		);
		expect(live.map((message) => message.source_id).sort()).toEqual(
			Array.from({ length: 20 }, (_, index) => `WAID:W${index}`).sort(),
		);
		expect(new Set(outcomes.map((outcome) => outcome.conversationId))).toEqual(new Set([unresolved[0].display_id]));
	});

	/** Worker A creates the contact, then stalls before its conversation lands; worker B meets the fresh contact. */
	async function creatorStalls(stallMs: number, checkAcrossWorkers: boolean) {
		const creator = syncInboundEvent(worker(sb, inboxId, checkAcrossWorkers, stallMs), textEvent('STALL1', 'first'));
		while (!sb.state.contactInboxes.length) await sleep(5);
		const second = await syncInboundEvent(worker(sb, inboxId, checkAcrossWorkers), textEvent('STALL2', 'second'));
		const first = await creator;
		const unresolved = sb.state.conversations.filter((conversation) => conversation.status !== 'resolved');
		const live = sb.state.messages.filter((message) => message.message_type === 'incoming' && !message.content_attributes.deleted);
		return { first, second, unresolved, live };
	}

	it('a worker that meets a contact created a moment ago waits for its conversation instead of making a second', async () => {
		const { first, second, unresolved, live } = await creatorStalls(400, false);
		expect(unresolved).toHaveLength(1);
		expect(sb.state.conversations).toHaveLength(1);
		expect(live.map((message) => [message.source_id, message.conversation_id])).toEqual([
			['WAID:STALL1', unresolved[0].id],
			['WAID:STALL2', unresolved[0].id],
		]);
		expect([first.conversationCreated, second.conversationCreated]).toEqual([true, false]);
	});

	it('a creator stalled longer than that wait converges too when the cross-worker check is on', async () => {
		const { first, second, unresolved, live } = await creatorStalls(1500, true);
		expect(unresolved).toHaveLength(1);
		expect(live.map((message) => message.conversation_id)).toEqual([unresolved[0].id, unresolved[0].id]);
		expect(live.map((message) => message.source_id).sort()).toEqual(['WAID:STALL1', 'WAID:STALL2']);
		expect(first.conversationId).toBe(second.conversationId);
	});

	it('without the check, a creator stalled past the wait leaves two open conversations (the documented limit)', async () => {
		const { unresolved } = await creatorStalls(1500, false);
		expect(unresolved).toHaveLength(2);
	});

	it('the same event on three workers at the same moment: one copy stays when the cross-worker check is on', async () => {
		await syncInboundEvent(worker(sb, inboxId), textEvent('WARM1', 'first')); // contact and conversation exist
		const outcomes = await Promise.all(
			[1, 2, 3].map(() => syncInboundEvent(worker(sb, inboxId, true), textEvent('SAME2', 'hello'))),
		);
		const live = sb.state.messages.filter((m) => m.source_id === 'WAID:SAME2' && !m.content_attributes.deleted);
		expect(live).toHaveLength(1);
		expect(outcomes.filter((outcome) => outcome.status === 'created')).toHaveLength(1);
		expect(new Set(outcomes.map((outcome) => outcome.messageId))).toEqual(new Set([live[0].id]));
	});

	it('without the check, simultaneous copies on different workers can both land (the documented limit)', async () => {
		await syncInboundEvent(worker(sb, inboxId), textEvent('WARM2', 'first'));
		await Promise.all([1, 2, 3].map(() => syncInboundEvent(worker(sb, inboxId), textEvent('SAME3', 'hello'))));
		const live = sb.state.messages.filter((m) => m.source_id === 'WAID:SAME3' && !m.content_attributes.deleted);
		// Each worker read the conversation before any of them posted: the limit the option exists for.
		expect(live.length).toBeGreaterThan(1);
	});

	it("WAHA's message + message.any of one incoming message on two workers at once: one message, nothing removed", async () => {
		await syncInboundEvent(worker(sb, inboxId), textEvent('WARM3', 'first'));
		const [viaMessage, viaAny] = await Promise.all([
			syncInboundEvent(worker(sb, inboxId), textEvent('PAIR1', 'hello')),
			syncInboundEvent(worker(sb, inboxId), { ...textEvent('PAIR1', 'hello'), alsoAnnounced: true }),
		]);
		const copies = sb.state.messages.filter((m) => m.source_id === 'WAID:PAIR1');
		expect(copies).toHaveLength(1);
		expect(copies[0].content_attributes.deleted).toBeFalsy();
		expect(viaMessage.status).toBe('created');
		expect(viaAny).toMatchObject({ status: 'skipped', skip: 'duplicate', messageId: copies[0].id });
	});

	it("a delivery receipt of an agent's reply reaches its Chatwoot message from a worker that never saw the send", async () => {
		const first = await syncInboundEvent(worker(sb, inboxId), textEvent('WARM4', 'first'));
		const conversationId = first.conversationId as number;
		const reply = sb.agentReply(conversationId, { content: 'Chegou sim' });
		// Report Send Result on one worker stores the link on the conversation...
		await storeAgentLink(worker(sb, inboxId).client, conversationId, reply.id, '3EB0AGENTREPLY');
		// ...and the gateway's "read" receipt lands on another.
		const ack = await syncInboundEvent(worker(sb, inboxId), {
			...textEvent('3EB0AGENTREPLY', ''),
			kind: 'ack',
			fromMe: true,
			ack: { status: 'read' },
		});
		expect(ack).toMatchObject({ status: 'updated', reason: 'read', conversationId, messageId: reply.id });
		expect(sb.state.messages.find((m) => m.id === reply.id)?.status).toBe('read');
	});

	it('the same event on three workers in sequence is added once', async () => {
		const first = await syncInboundEvent(worker(sb, inboxId), textEvent('SAME1', 'hello'));
		const second = await syncInboundEvent(worker(sb, inboxId), textEvent('SAME1', 'hello'));
		const third = await syncInboundEvent(worker(sb, inboxId), textEvent('SAME1', 'hello'));
		expect([first.status, second.status, third.status]).toEqual(['created', 'skipped', 'skipped']);
		expect(sb.state.messages.filter((message) => message.source_id === 'WAID:SAME1')).toHaveLength(1);
	});
});
