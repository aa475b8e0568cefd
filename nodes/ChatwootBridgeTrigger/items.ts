/**
 * The items the trigger emits. Every item has `action` (what to do on WhatsApp) and `instance` (which gateway
 * session), so one Switch on `action` routes them. Message items are exactly the OutboundAction of
 * docs/architecture.md, The canonical models (bridge/outbound.ts); the other shapes wrap the bridge's conversation and
 * typing outputs.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	toConversationStatus,
	toConversationUpdate,
	toOutboundAction,
	toTypingOutput,
	type ConversationStatusOutput,
	type ConversationUpdateOutput,
	type OutboundAction,
	type OutboundConfig,
	type TypingOutput,
} from '../shared/bridge/outbound';
import type { OutboundKind } from '../shared/bridge/webhookFilter';
import type { ChatwootWebhookEvent } from '../shared/chatwoot/webhook/parse';

export type ConversationStatusItem = { action: 'conversationStatus'; instance: string } & ConversationStatusOutput;
export type ConversationUpdateItem = { action: 'conversationUpdate'; instance: string } & ConversationUpdateOutput;
export type TypingItem = { action: 'typing'; instance: string } & TypingOutput;
export type TriggerItem = OutboundAction | ConversationStatusItem | ConversationUpdateItem | TypingItem;

/**
 * The item for an event the filter emitted as `kind`. Throws OutboundMappingError when a message names no
 * WhatsApp chat (bridge/outbound.ts).
 */
export function toTriggerItem(event: ChatwootWebhookEvent, kind: OutboundKind, config: OutboundConfig): TriggerItem {
	const instance = config.instance;
	switch (kind) {
		case 'send':
		case 'delete':
			if (event.kind !== 'message') break;
			return toOutboundAction(event, config);
		case 'conversationStatus':
			if (event.kind !== 'conversation') break;
			return { action: 'conversationStatus', instance, ...toConversationStatus(event) };
		case 'conversationUpdate':
			if (event.kind !== 'conversation') break;
			return { action: 'conversationUpdate', instance, ...toConversationUpdate(event) };
		case 'typing':
			if (event.kind !== 'typing') break;
			return { action: 'typing', instance, ...toTypingOutput(event) };
	}
	throw new Error(`Chatwoot Bridge Trigger: no item for a ${event.event} event classified as ${kind}`);
}

/** n8n's JSON type for an item (the models are plain JSON data). */
export function asJson(item: TriggerItem): IDataObject {
	return item as unknown as IDataObject;
}
