/**
 * Through the Sync node into the sandbox Chatwoot: polls and votes as agents read them, and the Evolution
 * `messages.edited` shapes that must not make a contact of the business's own number or lose a delete.
 */
import { fixture, startHarness, type Harness } from './harness';

const TEXT_ID = '3A5F1C2B9D8E7A6B5C4D';
const POLL_ID = '3A1B2C3D4E5F60718293';
const OWN_NUMBER = '+5511999990000';

describe('Sync WhatsApp Message: polls and edit shapes', () => {
	let h: Harness;
	afterEach(async () => {
		await h.close();
	});

	const message = (id: unknown) => h.sb.state.messages.find((m) => m.id === id)!;

	it('an Evolution poll shows its question and options; a vote answers it in the same conversation', async () => {
		h = await startHarness();
		const [poll] = await h.run([fixture('evolution/poll')]);
		expect(poll.json).toMatchObject({ status: 'created', kind: 'message' });
		expect(message(poll.json.messageId).content).toBe(
			'📊 **Poll: Qual horário prefere para a entrega?**\n▫️ Manhã (8h–12h)\n▫️ Tarde (13h–18h)\n▫️ Noite (18h–21h)',
		);

		const vote = fixture('evolution/poll-vote') as { data: { message: { pollUpdateMessage: { pollCreationMessageKey: { id: string } } } } };
		vote.data.message.pollUpdateMessage.pollCreationMessageKey.id = POLL_ID;
		const [voted] = await h.run([vote]);
		expect(message(voted.json.messageId)).toMatchObject({
			conversation_id: message(poll.json.messageId).conversation_id,
			content: '🗳️ Voted: Tarde (13h–18h)',
			content_attributes: expect.objectContaining({ in_reply_to: poll.json.messageId }),
		});
	});

	it('a WAHA poll.vote answers the poll it names', async () => {
		h = await startHarness();
		await h.run([fixture('waha/text')]);
		const vote = fixture('waha/poll-vote') as { payload: { poll: { id: string } } };
		vote.payload.poll.id = `false_5511999990001@c.us_${TEXT_ID}`;
		const [voted] = await h.run([vote]);
		expect(voted.json).toMatchObject({ status: 'created' });
		expect(message(voted.json.messageId)).toMatchObject({
			content: '🗳️ Voted: Tarde (13h–18h)',
			content_attributes: expect.objectContaining({ in_reply_to: h.sb.state.messages[0].id }),
		});
	});

	it('an edit keyed on the business\'s own number makes no contact, conversation or message for that number', async () => {
		h = await startHarness();
		await h.run([fixture('evolution/text')]);
		const before = h.sb.state;
		const [out] = await h.run([fixture('evolution/messages-edited-business-key')]);
		expect(out.json).toMatchObject({ status: 'skipped', skip: 'ignored', reason: expect.stringContaining("business's own number") });
		const after = h.sb.state;
		expect(after.contacts.map((contact) => contact.phone_number)).not.toContain(OWN_NUMBER);
		expect([after.contacts.length, after.conversations.length, after.messages.length]).toEqual([
			before.contacts.length,
			before.conversations.length,
			before.messages.length,
		]);
	});

	it('a REVOKE forwarded as messages.edited deletes the message in Chatwoot', async () => {
		h = await startHarness();
		const text = fixture('evolution/text') as { data: { key: { id: string } } };
		text.data.key.id = '3AA5B4C6D8E0F2A4B6C8';
		const [posted] = await h.run([text]);
		const [out] = await h.run([fixture('evolution/messages-edited-revoke')]);
		expect(out.json).toMatchObject({ status: 'deleted', kind: 'delete', messageId: posted.json.messageId });
		expect(message(posted.json.messageId).content_attributes).toMatchObject({ deleted: true });
	});
});
