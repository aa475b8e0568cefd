/**
 * WhatsApp address helpers. Identity rule (docs/gateways.md, LID addressing): a phone is only ever read from a phone
 * JID (`…@s.whatsapp.net`, WAHA's `…@c.us`) or a Cloud `wa_id`, never from LID digits.
 */
import { str } from './read';

// `user[.agent][:device]@server`: multi-device JIDs carry a device suffix (`5511…:12@s.whatsapp.net`) that is not part of the address.
const PHONE_JID = /^(\d{5,15})(?:[.:]\d+)*@(?:s\.whatsapp\.net|c\.us)$/i;
const LID_JID = /^(\d+)(?:[.:]\d+)*@lid$/i;
const BARE_PHONE = /^\+?[\d\s().-]+$/;

export function isGroupJid(jid: unknown): boolean {
	return typeof jid === 'string' && /@g\.us$/i.test(jid.trim());
}

export function isLidJid(jid: unknown): boolean {
	return typeof jid === 'string' && LID_JID.test(jid.trim());
}

export function isPhoneJid(jid: unknown): boolean {
	return typeof jid === 'string' && PHONE_JID.test(jid.trim());
}

/** Status updates, broadcast lists and channels are not conversations. */
export function isBroadcastJid(jid: unknown): boolean {
	return typeof jid === 'string' && /@(broadcast|newsletter)$/i.test(jid.trim());
}

/**
 * `<digits>@s.whatsapp.net` from a phone JID (`@c.us`, device suffix dropped) or from a phone number written with
 * `+`, spaces or dashes. `undefined` for LIDs, groups and anything else. Pass bare digits only when they are a phone
 * (a Cloud `wa_id`), never digits cut out of a LID.
 */
export function toPhoneJid(input: unknown): string | undefined {
	const value = str(input)?.trim();
	if (!value) return undefined;
	if (value.includes('@')) {
		const match = PHONE_JID.exec(value);
		return match ? `${match[1]}@s.whatsapp.net` : undefined;
	}
	if (!BARE_PHONE.test(value)) return undefined;
	const digits = value.replace(/\D/g, '');
	return digits.length >= 5 && digits.length <= 15 ? `${digits}@s.whatsapp.net` : undefined;
}

/** `+<digits>` (E.164) from a phone JID; `undefined` for LIDs, groups, bare strings and anything else. */
export function phoneFromJid(jid: unknown): string | undefined {
	const value = str(jid)?.trim();
	const match = value ? PHONE_JID.exec(value) : null;
	return match ? `+${match[1]}` : undefined;
}

/** `<digits>@lid` without a device suffix, or `undefined` when the value is not a LID. */
export function toLidJid(jid: unknown): string | undefined {
	const value = str(jid)?.trim();
	const match = value ? LID_JID.exec(value) : null;
	return match ? `${match[1]}@lid` : undefined;
}

/** A JID in the form the bridge stores: phone JIDs as `@s.whatsapp.net`, LIDs without device, others trimmed. */
export function normalizeJid(jid: unknown): string | undefined {
	const value = str(jid)?.trim();
	if (!value || !value.includes('@')) return undefined;
	return toPhoneJid(value) ?? toLidJid(value) ?? value;
}

/**
 * The bare WhatsApp id inside a WAHA serialized id `{fromMe}_{chatId}_{waId}[_{participant}]` (docs/gateways.md,
 * Message ids: Evolution, Baileys and quotes use the bare id). Ids that are not serialized come back unchanged.
 */
export function bareWahaId(id: string): string {
	const match = /^(?:true|false)_[^_]+_([^_]+)(?:_.*)?$/.exec(id.trim());
	return match ? match[1] : id.trim();
}

/** The chat JID inside a WAHA serialized id, when it is one. */
export function chatFromWahaId(id: string): string | undefined {
	const match = /^(?:true|false)_([^_]+)_[^_]+(?:_.*)?$/.exec(id.trim());
	return match ? match[1] : undefined;
}

/**
 * Brazilian mobiles exist with and without the 9th digit (docs/peers.md, Brazil's 9th digit: the same person as two
 * contacts). For a +55 number with 10 or 11 local digits that is a mobile, returns `[with 9th digit, without]` in
 * E.164; otherwise just the number itself in E.164. Accepts `+55…`, bare digits or a phone JID; `[]` when there are no
 * digits.
 */
export function brazilNinthDigitVariants(phone: string): string[] {
	const digits = phone
		.replace(/@.*$/, '')
		.replace(/[.:]\d+$/, '')
		.replace(/\D/g, '');
	if (!digits) return [];
	const self = [`+${digits}`];
	if (!digits.startsWith('55')) return self;
	const local = digits.slice(2);
	const ddd = local.slice(0, 2);
	if (!/^[1-9]{2}$/.test(ddd)) return self;
	// 11 local digits: DDD + 9 + 8 digits (always a mobile). 10 local digits: a mobile only when it starts with 6–9.
	if (local.length === 11 && local[2] === '9') return [`+${digits}`, `+55${ddd}${local.slice(3)}`];
	if (local.length === 10 && /[6-9]/.test(local[2])) return [`+55${ddd}9${local.slice(2)}`, `+${digits}`];
	return self;
}
