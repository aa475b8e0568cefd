/** The Instance field at run time: its list of configured instances, and its value as an instance name. */
import type { IExecuteFunctions, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { ChatwootClient } from '../chatwoot/client';
import { invalidBody, isChatwootError } from '../chatwoot/errors';
import { settle } from '../settle';
import { configuredInstances, instanceChoice, instanceOfInbox } from '../instanceChoice';
import { connectChatwoot } from './chatwootClient';
import { toNodeError } from './nodeErrors';

/** "From List": the account's API inboxes that hold a configured integration, shown by instance name. */
export async function searchInstances(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	try {
		const { client, settings } = await connectChatwoot(this);
		return { results: configuredInstances(await client.listInboxes(), settings, filter) };
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}

/** Inbox ID → instance, per node run (one client per run): a By ID value costs one Chatwoot read, not one per item. */
const resolvedInboxes = new WeakMap<ChatwootClient, Map<number, Promise<string>>>();

async function instanceOfInboxId(client: ChatwootClient, inboxId: number): Promise<string> {
	const read = await settle(client.getInbox(inboxId));
	if (read.ok) return instanceOfInbox(read.value);
	throw isChatwootError(read.error, 'notFound')
		? invalidBody('instance', `no inbox has the ID ${inboxId} in this Chatwoot account (or the token cannot see it)`)
		: read.error;
}

/**
 * The instance name the item's Instance field names ('' when empty): a plain string of an older workflow, a name
 * from the list or typed, or an inbox ID resolved through the integration stored on that inbox.
 */
export async function readInstance(ctx: IExecuteFunctions, client: ChatwootClient, itemIndex: number): Promise<string> {
	const choice = instanceChoice(ctx.getNodeParameter('instance', itemIndex, ''));
	if (choice.by === 'name') return choice.instance;
	let memo = resolvedInboxes.get(client);
	if (!memo) resolvedInboxes.set(client, (memo = new Map()));
	let pending = memo.get(choice.inboxId);
	if (!pending) {
		pending = instanceOfInboxId(client, choice.inboxId);
		memo.set(choice.inboxId, pending);
		pending.catch(() => memo.delete(choice.inboxId));
	}
	return await pending;
}
