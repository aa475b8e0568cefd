/**
 * Sorting an arriving (already verified and parsed) Chatwoot webhook as docs/chatwoot-behaviour.md, "Sorting an
 * arriving webhook" describes: what goes to WhatsApp, what is an echo of the bridge's own writes, what the builder did
 * not ask for.
 * Every ignore carries a short, stable reason string that the trigger can log or output.
 */
import type { ChatwootMessageEvent, ChatwootWebhookEvent } from '../chatwoot/webhook/parse';
import { WAID_PREFIX } from './inboundContent';

/** What the trigger can emit; the builder selects which ones (`SelectedEvents`). */
export const OUTBOUND_KINDS = ['send', 'delete', 'conversationStatus', 'conversationUpdate', 'typing'] as const;
export type OutboundKind = (typeof OUTBOUND_KINDS)[number];
export type SelectedEvents = ReadonlyArray<OutboundKind>;
/** Message flow on, optional signals (status, conversation changes, typing) off (step 4 of the sorting). */
export const DEFAULT_SELECTED_EVENTS: SelectedEvents = ['send', 'delete'];

export type IgnoreReason =
	| 'other-inbox'
	| 'private-note'
	| 'incoming-message'
	| 'activity-message'
	| 'bridge-echo'
	| 'external-echo'
	| 'empty-message'
	| 'failure-echo'
	| 'status-echo'
	| 'derived-notice'
	| 'private-typing'
	| 'contact-typing'
	| 'unsupported-event'
	| 'not-selected';

export type ChatwootEventClassification =
	| { decision: 'emit'; kind: OutboundKind }
	| { decision: 'ignore'; reason: IgnoreReason };

export interface ClassifyOptions {
	/** The instance's API inbox; events of any other inbox are ignored (account webhooks would see all inboxes). */
	inboxId?: number;
	events: SelectedEvents;
}

/**
 * A `source_id` written by a bridge: `WAID:<WhatsApp message id>`. `derived` marks the notices the inbound side
 * derives for edits, reactions and deletes (`WAID:<target>#<kind>@<time>`, inboundContent.ts): not a WhatsApp
 * message of their own; `whatsappId` is then the message they point at. WhatsApp ids never contain `#`.
 */
export function parseBridgeSourceId(
	sourceId: string | null | undefined,
): { whatsappId: string; derived: boolean } | undefined {
	if (!sourceId || !sourceId.startsWith(WAID_PREFIX)) return undefined;
	const rest = sourceId.slice(WAID_PREFIX.length);
	const hash = rest.indexOf('#');
	const whatsappId = hash === -1 ? rest : rest.slice(0, hash);
	return whatsappId ? { whatsappId, derived: hash !== -1 } : undefined;
}

const ignore = (reason: IgnoreReason): ChatwootEventClassification => ({ decision: 'ignore', reason });

function classifyMessage(event: ChatwootMessageEvent): ChatwootEventClassification {
	if (event.private) return ignore('private-note'); // notes are delivered too and must never leave Chatwoot
	// Direction by message_type, never by sender (Webhook payloads). Incoming = what the bridge posted; a deleted incoming
	// message
	// is the contact's, not ours to revoke.
	if (event.messageType === 'incoming') return ignore('incoming-message');
	if (event.messageType === 'activity') return ignore('activity-message');
	const bridgeId = parseBridgeSourceId(event.sourceId);

	if (event.event === 'message_updated') {
		// Before `deleted`: a failed delivery of the delete's own webhook adds external_error and must not revoke twice.
		if (event.contentAttributes.externalError !== undefined) return ignore('failure-echo');
		if (event.contentAttributes.deleted) {
			// Revocable: an agent's or bot's message, or a phone-typed mirror (`WAID:<id>`, fromMe, ours to revoke).
			// Not a derived notice: deleting "✏️ Edited: …" in Chatwoot must not revoke the edited message.
			return bridgeId?.derived ? ignore('derived-notice') : { decision: 'emit', kind: 'delete' };
		}
		// Status PATCH, translation or dashboard retry: indistinguishable in the payload (step 3 of the sorting).
		return ignore('status-echo');
	}

	if (bridgeId) return ignore('bridge-echo'); // a mirror or import the bridge wrote from WhatsApp (step 2)
	// Chatwoot's own flag for "already sent from the native app" (Messages), when another tool wrote it without WAID:.
	if (event.contentAttributes.externalEcho) return ignore('external-echo');
	if (!event.content.trim() && event.attachments.length === 0) return ignore('empty-message');
	return { decision: 'emit', kind: 'send' };
}

function classifyUnfiltered(event: ChatwootWebhookEvent): ChatwootEventClassification {
	switch (event.kind) {
		case 'message':
			return classifyMessage(event);
		case 'conversation':
			return event.event === 'conversation_status_changed'
				? { decision: 'emit', kind: 'conversationStatus' }
				: { decision: 'emit', kind: 'conversationUpdate' };
		case 'typing':
			if (event.isPrivate) return ignore('private-typing'); // an agent writing a note: nothing for the contact to see
			if (event.user?.type === 'contact') return ignore('contact-typing'); // the contact's own typing, echoed back
			return { decision: 'emit', kind: 'typing' };
		default:
			return ignore('unsupported-event');
	}
}

function inboxOf(event: ChatwootWebhookEvent): number | undefined {
	if (event.kind === 'message') return event.inbox.id;
	return event.kind === 'other' ? undefined : event.conversation.inboxId;
}

export function classifyChatwootEvent(event: ChatwootWebhookEvent, options: ClassifyOptions): ChatwootEventClassification {
	if (options.inboxId !== undefined) {
		const inboxId = inboxOf(event);
		if (inboxId !== undefined && inboxId !== options.inboxId) return ignore('other-inbox');
	}
	const result = classifyUnfiltered(event);
	if (result.decision === 'emit' && !options.events.includes(result.kind)) return ignore('not-selected');
	return result;
}
