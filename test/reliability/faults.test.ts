/**
 * Issue 8.1: 1 000 WhatsApp events while the sandbox Chatwoot fails 20 % of requests (5xx, answers slower than the
 * client's timeout, dropped connections before and after the commit, 429 with Retry-After). Every event must end
 * in Chatwoot exactly once, or as a failed item whose error says what happened and that succeeds when retried.
 */
import { InboxMemory } from '../../nodes/shared/bridge/bridgeMemory';
import { syncInboundEvent, type InboundSyncContext } from '../../nodes/shared/bridge/inboundSync';
import { parseIntegrationSettings } from '../../nodes/shared/bridge/integration/config';
import { ChatwootClient } from '../../nodes/shared/chatwoot/client';
import { ChatwootError } from '../../nodes/shared/chatwoot/errors';
import type { InboundEvent } from '../../nodes/shared/whatsapp/event';
import { startSandbox, type Sandbox } from '../sandbox';
import { createNodeSend } from '../support/nodeSend';

// 50 events per chat: more than one page of messages, so a cold replay must read back in time.
const CHATS = 20;
const EVENTS = 1000;
const TOKEN_FREE = /test-admin-token/;

function event(index: number): InboundEvent {
	const chat = index % CHATS;
	const phone = `+55119${String(chat).padStart(8, '0')}`;
	const jid = `${phone.slice(1)}@s.whatsapp.net`;
	return {
		gateway: 'evolution',
		kind: 'message',
		whatsappId: `FAULT${String(index).padStart(5, '0')}`,
		chat: { jid, phone, isGroup: false, name: `Chat ${chat}` },
		fromMe: false,
		sender: { jid, phone, name: `Chat ${chat}` },
		timestamp: 1767261600 + index,
		text: `event ${index}`,
	};
}

function worker(sb: Sandbox): InboundSyncContext {
	const quickSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 5)));
	const client = ChatwootClient.over(createNodeSend({ baseUrl: sb.baseUrl, token: sb.tokens.admin, timeoutMs: 150 }), {
		baseUrl: sb.baseUrl,
		accountId: sb.accountId,
		sleep: quickSleep,
		secrets: [sb.tokens.admin],
	});
	return {
		client,
		inboxId: sb.state.inboxes[0].id,
		memory: new InboxMemory(),
		settings: parseIntegrationSettings({ name_inbox: 'Faults' }),
		sleep: quickSleep,
		loadMedia: async () => {
			throw new Error('no media');
		},
		onMediaFailure: 'placeholder',
		mirrorApiSends: false,
	};
}

describe('1 000 events through 20 % injected Chatwoot faults', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSandbox();
		sb.createInbox({ name: 'Faults' });
	});
	afterAll(async () => {
		await sb.close();
	});

	it('ends every event exactly once in Chatwoot or as an actionable failure that succeeds on retry', async () => {
		sb.setFaults({
			rate: 0.2,
			kinds: ['5xx', 'slow', 'drop', 'drop_after_commit', '429'],
			seed: 20261122,
			delayMs: 400,
			retryAfterSeconds: 1,
		});
		const ctx = worker(sb);
		const failed: Array<{ index: number; error: unknown }> = [];
		for (let index = 0; index < EVENTS; index++) {
			try {
				await syncInboundEvent(ctx, event(index));
			} catch (error) {
				failed.push({ index, error });
			}
		}
		const injected = sb.injectedFaults.length;

		sb.clearFaults();
		await new Promise((resolve) => setTimeout(resolve, 500)); // let delayed ("slow") requests finish

		for (const { error } of failed) {
			expect(error).toBeInstanceOf(ChatwootError);
			const { message } = error as ChatwootError;
			expect(message).toMatch(/Chatwoot is unreachable|rate-limiting|may have been applied|Detail:/);
			expect(JSON.stringify(error) + message).not.toMatch(TOKEN_FREE);
		}
		// The builder re-runs the failed executions: each must succeed now.
		for (const { index } of failed) await syncInboundEvent(ctx, event(index));

		// And a replay of everything adds nothing.
		const replayed = [];
		for (let index = 0; index < EVENTS; index++) replayed.push(await syncInboundEvent(worker(sb), event(index)));

		const live = sb.state.messages.filter((message) => !message.content_attributes.deleted);
		const counts = new Map<string, number>();
		for (const message of live) counts.set(String(message.source_id), (counts.get(String(message.source_id)) ?? 0) + 1);
		const lost = Array.from({ length: EVENTS }, (_, index) => `WAID:${event(index).whatsappId}`).filter((id) => !counts.has(id));
		const doubled = [...counts].filter(([, count]) => count > 1);
		console.log(`faults injected: ${injected}; failed items: ${failed.length}; lost: ${lost.length}; doubled: ${doubled.length}`);
		expect(injected).toBeGreaterThan(150);
		expect(lost).toEqual([]);
		expect(doubled).toEqual([]);
		expect(live).toHaveLength(EVENTS);
		expect(replayed.every((outcome) => outcome.status === 'skipped')).toBe(true);
		expect(sb.state.contacts).toHaveLength(CHATS);
		const unresolved = sb.state.conversations.filter((conversation) => conversation.status !== 'resolved');
		expect(unresolved).toHaveLength(CHATS);
	}, 180_000);
});
