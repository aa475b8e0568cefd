/**
 * WhatsApp message content as Baileys (Evolution, WAHA NOWEB) and whatsmeow (WAHA GOWS, Evolution Go) serialize the
 * protobuf `Message`: one parser for both, since they differ only in key casing (see `field`).
 */
import type { Location, Media, MediaKind, SharedContact } from './event';
import { defaultMimeType } from './media';
import { POLL_CREATION_KEYS, pollFromCreation, voteFromUpdate, type Poll, type PollVote } from './poll';
import { bool, count, field, num, obj, read, str, text, type Obj } from './read';
import { parseVCard } from './vcard';

export interface ReplyRef {
	whatsappId: string;
	quotedText?: string;
}

export type ParsedContent =
	| {
			kind: 'message';
			text?: string;
			media?: Media;
			location?: Location;
			contacts?: SharedContact[];
			unsupportedType?: string;
			replyTo?: ReplyRef;
			poll?: Poll;
			pollVote?: PollVote;
	  }
	| { kind: 'reaction'; emoji: string; targetId: string }
	| { kind: 'edit'; targetId: string; text?: string }
	| { kind: 'delete'; targetId: string }
	| { kind: 'ignore'; reason: string };

/** Containers whose `.message` holds the real content (disappearing, view-once, captioned documents, edits, …). */
const WRAPPERS = [
	'ephemeralMessage',
	'viewOnceMessage',
	'viewOnceMessageV2',
	'viewOnceMessageV2Extension',
	'documentWithCaptionMessage',
	'editedMessage',
	'deviceSentMessage',
	'futureProofMessage',
	'groupMentionedMessage',
	'botInvokeMessage',
	'lottieStickerMessage',
	'associatedChildMessage',
];

/** Keys next to the content that are not content: metadata, and what Evolution / Evolution Go add (`base64`, `mediaUrl`). */
const NOT_CONTENT = new Set(
	[
		'messageContextInfo',
		'contextInfo',
		'base64',
		'mediaUrl',
		'mimetype',
		'messageSecret',
		'speechToText',
		'senderKeyDistributionMessage',
		'fastRatchetKeySenderKeyDistributionMessage',
	].map((key) => key.toLowerCase()),
);

/** Known non-chat actions: ignored with a reason (never mistaken for an unknown type). */
const NON_CHAT: Record<string, string> = {
	secretEncryptedMessage:
		'secretEncryptedMessage: an encrypted edit the gateway could not decrypt, so the new text is unknown (evolution-api #2545)',
	encReactionMessage: 'encReactionMessage: an encrypted reaction the gateway could not decrypt',
	albumMessage: 'albumMessage: album header; each photo or video of the album arrives as its own message',
	pollUpdateMessage: 'pollUpdateMessage: an encrypted poll vote the gateway did not decrypt, so the choice is unknown',
	pinInChatMessage: 'pinInChatMessage: a pin or unpin action, not a chat message',
	keepInChatMessage: 'keepInChatMessage: a keep/unkeep action on a disappearing message, not a chat message',
};

const MEDIA_KINDS: Record<string, MediaKind> = {
	imageMessage: 'image',
	videoMessage: 'video',
	// Video notes: Evolution API's own bridge drops them (docs/peers.md, Evolution API's built-in integration); we keep
	// them as video.
	ptvMessage: 'video',
	audioMessage: 'audio',
	documentMessage: 'document',
	stickerMessage: 'sticker',
};

/** Removes wrapper layers (bounded: hostile input can nest forever). */
export function unwrapMessage(message: Obj): Obj {
	let current = message;
	for (let depth = 0; depth < 10; depth++) {
		const inner = WRAPPERS.map((wrapper) => obj(field(field(current, wrapper), 'message'))).find(Boolean);
		if (!inner) break;
		current = inner;
	}
	return current;
}

function hasValue(value: unknown): boolean {
	return value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');
}

function isBlank(content: ParsedContent): boolean {
	return (
		content.kind === 'message' &&
		!content.text &&
		!content.media &&
		!content.location &&
		!content.contacts &&
		!content.unsupportedType &&
		!content.poll &&
		!content.pollVote
	);
}

/** Readable text of a message: body, extended text, or a media caption (used for quotes and edits). */
export function textOf(message: unknown): string | undefined {
	const m = obj(message);
	if (!m) return undefined;
	const inner = unwrapMessage(m);
	return (
		text(field(inner, 'conversation')) ??
		text(read(inner, 'extendedTextMessage.text')) ??
		text(read(inner, 'imageMessage.caption')) ??
		text(read(inner, 'videoMessage.caption')) ??
		text(read(inner, 'documentMessage.caption'))
	);
}

/** A quote: `stanzaId` is the quoted message's bare id. */
export function replyFromContext(context: unknown): ReplyRef | undefined {
	const whatsappId = text(field(context, 'stanzaId'))?.trim();
	if (!whatsappId) return undefined;
	return { whatsappId, quotedText: textOf(field(context, 'quotedMessage')) };
}

function media(key: string, content: unknown, root: Obj): ParsedContent {
	const base = MEDIA_KINDS[key];
	const kind: MediaKind = base === 'audio' && bool(field(content, 'ptt')) ? 'voice' : base;
	const fileName = text(field(content, 'fileName')) ?? (kind === 'document' ? text(field(content, 'title')) : undefined);
	return {
		kind: 'message',
		text: text(field(content, 'caption')),
		// `…Message.url` is WhatsApp's encrypted CDN file (README "media bytes / url"): only the gateway's copies are usable.
		media: {
			kind,
			mimeType: text(field(content, 'mimetype')) ?? defaultMimeType(kind),
			fileName,
			base64: text(field(root, 'base64')),
			url: text(field(root, 'mediaUrl')),
			sizeBytes: count(field(content, 'fileLength')),
		},
		replyTo: replyFromContext(field(content, 'contextInfo')),
	};
}

function location(key: string, content: unknown): ParsedContent {
	const latitude = num(field(content, 'degreesLatitude'));
	const longitude = num(field(content, 'degreesLongitude'));
	if (latitude === undefined || longitude === undefined) return { kind: 'message', unsupportedType: key };
	const live = key === 'liveLocationMessage';
	return {
		kind: 'message',
		text: live ? text(field(content, 'caption')) : undefined,
		location: {
			latitude,
			longitude,
			name: text(field(content, 'name')),
			address: text(field(content, 'address')),
			live,
		},
		replyTo: replyFromContext(field(content, 'contextInfo')),
	};
}

function contact(content: unknown): SharedContact | undefined {
	const displayName = text(field(content, 'displayName'));
	const vcard = str(field(content, 'vcard'));
	return (vcard ? parseVCard(vcard, displayName) : undefined) ?? (displayName ? { name: displayName, phones: [] } : undefined);
}

function contacts(key: string, content: unknown): ParsedContent {
	const list =
		key === 'contactMessage'
			? [contact(content)]
			: (Array.isArray(field(content, 'contacts')) ? (field(content, 'contacts') as unknown[]) : []).map(contact);
	const found = list.filter((c): c is SharedContact => !!c);
	if (!found.length) return { kind: 'message', unsupportedType: key };
	return { kind: 'message', contacts: found, replyTo: replyFromContext(field(content, 'contextInfo')) };
}

/** REVOKE is enum value 0 (some serializers omit a zero enum); MESSAGE_EDIT is 14. */
function protocol(content: unknown): ParsedContent {
	const type = field(content, 'type');
	const targetId = text(read(content, 'key.id'))?.trim();
	const typeName = type === undefined ? 'REVOKE' : String(type);
	if (targetId && (type === undefined || type === 0 || type === 'REVOKE')) return { kind: 'delete', targetId };
	if (targetId && (type === 14 || type === 'MESSAGE_EDIT')) {
		return { kind: 'edit', targetId, text: textOf(field(content, 'editedMessage')) };
	}
	return { kind: 'ignore', reason: `protocolMessage ${typeName}: a WhatsApp control message, not chat content` };
}

function reaction(content: unknown): ParsedContent {
	const targetId = text(read(content, 'key.id'))?.trim();
	if (!targetId) return { kind: 'ignore', reason: 'reactionMessage without the id of the reacted message' };
	return { kind: 'reaction', emoji: str(field(content, 'text')) ?? '', targetId };
}

/** Button and list answers become the text the user tapped. */
function choice(key: string, content: unknown): ParsedContent {
	let answer: string | undefined;
	if (key === 'buttonsResponseMessage') {
		answer = text(field(content, 'selectedDisplayText')) ?? text(field(content, 'selectedButtonId'));
	} else if (key === 'templateButtonReplyMessage') {
		answer = text(field(content, 'selectedDisplayText')) ?? text(field(content, 'selectedId'));
	} else if (key === 'listResponseMessage') {
		const title = text(field(content, 'title')) ?? text(read(content, 'singleSelectReply.selectedRowId'));
		const description = text(field(content, 'description'));
		answer = title && description ? `${title}\n${description}` : title;
	} else {
		answer = text(read(content, 'body.text'));
	}
	if (!answer) return { kind: 'message', unsupportedType: key };
	return { kind: 'message', text: answer, replyTo: replyFromContext(field(content, 'contextInfo')) };
}

function poll(key: string, content: unknown): ParsedContent {
	const found = pollFromCreation(content);
	if (!found) return { kind: 'message', unsupportedType: key };
	return { kind: 'message', poll: found, replyTo: replyFromContext(field(content, 'contextInfo')) };
}

/** A vote is shown as an answer to its poll; the encrypted form (no `selectedOptions`) carries no readable choice. */
function pollVote(content: unknown): ParsedContent {
	const vote = voteFromUpdate(content);
	if (!vote) return { kind: 'ignore', reason: NON_CHAT.pollUpdateMessage };
	return { kind: 'message', pollVote: vote, replyTo: { whatsappId: vote.pollId } };
}

type Handler = (key: string, content: unknown, root: Obj) => ParsedContent;

const HANDLERS: Record<string, Handler> = {
	protocolMessage: (_key, content) => protocol(content),
	reactionMessage: (_key, content) => reaction(content),
	imageMessage: media,
	videoMessage: media,
	ptvMessage: media,
	audioMessage: media,
	documentMessage: media,
	stickerMessage: media,
	locationMessage: location,
	liveLocationMessage: location,
	contactMessage: contacts,
	contactsArrayMessage: contacts,
	conversation: (_key, content) => ({ kind: 'message', text: text(content) }),
	extendedTextMessage: (_key, content) => ({
		kind: 'message',
		text: text(field(content, 'text')),
		replyTo: replyFromContext(field(content, 'contextInfo')),
	}),
	buttonsResponseMessage: choice,
	templateButtonReplyMessage: choice,
	listResponseMessage: choice,
	interactiveResponseMessage: choice,
	...Object.fromEntries(POLL_CREATION_KEYS.map((key): [string, Handler] => [key, poll])),
	pollUpdateMessage: (_key, content) => pollVote(content),
};

/**
 * Classifies one `message` object. Unknown types become `unsupportedType` (never silence, docs/peers.md, Unsupported
 * messages dropped); only known non-chat payloads (protocol messages, key exchanges, encrypted stubs) are ignored, each
 * with a reason.
 */
/** The handlers in order of precedence, names lowered once (this runs for every message of an import). */
const HANDLER_ORDER = Object.entries(HANDLERS).map(([name, handler]) => ({ name, lower: name.toLowerCase(), handler }));

export function parseContent(message: Obj): ParsedContent {
	const inner = unwrapMessage(message);
	const keys = Object.keys(inner).filter((key) => !NOT_CONTENT.has(key.toLowerCase()) && hasValue(inner[key]));
	if (!keys.length) {
		const keyExchange = Object.keys(inner).some((key) => key.toLowerCase() === 'senderkeydistributionmessage');
		return {
			kind: 'ignore',
			reason: keyExchange ? 'senderKeyDistributionMessage only: an encryption key exchange without content' : 'empty message: no content',
		};
	}
	const lowerKeys = keys.map((key) => key.toLowerCase());
	for (const { name, lower, handler } of HANDLER_ORDER) {
		const at = lowerKeys.indexOf(lower);
		if (at < 0) continue;
		const parsed = handler(name, inner[keys[at]], message);
		// A known key whose value is not what WhatsApp sends still becomes a visible placeholder.
		return isBlank(parsed) ? { kind: 'message', unsupportedType: name } : parsed;
	}
	const nonChat = Object.keys(NON_CHAT).find((name) => keys.some((key) => key.toLowerCase() === name.toLowerCase()));
	if (nonChat) return { kind: 'ignore', reason: NON_CHAT[nonChat] };
	return { kind: 'message', unsupportedType: keys[0] };
}
