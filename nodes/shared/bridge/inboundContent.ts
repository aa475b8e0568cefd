/**
 * What an inbound WhatsApp event looks like as a Chatwoot message: content, attributes and direction.
 * Pure: the planner decides where it goes, this decides what it says. Nothing is silently dropped: every kind
 * renders to readable text (docs/peers.md, Unsupported messages dropped).
 */
import type { InboundEvent, Location, MediaKind, SharedContact } from '../whatsapp/event';
import type { Poll, PollEvent, PollVote } from '../whatsapp/poll';
import { whatsAppToChatwootMarkdown } from './formatting';
import { ENGLISH_TEXTS, fill, type TemplateKey, type Texts } from './texts';

export const WAID_PREFIX = 'WAID:';

export function waSourceId(whatsappId: string): string {
	return `${WAID_PREFIX}${whatsappId}`;
}

export interface InboundMessageDraft {
	/** `WAID:<id>`; derived ids for edits, reactions and delete notices so a replay is recognised too. */
	sourceId: string;
	messageType: 'incoming' | 'outgoing';
	content: string;
	contentAttributes: Record<string, unknown>;
	/** Unix seconds of the WhatsApp message, kept as `external_created_at` for display. */
	externalCreatedAt: number;
	/** `WAID:<quoted id>` when the event replies to (or reacts to, or edits) another message. */
	inReplyToSourceId?: string;
	/** Quoted text to show when the quoted message is not in Chatwoot (Chatwoot then drops the link). */
	quotedTextFallback?: string;
}

export function mapsLink(location: Location): string {
	return `https://www.google.com/maps?q=${location.latitude},${location.longitude}`;
}

export function renderLocation(location: Location, texts: Texts = ENGLISH_TEXTS): string {
	const name = location.name?.trim();
	const key = location.live ? (name ? 'live_location_named' : 'live_location') : name ? 'location_named' : 'location';
	const lines = [fill(texts[key], { name: name ?? '' })];
	if (location.address) lines.push(location.address);
	lines.push(mapsLink(location));
	return lines.join('\n');
}

export function renderContacts(contacts: SharedContact[], texts: Texts = ENGLISH_TEXTS): string {
	return contacts
		.map((contact) =>
			fill(texts.contact_card, {
				name: contact.name || texts.contact_unnamed,
				phones: contact.phones.length ? contact.phones.join(', ') : texts.contact_no_phone,
			}),
		)
		.join('\n');
}

/** The line above a group message naming who wrote it (waha issue #1369); never shows LID digits as a phone. */
export function renderGroupSender(sender: InboundEvent['sender'], texts: Texts = ENGLISH_TEXTS): string {
	const name = sender.name?.trim();
	const values = { name: name ?? '', phone: sender.phone ?? '' };
	if (name && sender.phone) return fill(texts.group_sender, values);
	if (name) return fill(texts.group_sender_name, values);
	if (sender.phone) return fill(texts.group_sender_phone, values);
	// Known only by a LID: its digits are not a phone number and mean nothing to an agent (docs/peers.md, LID addressing).
	return texts.group_sender_unknown;
}

const MEDIA_LABELS: Record<MediaKind, TemplateKey> = {
	image: 'media_image',
	video: 'media_video',
	audio: 'media_audio',
	voice: 'media_voice',
	document: 'media_document',
	sticker: 'media_sticker',
};

/** Placeholder text for media that could not be attached, so the agent still sees that something arrived. */
export function renderMediaPlaceholder(event: InboundEvent, reason: string, texts: Texts = ENGLISH_TEXTS): string {
	const kind = event.media?.kind;
	const media = texts[kind && MEDIA_LABELS[kind] ? MEDIA_LABELS[kind] : 'media_other'];
	const file = event.media?.fileName;
	return fill(file ? texts.media_not_attached_named : texts.media_not_attached, { media, file: file ?? '', reason });
}

/** A poll as its question and one line per option. */
export function renderPoll(poll: Poll, texts: Texts = ENGLISH_TEXTS): string {
	const options = poll.options.map((option) => fill(texts.poll_option, { option: whatsAppToChatwootMarkdown(option) })).join('\n');
	return fill(poll.multipleAnswers ? texts.poll_multiple : texts.poll, {
		question: whatsAppToChatwootMarkdown(poll.question),
		options,
	}).trimEnd();
}

/** A vote: the voter's whole current selection (an empty one withdraws the vote). */
export function renderPollVote(vote: PollVote, texts: Texts = ENGLISH_TEXTS): string {
	if (!vote.options.length) return texts.poll_vote_removed;
	return fill(texts.poll_vote, { options: vote.options.map(whatsAppToChatwootMarkdown).join(', ') });
}

function body(event: PollEvent, texts: Texts): string {
	if (event.kind === 'reaction') {
		const emoji = event.reaction?.emoji ?? '';
		return emoji ? fill(texts.reaction, { emoji }) : texts.reaction_removed;
	}
	if (event.kind === 'edit') {
		return event.text ? fill(texts.edited, { text: whatsAppToChatwootMarkdown(event.text) }) : texts.edited_without_text;
	}
	if (event.kind === 'delete') return texts.deleted;
	const parts: string[] = [];
	if (event.text) parts.push(whatsAppToChatwootMarkdown(event.text));
	if (event.poll) parts.push(renderPoll(event.poll, texts));
	if (event.pollVote) parts.push(renderPollVote(event.pollVote, texts));
	if (event.location) parts.push(renderLocation(event.location, texts));
	if (event.contacts?.length) parts.push(renderContacts(event.contacts, texts));
	if (parts.length === 0 && !event.media) {
		parts.push(event.unsupportedType ? fill(texts.unsupported, { type: event.unsupportedType }) : texts.unsupported_unknown);
	}
	return parts.join('\n\n');
}

/** The id of the message an event points at: the quoted one, the reacted one, or the edited/deleted one. */
function pointedAt(event: InboundEvent): string | undefined {
	if (event.kind === 'reaction') return event.reaction?.targetId;
	if (event.kind === 'edit' || event.kind === 'delete') return event.targetId;
	return event.replyTo?.whatsappId;
}

/**
 * Edits, reactions and delete notices are new Chatwoot messages (Chatwoot cannot edit a message through the API);
 * their source ids are derived from the event so that a replayed edit is recognised like a replayed message.
 */
function draftSourceId(event: InboundEvent): string {
	if (event.kind === 'message') return waSourceId(event.whatsappId);
	const target = pointedAt(event) ?? '';
	if (event.whatsappId && event.whatsappId !== target) return waSourceId(event.whatsappId);
	return waSourceId(`${target}#${event.kind}@${event.timestamp}`);
}

/** `texts`: the integration's language and templates (`textsFor`); English when not given. */
export function draftInboundMessage(event: InboundEvent, texts: Texts = ENGLISH_TEXTS): InboundMessageDraft {
	let content = body(event, texts);
	if (event.chat.isGroup && !event.fromMe) {
		const header = renderGroupSender(event.sender, texts);
		content = content ? `${header}\n${content}` : header;
	}
	const contentAttributes: Record<string, unknown> = {};
	// Chatwoot marks phone-typed messages this way in its own WhatsApp channel (docs/chatwoot-behaviour.md, Messages).
	if (event.fromMe) contentAttributes.external_echo = true;
	const target = pointedAt(event);
	const draft: InboundMessageDraft = {
		sourceId: draftSourceId(event),
		messageType: event.fromMe ? 'outgoing' : 'incoming',
		content,
		contentAttributes,
		externalCreatedAt: event.timestamp,
	};
	if (target) {
		draft.inReplyToSourceId = waSourceId(target);
		contentAttributes.in_reply_to_external_id = draft.inReplyToSourceId;
	}
	if (event.kind === 'message' && event.replyTo?.quotedText) {
		draft.quotedTextFallback = event.replyTo.quotedText;
	}
	return draft;
}

/** Content with the quoted text shown as a quote, for replies whose original Chatwoot does not know. */
export function withQuotedFallback(content: string, quotedText: string): string {
	const quote = whatsAppToChatwootMarkdown(quotedText)
		.split('\n')
		.map((line) => `> ${line}`)
		.join('\n');
	return content ? `${quote}\n\n${content}` : quote;
}
