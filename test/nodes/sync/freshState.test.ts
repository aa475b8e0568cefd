/**
 * Chatwoot stays the only truth: an agent's status change right before (or right after) a customer's message, on a
 * process that handled the chat a moment ago and on one that never saw it, gives the README's conversation table;
 * what the output says about reopening is never a guess; and what a message costs in Chatwoot calls.
 */
import { InboxMemory } from '../../../nodes/shared/bridge/bridgeMemory';
import { syncInboundEvent, type InboundSyncContext } from '../../../nodes/shared/bridge/inboundSync';
import { parseIntegrationSettings } from '../../../nodes/shared/bridge/integration/config';
import { ChatwootClient } from '../../../nodes/shared/chatwoot/client';
import type { ChatwootRequest } from '../../../nodes/shared/chatwoot/request';
import type { InboundEvent } from '../../../nodes/shared/whatsapp/event';
import { startSandbox, type Sandbox } from '../../sandbox';
import { createNodeSend } from '../../support/nodeSend';

/** A sandbox Chatwoot for one test, closed whatever the test's outcome. */
async function withSandbox(test: (sb: Sandbox) => Promise<void>): Promise<void> {
	const sb = await startSandbox();
	try {
		await test(sb);
	} finally {
		await sb.close();
	}
}

const JID = '5511977776666@s.whatsapp.net';
type Status = 'open' | 'resolved' | 'pending' | 'snoozed';

interface Worker {
	ctx: InboundSyncContext;
	requests: ChatwootRequest[];
}

function worker(sb: Sandbox, inboxId: number, settings: Record<string, unknown> = {}, memory = new InboxMemory()): Worker {
	const requests: ChatwootRequest[] = [];
	const send = createNodeSend({ baseUrl: sb.baseUrl, token: sb.tokens.admin, onRequest: (r) => requests.push(r) });
	const client = ChatwootClient.over(send, { baseUrl: sb.baseUrl, accountId: sb.accountId, sleep: async () => undefined });
	return {
		requests,
		ctx: {
			client,
			inboxId,
			memory,
			settings: parseIntegrationSettings({ name_inbox: 'Vendas', ...settings }),
			sleep: async () => undefined,
			loadMedia: async () => ({ data: Buffer.from('jpeg'), contentType: 'image/jpeg', fileName: 'photo.jpg' }),
			onMediaFailure: 'placeholder',
			mirrorApiSends: false,
		},
	};
}

let seq = 0;
function customerSays(text: string, extra: Partial<InboundEvent> = {}): InboundEvent {
	seq += 1;
	return {
		gateway: 'evolution',
		kind: 'message',
		whatsappId: `3EB0FRESH${seq}`,
		chat: { jid: JID, phone: '+5511977776666', isGroup: false, name: 'Bia' },
		fromMe: false,
		sender: { jid: JID, phone: '+5511977776666', name: 'Bia' },
		// Written now: WhatsApp's clock and Chatwoot's agree.
		timestamp: Math.floor(Date.now() / 1000),
		text,
		...extra,
	};
}

describe('the conversation table holds right after an agent changes the status', () => {
	let sb: Sandbox;
	let inboxId: number;
	beforeEach(async () => {
		sb = await startSandbox();
		inboxId = sb.createInbox({ name: 'Vendas' }).id;
	});
	afterEach(async () => {
		await sb.close();
	});

	const conversationsOfChat = () =>
		sb.state.conversations.filter((c) => c.inbox_id === inboxId).sort((a, b) => a.id - b.id);

	const settingsCases: Array<[boolean, boolean]> = [
		[true, false],
		[true, true],
		[false, false],
		[false, true],
	];

	/** The table's answer for a message arriving when the chat's only conversation has `status`. */
	function expected(status: Status, reopen: boolean, pending: boolean) {
		if (status !== 'resolved') return { sameConversation: true, status: status === 'snoozed' ? 'open' : status, reopened: false };
		if (reopen) return { sameConversation: true, status: pending ? 'pending' : 'open', reopened: true };
		return { sameConversation: false, status: pending ? 'pending' : 'open', reopened: false };
	}

	for (const [reopen, pending] of settingsCases) {
		for (const agentStatus of ['resolved', 'snoozed', 'pending'] as Status[]) {
			for (const where of ['the same process', 'another worker'] as const) {
				it(`reopen_conversation ${reopen}, conversation_pending ${pending}: agent sets ${agentStatus}, then the customer writes (${where})`, async () => {
					const first = worker(sb, inboxId, { reopen_conversation: reopen, conversation_pending: pending });
					const opened = await syncInboundEvent(first.ctx, customerSays('Oi'));
					const original = opened.conversationId as number;
					if (agentStatus === 'pending') sb.setConversationStatus(original, 'open');
					sb.setConversationStatus(original, agentStatus, { snoozedUntil: Math.floor(Date.now() / 1000) + 3600 });
					await sb.idle();

					const second = where === 'the same process' ? first : worker(sb, inboxId, { reopen_conversation: reopen, conversation_pending: pending });
					const outcome = await syncInboundEvent(second.ctx, customerSays('Voltei'));

					const want = expected(agentStatus, reopen, pending);
					const conversations = conversationsOfChat();
					const target = conversations.find((c) => c.display_id === outcome.conversationId);
					expect(outcome.status).toBe('created');
					expect(outcome.conversationId === original).toBe(want.sameConversation);
					expect(target?.status).toBe(want.status);
					expect(conversations).toHaveLength(want.sameConversation ? 1 : 2);
					// Never a claim the bridge cannot back. With the default settings Chatwoot's own reopen gives the
					// answer without a read, so a process nothing told the status says null; another worker meeting the
					// contact without a pointer lists its conversations and knows.
					const unknown = reopen && !pending && where === 'the same process';
					expect(outcome.conversationReopened).toBe(unknown ? null : want.reopened);
				});
			}
		}
	}

	it('customer first: a message just before the agent resolves stays in the conversation, the resolve stands, the next one follows the table', async () => {
		const w = worker(sb, inboxId, { reopen_conversation: false });
		const first = await syncInboundEvent(w.ctx, customerSays('Oi'));
		const before = await syncInboundEvent(w.ctx, customerSays('Mais uma coisa'));
		expect(before.conversationId).toBe(first.conversationId);
		sb.resolveConversation(first.conversationId as number);
		await sb.idle();
		expect(conversationsOfChat().map((c) => c.status)).toEqual(['resolved']);
		const after = await syncInboundEvent(w.ctx, customerSays('Voltei'));
		expect(after.conversationId).not.toBe(first.conversationId);
		expect(conversationsOfChat().map((c) => c.status)).toEqual(['resolved', 'open']);
	});

	it('with the trigger delivering status changes to this process, the default settings report the reopen truthfully', async () => {
		const w = worker(sb, inboxId);
		const first = await syncInboundEvent(w.ctx, customerSays('Oi'));
		const conversationId = first.conversationId as number;
		// What the Chatwoot Bridge Trigger running in this process does with each delivery (signals.ts).
		w.ctx.memory.noteDelivery();
		sb.resolveConversation(conversationId);
		w.ctx.memory.noteStatus(conversationId, 'resolved');
		const back = await syncInboundEvent(w.ctx, customerSays('Voltei'));
		expect(back).toMatchObject({ conversationId, conversationReopened: true });
		const next = await syncInboundEvent(w.ctx, customerSays('Obrigada'));
		expect(next).toMatchObject({ conversationId, conversationReopened: false });
		expect(conversationsOfChat().map((c) => c.status)).toEqual(['open']);
	});

	it('a phone-typed message into a resolved conversation reopens it (outgoing messages never reopen by themselves)', async () => {
		const w = worker(sb, inboxId);
		const first = await syncInboundEvent(w.ctx, customerSays('Oi'));
		sb.resolveConversation(first.conversationId as number);
		await sb.idle();
		const typed = await syncInboundEvent(w.ctx, customerSays('Respondi pelo celular', { fromMe: true }));
		expect(typed).toMatchObject({ status: 'created', conversationId: first.conversationId, conversationReopened: true });
		expect(conversationsOfChat().map((c) => c.status)).toEqual(['open']);
	});
});

describe('Chatwoot calls per message (default settings)', () => {
	let sb: Sandbox;
	let inboxId: number;
	beforeEach(async () => {
		sb = await startSandbox();
		inboxId = sb.createInbox({ name: 'Vendas' }).id;
	});
	afterEach(async () => {
		await sb.close();
	});

	const calls = (w: Worker) => w.requests.map((r) => `${r.method} ${r.path.replace(/\/api\/v1\/accounts\/\d+/, '').replace(/\d+/g, ':id')}`);

	it('new contact 3; returning sender unknown to the process 2 once its pointer exists; known to the process 1', async () => {
		const creator = worker(sb, inboxId);
		await syncInboundEvent(creator.ctx, customerSays('Oi'));
		expect(calls(creator)).toEqual(['POST /contact_inboxes/filter', 'POST /contacts', 'POST /conversations']);

		creator.requests.length = 0;
		await syncInboundEvent(creator.ctx, customerSays('Tudo bem?'));
		expect(calls(creator)).toEqual(['POST /conversations/:id/messages']);

		// The contact's last activity is now: only a message written more than the clock allowance later is proven new.
		const later = Math.floor(Date.now() / 1000) + 120;
		const firstCold = worker(sb, inboxId);
		await syncInboundEvent(firstCold.ctx, customerSays('Depois', { timestamp: later }));
		// The first process to meet the contact without a pointer lists its conversations once and writes it.
		expect(calls(firstCold)).toEqual([
			'POST /contact_inboxes/filter',
			'GET /contacts/:id/conversations',
			'PUT /contacts/:id',
			'POST /conversations/:id/messages',
		]);

		const cold = worker(sb, inboxId);
		await syncInboundEvent(cold.ctx, customerSays('Mais tarde', { timestamp: later + 120 }));
		expect(calls(cold)).toEqual(['POST /contact_inboxes/filter', 'POST /conversations/:id/messages']);
		expect(sb.state.messages.filter((m) => m.source_id?.startsWith('WAID:'))).toHaveLength(4);
	});

	it('a replay on a process that never saw the chat is recognised before its media is downloaded', async () => {
		const first = worker(sb, inboxId);
		let downloads = 0;
		first.ctx.loadMedia = async () => {
			downloads += 1;
			return { data: Buffer.from('jpeg'), contentType: 'image/jpeg', fileName: 'photo.jpg' };
		};
		const photo = customerSays('', { media: { kind: 'image', mimeType: 'image/jpeg', url: 'https://gateway.example/photo.jpg' } });
		await syncInboundEvent(first.ctx, customerSays('Oi'));
		expect((await syncInboundEvent(first.ctx, photo)).status).toBe('created');
		expect(downloads).toBe(1);

		expect((await syncInboundEvent(first.ctx, photo)).skip).toBe('duplicate');
		const restarted = worker(sb, inboxId);
		restarted.ctx.loadMedia = first.ctx.loadMedia;
		expect((await syncInboundEvent(restarted.ctx, photo)).skip).toBe('duplicate');
		expect(downloads).toBe(1);
	});
});

describe('memory stays bounded', () => {
	it('a conversation fed for longer than the expiry keeps a bounded view that is read again', async () => {
		await withSandbox(async (sb) => {
			const inboxId = sb.createInbox({ name: 'Vendas' }).id;
			let now = Date.now();
			const memory = new InboxMemory(() => now);
			const w = worker(sb, inboxId, {}, memory);
			const sizes: number[] = [];
			for (let minute = 0; minute < 70; minute += 1) {
				const outcome = await syncInboundEvent(w.ctx, customerSays(`minuto ${minute}`, { timestamp: Math.floor(now / 1000) }));
				expect(outcome.status).toBe('created');
				sizes.push(memory.messagesByConversation.get(String(outcome.conversationId))?.sourceIds.size ?? 0);
				now += 60_000;
			}
			// The view restarts at its absolute expiry (30 min) instead of growing with every message.
			expect(Math.max(...sizes)).toBeLessThanOrEqual(31);
			expect(sizes.filter((size) => size <= 1).length).toBeGreaterThanOrEqual(2);
		});
	});
});

describe('one chat in two inboxes of the account', () => {
	it('a group already known in another inbox gets this inbox attached to the same contact, not an error', async () => {
		await withSandbox(async (sb) => {
			const first = sb.createInbox({ name: 'Vendas' }).id;
			const second = sb.createInbox({ name: 'Suporte' }).id;
			const group = '120363000000000077@g.us';
			const groupMessage = (id: string) =>
				customerSays('Oi grupo', {
					whatsappId: id,
					chat: { jid: group, isGroup: true, name: 'Clientes VIP' },
					sender: { jid: JID, phone: '+5511977776666', name: 'Bia' },
				});
			const inFirst = await syncInboundEvent(worker(sb, first).ctx, groupMessage('3EB0GROUPA'));
			// The contact identifier (the group JID) is unique per account: Chatwoot answers 422 for the second inbox.
			const inSecond = await syncInboundEvent(worker(sb, second).ctx, groupMessage('3EB0GROUPB'));
			expect(inSecond).toMatchObject({ status: 'created', contactId: inFirst.contactId, contactCreated: false });
			expect(sb.state.contacts.filter((c) => c.identifier === group)).toHaveLength(1);
			expect(sb.state.contactInboxes.filter((row) => row.source_id === group).map((row) => row.inbox_id).sort()).toEqual([first, second].sort());
		});
	});
});

describe("live sync writes in the integration's language", () => {
	it('pt-BR: a location and a photo that cannot be fetched read in Portuguese', async () => {
		await withSandbox(async (sb) => {
			const inboxId = sb.createInbox({ name: 'Vendas' }).id;
			const w = worker(sb, inboxId, { language: 'pt-BR' });
			w.ctx.loadMedia = async () => {
				throw new Error('HTTP 404');
			};
			const location = await syncInboundEvent(
				w.ctx,
				customerSays('', { location: { latitude: -23.56, longitude: -46.65, name: 'Loja Paulista' } }),
			);
			const photo = await syncInboundEvent(w.ctx, customerSays('', { media: { kind: 'image', mimeType: 'image/jpeg', url: 'https://gateway.example/x.jpg' } }));
			const content = (id?: number) => sb.state.messages.find((m) => m.id === id)?.content ?? '';
			expect(content(location.messageId)).toMatch(/Localização: Loja Paulista/);
			expect(content(photo.messageId)).toMatch(/^\[Imagem: não foi possível anexar \(HTTP 404\)\]$/);
		});
	});
});
