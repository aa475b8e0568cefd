/**
 * The outbound model (docs/architecture.md, The canonical models): one action per Chatwoot event worth sending to
 * WhatsApp, shaped for a gateway's send node. Field names are the builder's API: keep them stable. Call only for events
 * that `classifyChatwootEvent` emitted (webhookFilter.ts).
 */
import type {
	ChatwootAttachment,
	ChatwootConversationEvent,
	ChatwootConversationRef,
	ChatwootMessageEvent,
	ChatwootTypingEvent,
} from '../chatwoot/webhook/parse';
import { isGroupJid, normalizeJid, phoneFromJid, toPhoneJid } from '../whatsapp/jid';
import { agentLinksOf } from './agentLinks';
import { chatwootMarkdownToWhatsApp } from './formatting';
import { applyAgentSignature } from './signature';
import { parseBridgeSourceId } from './webhookFilter';

export type OutboundAttachmentKind = 'image' | 'video' | 'audio' | 'document' | 'location' | 'other';

export interface OutboundAttachment {
	/**
	 * Chatwoot's `data_url`: answers with a redirect to the stored file (docs/chatwoot-behaviour.md, Webhook payloads),
	 * follow it.
	 */
	url: string;
	mimeType: string;
	fileName: string;
	kind: OutboundAttachmentKind;
	sizeBytes?: number;
	/** For `location` attachments, which carry coordinates instead of a file. */
	location?: { latitude: number; longitude: number; name?: string };
}

export interface OutboundDestination {
	jid: string;
	/** E.164 with `+`, when known (never for groups). */
	phone?: string;
	isGroup: boolean;
}

export interface OutboundAction {
	action: 'send' | 'delete';
	instance: string;
	to: OutboundDestination;
	/** WhatsApp formatting, signature applied; `''` when there is none (and always for `delete`). */
	text: string;
	attachments: OutboundAttachment[];
	/** The quoted message, when the agent replied to a message that came from WhatsApp. */
	replyTo?: { whatsappId: string };
	/**
	 * For `delete`: the WhatsApp message to revoke. A mirrored phone-typed message carries it in its `WAID:` source id;
	 * an agent message through the link Report Send Result stored on the conversation's contact (agentLinks.ts),
	 * which the webhook itself carries. Without either, `reason` says why no id can be known.
	 */
	target?: { whatsappId?: string; reason?: string };
	messageType: 'outgoing' | 'template';
	chatwoot: {
		accountId: number;
		inboxId: number;
		/** Display id, as used in REST URLs. */
		conversationId: number;
		messageId: number;
		agentName?: string;
		senderType?: string;
		sourceId?: string | null;
		/** Chatwoot id of the quoted message, for builders who map agent messages to WhatsApp ids themselves. */
		inReplyTo?: number;
	};
}

export interface OutboundConfig {
	instance: string;
	signMsg: boolean;
	signDelimiter: string;
}

export interface ConversationStatusOutput {
	conversationId: number;
	status: string;
	inboxId: number;
	contact: { jid?: string; phone?: string };
}

export interface ConversationUpdateOutput extends ConversationStatusOutput {
	event: ChatwootConversationEvent['event'];
	changedAttributes: ChatwootConversationEvent['changedAttributes'];
}

export interface TypingOutput {
	conversationId: number;
	inboxId: number;
	on: boolean;
	contact: { jid?: string; phone?: string };
	agent?: { id: number; name: string; type?: string };
}

export class OutboundMappingError extends Error {
	constructor(
		message: string,
		/** Payload fields that were missing or unusable, e.g. `conversation.contact_inbox.source_id`. */
		readonly missingFields: string[],
	) {
		super(message);
		this.name = 'OutboundMappingError';
	}
}

// ---- destination ----

/** What a chat JID ends with; anything else (an e-mail identifier, Chatwoot's UUID source ids) is not a chat. */
const WHATSAPP_SERVER = /@(s\.whatsapp\.net|c\.us|g\.us|lid|newsletter|broadcast)$/i;

/**
 * The chat: the contact inbox `source_id` (the JID the bridge wrote, docs/architecture.md, State), else the contact
 * `identifier`, else `<digits>@s.whatsapp.net` from the phone. A `source_id` that is no JID (Chatwoot's random UUID for
 * contacts created elsewhere) is skipped. Returns the fields tried when nothing fits.
 */
function findDestination(conversation: ChatwootConversationRef): OutboundDestination | string[] {
	const { sender } = conversation.meta;
	const jid = [conversation.contactInbox.sourceId, sender.identifier]
		.map((candidate) => candidate?.trim() ?? '')
		.filter((candidate) => WHATSAPP_SERVER.test(candidate))
		.map(normalizeJid)
		.find((candidate): candidate is string => candidate !== undefined);
	const phoneJid = toPhoneJid(sender.phoneNumber);
	if (jid) {
		const isGroup = isGroupJid(jid);
		const destination: OutboundDestination = { jid, isGroup };
		// The JID's own phone, so both name the same chat; a LID chat has none and borrows the contact's (whatsapp/jid.ts).
		const phone = isGroup ? undefined : (phoneFromJid(jid) ?? phoneFromJid(phoneJid));
		if (phone) destination.phone = phone;
		return destination;
	}
	if (phoneJid) return { jid: phoneJid, phone: phoneFromJid(phoneJid), isGroup: false };
	return ['conversation.contact_inbox.source_id', 'conversation.meta.sender.identifier', 'conversation.meta.sender.phone_number'];
}

function contactOf(conversation: ChatwootConversationRef): { jid?: string; phone?: string } {
	const found = findDestination(conversation);
	if (Array.isArray(found)) return {};
	return found.phone ? { jid: found.jid, phone: found.phone } : { jid: found.jid };
}

// ---- attachments ----

const MIME_BY_EXTENSION: Record<string, string> = {
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	png: 'image/png',
	gif: 'image/gif',
	webp: 'image/webp',
	bmp: 'image/bmp',
	heic: 'image/heic',
	mp4: 'video/mp4',
	mov: 'video/quicktime',
	webm: 'video/webm',
	'3gp': 'video/3gpp',
	ogg: 'audio/ogg',
	oga: 'audio/ogg',
	opus: 'audio/ogg',
	mp3: 'audio/mpeg',
	m4a: 'audio/mp4',
	aac: 'audio/aac',
	amr: 'audio/amr',
	wav: 'audio/wav',
	pdf: 'application/pdf',
	doc: 'application/msword',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	xls: 'application/vnd.ms-excel',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	ppt: 'application/vnd.ms-powerpoint',
	pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
	txt: 'text/plain',
	csv: 'text/csv',
	zip: 'application/zip',
	vcf: 'text/vcard',
};

/**
 * Chatwoot's file types (docs/chatwoot-behaviour.md, Webhook payloads); `file` is everything that is not a known
 * image/video/audio type.
 */
function attachmentKind(fileType: string): OutboundAttachmentKind {
	switch (fileType) {
		case 'image':
		case 'video':
		case 'audio':
		case 'location':
			return fileType;
		case 'file':
			return 'document';
		default:
			return 'other';
	}
}

/** The last path segment of `data_url` is the original file name (`…/blobs/redirect/<signed id>/<name>`). */
function fileNameFromUrl(url: string | null): string | undefined {
	if (!url) return undefined;
	let path: string;
	try {
		path = new URL(url).pathname;
	} catch {
		return undefined;
	}
	const segment = path.slice(path.lastIndexOf('/') + 1);
	if (!segment) return undefined;
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

function extensionOf(attachment: ChatwootAttachment, fileName: string | undefined): string | undefined {
	const fromName = fileName && /\.([A-Za-z0-9]{1,8})$/.exec(fileName)?.[1];
	return (attachment.extension || fromName || undefined)?.toLowerCase();
}

function guessMimeType(extension: string | undefined, kind: OutboundAttachmentKind): string {
	if (extension && MIME_BY_EXTENSION[extension]) return MIME_BY_EXTENSION[extension];
	if (kind === 'image') return 'image/jpeg';
	if (kind === 'video') return 'video/mp4';
	if (kind === 'audio') return 'audio/ogg';
	return 'application/octet-stream';
}

export function toOutboundAttachment(attachment: ChatwootAttachment): OutboundAttachment {
	const kind = attachmentKind(attachment.fileType);
	const urlName = fileNameFromUrl(attachment.dataUrl);
	const extension = extensionOf(attachment, urlName);
	const out: OutboundAttachment = {
		url: attachment.dataUrl ?? '',
		mimeType: attachment.contentType || guessMimeType(extension, kind),
		fileName: urlName ?? `attachment-${attachment.id}${extension ? `.${extension}` : ''}`,
		kind,
	};
	if (attachment.fileSize !== null) out.sizeBytes = attachment.fileSize;
	if (kind === 'location' && attachment.coordinatesLat !== null && attachment.coordinatesLong !== null) {
		out.location = { latitude: attachment.coordinatesLat, longitude: attachment.coordinatesLong };
		if (attachment.fallbackTitle) out.location.name = attachment.fallbackTitle;
	}
	return out;
}

// ---- mappers ----

export function toOutboundAction(event: ChatwootMessageEvent, config: OutboundConfig): OutboundAction {
	if (event.messageType !== 'outgoing' && event.messageType !== 'template') {
		throw new OutboundMappingError(
			`Chatwoot message ${event.id} is ${event.messageType}; only outgoing and template messages go to WhatsApp`,
			['message_type'],
		);
	}
	const destination = findDestination(event.conversation);
	if (Array.isArray(destination)) {
		throw new OutboundMappingError(
			`Cannot tell the WhatsApp chat of conversation ${event.conversation.displayId}: none of ${destination.join(', ')} holds a WhatsApp JID or phone number`,
			destination,
		);
	}
	const isDelete = event.event === 'message_updated' && event.contentAttributes.deleted;
	const sender = event.sender;
	const action: OutboundAction = {
		action: isDelete ? 'delete' : 'send',
		instance: config.instance,
		to: destination,
		text: '',
		attachments: [],
		messageType: event.messageType,
		chatwoot: {
			accountId: event.account.id,
			inboxId: event.inbox.id,
			conversationId: event.conversation.displayId,
			messageId: event.id,
			sourceId: event.sourceId,
		},
	};
	if (sender?.name) action.chatwoot.agentName = sender.name;
	if (sender?.type) action.chatwoot.senderType = sender.type;

	if (isDelete) {
		// Chatwoot wipes every other content attribute and destroys attachments on delete (docs/chatwoot-behaviour.md,
		// Messages).
		const whatsappId =
			parseBridgeSourceId(event.sourceId)?.whatsappId ?? agentLinksOf(event.conversation.meta.sender.additionalAttributes).get(event.id);
		action.target = whatsappId
			? { whatsappId }
			: {
					reason: `Chatwoot message ${event.id} has no known WhatsApp id: it was not sent through the bridge with its send result reported (Report Send Result), or the send failed`,
				};
		return action;
	}

	action.text = applyAgentSignature(chatwootMarkdownToWhatsApp(event.content), {
		signMsg: config.signMsg,
		signDelimiter: config.signDelimiter,
		agentName: sender?.name,
		senderType: sender?.type,
	});
	action.attachments = event.attachments.map(toOutboundAttachment);
	// A quoted customer or phone message carries its WhatsApp id; a quoted agent message is found through its link.
	const inReplyTo = event.contentAttributes.inReplyTo;
	const quoted =
		parseBridgeSourceId(event.contentAttributes.inReplyToExternalId)?.whatsappId ??
		(typeof inReplyTo === 'number' ? agentLinksOf(event.conversation.meta.sender.additionalAttributes).get(inReplyTo) : undefined);
	if (quoted) action.replyTo = { whatsappId: quoted };
	if (event.contentAttributes.inReplyTo !== undefined) action.chatwoot.inReplyTo = event.contentAttributes.inReplyTo;
	return action;
}

export function toConversationStatus(event: ChatwootConversationEvent): ConversationStatusOutput {
	return {
		conversationId: event.conversation.displayId,
		status: event.status,
		inboxId: event.conversation.inboxId,
		contact: contactOf(event.conversation),
	};
}

export function toConversationUpdate(event: ChatwootConversationEvent): ConversationUpdateOutput {
	return { event: event.event, ...toConversationStatus(event), changedAttributes: event.changedAttributes };
}

export function toTypingOutput(event: ChatwootTypingEvent): TypingOutput {
	const out: TypingOutput = {
		conversationId: event.conversation.displayId,
		inboxId: event.conversation.inboxId,
		on: event.event === 'conversation_typing_on',
		contact: contactOf(event.conversation),
	};
	if (event.user) out.agent = event.user;
	return out;
}
