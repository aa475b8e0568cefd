/**
 * Evolution API v2 (Baileys) webhook → canonical events. Envelope `{event, instance, data, date_time, sender, …}`
 * (README field table, column "Evolution"). Evolution Go bodies (whatsmeow, `data.Info`) are handed to evolutionGo.ts.
 */
import { ackFromBaileysStatus, ackFromName } from './ack';
import { contentItems, eventItem, ignoreItem, type EventBase } from './build';
import { parseContent, replyFromContext, textOf } from './content';
import { WhatsAppPayloadError, describeValue } from './errors';
import type { ChatRef, NormalizedItem, SenderRef } from './event';
import { isEvolutionGoBody, normalizeEvolutionGo } from './evolutionGo';
import { resolveChat, resolveParty, senderFromChat } from './identity';
import { isBroadcastJid, isGroupJid, toPhoneJid } from './jid';
import { bool, num, obj, read, text, unixSeconds, type Obj } from './read';

interface EvolutionContext {
	instance?: string;
	/** The connected number (`E.sender`), the author of every fromMe message. */
	ownJid?: string;
	/**
	 * `E.date_time`: when Evolution delivered the webhook; the only time on updates and deletes (docs/gateways.md,
	 * Timestamps).
	 */
	deliveredAt?: number;
}

/** `MESSAGES_UPSERT` (RabbitMQ/SQS style) and `messages.upsert` (webhook) are the same event. */
function canonicalEventName(name: string): string {
	return name.trim().toLowerCase().replace(/_/g, '.');
}

function required(value: string | undefined, fieldPath: string, what: string): string {
	if (!value) throw new WhatsAppPayloadError(fieldPath, `Evolution API webhook: ${fieldPath} is missing; expected ${what}.`);
	return value;
}

/** `data` is one object; a few transports batch several, so arrays are accepted too. */
function eachData(data: unknown, handle: (d: Obj, path: string) => NormalizedItem[]): NormalizedItem[] {
	if (Array.isArray(data)) {
		return data.flatMap((entry, index) => {
			const d = obj(entry);
			if (!d)
				throw new WhatsAppPayloadError(
					`body.data[${index}]`,
					`Evolution API webhook: body.data[${index}] should be an object, got ${describeValue(entry)}.`,
				);
			return handle(d, `body.data[${index}]`);
		});
	}
	const d = obj(data);
	if (!d) throw new WhatsAppPayloadError('body.data', `Evolution API webhook: body.data should be an object, got ${describeValue(data)}.`);
	return handle(d, 'body.data');
}

function business(ctx: EvolutionContext, pushName?: string): SenderRef {
	return resolveParty(ctx.ownJid, [], pushName);
}

/**
 * Chat and sender of a Baileys key. 1:1 under LID addressing: `remoteJid` is `…@lid` and `remoteJidAlt` (older builds:
 * `senderPn`) is the phone JID. Groups: the participant, preferring `participantAlt` over `@lid`. fromMe: the chat is
 * `remoteJid` (the other party) and the sender is the business.
 */
function parties(
	key: Obj,
	d: Obj,
	ctx: EvolutionContext,
	fromMe: boolean,
	remoteJid: string,
	jidPath: string,
): { chat: ChatRef; sender: SenderRef } {
	// Evolution writes "Você" ("you") as pushName when a fromMe message has none: it is not a name.
	const rawPushName = text(d.pushName)?.trim();
	const pushName = fromMe && rawPushName === 'Você' ? undefined : rawPushName;
	const own = [ctx.ownJid];
	const group = isGroupJid(remoteJid);
	// A fromMe `senderPn`/`senderLid` may be our own number: only `remoteJidAlt` names the other party then.
	const chatAlts = fromMe ? [key.remoteJidAlt] : [key.remoteJidAlt, key.senderPn, key.senderLid, d.senderPn];
	const chat = resolveChat(remoteJid, group ? [] : chatAlts, group || fromMe ? undefined : pushName, own);
	if (!chat) throw new WhatsAppPayloadError(jidPath, `Evolution API webhook: ${jidPath} is not a WhatsApp JID.`);
	if (fromMe) return { chat, sender: business(ctx, pushName) };
	if (!group) return { chat, sender: senderFromChat(chat) };
	const participant = key.participant ?? d.participant;
	const sender = resolveParty(participant, [key.participantAlt, key.participantPn, key.participantLid, d.participantAlt], pushName, own);
	return { chat, sender };
}

function upsert(d: Obj, path: string, ctx: EvolutionContext, viaApi: boolean): NormalizedItem[] {
	const key = obj(d.key);
	if (!key)
		throw new WhatsAppPayloadError(
			`${path}.key`,
			`Evolution API webhook: ${path}.key is missing; expected the message key {remoteJid, fromMe, id}.`,
		);
	const whatsappId = required(text(key.id)?.trim(), `${path}.key.id`, 'the WhatsApp message id');
	const remoteJid = required(text(key.remoteJid)?.trim(), `${path}.key.remoteJid`, 'the chat JID');
	if (isBroadcastJid(remoteJid))
		return [ignoreItem(`${remoteJid}: status updates, broadcast lists and channels are not chats`, whatsappId)];
	const message = obj(d.message);
	if (!message) {
		const stub = text(d.messageStubType) ?? (num(d.messageStubType) !== undefined ? String(d.messageStubType) : undefined);
		return [ignoreItem(stub ? `no message content (system stub ${stub})` : 'no message content', whatsappId)];
	}
	// `send.message` is Evolution's report of a send through its API: always ours (docs/architecture.md, Echoes of the
	// bridge's own sends).
	const fromMe = viaApi || bool(key.fromMe) === true;
	const timestamp = unixSeconds(d.messageTimestamp) ?? ctx.deliveredAt;
	if (timestamp === undefined)
		throw new WhatsAppPayloadError(`${path}.messageTimestamp`, `Evolution API webhook: ${path}.messageTimestamp is missing or not a time.`);
	const { chat, sender } = parties(key, d, ctx, fromMe, remoteJid, `${path}.key.remoteJid`);
	const base: EventBase = {
		gateway: 'evolution',
		instance: ctx.instance,
		whatsappId,
		chat,
		fromMe,
		viaApi: viaApi || undefined,
		sender,
		timestamp,
	};

	// Evolution moves `contextInfo` next to `message` (README "reply / quoted id"); Baileys keeps it inside the content.
	return contentItems(base, parseContent(message), replyFromContext(d.contextInfo));
}

/** `messages.update`: `{keyId, remoteJid, fromMe, status}`; `messageId` is Evolution's database id, not WhatsApp's. */
function update(d: Obj, path: string, ctx: EvolutionContext): NormalizedItem[] {
	const key = obj(d.key) ?? {};
	const whatsappId = required(text(d.keyId)?.trim() ?? text(key.id)?.trim(), `${path}.keyId`, 'the WhatsApp id of the updated message');
	const remoteJid = required(text(d.remoteJid)?.trim() ?? text(key.remoteJid)?.trim(), `${path}.remoteJid`, 'the chat JID');
	if (isBroadcastJid(remoteJid))
		return [ignoreItem(`${remoteJid}: status updates, broadcast lists and channels are not chats`, whatsappId)];
	const status = ackFromName(text(d.status)) ?? ackFromBaileysStatus(num(d.status));
	if (!status) return [ignoreItem(`messages.update status ${String(d.status)} is not a delivery state`, whatsappId)];
	const timestamp = unixSeconds(d.messageTimestamp) ?? ctx.deliveredAt;
	if (timestamp === undefined)
		throw new WhatsAppPayloadError(
			'body.date_time',
			'Evolution API webhook: body.date_time is missing; it is the only time on messages.update.',
		);
	const fromMe = bool(d.fromMe ?? key.fromMe) === true;
	const merged: Obj = { ...key, remoteJidAlt: d.remoteJidAlt ?? key.remoteJidAlt, participant: d.participant ?? key.participant };
	const { chat, sender } = parties(merged, d, ctx, fromMe, remoteJid, `${path}.remoteJid`);
	return [
		eventItem({
			gateway: 'evolution',
			instance: ctx.instance,
			kind: 'ack',
			whatsappId,
			targetId: whatsappId,
			chat,
			fromMe,
			sender,
			timestamp,
			ack: { status },
		}),
	];
}

/** `messages.delete`: `data` IS the key of the deleted message (README "deleted"). */
function remove(d: Obj, path: string, ctx: EvolutionContext): NormalizedItem[] {
	const key = obj(d.key) ?? d;
	const whatsappId = required(text(key.id)?.trim(), `${path}.id`, 'the id of the deleted message');
	const remoteJid = required(text(key.remoteJid)?.trim(), `${path}.remoteJid`, 'the chat JID');
	if (isBroadcastJid(remoteJid))
		return [ignoreItem(`${remoteJid}: status updates, broadcast lists and channels are not chats`, whatsappId)];
	const timestamp = ctx.deliveredAt;
	if (timestamp === undefined)
		throw new WhatsAppPayloadError(
			'body.date_time',
			'Evolution API webhook: body.date_time is missing; it is the only time on messages.delete.',
		);
	const fromMe = bool(key.fromMe) === true;
	const { chat, sender } = parties(key, d, ctx, fromMe, remoteJid, `${path}.remoteJid`);
	return [
		eventItem({
			gateway: 'evolution',
			instance: ctx.instance,
			kind: 'delete',
			whatsappId,
			targetId: whatsappId,
			chat,
			fromMe,
			sender,
			timestamp,
		}),
	];
}

/**
 * What a `messages.edited` body says, in every shape Evolution 2.x emits (docs/evolution-edits.md):
 * - the protocol message itself: `d.key` is the ORIGINAL message, `d.type` 14 / "MESSAGE_EDIT" with
 *   `d.editedMessage` the new content, or `d.type` 0 / "REVOKE" (newer builds forward every protocol message here,
 *   so a delete for everyone arrives as an "edit"); `d.timestampMs` is the time;
 * - a whole upsert whose content is that protocol message: `d.key` is then the edit's own message and the chat;
 * - the WhatsApp Web channel: `d.key` is the edited message and `d.message` its new content.
 */
function editedChange(d: Obj, ownId: string | undefined): { kind: 'edit'; targetId?: string; text?: string } | { kind: 'delete'; targetId?: string } {
	const message = obj(d.message);
	const embedded = message ? parseContent(message) : undefined;
	if (embedded?.kind === 'edit' || embedded?.kind === 'delete') return embedded;
	if (embedded?.kind === 'message' && embedded.text) return { kind: 'edit', targetId: ownId, text: embedded.text };
	const type = d.type;
	if ((type === 0 || type === 'REVOKE') && !obj(d.editedMessage)) return { kind: 'delete', targetId: ownId };
	return { kind: 'edit', targetId: ownId, text: textOf(d.editedMessage) };
}

/** `messages.edited`: an edit (or a revoke) of an earlier message, as an edit or delete event of that message. */
function edited(d: Obj, path: string, ctx: EvolutionContext): NormalizedItem[] {
	const key = obj(d.key);
	if (!key)
		throw new WhatsAppPayloadError(`${path}.key`, `Evolution API webhook: ${path}.key is missing; expected the key of the edited message.`);
	const ownId = text(key.id)?.trim();
	const change = editedChange(d, ownId);
	const targetId = required(change.targetId, `${path}.key.id`, 'the id of the edited message');
	const whatsappId = ownId ?? targetId;
	if (change.kind === 'edit' && !change.text)
		return [
			ignoreItem('messages.edited without readable new text (e.g. an undecrypted secretEncryptedMessage, evolution-api #2545)', targetId),
		];
	const remoteJid = required(text(key.remoteJid)?.trim(), `${path}.key.remoteJid`, 'the chat JID');
	if (isBroadcastJid(remoteJid))
		return [ignoreItem(`${remoteJid}: status updates, broadcast lists and channels are not chats`, whatsappId)];
	// The editor's own view of the key: when a contact edits (or deletes) in a 1:1 chat, `remoteJid` is the business's
	// own number and `fromMe` is true (evolution-api #1367, #1647). The chat is not in the body; the same change
	// also arrives as a `messages.upsert` (or `messages.delete`) that names it, so this copy is not a new chat.
	if (!isGroupJid(remoteJid) && ctx.ownJid && toPhoneJid(remoteJid) === ctx.ownJid)
		return [
			ignoreItem(
				`messages.edited keyed on the business's own number ${remoteJid}: the body does not name the chat of the ${
					change.kind === 'delete' ? 'deleted' : 'edited'
				} message (its messages.upsert / messages.delete copy does)`,
				targetId,
			),
		];
	const timestamp = unixSeconds(d.timestampMs) ?? unixSeconds(d.messageTimestamp) ?? ctx.deliveredAt;
	if (timestamp === undefined)
		throw new WhatsAppPayloadError(`${path}.timestampMs`, `Evolution API webhook: ${path}.timestampMs is missing or not a time.`);
	// In groups the same editor's-view key says fromMe for a member's edit; the participant tells who it was.
	const participant = toPhoneJid(key.participant ?? d.participant);
	const fromMe = bool(key.fromMe) === true && !(isGroupJid(remoteJid) && participant && ctx.ownJid && participant !== ctx.ownJid);
	const { chat, sender } = parties(key, d, ctx, fromMe, remoteJid, `${path}.key.remoteJid`);
	const event = { gateway: 'evolution' as const, instance: ctx.instance, whatsappId, targetId, chat, fromMe, sender, timestamp };
	return [eventItem(change.kind === 'delete' ? { ...event, kind: 'delete' } : { ...event, kind: 'edit', text: change.text })];
}

export function normalizeEvolution(body: unknown): NormalizedItem[] {
	const root = obj(body);
	if (!root)
		throw new WhatsAppPayloadError(
			'body',
			`Evolution API webhook: expected an object {event, instance, data}, got ${describeValue(body)}.`,
		);
	if (isEvolutionGoBody(root)) return normalizeEvolutionGo(root);
	const eventName = text(root.event);
	if (!eventName)
		throw new WhatsAppPayloadError('body.event', 'Evolution API webhook: body.event is missing; expected e.g. "messages.upsert".');
	if (!obj(root.data) && !Array.isArray(root.data)) {
		throw new WhatsAppPayloadError('body.data', `Evolution API webhook: body.data should be an object, got ${describeValue(root.data)}.`);
	}
	const ctx: EvolutionContext = {
		instance: text(root.instance) ?? text(read(root, 'instance.instanceName')),
		ownJid: toPhoneJid(root.sender),
		deliveredAt: unixSeconds(root.date_time),
	};
	switch (canonicalEventName(eventName)) {
		case 'messages.upsert':
			return eachData(root.data, (d, path) => upsert(d, path, ctx, false));
		case 'send.message':
			return eachData(root.data, (d, path) => upsert(d, path, ctx, true));
		case 'messages.update':
			return eachData(root.data, (d, path) => update(d, path, ctx));
		case 'messages.delete':
			return eachData(root.data, (d, path) => remove(d, path, ctx));
		case 'messages.edited':
			return eachData(root.data, (d, path) => edited(d, path, ctx));
		default:
			return [ignoreItem(`Evolution event "${eventName}" carries no chat message`)];
	}
}
