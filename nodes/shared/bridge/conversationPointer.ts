/**
 * Where a contact's current conversation in an inbox is written down in Chatwoot itself, so that a process that has
 * never seen the chat (after a restart, another queue-mode worker) learns it from the same contact look-up it needs
 * anyway: `additional_attributes.chatwoot_bridge_conversations = {"<inbox id>": <conversation id>}` on the contact.
 * Chatwoot merges `additional_attributes` on update key by key (docs/chatwoot-behaviour.md), so writing our one key
 * keeps everything else. The pointer is a hint: the conversation it names is still checked where a setting needs its
 * status, and a conversation that no longer exists sends the bridge back to the contact's conversation list.
 */
import type { ChatwootClient } from '../chatwoot/client';
import type { Contact } from '../chatwoot/schemas';

export const CONVERSATION_POINTER_KEY = 'chatwoot_bridge_conversations';

type Attributes = Record<string, unknown>;

function pointers(attributes: Attributes | null | undefined): Record<string, unknown> {
	const value = attributes?.[CONVERSATION_POINTER_KEY];
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The conversation the contact's pointer names for `inboxId`, if any. */
export function conversationPointerOf(contact: Pick<Contact, 'additional_attributes'>, inboxId: number): number | undefined {
	const value = Number(pointers(contact.additional_attributes as Attributes | null | undefined)[String(inboxId)]);
	return Number.isInteger(value) && value > 0 ? value : undefined;
}

/** Points the contact at `conversationId` for `inboxId`, keeping the pointers of other inboxes. */
export async function writeConversationPointer(
	client: ChatwootClient,
	contactId: number,
	attributes: Attributes | null | undefined,
	inboxId: number,
	conversationId: number,
): Promise<void> {
	const merged = { ...pointers(attributes), [String(inboxId)]: conversationId };
	await client.updateContact(contactId, { additionalAttributes: { [CONVERSATION_POINTER_KEY]: merged } });
}
