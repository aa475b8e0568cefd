/**
 * Real deliveries: the sandbox Chatwoot posts its signed webhooks over HTTP to a tiny n8n (TriggerHost) that runs
 * webhook() with the exact headers and raw body. "Executions" are the webhook() calls that returned workflowData.
 */
import { createHash } from 'crypto';

import { resetInboxSnapshots } from '../../../nodes/ChatwootBridgeTrigger/inboxSnapshot';
import { resetTriggerMemory } from '../../../nodes/ChatwootBridgeTrigger/memory';
import { storeAgentLink } from '../../../nodes/shared/bridge/agentLinks';
import { startSandbox, type Sandbox } from '../../sandbox';
import { outputs, started, TriggerHost, type FakeTriggerNode, type WebhookCall } from './harness';
import { adminApi, asIncoming, integrationAttributes, openChat, signedDelivery, triggerNode, triggerParams } from './scenario';

const MARIA = { sourceId: '5511987654321@s.whatsapp.net', phone: '+5511987654321', name: 'Maria Silva' };
const MARIA_TO = { jid: '5511987654321@s.whatsapp.net', phone: '+5511987654321', isGroup: false };

describe('deliveries from the sandbox Chatwoot', () => {
	let sb: Sandbox;
	let host: TriggerHost;
	let node: FakeTriggerNode;
	let inboxId: number;
	let conversationId: number;

	/** Waits for every delivery, then returns the webhook() calls made since the last reset. */
	async function settle(): Promise<WebhookCall[]> {
		await sb.idle();
		return [...host.calls];
	}

	function item(call: WebhookCall): Record<string, any> {
		return outputs(call)[0][0] as Record<string, any>;
	}

	function reasons(calls: WebhookCall[]): unknown[] {
		return calls.map((call) => (started(call) ? 'execution' : (call.answer.body as { reason?: string }).reason ?? call.answer.body));
	}

	beforeAll(async () => {
		sb = await startSandbox();
		host = await new TriggerHost(() => node).start();
	});
	afterAll(async () => {
		await host.close();
		await sb.close();
	});
	beforeEach(async () => {
		sb.reset();
		resetTriggerMemory();
		resetInboxSnapshots();
		inboxId = sb.createInbox({ name: 'WhatsApp Acme', additionalAttributes: integrationAttributes('acme-sales', { sign_msg: true }) }).id;
		node = triggerNode(sb, triggerParams(inboxId), host.webhookUrl());
		await node.activate();
		({ conversationId } = await openChat(sb, inboxId, MARIA));
		await settle();
		host.reset();
	});
	afterEach(async () => {
		await sb.idle();
		// Chatwoot got a 2xx for every delivery: nothing was marked failed, nothing threw inside webhook().
		expect(sb.deliveries.filter((d) => d.inboxId === inboxId && !d.result?.ok)).toEqual([]);
		expect(host.calls.filter((c) => c.error)).toEqual([]);
	});

	it('conversation_created of the new chat was answered 200 and started nothing', async () => {
		sb.reset();
		host.reset();
		inboxId = sb.createInbox({ name: 'WhatsApp Acme', additionalAttributes: integrationAttributes('acme-sales') }).id;
		node = triggerNode(sb, triggerParams(inboxId), host.webhookUrl());
		await node.activate();
		await openChat(sb, inboxId, MARIA);
		const calls = await settle();
		expect(calls.map((c) => JSON.parse(c.request.rawBody.toString()).event)).toEqual(['conversation_created']);
		expect(reasons(calls)).toEqual(['not-selected']);
		expect(calls[0].answer.status).toBe(200);
	});

	it('an agent reply: one execution, WhatsApp formatting and the agent signature exact', async () => {
		const message = sb.agentReply(conversationId, { content: 'Olá **Maria**! Seu pedido _chegou_ ~~ontem~~ hoje.\nCódigo: `BR123`' });
		const calls = await settle();
		const executions = calls.filter(started);
		expect(executions).toHaveLength(1);
		expect(outputs(executions[0])).toStrictEqual([
			[
				{
					action: 'send',
					instance: 'acme-sales',
					to: MARIA_TO,
					text: '*Sandbox Admin:*\nOlá *Maria*! Seu pedido _chegou_ ~ontem~ hoje.\nCódigo: `BR123`',
					attachments: [],
					messageType: 'outgoing',
					chatwoot: {
						accountId: 1,
						inboxId,
						conversationId,
						messageId: message.id,
						agentName: 'Sandbox Admin',
						senderType: 'user',
						sourceId: null,
					},
				},
			],
		]);
		// The exact bytes Chatwoot signed reached webhook(), with its headers.
		const delivery = sb.deliveries.find((d) => d.messageId === message.id && d.event === 'message_created')!;
		expect(executions[0].request.rawBody.toString()).toBe(delivery.body);
		expect(executions[0].request.headers['x-chatwoot-signature']).toBe(delivery.headers['X-Chatwoot-Signature']);
		expect(executions[0].answer.status).toBe(200);
	});

	it('private notes, incoming messages and the bridge\'s own echoes start nothing', async () => {
		const api = adminApi(sb);
		sb.agentReply(conversationId, { content: 'Nota interna: cliente VIP', private: true });
		sb.contactMessage(conversationId, { content: 'Escrevi pelo widget' });
		// What Sync WhatsApp Message posts: an incoming WhatsApp message, and a phone-typed message mirrored as outgoing.
		await api.createMessage(conversationId, { messageType: 'incoming', content: 'Oi!', sourceId: 'WAID:3EB0INCOMING' });
		await api.createMessage(conversationId, {
			messageType: 'outgoing',
			content: 'Digitei no celular',
			sourceId: 'WAID:3EB0FROMPHONE',
			contentAttributes: { external_echo: true },
		});
		const calls = await settle();
		expect(calls.filter(started)).toEqual([]);
		const byEvent = calls.map((c) => [JSON.parse(c.request.rawBody.toString()).event, (c.answer.body as { reason: string }).reason]);
		expect(byEvent.filter(([event]) => event === 'message_created')).toEqual([
			['message_created', 'private-note'],
			['message_created', 'incoming-message'],
			['message_created', 'incoming-message'],
			['message_created', 'bridge-echo'],
		]);
		expect(calls.every((c) => c.answer.status === 200)).toBe(true);
	});

	it('attachments carry url, mimeType, fileName and kind; the caption is the signature alone', async () => {
		const message = sb.agentReply(conversationId, {
			attachments: [
				{ filename: 'produto.jpg', contentType: 'image/jpeg', data: Buffer.from('jpeg-bytes') },
				{ filename: 'nota fiscal 4521.pdf', contentType: 'application/pdf', data: Buffer.from('%PDF-1.7') },
				{ filename: 'audio.ogg', contentType: 'audio/ogg', data: Buffer.from('OggS') },
			],
		});
		const [execution] = (await settle()).filter(started);
		const payload = JSON.parse(execution.request.rawBody.toString());
		const urls = payload.attachments.map((a: { data_url: string }) => a.data_url);
		expect(item(execution)).toMatchObject({ action: 'send', text: '*Sandbox Admin:*', chatwoot: { messageId: message.id } });
		expect(item(execution).attachments).toEqual([
			{ url: urls[0], mimeType: 'image/jpeg', fileName: 'produto.jpg', kind: 'image', sizeBytes: 10 },
			{ url: urls[1], mimeType: 'application/pdf', fileName: 'nota fiscal 4521.pdf', kind: 'document', sizeBytes: 8 },
			{ url: urls[2], mimeType: 'audio/ogg', fileName: 'audio.ogg', kind: 'audio', sizeBytes: 4 },
		]);
		// The URL answers (after Chatwoot's redirect) with the file.
		const file = await fetch(urls[1]);
		expect(Buffer.from(await file.arrayBuffer()).toString()).toBe('%PDF-1.7');
	});

	it('a reply to a WhatsApp message quotes its id without the WAID: prefix', async () => {
		const quoted = await adminApi(sb).createMessage(conversationId, { messageType: 'incoming', content: 'Cadê meu pedido?', sourceId: 'WAID:3EB0C0FFEE42' });
		const reply = sb.agentReply(conversationId, { content: 'Chega amanhã', inReplyTo: quoted.id });
		const [execution] = (await settle()).filter(started);
		expect(item(execution)).toMatchObject({
			replyTo: { whatsappId: '3EB0C0FFEE42' },
			text: '*Sandbox Admin:*\nChega amanhã',
			chatwoot: { messageId: reply.id, inReplyTo: quoted.id },
		});
	});

	it('a group chat: the group JID, no phone', async () => {
		const group = await openChat(sb, inboxId, { sourceId: '120363025555555555@g.us', name: 'Família Silva', phone: null });
		await settle();
		host.reset();
		sb.agentReply(group.conversationId, { content: 'Bom dia, grupo!' });
		const [execution] = (await settle()).filter(started);
		expect(item(execution).to).toStrictEqual({ jid: '120363025555555555@g.us', isGroup: true });
		expect(item(execution).text).toBe('*Sandbox Admin:*\nBom dia, grupo!');
	});

	it('deletions: an agent message (no WhatsApp id known: a reason) and a phone-typed mirror (target = its WhatsApp id)', async () => {
		const agent = sb.agentReply(conversationId, { content: 'Mensagem errada' });
		const mirror = await adminApi(sb).createMessage(conversationId, {
			messageType: 'outgoing',
			content: 'Do celular',
			sourceId: 'WAID:3EB0PHONE77',
			contentAttributes: { external_echo: true },
		});
		await settle();
		host.reset();
		sb.deleteMessage(conversationId, agent.id);
		sb.deleteMessage(conversationId, mirror.id);
		const executions = (await settle()).filter(started);
		expect(executions.map(item)).toEqual([
			expect.objectContaining({
				action: 'delete',
				to: MARIA_TO,
				text: '',
				target: { reason: expect.stringMatching(/no known WhatsApp id.*Report Send Result/) },
				chatwoot: expect.objectContaining({ messageId: agent.id }),
			}),
			expect.objectContaining({ action: 'delete', target: { whatsappId: '3EB0PHONE77' }, chatwoot: expect.objectContaining({ messageId: mirror.id }) }),
		]);
	});

	it('deleting an agent message whose send result was reported: the WhatsApp id comes with the delivery itself', async () => {
		const first = sb.agentReply(conversationId, { content: 'Primeira' });
		const second = sb.agentReply(conversationId, { content: 'Segunda' });
		await settle();
		// What Report Send Result stores for each sent reply, from whichever n8n process ran it.
		await storeAgentLink(adminApi(sb), conversationId, first.id, '3EB0AGENTFIRST');
		await storeAgentLink(adminApi(sb), conversationId, second.id, '3EB0AGENTSECOND');
		await settle();
		host.reset();
		sb.deleteMessage(conversationId, second.id);
		const executions = (await settle()).filter(started);
		expect(executions.map(item)).toEqual([
			expect.objectContaining({
				action: 'delete',
				target: { whatsappId: '3EB0AGENTSECOND' },
				chatwoot: expect.objectContaining({ messageId: second.id }),
			}),
		]);
	});

	it('two copies of one WhatsApp message posted by two workers: the trigger keeps the first and removes the second', async () => {
		const api = adminApi(sb);
		const copy = { messageType: 'incoming' as const, content: 'Oi, tudo bem?', sourceId: 'WAID:3EB0TWOWORKERS' };
		const [a, b] = await Promise.all([api.createMessage(conversationId, copy), api.createMessage(conversationId, copy)]);
		const calls = await settle();
		expect(calls.filter(started)).toEqual([]); // echoes never start an execution
		await new Promise((resolve) => setTimeout(resolve, 300)); // the removal runs after Chatwoot got its answer
		await sb.idle();
		const copies = sb.state.messages.filter((m) => m.source_id === 'WAID:3EB0TWOWORKERS');
		const [kept, removed] = [Math.min(a.id, b.id), Math.max(a.id, b.id)];
		expect(copies.find((m) => m.id === kept)?.content_attributes.deleted).toBeFalsy();
		expect(copies.find((m) => m.id === removed)?.content_attributes.deleted).toBe(true);
	});

	it('status echoes of the bridge (message status PATCH, a failed send) start nothing', async () => {
		const message = sb.agentReply(conversationId, { content: 'Enviando...' });
		await settle();
		host.reset();
		const api = adminApi(sb);
		await api.updateMessageStatus(conversationId, message.id, 'delivered');
		await api.updateMessageStatus(conversationId, message.id, 'failed', 'WhatsApp number not found');
		const calls = await settle();
		expect(reasons(calls)).toEqual(['status-echo', 'failure-echo']);
	});

	it('conversation status changes: nothing by default, the "Conversation Status" output when it is on', async () => {
		sb.resolveConversation(conversationId);
		let calls = await settle();
		expect(calls.filter(started)).toEqual([]);
		expect(reasons(calls).sort()).toEqual(['not-selected', 'not-selected']); // status_changed + updated

		host.reset();
		node.params = triggerParams(inboxId, { statusOutput: true });
		sb.setConversationStatus(conversationId, 'open');
		calls = await settle();
		const executions = calls.filter(started);
		expect(executions).toHaveLength(1);
		expect(outputs(executions[0])).toStrictEqual([
			[],
			[{ action: 'conversationStatus', instance: 'acme-sales', conversationId, status: 'open', inboxId, contact: { jid: MARIA_TO.jid, phone: MARIA_TO.phone } }],
		]);
	});

	it('conversation updates and agent typing when selected; a private note being typed is not', async () => {
		node.params = triggerParams(inboxId, { events: ['send', 'conversationUpdate', 'typing'] });
		const typing = (on: boolean, isPrivate = false) =>
			fetch(`${sb.baseUrl}/api/v1/accounts/1/conversations/${conversationId}/toggle_typing_status`, {
				method: 'POST',
				headers: { api_access_token: sb.tokens.admin, 'content-type': 'application/json' },
				body: JSON.stringify({ typing_status: on ? 'on' : 'off', is_private: isPrivate }),
			});
		await typing(true);
		await typing(false);
		await typing(true, true);
		await fetch(`${sb.baseUrl}/api/v1/accounts/1/conversations/${conversationId}/custom_attributes`, {
			method: 'POST',
			headers: { api_access_token: sb.tokens.admin, 'content-type': 'application/json' },
			body: JSON.stringify({ custom_attributes: { order: '4521' } }),
		});
		const calls = await settle();
		const items = calls.filter(started).map(item);
		expect(items).toEqual([
			{ action: 'typing', instance: 'acme-sales', conversationId, inboxId, on: true, contact: { jid: MARIA_TO.jid, phone: MARIA_TO.phone }, agent: { id: 1, name: 'Sandbox Admin', type: 'user' } },
			{ action: 'typing', instance: 'acme-sales', conversationId, inboxId, on: false, contact: { jid: MARIA_TO.jid, phone: MARIA_TO.phone }, agent: { id: 1, name: 'Sandbox Admin', type: 'user' } },
			expect.objectContaining({
				action: 'conversationUpdate',
				instance: 'acme-sales',
				event: 'conversation_updated',
				conversationId,
				changedAttributes: expect.arrayContaining([{ attribute: 'custom_attributes', previousValue: {}, currentValue: { order: '4521' } }]),
			}),
		]);
		expect(reasons(calls.filter((c) => !started(c)))).toEqual(['private-typing']);
	});

	it('another inbox pointed at this URL: its deliveries carry its own signature and are refused (401)', async () => {
		const other = sb.createInbox({ name: 'Outro', webhookUrl: host.webhookUrl() });
		const otherChat = await openChat(sb, other.id, { sourceId: '5511900000000@s.whatsapp.net', name: 'Outro' });
		sb.agentReply(otherChat.conversationId, { content: 'Para outro inbox' });
		const calls = await settle();
		expect(calls.filter(started)).toEqual([]);
		expect(calls.map((c) => c.answer.status)).toEqual(calls.map(() => 401));
		expect(calls.map((c) => (c.answer.body as { error: string }).error)).toEqual(calls.map(() => 'bad-signature'));
		// Chatwoot marks that inbox's message failed, so its agent sees that nothing was sent.
		const failed = sb.deliveries.filter((d) => d.inboxId === other.id && d.event === 'message_created');
		expect(failed[0].result).toMatchObject({ ok: false, status: 401 });
	});

	it('a switched-off integration (enabled: false) starts nothing', async () => {
		sb.updateInbox(inboxId, { additional_attributes: integrationAttributes('acme-sales', { sign_msg: true, enabled: false }) });
		resetInboxSnapshots();
		const message = sb.agentReply(conversationId, { content: 'Ninguém recebe' });
		const calls = await settle();
		expect(calls.filter(started)).toEqual([]);
		const forMessage = calls.filter((c) => {
			const payload = JSON.parse(c.request.rawBody.toString());
			return payload.event === 'message_created' && payload.id === message.id;
		});
		expect(reasons(forMessage)).toEqual(['integration-disabled']);
	});

	it('an inbox without a stored integration: the inbox name is the instance and no signature is added', async () => {
		sb.updateInbox(inboxId, { additional_attributes: {}, name: 'Loja Centro' });
		resetInboxSnapshots();
		sb.agentReply(conversationId, { content: 'Sem assinatura' });
		const [execution] = (await settle()).filter(started);
		expect(item(execution)).toMatchObject({ instance: 'Loja Centro', text: 'Sem assinatura' });
	});

	it('a sandbox delivery fed again: the same delivery id is refused (409), a re-signed copy is a duplicate (200)', async () => {
		const message = sb.agentReply(conversationId, { content: 'Uma vez só' });
		await settle();
		const delivery = sb.deliveries.find((d) => d.messageId === message.id)!;
		const replay = await node.receive(asIncoming(delivery));
		expect(started(replay)).toBe(false);
		expect(replay.answer).toEqual({ status: 409, body: { error: 'replayed-delivery', message: `Delivery ${delivery.id} was already received` } });

		const secret = sb.state.inboxes.find((i) => i.id === inboxId)!.secret!;
		const copy = await node.receive(signedDelivery(secret, delivery.body));
		expect(started(copy)).toBe(false);
		expect(copy.answer).toEqual({ status: 200, body: { status: 'ignored', reason: 'duplicate-event' } });
		expect(host.executions()).toHaveLength(1);
	});

	it('ten concurrent copies of one event (distinct delivery ids): exactly one execution', async () => {
		const message = sb.agentReply(conversationId, { content: 'Concorrência' });
		await settle();
		host.reset();
		resetTriggerMemory();
		const body = sb.deliveries.find((d) => d.messageId === message.id)!.body;
		const secret = sb.state.inboxes.find((i) => i.id === inboxId)!.secret!;
		const calls = await Promise.all(Array.from({ length: 10 }, () => node.receive(signedDelivery(secret, body))));
		expect(calls.filter(started)).toHaveLength(1);
		expect(calls.every((c) => c.answer.status === 200)).toBe(true);
	});

	it('a rotated secret (reset_secret) is learned from Chatwoot; the old one stops working', async () => {
		const before = node.staticData.secret as string;
		const rotated = await fetch(`${sb.baseUrl}/api/v1/accounts/1/inboxes/${inboxId}/reset_secret`, {
			method: 'POST',
			headers: { api_access_token: sb.tokens.admin },
		});
		const after = ((await rotated.json()) as { secret: string }).secret;
		expect(after).not.toBe(before);
		resetInboxSnapshots(); // a fresh process, or 30 s later
		sb.agentReply(conversationId, { content: 'Depois da rotação' });
		const calls = await settle();
		expect(calls.filter(started)).toHaveLength(1);

		const forged = await node.receive(signedDelivery(before, calls[0].request.rawBody));
		expect(forged.answer).toMatchObject({ status: 401, body: { error: 'bad-signature' } });
	});

	it('every delivery kind in this suite was answered within Chatwoot\'s 5 s', async () => {
		sb.agentReply(conversationId, { content: 'Rápido' });
		await settle();
		expect(sb.deliveries.every((d) => (d.result?.durationMs ?? Infinity) < 5000)).toBe(true);
		// The hash of the last body, to show the host saw these exact bytes.
		const last = sb.deliveries[sb.deliveries.length - 1];
		const seen = host.calls[host.calls.length - 1].request.rawBody;
		expect(createHash('sha256').update(seen).digest('hex')).toBe(createHash('sha256').update(last.body).digest('hex'));
	});
});
