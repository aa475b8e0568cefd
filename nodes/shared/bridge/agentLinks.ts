/**
 * Which WhatsApp message an agent's Chatwoot message became. Chatwoot has no field for it on the message (a message's
 * `source_id` can never be set after creation), so the link is kept on the conversation, where every n8n process
 * and every Chatwoot webhook about that conversation can read it: `custom_attributes.chatwoot_bridge_whatsapp_ids =
 * {"<Chatwoot message id>": "<WhatsApp id>"}`. Chatwoot replaces the whole custom-attributes hash on write, so the
 * bridge reads, merges (keeping every other key) and writes; the newest MAX_AGENT_LINKS links are kept.
 */
import type { ChatwootClient } from '../chatwoot/client';

export const AGENT_LINKS_KEY = 'chatwoot_bridge_whatsapp_ids';

/** WhatsApp lets a sender delete for everyone for about two days; far fewer links than that are ever needed. */
export const MAX_AGENT_LINKS = 200;

type Attributes = Record<string, unknown> | null | undefined;

/** The links stored on a conversation: Chatwoot message id → WhatsApp id. */
export function agentLinksOf(customAttributes: Attributes): Map<number, string> {
	const links = new Map<number, string>();
	const stored = customAttributes?.[AGENT_LINKS_KEY];
	if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return links;
	for (const [key, value] of Object.entries(stored as Record<string, unknown>)) {
		const messageId = Number(key);
		if (Number.isInteger(messageId) && messageId > 0 && typeof value === 'string' && value.trim()) {
			links.set(messageId, value.trim());
		}
	}
	return links;
}

/** The agent message a WhatsApp id belongs to, per the conversation's links. */
export function agentMessageOfWhatsappId(customAttributes: Attributes, whatsappId: string): number | undefined {
	for (const [messageId, linked] of agentLinksOf(customAttributes)) if (linked === whatsappId) return messageId;
	return undefined;
}

/** The custom attributes with one more link, bounded to the newest links (highest message ids). */
export function withAgentLink(customAttributes: Attributes, messageId: number, whatsappId: string): Record<string, unknown> {
	const links = agentLinksOf(customAttributes);
	links.set(messageId, whatsappId);
	const kept = [...links.entries()].sort((a, b) => b[0] - a[0]).slice(0, MAX_AGENT_LINKS);
	return { ...(customAttributes ?? {}), [AGENT_LINKS_KEY]: Object.fromEntries(kept.map(([id, wa]) => [String(id), wa])) };
}

/**
 * Stores the link on the conversation (read, merge, write: two calls). Chatwoot offers no atomic merge: a second
 * writer that read before this write and writes after it would drop this link; the window is one round trip.
 */
export async function storeAgentLink(
	client: ChatwootClient,
	conversationId: number,
	messageId: number,
	whatsappId: string,
): Promise<void> {
	const conversation = await client.getConversation(conversationId);
	const current = conversation.custom_attributes as Attributes;
	if (agentLinksOf(current).get(messageId) === whatsappId) return;
	await client.setConversationCustomAttributes(conversationId, withAgentLink(current, messageId, whatsappId));
}
