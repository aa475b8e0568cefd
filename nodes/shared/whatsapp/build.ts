/** Builders for normalizer output: events without `undefined` keys (n8n shows them as noise), ignores with reasons. */
import type { ParsedContent, ReplyRef } from './content';
import type { InboundEvent, NormalizedItem } from './event';
import type { PollEvent } from './poll';

function prune<T>(value: T): T {
	if (Array.isArray(value)) return value.map(prune) as unknown as T;
	if (typeof value === 'object' && value !== null) {
		const out: Record<string, unknown> = {};
		for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
			if (inner !== undefined) out[key] = prune(inner);
		}
		return out as T;
	}
	return value;
}

export function eventItem(event: InboundEvent | PollEvent): NormalizedItem {
	return { type: 'event', event: prune(event) };
}

/**
 * `base` plus `fields` in one new object, assigned key by key: spreading `base` and then adding a dozen mostly
 * undefined fields made V8 build slow, large objects, which dominated the import's first pass (bench/importN8n.ts).
 */
function withFields<T>(base: EventBase, fields: Record<string, unknown>): T {
	const event: Record<string, unknown> = {};
	for (const key in base) {
		const value = (base as Record<string, unknown>)[key];
		if (value !== undefined) event[key] = value;
	}
	for (const key in fields) {
		const value = fields[key];
		if (value !== undefined) event[key] = value;
	}
	return event as T;
}

export function ignoreItem(reason: string, whatsappId?: string): NormalizedItem {
	return whatsappId ? { type: 'ignore', reason, whatsappId } : { type: 'ignore', reason };
}

/** The part every event of one message shares; the kind-specific fields are added by the caller. */
export type EventBase = Pick<InboundEvent, 'gateway' | 'instance' | 'whatsappId' | 'chat' | 'fromMe' | 'viaApi' | 'sender' | 'timestamp'>;

/** One parsed Baileys/whatsmeow content on top of its event base (shared by Evolution, Evolution Go and WAHA). */
export function contentItems(base: EventBase, content: ParsedContent, fallbackReply?: ReplyRef): NormalizedItem[] {
	switch (content.kind) {
		case 'ignore':
			return [ignoreItem(content.reason, base.whatsappId)];
		case 'reaction':
			return [eventItem(withFields(base, { kind: 'reaction', reaction: { emoji: content.emoji, targetId: content.targetId } }))];
		case 'edit':
			return [eventItem(withFields(base, { kind: 'edit', targetId: content.targetId, text: content.text }))];
		case 'delete':
			return [eventItem(withFields(base, { kind: 'delete', targetId: content.targetId }))];
		default:
			return [
				eventItem(
					withFields(base, {
						kind: 'message',
						text: content.text,
						media: content.media,
						location: content.location,
						contacts: content.contacts,
						replyTo: content.replyTo ?? fallbackReply,
						unsupportedType: content.unsupportedType,
						poll: content.poll,
						pollVote: content.pollVote,
					}),
				),
			];
	}
}
