/**
 * A `fromMe` WhatsApp message may be the agent's own reply coming back from the gateway (Evolution can report an
 * API send as a `messages.upsert`; DESIGN §3 last point). Chatwoot never stores the WhatsApp id of an agent message,
 * so the echo is recognised by what it says: an outgoing agent message of the same conversation, recent, not yet
 * linked, whose text the WhatsApp text contains (the agent signature may precede it).
 */
import type { Message } from '../chatwoot/schemas';
import type { InboundEvent } from '../whatsapp/event';

/** How long after the agent wrote it a WhatsApp echo can still be the same message. */
export const AGENT_ECHO_WINDOW_SECONDS = 10 * 60;

const OUTGOING = 1;

function comparable(text: string): string {
	return text
		.normalize('NFKC')
		.replace(/[*_~`>\\]/g, '')
		.replace(/\s+/g, ' ')
		.trim()
		.toLowerCase();
}

function isAgentMessage(message: Message): boolean {
	const type = message.message_type;
	const outgoing = type === OUTGOING || type === 'outgoing';
	const attributes = message.content_attributes;
	const mirrored =
		typeof attributes === 'object' && attributes !== null && (attributes as Record<string, unknown>).external_echo;
	return outgoing && !message.private && !message.source_id && !mirrored;
}

function createdAt(message: Message): number {
	const value = message.created_at;
	if (typeof value === 'number') return value;
	return typeof value === 'string' ? Date.parse(value) / 1000 : 0;
}

export function findAgentMessageEchoed(
	event: InboundEvent,
	recent: Message[],
	linkedMessageIds: ReadonlySet<number>,
): Message | undefined {
	if (!event.fromMe || event.kind !== 'message') return undefined;
	const echoed = comparable(event.text ?? '');
	const candidates = recent
		.filter(isAgentMessage)
		.filter((message) => !linkedMessageIds.has(message.id))
		.filter((message) => Math.abs(event.timestamp - createdAt(message)) <= AGENT_ECHO_WINDOW_SECONDS)
		.sort((a, b) => a.id - b.id);
	return candidates.find((message) => {
		const written = comparable(message.content ?? '');
		if (written) return echoed.includes(written);
		// An attachment-only agent message comes back as media whose caption is at most the signature.
		return Boolean(event.media) && (message.attachments?.length ?? 0) > 0;
	});
}
