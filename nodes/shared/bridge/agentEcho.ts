/**
 * A `fromMe` WhatsApp message may be an agent's reply coming back from the gateway (Evolution can report an API
 * send as a `messages.upsert`; docs/architecture.md, Echoes of the bridge's own sends). Chatwoot never stores the
 * WhatsApp id of an agent message, so the echo is recognised by what it says: exactly what the bridge sent for an
 * outgoing or template message of the same conversation (Chatwoot markdown turned into WhatsApp formatting), optionally
 * after the agent signature. Anything else, even a text that merely contains the agent's words, is a message typed on
 * the phone.
 */
import type { Message } from '../chatwoot/schemas';
import type { InboundEvent } from '../whatsapp/event';
import { chatwootSeconds } from './chatwootTime';
import { chatwootMarkdownToWhatsApp } from './formatting';

/** How long after the agent wrote it a WhatsApp echo can still be the same message. */
export const AGENT_ECHO_WINDOW_SECONDS = 10 * 60;

const OUTGOING = 1;
const TEMPLATE = 3;

/** The `*Agent Name:*` prefix that signature.ts writes. */
const SIGNATURE = /^\*[^*\n]{1,120}:\*/;

function comparable(text: string): string {
	return text
		.normalize('NFKC')
		.replace(/[*_~`>\\]/g, '')
		.replace(/\s+/g, ' ')
		.trim()
		.toLowerCase();
}

function isSentByBridge(message: Message): boolean {
	const type = message.message_type;
	const sent = type === OUTGOING || type === 'outgoing' || type === TEMPLATE || type === 'template';
	const attributes = message.content_attributes;
	const mirrored =
		typeof attributes === 'object' && attributes !== null && (attributes as Record<string, unknown>).external_echo;
	return sent && !message.private && !message.source_id && !mirrored;
}

/** Written close enough to the echo; a message without a readable time cannot be placed, so it is no echo. */
function withinWindow(event: InboundEvent, message: Message): boolean {
	const writtenAt = chatwootSeconds(message.created_at);
	return writtenAt !== undefined && Math.abs(event.timestamp - writtenAt) <= AGENT_ECHO_WINDOW_SECONDS;
}

/** The echo's text without a leading agent signature; what is left between them may only be a delimiter. */
function withoutSignature(text: string): string | undefined {
	const match = SIGNATURE.exec(text.trim());
	return match ? text.trim().slice(match[0].length) : undefined;
}

function sameText(echoText: string, written: string): boolean {
	const expected = comparable(chatwootMarkdownToWhatsApp(written));
	if (!expected) return false;
	if (comparable(echoText) === expected) return true;
	const rest = withoutSignature(echoText);
	if (rest === undefined) return false;
	const body = comparable(rest);
	// The delimiter (a newline, ": ", " - " …) is what precedes the text; it holds no letters or digits.
	return body.endsWith(expected) && !/[\p{L}\p{N}]/u.test(body.slice(0, body.length - expected.length));
}

function matches(event: InboundEvent, message: Message): boolean {
	const written = message.content ?? '';
	if (written.trim()) return sameText(event.text ?? '', written);
	// An attachment-only agent message comes back as media with no caption, or the signature alone.
	const caption = (event.text ?? '').trim();
	const captionIsSignature = caption === '' || withoutSignature(caption)?.trim() === '';
	return Boolean(event.media) && (message.attachments?.length ?? 0) > 0 && captionIsSignature;
}

export function findAgentMessageEchoed(
	event: InboundEvent,
	recent: Message[],
	linkedMessageIds: { has(messageId: number): boolean },
): Message | undefined {
	if (!event.fromMe || event.kind !== 'message') return undefined;
	return recent
		.filter(isSentByBridge)
		.filter((message) => !linkedMessageIds.has(message.id))
		.filter((message) => withinWindow(event, message))
		.sort((a, b) => a.id - b.id)
		.find((message) => matches(event, message));
}
