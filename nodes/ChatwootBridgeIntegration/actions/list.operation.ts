import {
	sleepWithAbort,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { integrationStatus, integrationsToList, type LiveCheck } from '../../shared/bridge/integration/status';
import { instanceField } from '../../shared/descriptions/instanceField';
import { chatwootClient, type ChatwootConnection } from '../../shared/transport/chatwootClient';
import { readInstance } from '../../shared/transport/instanceLocator';
import { perItem } from '../../shared/transport/perItem';

export const option: INodePropertyOptions = {
	name: 'List',
	value: 'list',
	action: 'Get the integration of an instance and its live status',
	description: 'Configuration of an instance with its live status (active, paused or error) and last error',
};

/** Seed 003: the live state is fetched best-effort with a 10 s limit. */
export const DEFAULT_LIVE_CHECK_SECONDS = 10;

const properties: INodeProperties[] = [
	instanceField({
		description: 'WhatsApp instance whose integration to read. Empty: every integration of the account, one item each.',
	}),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Live Check Time Limit (Seconds)',
				name: 'liveCheckSeconds',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 60 },
				default: DEFAULT_LIVE_CHECK_SECONDS,
				description:
					'How long the live check of the token may take; when it does not finish, the status rests on the stored configuration and the inbox list',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { operation: ['list'] } }, properties);

/**
 * `GET /api/v1/profile` within `limitMs`: one attempt whose timeout is the time left, raced against the limit so
 * the item never waits longer. Its outcome is data, never an item failure (best-effort).
 */
async function liveCheck(ctx: IExecuteFunctions, connection: ChatwootConnection, limitMs: number): Promise<LiveCheck> {
	const deadline = Date.now() + limitMs;
	const client = chatwootClient(ctx, connection.settings, {
		maxAttempts: 1,
		timeoutMs: () => Math.max(1, deadline - Date.now()),
	});
	const abort = new AbortController();
	// Resolves `undefined` at the limit (or when aborted, once the check is over).
	const limit = sleepWithAbort(limitMs, abort.signal).then(
		() => undefined,
		() => undefined,
	);
	try {
		const outcome = await Promise.race([client.profile(), limit]);
		if (outcome === undefined) return { done: false, error: new Error('time limit reached'), timedOut: true };
		return { done: true, profile: outcome };
	} catch (error) {
		// The request's own timeout is the time left: failing at the limit is the limit.
		return { done: false, error: error as Error, timedOut: Date.now() >= deadline - 100 };
	} finally {
		abort.abort();
	}
}

/**
 * What the inbox's webhook URL says about who receives agent replies: an editor test run holds the inbox
 * ("Listen for test event"), so production receives nothing until the test ends.
 */
function bindingWarnings(webhookUrl: string | null): string[] {
	if (!webhookUrl || !/\/webhook-test\//.test(webhookUrl)) return [];
	return [
		`the inbox delivers to an n8n test URL (${webhookUrl}): an editor test run ("Listen for test event") holds it, and an active production workflow receives nothing until the test ends`,
	];
}

async function listItem(this: IExecuteFunctions, connection: ChatwootConnection, itemIndex: number): Promise<IDataObject[]> {
	const instance = await readInstance(this, connection.client, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const seconds = Number(options.liveCheckSeconds ?? DEFAULT_LIVE_CHECK_SECONDS);
	const limitMs = Math.min(60, Math.max(1, Number.isFinite(seconds) ? seconds : DEFAULT_LIVE_CHECK_SECONDS)) * 1000;
	const { client, settings } = connection;
	// The stored configuration lives on the inboxes (docs/architecture.md, State): this read must succeed, fresh (not the
	// Sync cache).
	const listed = integrationsToList(await client.listInboxes(), instance || undefined);
	if (listed.length === 0) return [];
	const live = await liveCheck(this, connection, limitMs);
	const checkedAt = new Date().toISOString();
	return listed.map((entry) => {
		const status = integrationStatus({ listed: entry, connection: settings, live, checkedAt });
		return { ...status, warnings: [...status.warnings, ...bindingWarnings(status.webhook_url)] } as unknown as IDataObject;
	});
}

export async function execute(this: IExecuteFunctions, connection: ChatwootConnection): Promise<INodeExecutionData[]> {
	return await perItem(this, async (itemIndex) => await listItem.call(this, connection, itemIndex));
}
