import { AGENT_ECHO_WINDOW_SECONDS, findAgentMessageEchoed } from '../../../nodes/shared/bridge/agentEcho';
import { chatwootMarkdownToWhatsApp } from '../../../nodes/shared/bridge/formatting';
import { applyAgentSignature } from '../../../nodes/shared/bridge/signature';
import type { Message } from '../../../nodes/shared/chatwoot/schemas';
import type { InboundEvent } from '../../../nodes/shared/whatsapp/event';
import { makeEvent, T0 } from './events';

const NONE = new Set<number>();

function agentMessage(id: number, content: string | null, overrides: Partial<Message> = {}): Message {
	return {
		id,
		content,
		message_type: 1,
		private: false,
		source_id: null,
		created_at: T0 - 5,
		content_attributes: {},
		sender: { id: 1, type: 'user' },
		...overrides,
	};
}

function echo(text: string | undefined, overrides: Partial<InboundEvent> = {}): InboundEvent {
	return makeEvent({ fromMe: true, whatsappId: '3EB0ECHO', text, ...overrides });
}

/** What the bridge sends to WhatsApp for an agent message (outbound.ts): WhatsApp formatting, then the signature. */
function sentText(content: string, signed: boolean): string {
	return applyAgentSignature(chatwootMarkdownToWhatsApp(content), {
		signMsg: signed,
		signDelimiter: '\n',
		agentName: 'Joana Souza',
		senderType: 'user',
	});
}

describe('findAgentMessageEchoed: the echo of what the agent wrote', () => {
	it.each([
		['plain text', 'Seu pedido saiu para entrega'],
		['bold and italic', 'Seu pedido **saiu** para *entrega*'],
		['strike and code', '~~cancelado~~ use o código `BR123`'],
		['several lines', 'Olá!\n\nSeu pedido saiu.\nAté logo'],
		['accents and emoji', 'Obrigada, Conceição 🙏'],
		['a list', '- arroz\n- feijão'],
		['a link', 'Rastreie em [Correios](https://rastreamento.example/BR1)'],
		['a heading', '# Pedido 123\nsaiu'],
	])('%s, signed and unsigned', (_, content) => {
		const agent = agentMessage(500, content);
		for (const signed of [false, true]) {
			expect(findAgentMessageEchoed(echo(sentText(content, signed)), [agent], NONE)?.id).toBe(500);
		}
	});

	it('matches the webhook form too (string type, ISO time)', () => {
		const agent = agentMessage(501, 'Oi', { message_type: 'outgoing', created_at: new Date((T0 - 60) * 1000).toISOString() });
		expect(findAgentMessageEchoed(echo('*Joana:*\nOi'), [agent], NONE)?.id).toBe(501);
	});

	it('matches an attachment-only agent message by the media that comes back', () => {
		const agent = agentMessage(502, null, { attachments: [{ id: 9, file_type: 'image', data_url: 'https://cw.example/a.jpg' }] });
		const media = { kind: 'image' as const, mimeType: 'image/jpeg', url: 'https://gw.example/m' };
		expect(findAgentMessageEchoed(echo(undefined, { media }), [agent], NONE)?.id).toBe(502);
		expect(findAgentMessageEchoed(echo('*Joana Souza:*', { media }), [agent], NONE)?.id).toBe(502);
		expect(findAgentMessageEchoed(echo('Oi'), [agent], NONE)).toBeUndefined();
	});

	it('the oldest unlinked candidate wins', () => {
		const recent = [agentMessage(612, 'Ok'), agentMessage(610, 'Ok'), agentMessage(611, 'Ok')];
		expect(findAgentMessageEchoed(echo('Ok'), recent, NONE)?.id).toBe(610);
		expect(findAgentMessageEchoed(echo('Ok'), recent, new Set([610]))?.id).toBe(611);
		expect(findAgentMessageEchoed(echo('Ok'), recent, new Set([610, 611, 612]))).toBeUndefined();
	});

	it('looks at the whole window, on both sides of the event time', () => {
		for (const delta of [-AGENT_ECHO_WINDOW_SECONDS, AGENT_ECHO_WINDOW_SECONDS]) {
			const agent = agentMessage(503, 'Oi', { created_at: T0 + delta });
			expect(findAgentMessageEchoed(echo('Oi'), [agent], NONE)?.id).toBe(503);
		}
	});
});

describe('findAgentMessageEchoed: what is not an echo', () => {
	it.each([
		['older than the window', agentMessage(700, 'Oi', { created_at: T0 - AGENT_ECHO_WINDOW_SECONDS - 1 })],
		['a private note', agentMessage(701, 'Oi', { private: true })],
		['an incoming message', agentMessage(702, 'Oi', { message_type: 0 })],
		['a phone-typed mirror (source id WAID:)', agentMessage(703, 'Oi', { source_id: 'WAID:3EB0OTHER' })],
		['a mirror marked external_echo', agentMessage(704, 'Oi', { content_attributes: { external_echo: true } })],
		['a different text', agentMessage(705, 'Tchau')],
	])('%s', (_, message) => {
		expect(findAgentMessageEchoed(echo('Oi'), [message], NONE)).toBeUndefined();
	});

	it('an agent message already linked to another WhatsApp id', () => {
		expect(findAgentMessageEchoed(echo('Oi'), [agentMessage(706, 'Oi')], new Set([706]))).toBeUndefined();
	});

	it('a message from the contact, or an event that is not a message', () => {
		const agent = [agentMessage(707, 'Oi')];
		expect(findAgentMessageEchoed(echo('Oi', { fromMe: false }), agent, NONE)).toBeUndefined();
		expect(findAgentMessageEchoed(echo('Oi', { kind: 'edit', targetId: 'X' }), agent, NONE)).toBeUndefined();
	});

	it('an empty agent message without attachments never matches', () => {
		expect(findAgentMessageEchoed(echo('Oi', { media: { kind: 'image', mimeType: 'image/jpeg' } }), [agentMessage(708, '')], NONE)).toBeUndefined();
	});

	// A phone-typed message that merely contains an earlier short agent reply is not that reply: taking it for the echo
	// swallows the business owner's message (never posted to Chatwoot).
	it.each([
		['a longer phone message starting with the agent text', 'Sim', 'Sim, pode vir amanhã às 10h'],
		['a phone message containing the agent text', 'ok', 'Tudo ok com o pagamento?'],
	])('%s', (_, agentText, phoneText) => {
		expect(findAgentMessageEchoed(echo(phoneText), [agentMessage(709, agentText)], NONE)).toBeUndefined();
	});

	// The code comment: "an attachment-only agent message comes back as media whose caption is at most the signature".
	it('a phone-typed photo with a caption of its own is not the echo of an attachment-only agent message', () => {
		const agent = agentMessage(710, null, { attachments: [{ id: 9, file_type: 'file' }] });
		const media = { kind: 'image' as const, mimeType: 'image/jpeg', url: 'https://gw.example/m' };
		expect(findAgentMessageEchoed(echo('Olha a foto da fachada', { media }), [agent], NONE)).toBeUndefined();
	});
});

describe('findAgentMessageEchoed: messages Chatwoot sends that are not outgoing', () => {
	// Template messages (greeting, out-of-office, CSAT) are sent to WhatsApp by the outbound mapper (outbound.ts) just
	// like agent replies, so their echo must not come back into Chatwoot as a second message.
	it('the echo of a template message sent to WhatsApp', () => {
		const template = agentMessage(800, 'Olá! Responderemos em breve.', { message_type: 3, sender: null });
		expect(findAgentMessageEchoed(echo('Olá! Responderemos em breve.'), [template], NONE)?.id).toBe(800);
	});
});
