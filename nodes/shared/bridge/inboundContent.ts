/**
 * What an inbound WhatsApp event looks like as a Chatwoot message: content, attributes and direction.
 * Pure: the planner decides where it goes, this decides what it says. Nothing is silently dropped: every kind
 * renders to readable text (peers doc pain 12).
 */
import type { InboundEvent, Location, SharedContact } from '../whatsapp/event';
import { whatsAppToChatwootMarkdown } from './formatting';

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

export function renderLocation(location: Location): string {
	const title = location.live ? 'Live location' : 'Location';
	const lines = [`📍 **${title}${location.name ? `: ${location.name}` : ''}**`];
	if (location.address) lines.push(location.address);
	lines.push(mapsLink(location));
	return lines.join('\n');
}

export function renderContacts(contacts: SharedContact[]): string {
	return contacts
		.map((contact) => {
			const phones = contact.phones.length ? contact.phones.join(', ') : 'no phone number';
			return `👤 **${contact.name || 'Contact'}**: ${phones}`;
		})
		.join('\n');
}

/** The line above a group message naming who wrote it (waha issue #1369); never shows LID digits as a phone. */
export function renderGroupSender(sender: InboundEvent['sender']): string {
	const name = sender.name?.trim();
	if (name && sender.phone) return `**${name}** (${sender.phone}):`;
	if (name) return `**${name}**:`;
	if (sender.phone) return `**${sender.phone}**:`;
	// Known only by a LID: its digits are not a phone number and mean nothing to an agent (peers doc pain 3).
	return '**Group member (name and number unknown)**:';
}

const mediaLabel: Record<string, string> = {
	image: 'Image',
	video: 'Video',
	audio: 'Audio',
	voice: 'Voice message',
	document: 'Document',
	sticker: 'Sticker',
};

/** Placeholder text for media that could not be attached, so the agent still sees that something arrived. */
export function renderMediaPlaceholder(event: InboundEvent, reason: string): string {
	const label = mediaLabel[event.media?.kind ?? ''] ?? 'Media';
	const name = event.media?.fileName ? ` "${event.media.fileName}"` : '';
	return `[${label}${name} could not be attached: ${reason}]`;
}

function body(event: InboundEvent): string {
	if (event.kind === 'reaction') {
		const emoji = event.reaction?.emoji ?? '';
		return emoji ? `Reacted ${emoji}` : 'Removed a reaction';
	}
	if (event.kind === 'edit') {
		return event.text ? `✏️ Edited: ${whatsAppToChatwootMarkdown(event.text)}` : '✏️ Edited (the new text was not sent by the gateway)';
	}
	if (event.kind === 'delete') return '🗑️ This message was deleted on WhatsApp';
	const parts: string[] = [];
	if (event.text) parts.push(whatsAppToChatwootMarkdown(event.text));
	if (event.location) parts.push(renderLocation(event.location));
	if (event.contacts?.length) parts.push(renderContacts(event.contacts));
	if (parts.length === 0 && !event.media) {
		const type = event.unsupportedType ? ` "${event.unsupportedType}"` : '';
		parts.push(`[Unsupported WhatsApp message type${type}: open WhatsApp to see it]`);
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

export function draftInboundMessage(event: InboundEvent): InboundMessageDraft {
	let content = body(event);
	if (event.chat.isGroup && !event.fromMe) {
		const header = renderGroupSender(event.sender);
		content = content ? `${header}\n${content}` : header;
	}
	const contentAttributes: Record<string, unknown> = {};
	// Chatwoot marks phone-typed messages this way in its own WhatsApp channel (behaviour doc §3.5).
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
