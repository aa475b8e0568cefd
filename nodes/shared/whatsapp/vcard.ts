/** vCard → shared contact, for Evolution `contactMessage.vcard` and WAHA `vCards[]` (the Cloud API sends structured contacts). */
import type { SharedContact } from './event';

/**
 * A phone as E.164 when it is written with `+` (or given as a WhatsApp id), otherwise its digits as written: a local
 * number without a country code cannot be completed safely.
 */
export function normalizePhoneNumber(raw: string, isWhatsAppId = false): string | undefined {
	const digits = raw.replace(/\D/g, '');
	if (!digits) return undefined;
	return isWhatsAppId || raw.trim().startsWith('+') ? `+${digits}` : digits;
}

function unescapeValue(value: string): string {
	return value
		.replace(/\\n/gi, ' ')
		.replace(/\\([,;\\])/g, '$1')
		.trim();
}

/** Property name without its `item1.` group prefix, its parameters, and its value. */
function splitLine(line: string): { name: string; params: string[]; value: string } | undefined {
	const colon = line.indexOf(':');
	if (colon < 0) return undefined;
	const [rawName, ...params] = line.slice(0, colon).split(';');
	const name = rawName
		.replace(/^[^.]*\./, '')
		.trim()
		.toUpperCase();
	return { name, params, value: line.slice(colon + 1) };
}

/**
 * Reads FN (or N), and every TEL: `TEL;type=CELL;waid=5511…:+55 11 …` prefers the `waid` parameter, which is the
 * WhatsApp number in digits. `undefined` when the text is not a vCard.
 */
export function parseVCard(vcard: string, displayName?: string): SharedContact | undefined {
	if (!/BEGIN:VCARD/i.test(vcard)) return undefined;
	// Unfold continuation lines (RFC 6350 §3.2) before reading properties.
	const lines = vcard.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
	let fullName: string | undefined;
	let structuredName: string | undefined;
	const phones: string[] = [];
	for (const line of lines) {
		const parsed = splitLine(line);
		if (!parsed) continue;
		if (parsed.name === 'FN') fullName = unescapeValue(parsed.value) || fullName;
		else if (parsed.name === 'N') {
			const [family = '', given = ''] = parsed.value.split(';').map(unescapeValue);
			structuredName = [given, family].filter(Boolean).join(' ') || structuredName;
		} else if (parsed.name === 'TEL') {
			const waid = parsed.params.map((p) => /^waid=(.+)$/i.exec(p.trim())?.[1]).find(Boolean);
			const phone = waid ? normalizePhoneNumber(waid, true) : normalizePhoneNumber(parsed.value);
			if (phone && !phones.includes(phone)) phones.push(phone);
		}
	}
	const name = displayName?.trim() || fullName || structuredName || phones[0] || '';
	return { name, phones };
}
