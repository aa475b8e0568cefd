import { fixture, INSTANCE, startHarness, type Harness } from './harness';

const MARIA_JID = '5511999990001@s.whatsapp.net';
const TEXT_ID = '3A5F1C2B9D8E7A6B5C4D';

describe('Sync WhatsApp Message node against the sandbox Chatwoot', () => {
	let h: Harness;
	beforeEach(async () => {
		h = await startHarness();
	});
	afterEach(async () => {
		await h.close();
	});

	const incoming = () => h.sb.state.messages.filter((message) => message.message_type === 'incoming');
	const bySource = (sourceId: string) => h.sb.state.messages.filter((message) => message.source_id === sourceId);

	it('creates contact, contact inbox, conversation and message for a first Evolution text', async () => {
		const [out] = await h.run([fixture('evolution/text')]);
		expect(out.json).toMatchObject({
			status: 'created',
			kind: 'message',
			whatsappId: TEXT_ID,
			chatJid: MARIA_JID,
			contactCreated: true,
			conversationCreated: true,
			instance: INSTANCE,
			gateway: 'evolution',
		});
		const state = h.sb.state;
		expect(state.contacts).toHaveLength(1);
		expect(state.contacts[0]).toMatchObject({ name: 'Maria Souza', identifier: MARIA_JID, phone_number: '+5511999990001' });
		expect(state.contactInboxes).toEqual([expect.objectContaining({ inbox_id: h.inboxId, source_id: MARIA_JID })]);
		expect(state.conversations).toHaveLength(1);
		expect(state.conversations[0].status).toBe('open');
		expect(incoming()).toEqual([
			expect.objectContaining({ source_id: `WAID:${TEXT_ID}`, content: 'Olá! Vocês entregam no sábado?' }),
		]);
	});

	it('uses at most 3 Chatwoot calls for a new contact and 1 in steady state', async () => {
		h.sb.resetCounts();
		await h.run([fixture('evolution/text')]);
		// integration lookup (GET /inboxes) + contact lookup + POST /contacts + POST /conversations
		expect(h.sb.requestCounts.total).toBe(4);
		h.sb.resetCounts();
		const next = fixture('evolution/text') as { data: { key: { id: string } } };
		next.data.key.id = 'STEADY0001';
		await h.run([next]);
		expect(h.sb.requestCounts.total).toBe(1);
	});

	it('adds the same event only once, in sequence, after a cold start, and at the same moment', async () => {
		await h.run([fixture('evolution/text')]);
		const [again] = await h.run([fixture('evolution/text')]);
		expect(again.json).toMatchObject({ status: 'skipped', skip: 'duplicate' });
		h.coldStart();
		const [afterRestart] = await h.run([fixture('evolution/text')]);
		expect(afterRestart.json).toMatchObject({ status: 'skipped', skip: 'duplicate' });
		// WAHA reports the same WhatsApp message id: the same message, whichever gateway says it.
		const [viaWaha] = await h.run([fixture('waha/text')], { parameters: { instance: INSTANCE } });
		expect(viaWaha.json).toMatchObject({ status: 'skipped', skip: 'duplicate' });
		expect(bySource(`WAID:${TEXT_ID}`)).toHaveLength(1);

		h.coldStart();
		const event = fixture('evolution/text') as { data: { key: { id: string } } };
		event.data.key.id = 'CONCURRENT01';
		const outputs = await Promise.all(Array.from({ length: 5 }, () => h.run([event])));
		const statuses = outputs.map(([item]) => item.json.status).sort();
		expect(statuses).toEqual(['created', 'skipped', 'skipped', 'skipped', 'skipped']);
		expect(bySource('WAID:CONCURRENT01')).toHaveLength(1);
	});

	it('puts twenty concurrent first messages of a new contact into one contact and one conversation', async () => {
		const events = Array.from({ length: 20 }, (_, index) => {
			const event = fixture('evolution/text') as { data: { key: { id: string }; message: { conversation: string } } };
			event.data.key.id = `BURST${String(index).padStart(4, '0')}`;
			event.data.message.conversation = `message ${index}`;
			return event;
		});
		h.sb.setLatency(5);
		const outputs = await Promise.all(events.map((event) => h.run([event])));
		expect(outputs.map(([item]) => item.json.status)).toEqual(Array(20).fill('created'));
		const state = h.sb.state;
		expect(state.contacts).toHaveLength(1);
		expect(state.contactInboxes).toHaveLength(1);
		expect(state.conversations).toHaveLength(1);
		expect(incoming()).toHaveLength(20);
	});

	it('mirrors a phone-typed message as outgoing with external_echo, and ignores API sends', async () => {
		const [out] = await h.run([fixture('evolution/fromMe')]);
		expect(out.json).toMatchObject({ status: 'created' });
		const [mirror] = h.sb.state.messages;
		expect(mirror.message_type).toBe('outgoing');
		expect(mirror.content_attributes).toMatchObject({ external_echo: true });
		const [apiSend] = await h.run([fixture('evolution/send-message')]);
		expect(apiSend.json).toMatchObject({ status: 'skipped', skip: 'ignored' });
		expect(String(apiSend.json.reason)).toContain('gateway API');
	});

	it('links a reply to the quoted message, and deletes a message deleted on WhatsApp', async () => {
		// The sample quotes a message Chatwoot never saw: the quoted text is shown instead of a dead link.
		const [unknownQuote] = await h.run([fixture('evolution/reply')]);
		const shown = h.sb.state.messages.find((message) => message.id === unknownQuote.json.messageId)!;
		expect(shown.content).toBe('> Qual o melhor horário para a visita técnica?\n\nPode ser amanhã às 10h?');

		await h.run([fixture('evolution/text')]);
		const quoting = fixture('evolution/reply') as { data: { key: { id: string }; contextInfo: { stanzaId: string } } };
		quoting.data.key.id = 'REPLY0002';
		quoting.data.contextInfo.stanzaId = TEXT_ID;
		const [reply] = await h.run([quoting]);
		expect(reply.json.status).toBe('created');
		const replyMessage = h.sb.state.messages.find((message) => message.id === reply.json.messageId)!;
		const original = bySource(`WAID:${TEXT_ID}`)[0];
		expect(replyMessage.content_attributes).toMatchObject({
			in_reply_to: original.id,
			in_reply_to_external_id: `WAID:${TEXT_ID}`,
		});
		const [deleted] = await h.run([fixture('evolution/messages-delete')]);
		expect(deleted.json).toMatchObject({ status: 'deleted', messageId: original.id });
		const after = h.sb.state.messages.find((message) => message.id === original.id)!;
		expect(after.content_attributes).toEqual({ deleted: true });
	});

	it('attaches base64 media with its caption and names the group sender above group messages', async () => {
		const image = fixture('evolution/image-caption');
		const [out] = await h.run([image]);
		expect(out.json).toMatchObject({ status: 'created' });
		expect(out.json.mediaError).toBeUndefined();
		const message = h.sb.state.messages.find((m) => m.id === out.json.messageId)!;
		expect(message.content).toBe('Esse modelo tem em azul?');
		expect(h.sb.state.attachments.filter((a) => a.message_id === message.id)).toEqual([
			expect.objectContaining({ file_type: 'image' }),
		]);

		const [group] = await h.run([fixture('evolution/group-text')]);
		expect(group.json.status).toBe('created');
		const groupMessage = h.sb.state.messages.find((m) => m.id === group.json.messageId)!;
		expect(groupMessage.content).toMatch(/^\*\*João Lima\*\* \(\+5511999990002\):\n/);
		const groupContact = h.sb.state.contacts.find((c) => c.identifier?.endsWith('@g.us'));
		expect(groupContact?.phone_number).toBeNull();
	});

	it('posts a readable placeholder when media cannot be fetched, or fails the item when asked to', async () => {
		const image = fixture('evolution/image-caption') as { data: { message: Record<string, unknown> } };
		delete image.data.message.base64;
		const [out] = await h.run([image]);
		expect(out.json.status).toBe('created');
		expect(String(out.json.mediaError)).toMatch(/neither the file nor a link/);
		const message = h.sb.state.messages.find((m) => m.id === out.json.messageId)!;
		expect(message.content).toContain('could not be attached');

		const other = fixture('evolution/image-caption') as { data: { key: { id: string }; message: Record<string, unknown> } };
		other.data.key.id = 'NOMEDIA0002';
		delete other.data.message.base64;
		const [failed] = await h.run([other], {
			parameters: { options: { onMediaFailure: 'fail' } },
			continueOnFail: true,
		});
		expect(failed.json).toMatchObject({ status: 'failed' });
		expect(String(failed.json.error)).toMatch(/NOMEDIA0002: media could not be attached/);
		expect(bySource('WAID:NOMEDIA0002')).toHaveLength(0);
	});

	it('keeps a LID-addressed chat on the same contact as its phone number', async () => {
		await h.run([fixture('evolution/text')]);
		const [lid] = await h.run([fixture('evolution/text-lid')]);
		expect(lid.json).toMatchObject({ status: 'created', contactCreated: false });
		expect(h.sb.state.contacts).toHaveLength(1);
		const lidOnly = fixture('evolution/text-lid') as { data: { key: Record<string, unknown> } };
		delete lidOnly.data.key.remoteJidAlt;
		lidOnly.data.key.id = 'LIDONLY0001';
		h.coldStart();
		const [again] = await h.run([lidOnly]);
		expect(again.json).toMatchObject({ status: 'created', contactCreated: false });
		expect(h.sb.state.contacts).toHaveLength(1);
	});

	it('reports a send result and links the later WhatsApp ack to the agent message', async () => {
		await h.run([fixture('evolution/text')]);
		const conversation = h.sb.state.conversations[0];
		const agent = h.sb.agentReply(conversation.display_id, { content: 'Sim, entregamos!' });
		const ctxParams = {
			operation: 'reportSendResult',
			conversationId: conversation.display_id,
			messageId: agent.id,
			inboxId: h.inboxId,
			whatsappId: '3EB0F1E2D3C4B5A6978812',
			error: '',
		};
		const [reported] = await h.run([{}], { parameters: ctxParams });
		expect(reported.json).toMatchObject({ status: 'sent', whatsappId: '3EB0F1E2D3C4B5A6978812' });
		const [ack] = await h.run([fixture('evolution/messages-update')]);
		expect(ack.json).toMatchObject({ status: 'updated', messageId: agent.id, reason: 'read' });
		expect(h.sb.state.messages.find((m) => m.id === agent.id)?.status).toBe('read');

		const failedAgent = h.sb.agentReply(conversation.display_id, { content: 'Outra mensagem' });
		const [failed] = await h.run([{}], {
			parameters: { ...ctxParams, messageId: failedAgent.id, whatsappId: '', error: 'number not on WhatsApp' },
		});
		expect(failed.json).toMatchObject({ status: 'failed' });
		const stored = h.sb.state.messages.find((m) => m.id === failedAgent.id)!;
		expect(stored.status).toBe('failed');
		expect(stored.content_attributes).toMatchObject({ external_error: 'number not on WhatsApp' });
	});

	it('names the problem for an unknown instance, per item, honouring continue on fail', async () => {
		const outputs = await h.run([fixture('evolution/text')], {
			parameters: { instance: 'no-such-instance' },
			continueOnFail: true,
		});
		expect(outputs[0].json).toMatchObject({ status: 'failed', error: 'instance not found', httpCode: 404 });
		await expect(h.run([fixture('evolution/text')], { parameters: { instance: 'no-such-instance' } })).rejects.toThrow(
			'instance not found',
		);
		const [bad] = await h.run([{ hello: 'world' }], { continueOnFail: true });
		expect(bad.json.status).toBe('failed');
		expect(String(bad.json.error)).toMatch(/body/);
	});

	it('rejects an operation it does not know instead of running another one, before any request', async () => {
		const before = h.sb.requestCounts.total;
		const error = await h.run([fixture('evolution/text')], { parameters: { operation: 'sendSomething' } }).then(
			() => undefined,
			(e: Error & { description?: string }) => e,
		);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe('Unknown operation "sendSomething"');
		expect(error?.description).toBe('Field "operation": expected one of sync, reportSendResult');
		expect(h.sb.requestCounts.total).toBe(before);
		expect(h.sb.state.messages).toHaveLength(0);
	});
});
