/**
 * Chatwoot answers times as unix seconds in REST and as ISO text in webhooks (docs/chatwoot-behaviour.md, Webhook
 * payloads); a proxy or another build may give milliseconds or a numeric string. Every decision on a Chatwoot time
 * (an agent echo's window, the duplicate check's look back, the latest conversation) reads them alike.
 */
import { AGENT_ECHO_WINDOW_SECONDS, findAgentMessageEchoed } from '../../../nodes/shared/bridge/agentEcho';
import { InboxMemory } from '../../../nodes/shared/bridge/bridgeMemory';
import { chatwootSeconds } from '../../../nodes/shared/bridge/chatwootTime';
import { chooseConversation, summarizeConversation } from '../../../nodes/shared/bridge/conversationChoice';
import { messageLedger } from '../../../nodes/shared/bridge/messageLedger';
import type { ChatwootClient } from '../../../nodes/shared/chatwoot/client';
import type { Conversation, Message } from '../../../nodes/shared/chatwoot/schemas';
import { makeEvent, T0 } from './events';

const T0_ISO = new Date(T0 * 1000).toISOString();

describe('chatwootSeconds', () => {
	it.each([
		['REST: unix seconds', T0, T0],
		['a webhook: ISO text', T0_ISO, T0],
		['milliseconds', T0 * 1000 + 250, T0 + 0.25],
		['a numeric string', String(T0), T0],
	])('%s', (_, value, seconds) => {
		expect(chatwootSeconds(value)).toBeCloseTo(seconds, 6);
	});

	it.each([
		['missing', undefined],
		['null', null],
		['empty', ''],
		['not a time', 'yesterday'],
		['zero', 0],
	])('%s is no time at all', (_, value) => {
		expect(chatwootSeconds(value)).toBeUndefined();
	});
});

function agentMessage(id: number, createdAt: unknown): Message {
	return {
		id,
		content: 'Seu pedido saiu para entrega',
		message_type: 1,
		private: false,
		source_id: null,
		created_at: createdAt as Message['created_at'],
		content_attributes: {},
	} as Message;
}

describe('an agent echo is recognised whatever form the agent message time takes', () => {
	const echo = makeEvent({ fromMe: true, whatsappId: '3EB0ECHO', text: 'Seu pedido saiu para entrega', timestamp: T0 + 3 });

	it.each([
		['unix seconds', T0],
		['ISO text', T0_ISO],
		['a numeric string', String(T0)],
	])('%s', (_, createdAt) => {
		expect(findAgentMessageEchoed(echo, [agentMessage(501, createdAt)], new Set())?.id).toBe(501);
	});

	it('an agent message without a readable time is not taken for the echo (it may be any old message)', () => {
		expect(findAgentMessageEchoed(echo, [agentMessage(502, undefined)], new Set())).toBeUndefined();
		const old = agentMessage(503, T0 - AGENT_ECHO_WINDOW_SECONDS - 10);
		expect(findAgentMessageEchoed(echo, [old], new Set())).toBeUndefined();
	});
});

describe('the latest conversation, with activity times in either form', () => {
	it('an ISO activity is compared with a numeric one, not read as the oldest', () => {
		// Both resolved: with reopen_conversation the latest one is reopened (README, conversation table).
		const conversations = [
			{ id: 7, inbox_id: 3, status: 'resolved', last_activity_at: T0_ISO },
			{ id: 8, inbox_id: 3, status: 'resolved', last_activity_at: T0 - 3600 },
		] as unknown as Conversation[];
		const choice = chooseConversation(conversations.map(summarizeConversation), 3, {
			reopenConversation: true,
			conversationPending: false,
		});
		expect(choice).toEqual({ action: 'reopen', conversationId: 7, status: 'open' });
	});
});

describe('the duplicate check looks back far enough even when a page carries no times', () => {
	it('keeps reading older pages instead of taking an unknown time for "covered since 1970"', async () => {
		// Newest page first, 20 a page (docs/chatwoot-behaviour.md, Messages); the replayed message is on the second.
		const newest = Array.from({ length: 20 }, (_, i) => ({ id: 100 - i, source_id: `WAID:NEW${i}` }) as Message);
		const older = [{ id: 80, source_id: 'WAID:REPLAYED', created_at: T0 - 7200 } as Message];
		const listMessages = jest.fn(async (_id: number, range: { before?: number }) =>
			range.before === undefined ? newest : range.before === 81 ? older : [],
		);
		const client = { listMessages } as unknown as ChatwootClient;
		const ledger = await messageLedger(client, new InboxMemory(), 12, T0 - 7200);
		expect(ledger.sourceIds.has('WAID:REPLAYED')).toBe(true);
	});
});
