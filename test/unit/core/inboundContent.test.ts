import {
	draftInboundMessage,
	renderMediaPlaceholder,
	withQuotedFallback,
} from '../../../nodes/shared/bridge/inboundContent';
import type { InboundEvent } from '../../../nodes/shared/whatsapp/event';
import { GROUP_CHAT, groupEvent, makeEvent, T0 } from './events';

describe('draftInboundMessage: a text message', () => {
	it('is an incoming message with the WhatsApp id as source id, in Chatwoot markdown', () => {
		const draft = draftInboundMessage(makeEvent({ text: 'Oi, *pedido* _urgente_ ~cancelado~ ```BR1```' }));
		expect(draft).toEqual({
			sourceId: 'WAID:3EB0AAA111',
			messageType: 'incoming',
			content: 'Oi, **pedido** *urgente* ~~cancelado~~ `BR1`',
			contentAttributes: {},
			externalCreatedAt: T0,
		});
	});

	it('a message typed on the business phone is outgoing and marked as sent from the native app', () => {
		const draft = draftInboundMessage(makeEvent({ fromMe: true, text: 'Já enviei' }));
		expect(draft.messageType).toBe('outgoing');
		expect(draft.contentAttributes).toEqual({ external_echo: true });
		expect(draft.content).toBe('Já enviei');
	});

	it('a reply points at the quoted message and carries its text as a fallback', () => {
		const draft = draftInboundMessage(
			makeEvent({ text: 'Sim', replyTo: { whatsappId: '3EB0QUOTED', quotedText: 'Posso passar amanhã?' } }),
		);
		expect(draft.inReplyToSourceId).toBe('WAID:3EB0QUOTED');
		expect(draft.contentAttributes).toEqual({ in_reply_to_external_id: 'WAID:3EB0QUOTED' });
		expect(draft.quotedTextFallback).toBe('Posso passar amanhã?');
		expect(draft.sourceId).toBe('WAID:3EB0AAA111');
	});

	it('a reply without quoted text has no fallback', () => {
		const draft = draftInboundMessage(makeEvent({ text: 'Sim', replyTo: { whatsappId: '3EB0QUOTED' } }));
		expect(draft.inReplyToSourceId).toBe('WAID:3EB0QUOTED');
		expect(draft.quotedTextFallback).toBeUndefined();
	});
});

describe('draftInboundMessage: group messages name their sender', () => {
	it.each([
		['name and phone', { jid: '5511988880002@s.whatsapp.net', phone: '+5511988880002', name: 'Joana' }, '**Joana** (+5511988880002):'],
		['name only', { jid: '111122223333444@lid', name: 'Joana' }, '**Joana**:'],
		['phone only', { jid: '5511988880002@s.whatsapp.net', phone: '+5511988880002' }, '**+5511988880002**:'],
		['a blank name', { phone: '+5511988880002', name: '  ' }, '**+5511988880002**:'],
	])('%s', (_, sender, header) => {
		expect(draftInboundMessage(groupEvent(sender, { text: 'Bom dia' })).content).toBe(`${header}\nBom dia`);
	});

	it('never shows the digits of a LID as a phone number', () => {
		const content = draftInboundMessage(groupEvent({ jid: '111122223333444@lid', lid: '111122223333444@lid' }, { text: 'Bom dia' })).content;
		expect(content).not.toContain('111122223333444');
		expect(content).toContain('Bom dia');
	});

	it('a message from the business phone in a group carries no sender line', () => {
		const draft = draftInboundMessage(groupEvent({ name: 'Loja', phone: '+5511999990000' }, { fromMe: true, text: 'Oi grupo' }));
		expect(draft.content).toBe('Oi grupo');
		expect(draft.messageType).toBe('outgoing');
	});

	it('a sender line alone when the group message has no text (media only)', () => {
		const event = groupEvent({ name: 'Joana' }, { media: { kind: 'image', mimeType: 'image/jpeg', url: 'https://x.example/a' } });
		expect(draftInboundMessage(event).content).toBe('**Joana**:');
	});
});

describe('draftInboundMessage: other kinds', () => {
	it('a reaction is a reply to the reacted message with its own source id', () => {
		const draft = draftInboundMessage(makeEvent({ kind: 'reaction', whatsappId: '3EB0REACT', reaction: { emoji: '👍', targetId: '3EB0TARGET' } }));
		expect(draft).toMatchObject({ content: 'Reacted 👍', sourceId: 'WAID:3EB0REACT', inReplyToSourceId: 'WAID:3EB0TARGET', messageType: 'incoming' });
		expect(draft.contentAttributes).toEqual({ in_reply_to_external_id: 'WAID:3EB0TARGET' });
		expect(draft.quotedTextFallback).toBeUndefined();
	});

	it('a removed reaction says so', () => {
		const draft = draftInboundMessage(makeEvent({ kind: 'reaction', whatsappId: '3EB0UNREACT', reaction: { emoji: '', targetId: '3EB0TARGET' } }));
		expect(draft.content).toBe('Removed a reaction');
		expect(draft.inReplyToSourceId).toBe('WAID:3EB0TARGET');
	});

	it('a reaction without an id of its own gets a derived, replay-stable source id distinct from the target', () => {
		const event = makeEvent({ kind: 'reaction', whatsappId: '', reaction: { emoji: '❤️', targetId: '3EB0TARGET' } });
		const first = draftInboundMessage(event).sourceId;
		expect(first).toMatch(/^WAID:/);
		expect(first).not.toBe('WAID:3EB0TARGET');
		expect(draftInboundMessage({ ...event }).sourceId).toBe(first);
		const later = draftInboundMessage({ ...event, timestamp: T0 + 60 }).sourceId;
		expect(later).not.toBe(first);
	});

	it('an edit is a new message replying to the original, distinct from it', () => {
		const draft = draftInboundMessage(makeEvent({ kind: 'edit', whatsappId: '3EB0ORIG', targetId: '3EB0ORIG', text: 'Chego às *10h*' }));
		expect(draft.content).toBe('✏️ Edited: Chego às **10h**');
		expect(draft.inReplyToSourceId).toBe('WAID:3EB0ORIG');
		expect(draft.sourceId).not.toBe('WAID:3EB0ORIG');
		expect(draft.sourceId).toMatch(/^WAID:3EB0ORIG/);
	});

	it('an edit with its own id keeps that id', () => {
		const draft = draftInboundMessage(makeEvent({ kind: 'edit', whatsappId: '3EB0EDIT', targetId: '3EB0ORIG', text: 'x' }));
		expect(draft.sourceId).toBe('WAID:3EB0EDIT');
	});

	it('a delete is a notice pointing at the deleted message', () => {
		const draft = draftInboundMessage(makeEvent({ kind: 'delete', whatsappId: '3EB0ORIG', targetId: '3EB0ORIG' }));
		expect(draft.content).toBe('🗑️ This message was deleted on WhatsApp');
		expect(draft.inReplyToSourceId).toBe('WAID:3EB0ORIG');
		expect(draft.sourceId).not.toBe('WAID:3EB0ORIG');
	});

	it('a location shows its name, address and a Google Maps link', () => {
		const content = draftInboundMessage(
			makeEvent({ location: { latitude: -23.5505, longitude: -46.6333, name: 'Loja Centro', address: 'Praça da Sé, São Paulo' } }),
		).content;
		expect(content).toBe('📍 **Location: Loja Centro**\nPraça da Sé, São Paulo\nhttps://www.google.com/maps?q=-23.5505,-46.6333');
	});

	it('a live location without a name still links to the map', () => {
		const content = draftInboundMessage(makeEvent({ location: { latitude: 1.5, longitude: 2, live: true } })).content;
		expect(content).toBe('📍 **Live location**\nhttps://www.google.com/maps?q=1.5,2');
	});

	it('shared contacts list names and numbers', () => {
		const content = draftInboundMessage(
			makeEvent({ contacts: [{ name: 'Ana', phones: ['+5511911110001', '+5511911110002'] }, { name: '', phones: [] }] }),
		).content;
		expect(content).toBe('👤 **Ana**: +5511911110001, +5511911110002\n👤 **Contact**: no phone number');
	});

	it('an unsupported type becomes a readable placeholder naming the type', () => {
		const content = draftInboundMessage(makeEvent({ unsupportedType: 'eventMessage' })).content;
		expect(content).toContain('eventMessage');
		expect(content).toMatch(/open WhatsApp/);
	});
});

describe('draftInboundMessage: never an empty content', () => {
	const cases: Array<[string, Partial<InboundEvent>]> = [
		['text', { text: 'x' }],
		['reaction', { kind: 'reaction', reaction: { emoji: '👍', targetId: 'T' } }],
		['removed reaction', { kind: 'reaction', reaction: { emoji: '', targetId: 'T' } }],
		['edit without text', { kind: 'edit', targetId: 'T' }],
		['delete', { kind: 'delete', targetId: 'T' }],
		['location', { location: { latitude: 0, longitude: 0 } }],
		['contacts', { contacts: [{ name: 'Ana', phones: [] }] }],
		['unsupported type', { unsupportedType: 'buttonsMessage' }],
		// A normalizer that understood nothing must still not produce a blank bubble (docs/architecture.md, The canonical
		// models: never silence).
		['a message with nothing understood', {}],
	];
	it.each(cases)('%s', (_, overrides) => {
		for (const chat of [{ jid: '5511999990001@s.whatsapp.net', isGroup: false }, { ...GROUP_CHAT }]) {
			expect(draftInboundMessage(makeEvent({ chat, sender: {}, ...overrides })).content.trim()).not.toBe('');
		}
	});
});

describe('withQuotedFallback', () => {
	it('quotes every line above the reply', () => {
		expect(withQuotedFallback('Sim', 'linha 1\nlinha 2')).toBe('> linha 1\n> linha 2\n\nSim');
	});

	it('is the quote alone when the reply has no text', () => {
		expect(withQuotedFallback('', 'Posso passar?')).toBe('> Posso passar?');
	});

	// The quoted text is WhatsApp text: shown in Chatwoot it must read like the message it quotes.
	it('shows WhatsApp formatting of the quoted text as Chatwoot markdown', () => {
		const draft = draftInboundMessage(makeEvent({ text: 'ok', replyTo: { whatsappId: 'Q', quotedText: '*Pedido* 123' } }));
		expect(withQuotedFallback(draft.content, draft.quotedTextFallback as string)).toBe('> **Pedido** 123\n\nok');
	});
});

describe('renderMediaPlaceholder', () => {
	it.each([
		['image', 'photo.jpg', '[Image "photo.jpg" could not be attached: HTTP 404]'],
		['voice', undefined, '[Voice message could not be attached: HTTP 404]'],
		['document', 'nota.pdf', '[Document "nota.pdf" could not be attached: HTTP 404]'],
		['sticker', undefined, '[Sticker could not be attached: HTTP 404]'],
	] as const)('%s', (kind, fileName, expected) => {
		const event = makeEvent({ media: { kind, mimeType: 'application/octet-stream', fileName } });
		expect(renderMediaPlaceholder(event, 'HTTP 404')).toBe(expected);
	});

	it('still says something without media details', () => {
		expect(renderMediaPlaceholder(makeEvent(), 'timeout')).toBe('[Media could not be attached: timeout]');
	});
});
