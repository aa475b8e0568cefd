/**
 * Which WhatsApp message an agent's Chatwoot message became. Chatwoot has no field for it on the message (a message's
 * `source_id` can never be set after creation), so the link is kept on the conversation's contact, where every n8n
 * process and every Chatwoot webhook about the conversation (`conversation.meta.sender`) can read it:
 * `additional_attributes.chatwoot_bridge_whatsapp_ids = {"<Chatwoot message id>": "<WhatsApp id>"}`. Not conversation
 * custom attributes: Chatwoot's sidebar lists every custom attribute, defined or not, to agents; a contact's
 * additional attributes it shows only for keys it knows. Chatwoot merges additional attributes key by key on update
 * (docs/chatwoot-behaviour.md), so the bridge writes its own key whole; the newest MAX_AGENT_LINKS links are kept.
 */
import type { ChatwootClient } from '../chatwoot/client';

export const AGENT_LINKS_KEY = 'chatwoot_bridge_whatsapp_ids';

/** WhatsApp lets a sender delete for everyone for about two days; far fewer links than that are ever needed. */
export const MAX_AGENT_LINKS = 200;

type Attributes = Record<string, unknown> | null | undefined;

/** The links stored on a contact (its additional attributes): Chatwoot message id → WhatsApp id. */
export function agentLinksOf(contactAttributes: Attributes): Map<number, string> {
	const links = new Map<number, string>();
	const stored = contactAttributes?.[AGENT_LINKS_KEY];
	if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return links;
	for (const [key, value] of Object.entries(stored as Record<string, unknown>)) {
		const messageId = Number(key);
		if (Number.isInteger(messageId) && messageId > 0 && typeof value === 'string' && value.trim()) {
			links.set(messageId, value.trim());
		}
	}
	return links;
}

/** The agent message a WhatsApp id belongs to, per the contact's links. */
export function agentMessageOfWhatsappId(contactAttributes: Attributes, whatsappId: string): number | undefined {
	for (const [messageId, linked] of agentLinksOf(contactAttributes)) if (linked === whatsappId) return messageId;
	return undefined;
}

/** The value of our key with one more link, bounded to the newest links (highest message ids). */
export function withAgentLink(contactAttributes: Attributes, messageId: number, whatsappId: string): Record<string, string> {
	const links = agentLinksOf(contactAttributes);
	links.set(messageId, whatsappId);
	const kept = [...links.entries()].sort((a, b) => b[0] - a[0]).slice(0, MAX_AGENT_LINKS);
	return Object.fromEntries(kept.map(([id, wa]) => [String(id), wa]));
}

/** The conversation's contact as a conversation answer carries it (`meta.sender`). */
export function contactOfConversation(conversation: { meta?: { sender?: unknown } | null }): { id?: number; attributes: Attributes } {
	const sender = (conversation.meta?.sender ?? undefined) as { id?: unknown; additional_attributes?: unknown } | undefined;
	const attributes = sender?.additional_attributes;
	return {
		id: typeof sender?.id === 'number' ? sender.id : undefined,
		attributes: attributes && typeof attributes === 'object' && !Array.isArray(attributes) ? (attributes as Attributes) : undefined,
	};
}

/**
 * Stores the link on the conversation's contact (read the conversation, write our key: two calls). Chatwoot merges
 * key by key but our key's value is written whole: a second Report Send Result for the same contact that read before
 * this write and writes after it would drop this link; the window is one round trip.
 */
export async function storeAgentLink(
	client: ChatwootClient,
	conversationId: number,
	messageId: number,
	whatsappId: string,
): Promise<void> {
	const contact = contactOfConversation(await client.getConversation(conversationId));
	if (contact.id === undefined) throw new Error(`conversation ${conversationId} names no contact to keep the WhatsApp id on`);
	if (agentLinksOf(contact.attributes).get(messageId) === whatsappId) return;
	const links = withAgentLink(contact.attributes, messageId, whatsappId);
	await client.updateContact(contact.id, { additionalAttributes: { [AGENT_LINKS_KEY]: links } });
}
