/**
 * WhatsApp Cloud API webhooks → canonical events: the raw body `{object, entry[].changes[]}` and the n8n WhatsApp
 * Trigger item, which is one `change.value` plus its `field` (README "Field paths"). Both go through one change reader.
 */
import { ackFromName } from './ack';
import { eventItem, ignoreItem, type EventBase } from './build';
import { WhatsAppPayloadError, describeValue } from './errors';
import type { ChatRef, Gateway, Location, Media, MediaKind, NormalizedItem, SenderRef, SharedContact } from './event';
import { toPhoneJid, phoneFromJid } from './jid';
import { defaultMimeType } from './media';
import { arr, count, num, obj, read, str, text, unixSeconds, type Obj } from './read';
import { normalizePhoneNumber } from './vcard';

interface ChangeContext {
	gateway: Gateway;
	instance?: string;
	/** The business number (`metadata.display_phone_number`): the author of echoes and of every acknowledged message. */
	business: SenderRef;
	contacts: Obj[];
}

type CloudContent =
	| { kind: 'message'; text?: string; media?: Media; location?: Location; contacts?: SharedContact[]; unsupportedType?: string }
	| { kind: 'reaction'; emoji: string; targetId: string }
	| { kind: 'edit'; targetId: string; text?: string }
	| { kind: 'delete'; targetId: string }
	| { kind: 'ignore'; reason: string };

const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);

/**
 * A Cloud user id: `wa_id`/`from` are phone digits (→ phone JID). Once a user has a username Meta may omit them and
 * send a business-scoped user id instead (docs/gateways.md, Usernames without phone numbers): kept as the address,
 * never read as a phone.
 */
function party(id: string, name?: string): SenderRef {
	const jid = toPhoneJid(/^\d+$/.test(id) ? id : undefined);
	return { jid: jid ?? id, phone: phoneFromJid(jid), name };
}

function chatOf(person: SenderRef): ChatRef {
	return { jid: person.jid as string, phone: person.phone, isGroup: false, name: person.name };
}

/** `contacts[].profile.name` of the sender, matched on `wa_id` (or `user_id` for username users). */
function contactFor(ctx: ChangeContext, id: string | undefined): Obj | undefined {
	const match = ctx.contacts.find((c) => id !== undefined && (text(c.wa_id) === id || text(c.user_id) === id));
	return match ?? (ctx.contacts.length === 1 && !text(ctx.contacts[0].wa_id) ? ctx.contacts[0] : undefined);
}

function cloudError(errors: unknown): string | undefined {
	const first = obj(arr(errors)?.[0]);
	if (!first) return undefined;
	const parts = [text(first.title), text(first.message), text(read(first, 'error_data.details'))]
		.filter((part): part is string => !!part)
		.filter((part, index, all) => all.indexOf(part) === index);
	const code = num(first.code);
	const detail = parts.join(': ');
	return detail ? (code !== undefined ? `${detail} (code ${code})` : detail) : code !== undefined ? `code ${code}` : undefined;
}

function mediaContent(type: string, value: unknown): CloudContent {
	const m = obj(value);
	const mediaId = text(m?.id);
	const kind: MediaKind = type === 'audio' && m?.voice === true ? 'voice' : (type as MediaKind);
	return {
		kind: 'message',
		text: text(m?.caption),
		media: {
			kind,
			mimeType: text(m?.mime_type)?.trim() ?? defaultMimeType(kind),
			fileName: text(m?.filename),
			// The download url needs a Graph call with the token (README "media bytes / url"): the planner resolves it.
			mediaId,
			sizeBytes: count(m?.file_size),
		},
	};
}

function contactsContent(value: unknown): CloudContent {
	const contacts = (arr(value) ?? [])
		.map(obj)
		.filter((c): c is Obj => !!c)
		.map((c): SharedContact => {
			const first = text(read(c, 'name.first_name'));
			const last = text(read(c, 'name.last_name'));
			const phones = (arr(c.phones) ?? [])
				.map(obj)
				.map((p) =>
					text(p?.wa_id)
						? normalizePhoneNumber(text(p?.wa_id) as string, true)
						: text(p?.phone)
							? normalizePhoneNumber(text(p?.phone) as string)
							: undefined,
				)
				.filter((p, index, all): p is string => !!p && all.indexOf(p) === index);
			return { name: text(read(c, 'name.formatted_name')) ?? ([first, last].filter(Boolean).join(' ') || phones[0] || ''), phones };
		});
	return contacts.length ? { kind: 'message', contacts } : { kind: 'message', unsupportedType: 'contacts' };
}

/** Button and list answers become the text the user tapped. */
function interactiveText(value: unknown): string | undefined {
	const type = text(read(value, 'type'));
	if (type === 'button_reply') return text(read(value, 'button_reply.title')) ?? text(read(value, 'button_reply.id'));
	if (type === 'list_reply') {
		const title = text(read(value, 'list_reply.title')) ?? text(read(value, 'list_reply.id'));
		const description = text(read(value, 'list_reply.description'));
		return title && description ? `${title}\n${description}` : title;
	}
	if (type === 'nfm_reply') return text(read(value, 'nfm_reply.body')) ?? text(read(value, 'nfm_reply.name'));
	return undefined;
}

function content(m: Obj, depth = 0): CloudContent {
	const type = text(m.type) ?? 'unknown';
	const value = m[type];
	if (MEDIA_TYPES.has(type)) return mediaContent(type, value);
	switch (type) {
		case 'text': {
			const body = text(read(value, 'body'));
			return body ? { kind: 'message', text: body } : { kind: 'message', unsupportedType: 'text' };
		}
		case 'location': {
			const latitude = num(read(value, 'latitude'));
			const longitude = num(read(value, 'longitude'));
			if (latitude === undefined || longitude === undefined) return { kind: 'message', unsupportedType: 'location' };
			return {
				kind: 'message',
				location: { latitude, longitude, name: text(read(value, 'name')), address: text(read(value, 'address')), live: false },
			};
		}
		case 'contacts':
			return contactsContent(value);
		case 'reaction': {
			const targetId = text(read(value, 'message_id'));
			if (!targetId) return { kind: 'ignore', reason: 'reaction without the id of the reacted message' };
			// Meta omits `emoji` when the reaction is removed.
			return { kind: 'reaction', emoji: str(read(value, 'emoji')) ?? '', targetId };
		}
		case 'edit': {
			const targetId = text(read(value, 'original_message_id'));
			if (!targetId) return { kind: 'ignore', reason: 'edit without original_message_id' };
			const edited = obj(read(value, 'message'));
			const inner = edited && depth === 0 ? content(edited, 1) : undefined;
			return { kind: 'edit', targetId, text: inner?.kind === 'message' ? inner.text : undefined };
		}
		case 'revoke': {
			const targetId = text(read(value, 'original_message_id'));
			return targetId ? { kind: 'delete', targetId } : { kind: 'ignore', reason: 'revoke without original_message_id' };
		}
		case 'button': {
			const answer = text(read(value, 'text')) ?? text(read(value, 'payload'));
			return answer ? { kind: 'message', text: answer } : { kind: 'message', unsupportedType: 'button' };
		}
		case 'interactive': {
			const answer = interactiveText(value);
			return answer
				? { kind: 'message', text: answer }
				: { kind: 'message', unsupportedType: `interactive:${text(read(value, 'type')) ?? 'unknown'}` };
		}
		case 'unsupported':
			return { kind: 'message', unsupportedType: text(read(value, 'type')) ?? 'unsupported' };
		default:
			return { kind: 'message', unsupportedType: type };
	}
}

function cloudMessage(raw: unknown, path: string, ctx: ChangeContext, echo: boolean): NormalizedItem[] {
	const m = obj(raw);
	if (!m) throw new WhatsAppPayloadError(path, `Cloud API webhook: ${path} should be a message object, got ${describeValue(raw)}.`);
	const whatsappId = text(m.id)?.trim();
	if (!whatsappId) throw new WhatsAppPayloadError(`${path}.id`, `Cloud API webhook: ${path}.id is missing; expected the wamid.`);
	const timestamp = unixSeconds(m.timestamp);
	if (timestamp === undefined)
		throw new WhatsAppPayloadError(`${path}.timestamp`, `Cloud API webhook: ${path}.timestamp is missing or not a time.`);

	let chat: ChatRef;
	let sender: SenderRef;
	if (echo) {
		// smb_message_echoes: sent from the WhatsApp Business app; `from` is the business, `to` the customer
		// (docs/gateways.md, Cloud API echoes).
		const to = text(m.to)?.trim() ?? text(m.to_user_id)?.trim();
		if (!to)
			throw new WhatsAppPayloadError(
				`${path}.to`,
				`Cloud API webhook: ${path}.to is missing; expected the customer of the echoed message.`,
			);
		chat = chatOf(party(to));
		const from = text(m.from)?.trim();
		sender = from ? party(from) : ctx.business;
	} else {
		const declared = text(m.from)?.trim() ?? text(m.from_user_id)?.trim();
		const contact = contactFor(ctx, declared);
		const from = declared ?? text(contact?.user_id)?.trim();
		if (!from)
			throw new WhatsAppPayloadError(`${path}.from`, `Cloud API webhook: ${path}.from is missing; expected the sender's WhatsApp id.`);
		sender = party(from, text(read(contact, 'profile.name'))?.trim());
		const groupId = text(m.group_id)?.trim();
		// Groups API: the chat is the group id as Meta gives it (not an @g.us JID); the sender is `from`.
		chat = groupId ? { jid: groupId, isGroup: true } : chatOf(sender);
	}

	const replyId = text(read(m, 'context.id'));
	const base: EventBase = {
		gateway: ctx.gateway,
		instance: ctx.instance,
		whatsappId,
		chat,
		fromMe: echo,
		viaApi: echo ? false : undefined,
		sender,
		timestamp,
	};
	const parsed = content(m);
	switch (parsed.kind) {
		case 'ignore':
			return [ignoreItem(parsed.reason, whatsappId)];
		case 'reaction':
			return [eventItem({ ...base, kind: 'reaction', reaction: { emoji: parsed.emoji, targetId: parsed.targetId } })];
		case 'edit':
			if (!parsed.text) return [ignoreItem('edit without readable new text', whatsappId)];
			return [eventItem({ ...base, kind: 'edit', targetId: parsed.targetId, text: parsed.text })];
		case 'delete':
			return [eventItem({ ...base, kind: 'delete', targetId: parsed.targetId })];
		default:
			return [
				eventItem({
					...base,
					kind: 'message',
					text: parsed.text,
					media: parsed.media,
					location: parsed.location,
					contacts: parsed.contacts,
					replyTo: replyId ? { whatsappId: replyId } : undefined,
					unsupportedType: parsed.unsupportedType,
				}),
			];
	}
}

/** `statuses[]`: the fate of a message we sent. `deleted` (older API) is the customer deleting their message. */
function cloudStatus(raw: unknown, path: string, ctx: ChangeContext): NormalizedItem[] {
	const s = obj(raw);
	if (!s) throw new WhatsAppPayloadError(path, `Cloud API webhook: ${path} should be a status object, got ${describeValue(raw)}.`);
	const whatsappId = text(s.id)?.trim();
	if (!whatsappId)
		throw new WhatsAppPayloadError(`${path}.id`, `Cloud API webhook: ${path}.id is missing; expected the wamid of the message.`);
	const statusName = text(s.status)?.trim().toLowerCase();
	const status = ackFromName(statusName);
	if (!status && statusName !== 'deleted') return [ignoreItem(`status "${statusName ?? ''}" is not a delivery state`, whatsappId)];
	const timestamp = unixSeconds(s.timestamp);
	if (timestamp === undefined)
		throw new WhatsAppPayloadError(`${path}.timestamp`, `Cloud API webhook: ${path}.timestamp is missing or not a time.`);
	const recipient = text(s.recipient_id)?.trim() ?? text(s.recipient_user_id)?.trim();
	if (!recipient)
		throw new WhatsAppPayloadError(
			`${path}.recipient_id`,
			`Cloud API webhook: ${path}.recipient_id is missing; expected the chat of the message.`,
		);
	const chat: ChatRef = text(s.recipient_type) === 'group' ? { jid: recipient, isGroup: true } : chatOf(party(recipient));
	if (!status) {
		return [
			eventItem({
				gateway: ctx.gateway,
				instance: ctx.instance,
				kind: 'delete',
				whatsappId,
				targetId: whatsappId,
				chat,
				fromMe: false,
				sender: chat.isGroup ? {} : { jid: chat.jid, phone: chat.phone },
				timestamp,
			}),
		];
	}
	return [
		eventItem({
			gateway: ctx.gateway,
			instance: ctx.instance,
			kind: 'ack',
			whatsappId,
			targetId: whatsappId,
			chat,
			fromMe: true,
			sender: ctx.business,
			timestamp,
			ack: { status, error: cloudError(s.errors) },
		}),
	];
}

/** One `change`: `value` plus `field`. Fields other than messages and smb_message_echoes carry no chat content. */
export function normalizeCloudChange(value: unknown, fieldName: unknown, gateway: Gateway, path: string): NormalizedItem[] {
	const v = obj(value);
	if (!v)
		throw new WhatsAppPayloadError(path, `Cloud API webhook: ${path} should be the change value object, got ${describeValue(value)}.`);
	const field = text(fieldName) ?? 'messages';
	if (field !== 'messages' && field !== 'smb_message_echoes')
		return [ignoreItem(`Cloud API change field "${field}" carries no chat message`)];
	const businessNumber = text(read(v, 'metadata.display_phone_number'));
	const businessJid = toPhoneJid(businessNumber);
	const ctx: ChangeContext = {
		gateway,
		instance: text(read(v, 'metadata.phone_number_id')),
		business: businessJid ? { jid: businessJid, phone: phoneFromJid(businessJid) } : {},
		contacts: (arr(v.contacts) ?? []).map(obj).filter((c): c is Obj => !!c),
	};
	const items: NormalizedItem[] = [];
	const echoes = arr(v.message_echoes) ?? [];
	echoes.forEach((m, k) => items.push(...cloudMessage(m, `${path}.message_echoes[${k}]`, ctx, true)));
	(arr(v.messages) ?? []).forEach((m, k) => items.push(...cloudMessage(m, `${path}.messages[${k}]`, ctx, false)));
	(arr(v.statuses) ?? []).forEach((s, k) => items.push(...cloudStatus(s, `${path}.statuses[${k}]`, ctx)));
	if (!items.length) {
		const error = cloudError(v.errors);
		items.push(
			ignoreItem(error ? `Cloud API change without messages or statuses: ${error}` : 'Cloud API change without messages or statuses'),
		);
	}
	return items;
}

/** Raw Cloud API body: every entry, every change, in order. */
export function normalizeCloudBody(body: unknown): NormalizedItem[] {
	const root = obj(body);
	if (!root) throw new WhatsAppPayloadError('body', `Cloud API webhook: expected an object {object, entry}, got ${describeValue(body)}.`);
	if (root.object !== 'whatsapp_business_account') {
		throw new WhatsAppPayloadError('body.object', 'Cloud API webhook: body.object should be "whatsapp_business_account".');
	}
	const entries = arr(root.entry);
	if (!entries)
		throw new WhatsAppPayloadError('body.entry', `Cloud API webhook: body.entry should be an array, got ${describeValue(root.entry)}.`);
	const items: NormalizedItem[] = [];
	entries.forEach((entry, i) => {
		const changes = arr(read(entry, 'changes'));
		if (!changes)
			throw new WhatsAppPayloadError(`body.entry[${i}].changes`, `Cloud API webhook: body.entry[${i}].changes should be an array.`);
		changes.forEach((change, j) => {
			const path = `body.entry[${i}].changes[${j}]`;
			items.push(...normalizeCloudChange(read(change, 'value'), read(change, 'field'), 'cloud', `${path}.value`));
		});
	});
	return items.length ? items : [ignoreItem('Cloud API body without changes')];
}

/** n8n WhatsApp Trigger item: `{...change.value, field}` (one change, possibly several messages). */
export function normalizeTriggerItem(body: unknown): NormalizedItem[] {
	const root = obj(body);
	if (!root)
		throw new WhatsAppPayloadError(
			'body',
			`n8n WhatsApp Trigger item: expected an object {messaging_product, metadata, field, …}, got ${describeValue(body)}.`,
		);
	if (!text(root.field))
		throw new WhatsAppPayloadError('body.field', 'n8n WhatsApp Trigger item: body.field is missing; expected e.g. "messages".');
	return normalizeCloudChange(root, root.field, 'n8nWhatsAppTrigger', 'body');
}
