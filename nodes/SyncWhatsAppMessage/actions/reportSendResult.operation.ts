import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { storeAgentLink } from '../../shared/bridge/agentLinks';
import { memoryFor } from '../../shared/bridge/bridgeMemory';
import { invalidBody } from '../../shared/chatwoot/errors';
import type { ChatwootConnection } from '../../shared/transport/chatwootClient';
import { perItem } from '../../shared/transport/perItem';
import { bareWahaId } from '../../shared/whatsapp/jid';

const fromTrigger = (field: string) => `={{ $('Chatwoot Bridge Trigger').item.json.chatwoot.${field} }}`;

const properties: INodeProperties[] = [
	{
		displayName: 'Conversation ID',
		name: 'conversationId',
		type: 'number',
		default: fromTrigger('conversationId'),
		required: true,
		description: 'Chatwoot conversation of the agent message (the Chatwoot Bridge Trigger outputs it)',
	},
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'number',
		default: fromTrigger('messageId'),
		required: true,
	},
	{
		displayName: 'Inbox ID',
		name: 'inboxId',
		type: 'number',
		default: fromTrigger('inboxId'),
		required: true,
	},
	{
		displayName: 'WhatsApp Message ID',
		name: 'whatsappId',
		type: 'string',
		default: '={{ $json.key?.id ?? $json.messages?.[0]?.id ?? $json.id ?? "" }}',
		description:
			'ID the gateway returned for the sent message (Evolution key.ID, Cloud API messages[0].ID, WAHA ID). Empty when the send failed.',
	},
	{
		displayName: 'Error',
		name: 'error',
		type: 'string',
		default: '={{ $json.error?.message ?? $json.error ?? "" }}',
		description:
			'The gateway\'s error when the send failed (for example the output of an HTTP Request node set to continue on fail). Shown to the agent in Chatwoot.',
	},
];

export const description = updateDisplayOptions({ show: { operation: ['reportSendResult'] } }, properties);

function positiveId(field: string, value: unknown): number {
	const id = Number(value);
	if (!Number.isInteger(id) || id <= 0) throw invalidBody(field, `expected a positive integer (got "${String(value)}")`);
	return id;
}

async function reportItem(this: IExecuteFunctions, connection: ChatwootConnection, itemIndex: number): Promise<IDataObject> {
	const conversationId = positiveId('conversationId', this.getNodeParameter('conversationId', itemIndex));
	const messageId = positiveId('messageId', this.getNodeParameter('messageId', itemIndex));
	const inboxId = positiveId('inboxId', this.getNodeParameter('inboxId', itemIndex));
	const rawId = String(this.getNodeParameter('whatsappId', itemIndex, '') ?? '').trim();
	const errorText = String(this.getNodeParameter('error', itemIndex, '') ?? '').trim();
	const { client, settings } = connection;

	if (errorText) {
		await client.updateMessageStatus(conversationId, messageId, 'failed', errorText.slice(0, 1000));
		return { status: 'failed', conversationId, messageId, externalError: errorText };
	}
	if (!rawId) {
		throw invalidBody('whatsappId', 'is empty and no error was given: map the gateway\'s message ID or its error');
	}
	const whatsappId = bareWahaId(rawId);
	// Acks (delivered, read), the gateway's echo and an agent's later delete know only one side of the link: keep it on
	// the conversation's contact, where every n8n process finds it, also after a restart. Before the status, so a
	// message the agent sees as sent always has its link.
	await storeAgentLink(client, conversationId, messageId, whatsappId);
	await client.updateMessageStatus(conversationId, messageId, 'sent');
	memoryFor(settings.baseUrl, settings.accountId, inboxId).linkAgentMessage(whatsappId, conversationId, messageId);
	return { status: 'sent', conversationId, messageId, whatsappId };
}

export async function execute(
	this: IExecuteFunctions,
	connection: ChatwootConnection,
): Promise<INodeExecutionData[]> {
	return await perItem(this, async (itemIndex) => await reportItem.call(this, connection, itemIndex), 'error');
}
