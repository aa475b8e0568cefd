/** The "From List" mode of the Inbox parameter: the account's API inboxes, with the instance they are bound to. */
import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import type { Inbox } from '../../shared/chatwoot/schemas';
import { connectChatwoot } from '../../shared/transport/chatwootClient';
import { toNodeError } from '../../shared/transport/nodeErrors';
import { instanceConfigOf } from '../binding';

/** `acme-sales · WhatsApp Acme (#7)` for a configured instance, `WhatsApp Acme (#7)` otherwise. */
export function inboxListItem(inbox: Inbox, baseUrl: string, accountId: number): INodeListSearchItems {
	const config = instanceConfigOf(inbox);
	const label = config.configured && config.instance !== inbox.name ? `${config.instance} · ${inbox.name}` : inbox.name;
	return {
		name: `${label} (#${inbox.id})`,
		value: String(inbox.id),
		url: `${baseUrl}/app/accounts/${accountId}/settings/inboxes/${inbox.id}`,
	};
}

export async function searchInboxes(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	let inboxes: Inbox[];
	let baseUrl: string;
	let accountId: number;
	try {
		const { client, settings } = await connectChatwoot(this);
		inboxes = await client.listInboxes();
		({ baseUrl, accountId } = settings);
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
	const wanted = (filter ?? '').trim().toLowerCase();
	const results = inboxes
		.filter((inbox) => inbox.channel_type === 'Channel::Api')
		.map((inbox) => inboxListItem(inbox, baseUrl, accountId))
		.filter((item) => !wanted || item.name.toLowerCase().includes(wanted) || item.value === wanted);
	return { results };
}
