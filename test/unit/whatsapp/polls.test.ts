/**
 * Polls as the gateways document them (docs/gateway-polls.md): Baileys / whatsmeow `pollCreationMessage` and its
 * V2/V3/V5 variants, votes Evolution decrypted (`pollUpdateMessage.vote.selectedOptions`), WAHA's `poll.vote`
 * event, and WAHA polls inside `message` payloads of each engine.
 */
import { draftInboundMessage } from '../../../nodes/shared/bridge/inboundContent';
import { textsFor } from '../../../nodes/shared/bridge/texts';
import type { InboundEvent, NormalizedItem } from '../../../nodes/shared/whatsapp/event';
import { normalizeWhatsApp } from '../../../nodes/shared/whatsapp/normalize';
import type { PollEvent } from '../../../nodes/shared/whatsapp/poll';
import { loadFixture } from './fixtures';

const QUESTION = 'Qual horário prefere para a entrega?';
const OPTIONS = ['Manhã (8h–12h)', 'Tarde (13h–18h)', 'Noite (18h–21h)'];

function only(items: NormalizedItem[]): PollEvent {
	expect(items).toHaveLength(1);
	expect(items[0].type).toBe('event');
	return (items[0] as { event: InboundEvent }).event as PollEvent;
}

function evolutionWith(message: Record<string, unknown>): Record<string, unknown> {
	const body = loadFixture('evolution', 'poll');
	body.data.message = message;
	return body;
}

const creation = (selectableOptionsCount = 1) => ({
	name: QUESTION,
	options: OPTIONS.map((optionName) => ({ optionName })),
	selectableOptionsCount,
});

describe('Evolution polls', () => {
	it.each(['pollCreationMessage', 'pollCreationMessageV2', 'pollCreationMessageV3', 'pollCreationMessageV5'])(
		'%s: the question and every option, never an unsupported-type placeholder',
		(key) => {
			const event = only(normalizeWhatsApp(evolutionWith({ [key]: creation() })));
			expect(event.poll).toEqual({ question: QUESTION, options: OPTIONS, multipleAnswers: false });
			expect(event.unsupportedType).toBeUndefined();
		},
	);

	it('selectableOptionsCount 0 (any number of answers) is a multiple-answer poll', () => {
		expect(only(normalizeWhatsApp(evolutionWith({ pollCreationMessageV3: creation(0) }))).poll?.multipleAnswers).toBe(true);
	});

	it('a poll in a disappearing chat (ephemeralMessage wrapper) is still a poll', () => {
		const event = only(normalizeWhatsApp(evolutionWith({ ephemeralMessage: { message: { pollCreationMessage: creation() } } })));
		expect(event.poll?.question).toBe(QUESTION);
	});

	it('a poll without a question stays a visible placeholder', () => {
		const event = only(normalizeWhatsApp(evolutionWith({ pollCreationMessageV3: { options: [{ optionName: 'a' }] } })));
		expect(event.poll).toBeUndefined();
		expect(event.unsupportedType).toBe('pollCreationMessageV3');
	});

	it('a vote Evolution decrypted answers its poll; names given as {name} objects are read too', () => {
		const body = loadFixture('evolution', 'poll-vote');
		body.data.message.pollUpdateMessage.vote.selectedOptions = [{ name: 'Manhã (8h–12h)' }, { name: 'Noite (18h–21h)' }];
		const event = only(normalizeWhatsApp(body));
		expect(event.pollVote).toEqual({ pollId: '3EB0C4D5E6F7A8B9C0D1', options: ['Manhã (8h–12h)', 'Noite (18h–21h)'] });
		expect(event.replyTo).toEqual({ whatsappId: '3EB0C4D5E6F7A8B9C0D1' });
	});

	it('an encrypted vote (encPayload only) is ignored with a reason, not posted as an unknown type', () => {
		const body = loadFixture('evolution', 'poll-vote');
		body.data.message.pollUpdateMessage.vote = { encPayload: 'AAAA', encIv: 'BBBB' };
		expect(normalizeWhatsApp(body)).toEqual([
			{
				type: 'ignore',
				reason: 'pollUpdateMessage: an encrypted poll vote the gateway did not decrypt, so the choice is unknown',
				whatsappId: '3A9C8B7A6F5E4D3C2B1A',
			},
		]);
	});
});

describe('WAHA polls', () => {
	it('poll.vote.failed (WAHA could not decrypt) is ignored with a reason', () => {
		const body = loadFixture('waha', 'poll-vote');
		body.event = 'poll.vote.failed';
		body.payload.vote.selectedOptions = [];
		expect(normalizeWhatsApp(body)).toEqual([
			{ type: 'ignore', reason: 'poll.vote.failed: WAHA could not decrypt the vote, so the choice is unknown' },
		]);
	});

	it('a vote the business casts on the phone is ours, in the chat it names in `to`', () => {
		const body = loadFixture('waha', 'poll-vote');
		Object.assign(body.payload.vote, { id: 'true_5511999990001@c.us_3EB0VOTE', from: 'me', to: '5511999990001@c.us', fromMe: true });
		const event = only(normalizeWhatsApp(body));
		expect(event).toMatchObject({ fromMe: true, whatsappId: '3EB0VOTE', chat: { jid: '5511999990001@s.whatsapp.net' } });
		expect(event.sender.phone).toBe('+5511999990000');
	});

	it('a vote without the poll id is an error naming the field', () => {
		const body = loadFixture('waha', 'poll-vote');
		delete body.payload.poll;
		expect(() => normalizeWhatsApp(body)).toThrow(/body\.payload\.poll\.id is missing/);
	});

	it.each([
		['GOWS', 'Message', { pollCreationMessageV3: creation() }],
		['NOWEB', 'message', { messageContextInfo: {}, pollCreationMessage: creation() }],
	])('%s: a poll inside a message payload keeps its question and options', (engine, field, message) => {
		const body = loadFixture('waha', 'text');
		body.engine = engine;
		body.payload.body = '';
		body.payload._data = engine === 'GOWS' ? { ...body.payload._data, Message: message } : { key: { remoteJid: '5511999990001@s.whatsapp.net', fromMe: false, id: '3A5F1C2B9D8E7A6B5C4D' }, [field]: message };
		const event = only(normalizeWhatsApp(body));
		expect(event.poll).toEqual({ question: QUESTION, options: OPTIONS, multipleAnswers: false });
		expect(event.unsupportedType).toBeUndefined();
		expect(event.text).toBeUndefined();
	});

	it('WEBJS: pollName / pollOptions of a poll_creation message, the question not repeated as text', () => {
		const body = loadFixture('waha', 'text');
		body.engine = 'WEBJS';
		body.payload.body = QUESTION;
		body.payload._data = {
			type: 'poll_creation',
			pollName: QUESTION,
			pollOptions: OPTIONS.map((name, localId) => ({ name, localId })),
			pollSelectableOptionsCount: 0,
		};
		const event = only(normalizeWhatsApp(body));
		expect(event.poll).toEqual({ question: QUESTION, options: OPTIONS, multipleAnswers: true });
		expect(event.text).toBeUndefined();
	});
});

describe('polls as Chatwoot messages', () => {
	const poll = only(normalizeWhatsApp(loadFixture('evolution', 'poll')));
	const vote = only(normalizeWhatsApp(loadFixture('evolution', 'poll-vote')));

	it('English: the question in bold and one line per option', () => {
		expect(draftInboundMessage(poll).content).toBe(
			'📊 **Poll: Qual horário prefere para a entrega?**\n▫️ Manhã (8h–12h)\n▫️ Tarde (13h–18h)\n▫️ Noite (18h–21h)',
		);
	});

	it('pt-BR and es', () => {
		expect(draftInboundMessage(poll, textsFor('pt-BR')).content).toMatch(/^📊 \*\*Enquete: Qual horário/);
		expect(draftInboundMessage(poll, textsFor('es')).content).toMatch(/^📊 \*\*Encuesta: Qual horário/);
		expect(draftInboundMessage({ ...poll, poll: { ...poll.poll!, multipleAnswers: true } } as PollEvent, textsFor('pt-BR')).content).toMatch(
			/^📊 \*\*Enquete \(várias respostas permitidas\): /,
		);
	});

	it('a vote is a reply to the poll naming the choice; an empty selection withdraws it', () => {
		const draft = draftInboundMessage(vote);
		expect(draft.content).toBe('🗳️ Voted: Tarde (13h–18h)');
		expect(draft.inReplyToSourceId).toBe('WAID:3EB0C4D5E6F7A8B9C0D1');
		expect(draft.sourceId).toBe('WAID:3A9C8B7A6F5E4D3C2B1A');
		const withdrawn = { ...vote, pollVote: { pollId: '3EB0C4D5E6F7A8B9C0D1', options: [] } } as PollEvent;
		expect(draftInboundMessage(withdrawn, textsFor('pt-BR')).content).toBe('🗳️ Retirou o voto');
	});
});
