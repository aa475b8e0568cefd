/**
 * What the import reads from the workflow: whole gateway webhook bodies (anything `normalizeWhatsApp` takes), bare
 * history records of a gateway's API, and contact records. Bare records are wrapped into the webhook envelope they
 * are the payload of, so one normalizer serves live sync and import alike:
 * - Evolution `POST /chat/findMessages/{instance}` records = a `messages.upsert` `data` object;
 * - WAHA `GET /api/{session}/chats/{chatId}/messages` WAMessages = a `message.any` `payload`;
 * - contacts: Evolution `findContacts` / `findChats` `{remoteJid, pushName}`, WAHA `{id, name | pushname}`.
 * Pure: no I/O, no n8n.
 */
import { detectGateway } from '../../whatsapp/detect';
import { describeValue } from '../../whatsapp/errors';
import type { ChatRef, Gateway, NormalizedItem } from '../../whatsapp/event';
import { resolveChat } from '../../whatsapp/identity';
import { chatFromWahaId, isBroadcastJid, normalizeJid } from '../../whatsapp/jid';
import { normalizeWhatsApp } from '../../whatsapp/normalize';
import { arr, bool, obj, text, type Obj } from '../../whatsapp/read';

export type ImportGateway = 'auto' | 'evolution' | 'waha' | 'cloud';

export type ReadRecord =
	| { type: 'events'; items: NormalizedItem[] }
	| { type: 'contact'; chat: ChatRef }
	| { type: 'skip'; reason: string }
	| { type: 'unreadable'; reason: string };

/**
 * The records one input item holds: an array of records, Evolution's `findMessages` answer
 * (`{messages: {records: [...]}}`, the HTTP Request node's single item for it), one record, or a JSON text of these.
 * `undefined`/`null` (an expression that found nothing) and `{}` hold none.
 */
export function recordsOf(value: unknown): unknown[] {
	let parsed = value;
	if (typeof parsed === 'string') {
		const trimmed = parsed.trim();
		if (trimmed === '') return [];
		try {
			parsed = JSON.parse(trimmed) as unknown;
		} catch {
			return [parsed];
		}
	}
	if (parsed === undefined || parsed === null) return [];
	if (Array.isArray(parsed)) return parsed;
	// n8n's "no data" item (e.g. an HTTP Request whose answer was an empty list) holds nothing.
	if (obj(parsed) && Object.keys(parsed as object).length === 0) return [];
	const evolutionPage = arr(obj(obj(parsed)?.messages)?.records);
	if (evolutionPage) return evolutionPage;
	return [parsed];
}

/** A JID written as a string or as whatsapp-web.js's `{_serialized}`. */
function jidOf(value: unknown): string | undefined {
	return text(value)?.trim() ?? text(obj(value)?._serialized)?.trim();
}

function isEvolutionMessage(record: Obj): boolean {
	return !!text(obj(record.key)?.remoteJid);
}

/**
 * A WAMessage: an id plus what only messages have (a sender, a direction, a body), or a serialized message id
 * `{fromMe}_{chat}_{id}`. A chat (whatsapp-web.js `{id, name, timestamp, lastMessage}`) has neither at its top level.
 */
function isWahaMessage(record: Obj): boolean {
	const id = jidOf(record.id);
	if (!id) return false;
	return (
		/^(true|false)_/.test(id) ||
		record.from !== undefined ||
		record.fromMe !== undefined ||
		record.body !== undefined ||
		record.hasMedia !== undefined
	);
}

function wrapEvolution(record: Obj, instance: string): Obj {
	return { event: 'messages.upsert', instance, data: record };
}

/**
 * History records carry no `me`. NOWEB and GOWS name the chat in `from` even for fromMe messages; whatsapp-web.js
 * puts our own id in `from` and the chat in `to`. The serialized id `{fromMe}_{chatId}_{id}` settles which one is the
 * chat: when it names `to`, `from` is us.
 */
function wrapWaha(record: Obj, instance: string): Obj {
	const wrapped: Obj = { event: 'message.any', session: instance, payload: record };
	const serialized = text(record.id);
	const chat = serialized ? chatFromWahaId(serialized) : undefined;
	const from = text(record.from);
	const to = text(record.to);
	if (bool(record.fromMe) === true && chat && from && to && normalizeJid(chat) === normalizeJid(to) && normalizeJid(from) !== normalizeJid(to)) {
		wrapped.me = { id: from };
	}
	return wrapped;
}

function contactOf(record: Obj): ReadRecord | undefined {
	const jid = jidOf(record.remoteJid) ?? jidOf(record.id);
	if (!jid || !jid.includes('@')) return undefined;
	if (isBroadcastJid(jid)) return { type: 'skip', reason: `${jid}: status updates, broadcast lists and channels are not chats` };
	const name =
		text(record.pushName) ?? text(record.name) ?? text(record.pushname) ?? text(record.subject) ?? text(record.verifiedName);
	const alternates = [record.remoteJidAlt, record.lid, record.jid, record.phoneJid];
	const chat = resolveChat(jid, alternates, name);
	return chat ? { type: 'contact', chat } : undefined;
}

function normalized(body: unknown, gateway?: Gateway): ReadRecord {
	try {
		return { type: 'events', items: normalizeWhatsApp(body, gateway) };
	} catch (error) {
		// The normalizers throw WhatsAppPayloadError only (with the field at fault), never for our own reasons.
		return { type: 'unreadable', reason: error instanceof Error ? error.message : String(error) };
	}
}

const EXPECTED =
	'expected a gateway webhook body, an Evolution findMessages record {key, message, messageTimestamp}, a WAHA message {id, from, timestamp, body}, or a contact {remoteJid | id, pushName | name}';

/** One record → its events (or the contact it names); never throws for bad input, says why instead. */
export function readRecord(record: unknown, gateway: ImportGateway, instance: string): ReadRecord {
	const r = obj(record);
	if (!r) return { type: 'unreadable', reason: `${EXPECTED}; got ${describeValue(record)}` };
	if (gateway === 'cloud') return normalized(r, 'cloud');
	if (detectGateway(r) !== undefined) return normalized(r, gateway === 'auto' ? undefined : gateway);
	if (gateway !== 'waha' && isEvolutionMessage(r)) return normalized(wrapEvolution(r, instance), 'evolution');
	if (gateway !== 'evolution' && isWahaMessage(r)) return normalized(wrapWaha(r, instance), 'waha');
	const contact = contactOf(r);
	if (contact) return contact;
	return { type: 'unreadable', reason: `${EXPECTED}; got ${describeValue(record)}` };
}
