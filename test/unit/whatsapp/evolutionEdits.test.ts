/**
 * Every `messages.edited` shape Evolution 2.x emits (docs/evolution-edits.md): the protocol message with the original
 * key, its business-key variant (evolution-api #1367, #1647), a REVOKE forwarded as an edit, a whole upsert whose
 * content is the protocol message, and the WhatsApp Web channel's `{key, message}`.
 */
import type { InboundEvent, NormalizedItem } from '../../../nodes/shared/whatsapp/event';
import { normalizeWhatsApp } from '../../../nodes/shared/whatsapp/normalize';
import { loadFixture } from './fixtures';

const OWN = '5511999990000@s.whatsapp.net';
const MARIA = '5511999990001@s.whatsapp.net';
const GROUP = '120363041234567890@g.us';
const JOAO = '5511999990002@s.whatsapp.net';

function edited(data: Record<string, unknown>): Record<string, unknown> {
	const body = loadFixture('evolution', 'messages-edited');
	body.data = data;
	return body;
}

function only(items: NormalizedItem[]): InboundEvent {
	expect(items).toHaveLength(1);
	expect(items[0].type).toBe('event');
	return (items[0] as { event: InboundEvent }).event;
}

/** No event of a normalized body is addressed to the business's own number. */
function expectNoOwnChat(items: NormalizedItem[]): void {
	for (const item of items) if (item.type === 'event') expect(item.event.chat.jid).not.toBe(OWN);
}

describe('Evolution messages.edited shapes', () => {
	it.each([
		['number 14', 14],
		['"MESSAGE_EDIT" (protobuf JSON enum name)', 'MESSAGE_EDIT'],
		['absent', undefined],
	])('protocol edit with type %s: an edit of the key\'s message in the key\'s chat', (_name, type) => {
		const event = only(
			normalizeWhatsApp(
				edited({ key: { remoteJid: MARIA, fromMe: false, id: 'ORIG1' }, type, editedMessage: { extendedTextMessage: { text: 'novo texto' } }, timestampMs: '1767262020000' }),
			),
		);
		expect(event).toMatchObject({ kind: 'edit', targetId: 'ORIG1', text: 'novo texto', chat: { jid: MARIA }, fromMe: false, timestamp: 1767262020 });
	});

	it('the business edits its own message from the phone: outgoing edit in the customer\'s chat', () => {
		const event = only(
			normalizeWhatsApp(edited({ key: { remoteJid: MARIA, fromMe: true, id: 'ORIG2' }, type: 14, editedMessage: { conversation: 'corrigido' }, timestampMs: 1767262020000 })),
		);
		expect(event).toMatchObject({ kind: 'edit', targetId: 'ORIG2', fromMe: true, chat: { jid: MARIA }, sender: { jid: OWN } });
	});

	it('business key (the customer edited; the key names our own number): no event for our number, the reason says why', () => {
		const items = normalizeWhatsApp(loadFixture('evolution', 'messages-edited-business-key'));
		expectNoOwnChat(items);
		expect(items).toEqual([
			expect.objectContaining({ type: 'ignore', whatsappId: '3A5F1C2B9D8E7A6B5C4D', reason: expect.stringContaining("business's own number") }),
		]);
	});

	it('business key with the own number written as @c.us or with a device suffix is recognised too', () => {
		for (const remoteJid of ['5511999990000@c.us', '5511999990000:12@s.whatsapp.net']) {
			const items = normalizeWhatsApp(edited({ key: { remoteJid, fromMe: true, id: 'X' }, type: 14, editedMessage: { conversation: 'a' } }));
			expectNoOwnChat(items);
			expect(items[0].type).toBe('ignore');
		}
	});

	it('REVOKE forwarded as messages.edited (type 0 or "REVOKE"): a delete of the key\'s message', () => {
		for (const type of [0, 'REVOKE']) {
			const event = only(normalizeWhatsApp(edited({ key: { remoteJid: MARIA, fromMe: false, id: 'GONE1' }, type })));
			expect(event).toMatchObject({ kind: 'delete', targetId: 'GONE1', chat: { jid: MARIA } });
		}
	});

	it('REVOKE keyed on our own number is not a chat either', () => {
		const items = normalizeWhatsApp(edited({ key: { remoteJid: OWN, fromMe: true, id: 'GONE2' }, type: 'REVOKE' }));
		expectNoOwnChat(items);
		expect(items).toEqual([expect.objectContaining({ type: 'ignore', reason: expect.stringContaining('deleted message') })]);
	});

	it('a whole upsert whose content is the protocol edit: the outer key is the chat and the edit\'s own id', () => {
		const protocolMessage = { key: { remoteJid: OWN, fromMe: true, id: 'ORIG3' }, type: 'MESSAGE_EDIT', editedMessage: { conversation: 'editado' } };
		const event = only(
			normalizeWhatsApp(
				edited({
					key: { remoteJid: MARIA, fromMe: false, id: 'EDIT3' },
					pushName: 'Maria Souza',
					message: { editedMessage: { message: { protocolMessage } } },
					messageTimestamp: 1767262100,
				}),
			),
		);
		expect(event).toMatchObject({ kind: 'edit', whatsappId: 'EDIT3', targetId: 'ORIG3', text: 'editado', chat: { jid: MARIA }, fromMe: false });
	});

	it('a whole upsert whose content is a protocol REVOKE is a delete', () => {
		const event = only(
			normalizeWhatsApp(
				edited({
					key: { remoteJid: MARIA, fromMe: false, id: 'REV4' },
					message: { protocolMessage: { key: { remoteJid: OWN, fromMe: true, id: 'ORIG4' }, type: 'REVOKE' } },
					messageTimestamp: 1767262100,
				}),
			),
		);
		expect(event).toMatchObject({ kind: 'delete', whatsappId: 'REV4', targetId: 'ORIG4', chat: { jid: MARIA } });
	});

	it('WhatsApp Web channel: {key, message, oldMessage} is an edit of key.id with the new text', () => {
		const event = only(
			normalizeWhatsApp(
				edited({
					key: { remoteJid: MARIA, fromMe: false, id: 'ORIG5' },
					message: { conversation: 'texto novo' },
					oldMessage: { conversation: 'texto velho' },
					messageTimestamp: 1767262200,
				}),
			),
		);
		expect(event).toMatchObject({ kind: 'edit', targetId: 'ORIG5', text: 'texto novo', timestamp: 1767262200 });
	});

	it('in a group, a member\'s edit keyed fromMe is still the member\'s (the participant says who)', () => {
		const event = only(
			normalizeWhatsApp(
				edited({ key: { remoteJid: GROUP, fromMe: true, id: 'G1', participant: JOAO }, type: 14, editedMessage: { conversation: 'ok' }, timestampMs: 1767262020000 }),
			),
		);
		expect(event).toMatchObject({ kind: 'edit', fromMe: false, chat: { jid: GROUP, isGroup: true }, sender: { jid: JOAO } });
	});

	it('an edit without readable text (undecrypted) stays ignored with its reason', () => {
		const items = normalizeWhatsApp(edited({ key: { remoteJid: MARIA, fromMe: false, id: 'S1' }, type: 14, editedMessage: { secretEncryptedMessage: {} } }));
		expect(items).toEqual([expect.objectContaining({ type: 'ignore', reason: expect.stringContaining('without readable new text') })]);
	});
});
