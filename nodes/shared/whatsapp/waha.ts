/**
 * WAHA webhook → canonical events. Envelope `{event, session, engine, payload, me, timestamp(ms)}` (README field
 * table, column "WAHA"). The top-level payload fields are engine-independent; `_data` (GOWS `Info`/`Message`, NOWEB
 * Baileys, WEBJS whatsapp-web.js) is read only as a fallback (docs/gateways.md, WAHA's message and message.any).
 */
import { ackFromName, ackFromWahaLevel } from './ack';
import { contentItems, eventItem, ignoreItem, type EventBase } from './build';
import { parseContent, textOf, type ParsedContent, type ReplyRef } from './content';
import { WhatsAppPayloadError, describeValue } from './errors';
import type { ChatRef, Location, Media, NormalizedItem, SenderRef, SharedContact } from './event';
import { resolveChat, resolveParty, senderFromChat } from './identity';
import { bareWahaId, chatFromWahaId, isBroadcastJid, isGroupJid, normalizeJid } from './jid';
import { defaultMimeType, mediaKindFromEngineType, mediaKindFromMime } from './media';
import { arr, bool, num, obj, read, str, text, unixSeconds, type Obj } from './read';
import { parseVCard } from './vcard';

interface WahaContext {
	instance?: string;
	engine: string;
	/** The connected account (`W.me`): the sender of every fromMe message. */
	me: SenderRef;
	own: unknown[];
	/** `W.timestamp` (ms): the event time, used when the payload has none (acks). */
	eventTime?: number;
}

/** What the engine-specific `_data` adds. */
interface EngineData {
	info?: Obj;
	key?: Obj;
	message?: Obj;
	pushName?: string;
	webjsType?: string;
	webjsRemote?: string;
	webjsAuthor?: string;
}

/** WEBJS system notices that are not chat messages. */
const WEBJS_NOTICES = new Set([
	'e2e_notification',
	'notification',
	'notification_template',
	'gp2',
	'protocol',
	'ciphertext',
	'revoked',
	'call_log',
	'broadcast_notification',
]);

function engineData(p: Obj, ctx: WahaContext): EngineData {
	const data = obj(p._data);
	if (!data) return {};
	const info = obj(data.Info);
	const webjs = ctx.engine === 'WEBJS';
	return {
		info,
		key: obj(data.key),
		message: obj(data.Message) ?? obj(data.message),
		pushName: text(info?.PushName) ?? text(data.pushName) ?? text(data.notifyName),
		webjsType: webjs ? text(data.type) : undefined,
		webjsRemote: webjs ? text(read(data, 'id.remote')) : undefined,
		webjsAuthor: webjs ? text(data.author) : undefined,
	};
}

function bareId(value: unknown): string | undefined {
	const id = text(value)?.trim();
	return id ? bareWahaId(id) : undefined;
}

function messageId(p: Obj, data: EngineData): string | undefined {
	return bareId(p.id) ?? text(data.info?.ID)?.trim() ?? text(data.key?.id)?.trim() ?? text(read(p, '_data.id.id'))?.trim();
}

function required<T>(value: T | undefined, fieldPath: string, what: string): T {
	if (value === undefined) throw new WhatsAppPayloadError(fieldPath, `WAHA webhook: ${fieldPath} is missing; expected ${what}.`);
	return value;
}

type ChatResult = { chat: ChatRef; sender: SenderRef } | { ignore: string };

/**
 * NOWEB/GOWS: `from` is the chat even when fromMe. WEBJS fromMe: `from` is our own id and the chat is `to` (README
 * "chat JID / phone"). Ids are `@c.us` (converted to `@s.whatsapp.net`); a `@lid` chat takes the phone from `_data`
 * (`SenderAlt`, `remoteJidAlt`, …) when the engine gives one.
 */
function parties(ref: Obj, data: EngineData, ctx: WahaContext, fromMe: boolean): ChatResult {
	const from = text(ref.from)?.trim();
	const to = text(ref.to)?.trim();
	const ownIds = ctx.own.map(normalizeJid).filter(Boolean);
	const fromIsOwn = !!from && ownIds.includes(normalizeJid(from));
	const serialized = text(ref.id);
	const primary =
		(fromMe && to && (ctx.engine === 'WEBJS' || fromIsOwn) ? to : from) ??
		(serialized ? chatFromWahaId(serialized) : undefined) ??
		text(data.info?.Chat) ??
		text(data.key?.remoteJid) ??
		data.webjsRemote;
	if (!primary) throw new WhatsAppPayloadError('body.payload.from', 'WAHA webhook: body.payload.from is missing; expected the chat id.');
	if (isBroadcastJid(primary)) return { ignore: `${primary}: status updates, broadcast lists and channels are not chats` };
	const { info, key } = data;
	// fromMe: the engine's Sender/senderPn is us, so only recipient-side alternates may name the other party.
	const alts = fromMe
		? [info?.Chat, info?.RecipientAlt, info?.ChatAlt, key?.remoteJid, key?.remoteJidAlt, data.webjsRemote]
		: [
				info?.Chat,
				info?.SenderAlt,
				info?.Sender,
				info?.ChatAlt,
				key?.remoteJid,
				key?.remoteJidAlt,
				key?.senderPn,
				key?.senderLid,
				data.webjsRemote,
			];
	// The push name is the sender's: it names a 1:1 chat, never a group (WAHA payloads carry no group subject).
	const chat = resolveChat(primary, alts, fromMe || isGroupJid(primary) ? undefined : data.pushName, ctx.own);
	if (!chat) throw new WhatsAppPayloadError('body.payload.from', 'WAHA webhook: body.payload.from is not a WhatsApp chat id.');
	// Without `W.me`, GOWS still names us in `Info.Sender`.
	if (fromMe) return { chat, sender: ctx.me.jid ? ctx.me : resolveParty(info?.Sender, [info?.SenderAlt], ctx.me.name) };
	if (!chat.isGroup) return { chat, sender: senderFromChat(chat) };
	const participant = text(ref.participant) ?? text(info?.Sender) ?? text(key?.participant) ?? data.webjsAuthor;
	const participantAlts = [
		info?.Sender,
		info?.SenderAlt,
		key?.participant,
		key?.participantAlt,
		key?.participantPn,
		key?.participantLid,
		data.webjsAuthor,
	];
	return { chat, sender: resolveParty(participant, participantAlts, data.pushName, ctx.own) };
}

function fromMeOf(ref: Obj): boolean {
	const flag = bool(ref.fromMe);
	if (flag !== undefined) return flag;
	return text(ref.id)?.startsWith('true_') ?? false;
}

function timestampOf(ref: Obj, data: EngineData, ctx: WahaContext): number {
	const timestamp = unixSeconds(ref.timestamp) ?? unixSeconds(data.info?.Timestamp) ?? ctx.eventTime;
	return required(timestamp, 'body.payload.timestamp', 'the message time in seconds');
}

function location(value: unknown): Location | undefined {
	const l = obj(value);
	const latitude = num(l?.latitude);
	const longitude = num(l?.longitude);
	if (!l || latitude === undefined || longitude === undefined) return undefined;
	return { latitude, longitude, name: text(l.name), address: text(l.address), live: bool(l.live) ?? false };
}

function vCards(value: unknown): SharedContact[] | undefined {
	const contacts = (arr(value) ?? [])
		.map((card) => (str(card) ? parseVCard(card as string) : undefined))
		.filter((c): c is SharedContact => !!c);
	return contacts.length ? contacts : undefined;
}

function reply(value: unknown): ReplyRef | undefined {
	const r = obj(value);
	const whatsappId = bareId(r?.id);
	if (!r || !whatsappId) return undefined;
	return { whatsappId, quotedText: text(r.body) ?? textOf(r._data) };
}

/**
 * `media.url` is WAHA's file server (the builder adds the X-Api-Key header). A failed download (`media.error`) still
 * yields `media` without a url, so the planner can post a placeholder instead of dropping the message.
 */
function media(p: Obj, data: EngineData, fromEngine: Media | undefined): Media | undefined {
	const m = obj(p.media);
	if (!m && p.hasMedia !== true && !fromEngine) return undefined;
	const mime = text(m?.mimetype)?.trim() ?? fromEngine?.mimeType;
	const kind =
		fromEngine?.kind ??
		mediaKindFromEngineType(text(data.info?.MediaType)) ??
		mediaKindFromEngineType(data.webjsType) ??
		mediaKindFromMime(mime);
	const failed = m !== undefined && m.error !== undefined && m.error !== null;
	return {
		kind,
		mimeType: mime ?? defaultMimeType(kind),
		fileName: text(m?.filename) ?? fromEngine?.fileName,
		url: text(m?.url) ?? (failed ? undefined : text(p.mediaUrl)),
		sizeBytes: fromEngine?.sizeBytes,
	};
}

function hasPayloadContent(p: Obj): boolean {
	return !!text(p.body) || p.hasMedia === true || !!obj(p.media) || !!obj(p.location) || !!arr(p.vCards)?.length;
}

function message(p: Obj, ctx: WahaContext): NormalizedItem[] {
	const data = engineData(p, ctx);
	const whatsappId = required(messageId(p, data), 'body.payload.id', 'the message id');
	const fromMe = fromMeOf(p);
	const resolved = parties(p, data, ctx, fromMe);
	if ('ignore' in resolved) return [ignoreItem(resolved.ignore, whatsappId)];
	const source = text(p.source);
	const viaApi = fromMe && source === 'api' ? true : fromMe && source === 'app' ? false : undefined;
	const base: EventBase = {
		gateway: 'waha',
		instance: ctx.instance,
		whatsappId,
		...resolved,
		fromMe,
		viaApi,
		timestamp: timestampOf(p, data, ctx),
	};

	const engine: ParsedContent | undefined = data.message ? parseContent(data.message) : undefined;
	const payloadContent = hasPayloadContent(p);
	// Revokes, edits and reactions that reach `message.any` exist only in the engine data.
	if (engine && engine.kind !== 'message' && (engine.kind !== 'ignore' || !payloadContent)) return contentItems(base, engine);
	if (!payloadContent && data.webjsType && WEBJS_NOTICES.has(data.webjsType)) {
		return [ignoreItem(`WEBJS ${data.webjsType}: a system notice, not a chat message`, whatsappId)];
	}
	const fromEngine = engine?.kind === 'message' ? engine : undefined;
	const where = location(p.location) ?? fromEngine?.location;
	const contacts = vCards(p.vCards) ?? fromEngine?.contacts;
	const file = media(p, data, fromEngine?.media);
	// WEBJS puts the vCard or a thumbnail in `body` for contacts and locations: not text.
	const body = where || contacts ? undefined : (text(p.body) ?? fromEngine?.text);
	const empty = !body && !file && !where && !contacts;
	return [
		eventItem({
			...base,
			kind: 'message',
			text: body,
			media: file,
			location: where,
			contacts,
			replyTo: reply(p.replyTo) ?? fromEngine?.replyTo,
			unsupportedType: empty ? (fromEngine?.unsupportedType ?? data.webjsType ?? 'unknown') : undefined,
		}),
	];
}

function reaction(p: Obj, ctx: WahaContext): NormalizedItem[] {
	const data = engineData(p, ctx);
	const whatsappId = required(messageId(p, data), 'body.payload.id', 'the reaction message id');
	const targetId = required(bareId(read(p, 'reaction.messageId')), 'body.payload.reaction.messageId', 'the id of the reacted message');
	const fromMe = fromMeOf(p);
	const resolved = parties(p, data, ctx, fromMe);
	if ('ignore' in resolved) return [ignoreItem(resolved.ignore, whatsappId)];
	// An empty text means the reaction was removed.
	const emoji = str(read(p, 'reaction.text')) ?? '';
	return [
		eventItem({
			gateway: 'waha',
			instance: ctx.instance,
			kind: 'reaction',
			whatsappId,
			...resolved,
			fromMe,
			timestamp: timestampOf(p, data, ctx),
			reaction: { emoji, targetId },
		}),
	];
}

function ack(p: Obj, ctx: WahaContext): NormalizedItem[] {
	const data = engineData(p, ctx);
	const whatsappId = required(bareId(p.id), 'body.payload.id', 'the id of the acknowledged message');
	const status = ackFromWahaLevel(num(p.ack)) ?? ackFromName(text(p.ackName));
	if (!status) return [ignoreItem(`ack ${String(p.ackName ?? p.ack)} is not a delivery state`, whatsappId)];
	const fromMe = fromMeOf(p);
	const resolved = parties(p, data, ctx, fromMe);
	if ('ignore' in resolved) return [ignoreItem(resolved.ignore, whatsappId)];
	const timestamp = required(
		unixSeconds(p.timestamp) ?? ctx.eventTime ?? unixSeconds(read(p, '_data.Timestamp')),
		'body.timestamp',
		'the event time',
	);
	return [
		eventItem({
			gateway: 'waha',
			instance: ctx.instance,
			kind: 'ack',
			whatsappId,
			targetId: whatsappId,
			...resolved,
			fromMe,
			timestamp,
			ack: { status },
		}),
	];
}

function edited(p: Obj, ctx: WahaContext): NormalizedItem[] {
	const data = engineData(p, ctx);
	const engine = data.message ? parseContent(data.message) : undefined;
	const engineEdit = engine?.kind === 'edit' ? engine : undefined;
	const targetId = required(
		bareId(p.editedMessageId) ?? engineEdit?.targetId,
		'body.payload.editedMessageId',
		'the id of the edited message',
	);
	const whatsappId = messageId(p, data) ?? targetId;
	const newText = text(p.body) ?? engineEdit?.text;
	if (!newText) return [ignoreItem('message.edited without new text', targetId)];
	const fromMe = fromMeOf(p);
	const resolved = parties(p, data, ctx, fromMe);
	if ('ignore' in resolved) return [ignoreItem(resolved.ignore, whatsappId)];
	return [
		eventItem({
			gateway: 'waha',
			instance: ctx.instance,
			kind: 'edit',
			whatsappId,
			targetId,
			...resolved,
			fromMe,
			timestamp: timestampOf(p, data, ctx),
			text: newText,
		}),
	];
}

/** `revokedMessageId` is the deleted message; `after` is the revoke itself, `before` the original (either may be null). */
function revoked(p: Obj, ctx: WahaContext): NormalizedItem[] {
	const data = engineData(p, ctx);
	const after = obj(p.after);
	const before = obj(p.before);
	const ref = after ?? before ?? p;
	const engine = data.message ? parseContent(data.message) : undefined;
	const targetId = required(
		bareId(p.revokedMessageId) ?? bareId(before?.id) ?? (engine?.kind === 'delete' ? engine.targetId : undefined),
		'body.payload.revokedMessageId',
		'the id of the deleted message',
	);
	const whatsappId = bareId(after?.id) ?? text(data.info?.ID)?.trim() ?? targetId;
	const fromMe = fromMeOf(ref);
	const resolved = parties(ref, data, ctx, fromMe);
	if ('ignore' in resolved) return [ignoreItem(resolved.ignore, whatsappId)];
	const timestamp = required(
		unixSeconds(after?.timestamp) ?? unixSeconds(data.info?.Timestamp) ?? ctx.eventTime,
		'body.payload.after.timestamp',
		'the time of the delete',
	);
	return [eventItem({ gateway: 'waha', instance: ctx.instance, kind: 'delete', whatsappId, targetId, ...resolved, fromMe, timestamp })];
}

/**
 * `message.any` carries every message, `message` only incoming ones: subscribed to both, WAHA announces each incoming
 * message twice, and on two workers both copies would be posted. The `message.any` copy of an incoming message is
 * marked, so it waits for the `message` copy and checks Chatwoot first.
 */
function messageAny(p: Obj, ctx: WahaContext): NormalizedItem[] {
	return message(p, ctx).map((item) =>
		item.type === 'event' && item.event.kind === 'message' && !item.event.fromMe
			? { ...item, event: { ...item.event, alsoAnnounced: true } }
			: item,
	);
}

export function normalizeWaha(body: unknown): NormalizedItem[] {
	const root = obj(body);
	if (!root)
		throw new WhatsAppPayloadError('body', `WAHA webhook: expected an object {event, session, payload}, got ${describeValue(body)}.`);
	const eventName = text(root.event);
	if (!eventName) throw new WhatsAppPayloadError('body.event', 'WAHA webhook: body.event is missing; expected e.g. "message".');
	const name = eventName.trim().toLowerCase();
	const handlers: Record<string, (p: Obj, ctx: WahaContext) => NormalizedItem[]> = {
		message,
		'message.any': messageAny,
		'message.reaction': reaction,
		'message.ack': ack,
		'message.ack.group': ack,
		'message.edited': edited,
		'message.revoked': revoked,
	};
	const payload = obj(root.payload);
	if (!payload)
		throw new WhatsAppPayloadError('body.payload', `WAHA webhook: body.payload should be an object, got ${describeValue(root.payload)}.`);
	const handler = Object.prototype.hasOwnProperty.call(handlers, name) ? handlers[name] : undefined;
	if (!handler) return [ignoreItem(`WAHA event "${eventName}" carries no chat message`)];
	const me = obj(root.me);
	const ctx: WahaContext = {
		instance: text(root.session),
		engine: (text(root.engine) ?? text(read(root, 'environment.engine')) ?? '').toUpperCase(),
		me: me ? resolveParty(me.id, [me.lid, me.jid], me.pushName) : {},
		own: me ? [me.id, me.lid, me.jid] : [],
		eventTime: unixSeconds(root.timestamp),
	};
	return handler(payload, ctx);
}
