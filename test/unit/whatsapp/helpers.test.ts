import { ackFromBaileysStatus, ackFromName, ackFromWahaLevel } from '../../../nodes/shared/whatsapp/ack';
import { bareWahaId, brazilNinthDigitVariants, isGroupJid, isLidJid, phoneFromJid, toPhoneJid } from '../../../nodes/shared/whatsapp/jid';
import { mediaKindFromMime } from '../../../nodes/shared/whatsapp/media';
import { read, unixSeconds } from '../../../nodes/shared/whatsapp/read';
import { parseVCard } from '../../../nodes/shared/whatsapp/vcard';

describe('jid helpers', () => {
	it.each([
		['5511999990001@s.whatsapp.net', '5511999990001@s.whatsapp.net'],
		['5511999990001@c.us', '5511999990001@s.whatsapp.net'],
		['5511999990000:12@s.whatsapp.net', '5511999990000@s.whatsapp.net'],
		['+55 11 99999-0001', '5511999990001@s.whatsapp.net'],
		['5511999990001', '5511999990001@s.whatsapp.net'],
		['123456789012345@lid', undefined],
		['120363041234567890@g.us', undefined],
		['status@broadcast', undefined],
		['BR.1502576394655843', undefined],
		['', undefined],
		[42, undefined],
	])('toPhoneJid(%p) = %p', (input, jid) => expect(toPhoneJid(input)).toBe(jid));

	it.each([
		['5511999990001@s.whatsapp.net', '+5511999990001'],
		['5511999990001@c.us', '+5511999990001'],
		['5511999990000:12@s.whatsapp.net', '+5511999990000'],
		['123456789012345@lid', undefined],
		['120363041234567890@g.us', undefined],
		['5511999990001', undefined], // bare digits could be LID digits: never a phone
		[null, undefined],
	])('phoneFromJid(%p) = %p', (jid, phone) => expect(phoneFromJid(jid)).toBe(phone));

	it('isGroupJid / isLidJid', () => {
		expect(isGroupJid('120363041234567890@g.us')).toBe(true);
		expect(isGroupJid('5511999990001@s.whatsapp.net')).toBe(false);
		expect(isLidJid('123456789012345@lid')).toBe(true);
		expect(isLidJid('123456789012345:3@lid')).toBe(true);
		expect(isLidJid('5511999990001@c.us')).toBe(false);
		expect(isLidJid(undefined)).toBe(false);
	});

	it.each([
		['false_5511999990001@c.us_3A5F1C2B9D8E7A6B5C4D', '3A5F1C2B9D8E7A6B5C4D'],
		['true_5511999990001@c.us_3EB0AA11BB22CC33DD4455', '3EB0AA11BB22CC33DD4455'],
		['false_120363041234567890@g.us_AC3F9B1E5D7C2A8B4E6F0D1C3B5A7E9F_5511999990002@c.us', 'AC3F9B1E5D7C2A8B4E6F0D1C3B5A7E9F'],
		['false_123456789012345@lid_3AE9F8A0B2C4D6E8F0A2', '3AE9F8A0B2C4D6E8F0A2'],
		['3EB0AA11BB22CC33DD4455', '3EB0AA11BB22CC33DD4455'],
		['wamid.GA01NTExOTk5', 'wamid.GA01NTExOTk5'],
	])('bareWahaId(%s) = %s', (id, bare) => expect(bareWahaId(id)).toBe(bare));

	it.each([
		['+5511999990001', ['+5511999990001', '+551199990001']],
		['+551199990001', ['+5511999990001', '+551199990001']],
		['5531988887777@s.whatsapp.net', ['+5531988887777', '+553188887777']],
		['+551133334444', ['+551133334444']], // landline (starts with 3): no 9th digit
		['+14155550100', ['+14155550100']],
		['+55119999', ['+55119999']],
		['', []],
	])('brazilNinthDigitVariants(%s)', (phone, variants) => expect(brazilNinthDigitVariants(phone)).toEqual(variants));
});

describe('readers', () => {
	it('read walks objects case-insensitively and arrays by index', () => {
		const body = { entry: [{ changes: [{ value: { contextInfo: { stanzaID: 'X' } } }] }] };
		expect(read(body, 'entry.0.changes.0.value.contextInfo.stanzaId')).toBe('X');
		expect(read(body, 'entry.1.changes')).toBeUndefined();
		expect(read(null, 'a.b')).toBeUndefined();
		expect(read({ a: 'str' }, 'a.length')).toBeUndefined();
		expect(read({}, '__proto__.constructor')).toBeUndefined();
	});

	it.each([
		[1767261600, 1767261600],
		['1767261600', 1767261600],
		[1767261960321, 1767261960],
		['1767262020000', 1767262020],
		['2026-01-01T10:06:00.412Z', 1767261960],
		[{ low: 1767261600, high: 0, unsigned: false }, 1767261600],
		[0, undefined],
		[-5, undefined],
		['soon', undefined],
		[null, undefined],
	])('unixSeconds(%p) = %p', (value, seconds) => expect(unixSeconds(value)).toBe(seconds));
});

describe('vCard', () => {
	it('prefers the waid parameter and reads FN', () => {
		const card =
			'BEGIN:VCARD\nVERSION:3.0\nN:Pereira;Carlos;;;\nFN:Carlos Pereira\nitem1.TEL;waid=5511999990003:+55 11 99999-0003\nitem1.X-ABLabel:Celular\nEND:VCARD';
		expect(parseVCard(card)).toEqual({ name: 'Carlos Pereira', phones: ['+5511999990003'] });
	});

	it('handles TEL;type=CELL;waid=…, CRLF, folded lines, N without FN and escapes', () => {
		const card =
			'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lima;Jo\r\n ão;;;\r\nTEL;type=CELL;waid=5511999990002:+55 11 99999-0002\r\nTEL;TYPE=WORK:+55 (11) 3333-4444\r\nEND:VCARD';
		expect(parseVCard(card)).toEqual({ name: 'João Lima', phones: ['+5511999990002', '+551133334444'] });
		expect(parseVCard('BEGIN:VCARD\nFN:Silva\\, Ana\nEND:VCARD')).toEqual({ name: 'Silva, Ana', phones: [] });
	});

	it('is undefined for text that is not a vCard', () => expect(parseVCard('hello')).toBeUndefined());
});

describe('shared mappings', () => {
	it('ack names across gateways', () => {
		expect(['SERVER_ACK', 'DELIVERY_ACK', 'READ', 'PLAYED', 'ERROR', 'PENDING'].map(ackFromName)).toEqual([
			'sent',
			'delivered',
			'read',
			'played',
			'failed',
			undefined,
		]);
		expect(['SERVER', 'DEVICE', 'sent', 'delivered', 'failed'].map(ackFromName)).toEqual([
			'sent',
			'delivered',
			'sent',
			'delivered',
			'failed',
		]);
		expect([-1, 0, 1, 2, 3, 4, 5].map(ackFromWahaLevel)).toEqual(['failed', undefined, 'sent', 'delivered', 'read', 'played', undefined]);
		expect([0, 1, 2, 3, 4, 5].map(ackFromBaileysStatus)).toEqual(['failed', undefined, 'sent', 'delivered', 'read', 'played']);
	});

	it('media kind from mime', () => {
		expect(
			['image/jpeg', 'image/webp', 'video/mp4', 'audio/ogg; codecs=opus', 'audio/mpeg', 'application/pdf', undefined].map(
				mediaKindFromMime,
			),
		).toEqual(['image', 'sticker', 'video', 'voice', 'audio', 'document', 'document']);
	});
});
