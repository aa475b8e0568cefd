/**
 * Evolution Go / Evo CRM (whatsmeow) webhooks: `{event: "Message", instanceName, data: {Info, Message, …}}` and
 * `{event: "Receipt", state, data: {Chat, MessageIDs, …}}` (docs/gateways.md, Evolution Go). `Info` has the same shape
 * as WAHA GOWS `_data.Info`. Labelled gateway `evolution`: media arrives the same way (`Message.base64` /
 * `Message.mediaUrl`).
 */
import { ackFromName } from './ack';
import { contentItems, eventItem, ignoreItem, type EventBase } from './build';
import { parseContent } from './content';
import { WhatsAppPayloadError } from './errors';
import type { NormalizedItem } from './event';
import { resolveChat, resolveParty, senderFromChat } from './identity';
import { isBroadcastJid, isGroupJid } from './jid';
import { arr, bool, obj, read, text, unixSeconds, type Obj } from './read';

/** `data.Info` (message events), or an Evolution-Go-only envelope (`instanceName`/`instanceId` without `instance`). */
export function isEvolutionGoBody(root: Obj): boolean {
	if (!text(root.event) || !obj(root.data)) return false;
	if (obj(read(root, 'data.Info'))) return true;
	return root.instance === undefined && !!(text(root.instanceName) ?? text(root.instanceId));
}

function message(data: Obj, instance: string | undefined): NormalizedItem[] {
	const info = obj(data.Info);
	if (!info)
		throw new WhatsAppPayloadError(
			'body.data.Info',
			'Evolution Go webhook: body.data.Info is missing; expected the whatsmeow message info.',
		);
	const whatsappId = text(info.ID)?.trim();
	if (!whatsappId)
		throw new WhatsAppPayloadError(
			'body.data.Info.ID',
			'Evolution Go webhook: body.data.Info.ID is missing; expected the WhatsApp message id.',
		);
	const chatJid = text(info.Chat)?.trim();
	if (!chatJid)
		throw new WhatsAppPayloadError('body.data.Info.Chat', 'Evolution Go webhook: body.data.Info.Chat is missing; expected the chat JID.');
	if (isBroadcastJid(chatJid)) return [ignoreItem(`${chatJid}: status updates, broadcast lists and channels are not chats`, whatsappId)];
	const timestamp = unixSeconds(info.Timestamp);
	if (timestamp === undefined)
		throw new WhatsAppPayloadError('body.data.Info.Timestamp', 'Evolution Go webhook: body.data.Info.Timestamp is missing or not a time.');
	const content = obj(data.Message);
	if (!content) return [ignoreItem('no message content', whatsappId)];

	const fromMe = bool(info.IsFromMe) === true;
	const group = bool(info.IsGroup) === true || isGroupJid(chatJid);
	const pushName = text(info.PushName);
	// Evolution Go may already have swapped Sender/SenderAlt to put the phone first; the resolver does not care.
	const own = fromMe ? [info.Sender, info.SenderAlt] : [];
	const chatAlts = group ? [] : fromMe ? [info.RecipientAlt, info.ChatAlt] : [info.SenderAlt, info.Sender, info.ChatAlt];
	const chat = resolveChat(chatJid, chatAlts, group ? read(data, 'groupData.Name') : fromMe ? undefined : pushName, own);
	if (!chat) throw new WhatsAppPayloadError('body.data.Info.Chat', 'Evolution Go webhook: body.data.Info.Chat is not a WhatsApp JID.');
	const sender = fromMe || group ? resolveParty(info.Sender, [info.SenderAlt], pushName) : senderFromChat(chat);
	const base: EventBase = { gateway: 'evolution', instance, whatsappId, chat, fromMe, sender, timestamp };

	return contentItems(base, parseContent(content));
}

/** Read receipts of our messages, one event per id. `ReadSelf` is us reading on another device: not a delivery state. */
function receipt(root: Obj, data: Obj, instance: string | undefined): NormalizedItem[] {
	const ids = (arr(data.MessageIDs) ?? []).map((id) => text(id)?.trim()).filter((id): id is string => !!id);
	if (!ids.length)
		throw new WhatsAppPayloadError(
			'body.data.MessageIDs',
			'Evolution Go webhook: body.data.MessageIDs is missing; expected the acknowledged message ids.',
		);
	const state = text(root.state) ?? text(data.Type) ?? 'delivered';
	const status = ackFromName(state);
	if (!status) return ids.map((id) => ignoreItem(`receipt ${state} is not a delivery state of our message`, id));
	const chatJid = text(data.Chat)?.trim();
	if (!chatJid) throw new WhatsAppPayloadError('body.data.Chat', 'Evolution Go webhook: body.data.Chat is missing; expected the chat JID.');
	if (isBroadcastJid(chatJid))
		return ids.map((id) => ignoreItem(`${chatJid}: status updates, broadcast lists and channels are not chats`, id));
	const group = isGroupJid(chatJid);
	const chat = resolveChat(chatJid, group ? [] : [data.SenderAlt, data.Sender]);
	if (!chat) throw new WhatsAppPayloadError('body.data.Chat', 'Evolution Go webhook: body.data.Chat is not a WhatsApp JID.');
	const timestamp = unixSeconds(data.Timestamp);
	if (timestamp === undefined)
		throw new WhatsAppPayloadError('body.data.Timestamp', 'Evolution Go webhook: body.data.Timestamp is missing or not a time.');
	return ids.map((id) =>
		eventItem({
			gateway: 'evolution',
			instance,
			kind: 'ack',
			whatsappId: id,
			targetId: id,
			chat,
			fromMe: true,
			sender: {},
			timestamp,
			ack: { status },
		}),
	);
}

export function normalizeEvolutionGo(root: Obj): NormalizedItem[] {
	const eventName = text(root.event) ?? '';
	const data = obj(root.data);
	if (!data) throw new WhatsAppPayloadError('body.data', 'Evolution Go webhook: body.data is missing; expected an object.');
	const instance = text(root.instanceName) ?? text(root.instance) ?? text(root.instanceId);
	switch (eventName.toLowerCase()) {
		case 'message':
			return message(data, instance);
		case 'receipt':
			return receipt(root, data, instance);
		default:
			return [ignoreItem(`Evolution Go event "${eventName}" carries no chat message`)];
	}
}
