import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { TRIGGER_OUTPUTS, triggerProperties } from './description';
import { searchInboxes } from './methods/listInboxes';
import { receiveWebhook } from './receive';
import { checkWebhookExists, createWebhook, deleteWebhook } from './webhookLifecycle';

/**
 * Starts a workflow for each agent message (and, if chosen, deletion, status change, typing) of one WhatsApp
 * instance's Chatwoot API inbox, as one action for a gateway's send node. Contents:
 * - parameters and outputs: description.ts · reading them: options.ts
 * - registration on the inbox (checkExists / create / delete): webhookLifecycle.ts, binding.ts
 * - receiving a delivery (signature, replay, filter, mapping): receive.ts, items.ts, memory.ts, inboxSnapshot.ts
 * - the inbox list of the Inbox parameter: methods/listInboxes.ts
 */
export class ChatwootBridgeTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Chatwoot Bridge Trigger',
		name: 'chatwootBridgeTrigger',
		icon: { light: 'file:chatwootBridgeTrigger.svg', dark: 'file:chatwootBridgeTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Events: " + ($parameter["events"] || []).join(", ")}}',
		description: 'Starts the workflow when an agent answers in the Chatwoot inbox of a WhatsApp instance',
		defaults: { name: 'Chatwoot Bridge Trigger' },
		inputs: [],
		outputs: TRIGGER_OUTPUTS,
		credentials: [{ name: 'chatwootBridgeApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: triggerProperties,
	};

	methods = { listSearch: { searchInboxes } };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return checkWebhookExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return createWebhook.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return deleteWebhook.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return receiveWebhook.call(this);
	}
}
