import { fixture, startHarness, type Harness } from './harness';

const TEXT_ID = '3A5F1C2B9D8E7A6B5C4D';

describe('Sync WhatsApp Message: reactions, edits, echoes, filters and batches', () => {
	let h: Harness;
	afterEach(async () => {
		await h.close();
	});

	const message = (id: unknown) => h.sb.state.messages.find((m) => m.id === id)!;

	it('shows a reaction and an edit in the conversation of the message they point at', async () => {
		h = await startHarness();
		await h.run([fixture('evolution/text')]);
		const original = h.sb.state.messages[0];

		const reaction = fixture('evolution/reaction') as { data: { message: { reactionMessage: { key: { id: string } } } } };
		reaction.data.message.reactionMessage.key.id = TEXT_ID;
		const [reacted] = await h.run([reaction]);
		expect(reacted.json).toMatchObject({ status: 'created', kind: 'reaction' });
		expect(message(reacted.json.messageId)).toMatchObject({
			conversation_id: original.conversation_id,
			content: 'Reacted 👍',
			content_attributes: expect.objectContaining({ in_reply_to: original.id }),
		});

		const [edited] = await h.run([fixture('evolution/messages-edited')]);
		expect(edited.json).toMatchObject({ status: 'created', kind: 'edit' });
		expect(message(edited.json.messageId)).toMatchObject({
			conversation_id: original.conversation_id,
			content: '✏️ Edited: Olá! Vocês entregam no domingo?',
			content_attributes: expect.objectContaining({ in_reply_to: original.id }),
		});
		// A replayed edit is the same edit.
		const [again] = await h.run([fixture('evolution/messages-edited')]);
		expect(again.json).toMatchObject({ status: 'skipped', skip: 'duplicate' });
	});

	it("recognises the agent's own reply coming back from the gateway as fromMe and links it instead of copying it", async () => {
		h = await startHarness();
		await h.run([fixture('evolution/text')]);
		const conversation = h.sb.state.conversations[0];
		const agent = h.sb.agentReply(conversation.display_id, { content: 'Sim! Entregamos no **sábado** das 8h às 12h.' });
		const echo = fixture('evolution/fromMe') as { data: { messageTimestamp: number; message: { conversation: string } } };
		echo.data.messageTimestamp = Math.floor(Date.now() / 1000);
		echo.data.message.conversation = '*Ana Agente:*\nSim! Entregamos no *sábado* das 8h às 12h.';
		const [out] = await h.run([echo]);
		expect(out.json).toMatchObject({ status: 'skipped', skip: 'duplicate', messageId: agent.id });
		expect(h.sb.state.messages.filter((m) => m.message_type === 'outgoing')).toHaveLength(1);
	});

	it('skips the echo of an agent reply whose send result was reported, whatever its text', async () => {
		h = await startHarness();
		await h.run([fixture('evolution/text')]);
		const conversation = h.sb.state.conversations[0];
		const agent = h.sb.agentReply(conversation.display_id, { content: 'Pedido confirmado' });
		await h.run([{}], {
			parameters: {
				operation: 'reportSendResult',
				conversationId: conversation.display_id,
				messageId: agent.id,
				inboxId: h.inboxId,
				whatsappId: '3EB0SENT0001',
				error: '',
			},
		});
		const echo = fixture('evolution/fromMe') as { data: { key: { id: string } } };
		echo.data.key.id = '3EB0SENT0001';
		const [out] = await h.run([echo]);
		expect(out.json).toMatchObject({ status: 'skipped', skip: 'duplicate', messageId: agent.id });
		expect(h.sb.state.messages.filter((m) => m.message_type === 'outgoing')).toHaveLength(1);
	});

	it('honours ignore_groups and ignore_jids from the stored integration', async () => {
		h = await startHarness({ ignore_groups: true, ignore_jids: ['5511999990001@s.whatsapp.net'] });
		const [group] = await h.run([fixture('evolution/group-text')]);
		expect(group.json).toMatchObject({ status: 'skipped', skip: 'ignored' });
		expect(String(group.json.reason)).toContain('ignore_groups');
		const [person] = await h.run([fixture('evolution/text')]);
		expect(person.json).toMatchObject({ status: 'skipped', skip: 'ignored' });
		expect(h.sb.state.messages).toHaveLength(0);
		expect(h.sb.state.contacts).toHaveLength(0);
	});

	it('skips every event while the integration is paused', async () => {
		h = await startHarness({ enabled: false });
		const [out] = await h.run([fixture('evolution/text')]);
		expect(out.json).toMatchObject({ status: 'skipped', skip: 'paused' });
		expect(h.sb.state.messages).toHaveLength(0);
	});

	it('gives one output item for a Cloud API change holding two messages, listing both', async () => {
		h = await startHarness();
		const body = fixture('cloud-api/text') as {
			entry: Array<{ changes: Array<{ value: { messages: Array<Record<string, unknown>> } }> }>;
		};
		const messages = body.entry[0].changes[0].value.messages;
		messages.push({ ...messages[0], id: 'wamid.SECOND', text: { body: 'second' } });
		const outputs = await h.run([body]);
		expect(outputs).toHaveLength(1);
		expect(outputs[0].pairedItem).toEqual({ item: 0 });
		expect(outputs[0].json).toMatchObject({ status: 'created', counts: { created: 2 } });
		expect(outputs[0].json.events).toHaveLength(2);
		expect(h.sb.state.messages.map((m) => m.content)).toEqual(['Olá! Vocês entregam no sábado?', 'second']);
	});

	it('names the malformed field and the item for bad input, and keeps the good items', async () => {
		h = await startHarness();
		const broken = fixture('evolution/text') as { data: { key: Record<string, unknown> } };
		delete broken.data.key.id;
		const outputs = await h.run([fixture('evolution/text'), broken], { continueOnFail: true });
		expect(outputs.map((o) => o.json.status)).toEqual(['created', 'failed']);
		expect(outputs[1]).toMatchObject({ pairedItem: { item: 1 }, json: { itemIndex: 1, field: 'body.data.key.id' } });
		expect(String(outputs[1].json.error)).toContain('key.id');
	});
});
