import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { forgetInboxes } from '../../shared/bridge/integration/cache';
import { removeIntegration } from '../../shared/bridge/integration/remove';
import { validateInstance } from '../../shared/bridge/integration/validation';
import { instanceField } from '../../shared/descriptions/instanceField';
import type { ChatwootConnection } from '../../shared/transport/chatwootClient';
import { readInstance } from '../../shared/transport/instanceLocator';
import { perItem } from '../../shared/transport/perItem';

export const option: INodePropertyOptions = {
	name: 'Delete',
	value: 'delete',
	action: 'Remove the integration of an instance',
	description: 'Stops syncing the instance; the Chatwoot inbox and its conversations stay',
};

const properties: INodeProperties[] = [
	instanceField({ required: true, description: 'WhatsApp instance whose integration to remove' }),
];

export const description = updateDisplayOptions({ show: { operation: ['delete'] } }, properties);

async function deleteItem(
	this: IExecuteFunctions,
	connection: ChatwootConnection,
	itemIndex: number,
): Promise<IDataObject> {
	const { client, settings } = connection;
	const instance = validateInstance(await readInstance(this, client, itemIndex));
	const cacheKey = `${settings.baseUrl}|${settings.accountId}`;
	let result;
	try {
		result = await removeIntegration(client, instance);
	} finally {
		forgetInboxes(cacheKey);
	}
	const { inbox, binding, webhookCleared } = result;
	return {
		instance,
		status: 'removed',
		integration_id: binding.integration_id,
		inbox: { id: inbox.id, name: inbox.name },
		webhook_url_cleared: webhookCleared,
		webhook_url: inbox.webhook_url ? inbox.webhook_url : null,
		created_at: binding.created_at,
		removed_at: binding.removed_at,
		message: 'Chatwoot integration removed; the inbox and its conversations are kept',
	};
}

export async function execute(this: IExecuteFunctions, connection: ChatwootConnection): Promise<INodeExecutionData[]> {
	return await perItem(this, async (itemIndex) => await deleteItem.call(this, connection, itemIndex));
}
