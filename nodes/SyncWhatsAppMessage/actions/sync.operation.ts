import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { memoryFor } from '../../shared/bridge/bridgeMemory';
import { activeIntegration } from '../../shared/bridge/integration/cache';
import { syncInboundEvent, type InboundSyncContext } from '../../shared/bridge/inboundSync';
import { sleepFor } from '../../shared/cancellation';
import { invalidBody } from '../../shared/chatwoot/errors';
import { gatewayCredentialProperty, gatewayField } from '../../shared/descriptions/gateway';
import { instanceField } from '../../shared/descriptions/instanceField';
import { cancelSignalOf, type ChatwootConnection } from '../../shared/transport/chatwootClient';
import { readInstance } from '../../shared/transport/instanceLocator';
import { readGatewayAccess, type GatewayAccess } from '../../shared/transport/gatewayAccess';
import { mediaOptionProperties, n8nMediaLoader } from '../../shared/transport/media';
import { perItem } from '../../shared/transport/perItem';
import type { Gateway, InboundEvent } from '../../shared/whatsapp/event';
import { normalizeWhatsApp } from '../../shared/whatsapp/normalize';
import { verifyGatewayWebhook } from '../../shared/whatsapp/webhookAuth';

const properties: INodeProperties[] = [
	{
		displayName: 'WhatsApp Event',
		name: 'whatsappEvent',
		type: 'json',
		default: '={{ $json.body ?? $json }}',
		required: true,
		description:
			'The webhook body the gateway sent (Evolution API, WAHA, WhatsApp Cloud API) or an item of n8n\'s WhatsApp Trigger. The default reads the body of a Webhook node, or the item itself.',
	},
	gatewayField({ n8nWhatsAppTrigger: true }),
	gatewayCredentialProperty,
	{
		displayName: 'Webhook Headers',
		name: 'webhookHeaders',
		type: 'json',
		default: '={{ $json.headers }}',
		displayOptions: { hide: { gatewayCredential: ['none'] } },
		description:
			'Headers of the webhook request (the Webhook node lists them under "headers"). The signature or shared secret is read from them when the credential has a webhook secret.',
	},
	{
		displayName: 'Raw Body Property',
		name: 'rawBodyProperty',
		type: 'string',
		default: 'data',
		displayOptions: { show: { gatewayCredential: ['waha', 'cloud'] } },
		description:
			'Binary property holding the request body exactly as received: turn on "Raw Body" in the Webhook node options. Signatures are computed over these bytes, not over the parsed JSON.',
	},
	{
		displayName: 'Webhook Path Parameters',
		name: 'webhookParams',
		type: 'json',
		default: '={{ $json.params }}',
		displayOptions: { show: { gatewayCredential: ['evolution'] } },
		description:
			'Path parameters of the webhook request. When Evolution cannot send custom headers, end the Webhook path with /:secret and the shared secret is read from here.',
	},
	instanceField({
		description:
			'Instance whose Chatwoot integration to use (as set with Chatwoot Bridge Integration). Empty: the instance named in the event (Evolution instance, WAHA session, Cloud phone number ID).',
	}),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Duplicate Check Across Workers',
				name: 'checkAcrossWorkers',
				type: 'boolean',
				default: false,
				description:
					'Whether to re-read the conversation after posting and remove the copy another worker posted at the same moment (and, for a new contact, join the conversation another worker opened). An active Chatwoot Bridge Trigger for the inbox already removes such copies; turn this on in queue mode without one. Costs one read per message.',
			},
			...mediaOptionProperties({
				binaryProperty:
					'Binary property of the input item holding the media, when an earlier step downloaded it (not needed with a gateway credential)',
				onFailure: {
					name: 'Fail the Item',
					description: 'Nothing is posted; retry the execution once the file can be fetched',
				},
				mirrorApiSends:
					'Whether to add messages the gateway reports as sent through its API. Off: those are agent replies from Chatwoot, already there.',
			}),
		],
	},
];

export const description = updateDisplayOptions({ show: { operation: ['sync'] } }, properties);

function parseEventParameter(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value);
	} catch {
		throw invalidBody('whatsappEvent', 'is text that is not JSON; pass the gateway webhook body as an object');
	}
}

/** Headers or path parameters of the webhook request: an object (or its JSON text); anything else counts as absent. */
function objectParameter(ctx: IExecuteFunctions, name: string, itemIndex: number): Record<string, unknown> | undefined {
	let value = ctx.getNodeParameter(name, itemIndex, {});
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			throw invalidBody(name, 'is text that is not JSON; pass the Webhook node\'s object (e.g. {{ $json.headers }})');
		}
	}
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Refuses the item, before anything reaches Chatwoot, when the webhook does not prove it comes from the gateway. */
async function checkWebhook(ctx: IExecuteFunctions, access: GatewayAccess | undefined, itemIndex: number): Promise<void> {
	if (!access?.webhookSecret) return;
	const rawBodyProperty = String(ctx.getNodeParameter('rawBodyProperty', itemIndex, 'data'));
	const hasRawBody = access.gateway !== 'evolution' && ctx.getInputData()[itemIndex]?.binary?.[rawBodyProperty] !== undefined;
	const verdict = verifyGatewayWebhook(access.webhookSecret, {
		headers: objectParameter(ctx, 'webhookHeaders', itemIndex),
		params: access.gateway === 'evolution' ? objectParameter(ctx, 'webhookParams', itemIndex) : undefined,
		rawBody: hasRawBody ? await ctx.helpers.getBinaryDataBuffer(itemIndex, rawBodyProperty) : undefined,
	});
	if (!verdict.ok) throw Object.assign(new Error(verdict.message), { field: verdict.header });
}

async function syncItem(
	this: IExecuteFunctions,
	connection: ChatwootConnection,
	itemIndex: number,
): Promise<IDataObject> {
	const access = await readGatewayAccess(this, itemIndex);
	await checkWebhook(this, access, itemIndex);
	const body = parseEventParameter(this.getNodeParameter('whatsappEvent', itemIndex));
	const gatewayChoice = this.getNodeParameter('gateway', itemIndex) as Gateway | 'auto';
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const normalized = normalizeWhatsApp(body, gatewayChoice === 'auto' ? undefined : gatewayChoice);
	const results: IDataObject[] = [];
	const { client, settings } = connection;
	const cacheKey = `${settings.baseUrl}|${settings.accountId}`;
	const rawBodyProperty = access && access.gateway !== 'evolution' ? String(this.getNodeParameter('rawBodyProperty', itemIndex, 'data')) : undefined;
	const mediaFor = n8nMediaLoader(this, options, access, { binaryProperty: rawBodyProperty });

	for (const entry of normalized) {
		if (entry.type === 'ignore') {
			results.push({ status: 'skipped', skip: 'ignored', reason: entry.reason, whatsappId: entry.whatsappId });
			continue;
		}
		const event = entry.event;
		const instance = (await readInstance(this, client, itemIndex)) || event.instance || '';
		if (!instance) {
			throw invalidBody('instance', 'the event names no instance; set the Instance parameter');
		}
		const integration = await activeIntegration(client, cacheKey, instance);
		if (!integration.settings.enabled) {
			results.push({
				status: 'skipped',
				skip: 'paused',
				reason: `integration of "${instance}" is paused (enabled: false)`,
				instance,
				whatsappId: event.whatsappId,
			});
			continue;
		}
		const ctx: InboundSyncContext = {
			client,
			inboxId: integration.inbox.id,
			memory: memoryFor(settings.baseUrl, settings.accountId, integration.inbox.id),
			settings: integration.settings,
			sleep: sleepFor(cancelSignalOf(this)),
			onMediaFailure: options.onMediaFailure === 'fail' ? 'fail' : 'placeholder',
			mirrorApiSends: options.mirrorApiSends === true,
			checkAcrossWorkers: options.checkAcrossWorkers === true,
			loadMedia: async (mediaEvent: InboundEvent) => await mediaFor(mediaEvent, itemIndex),
		};
		const outcome = await syncInboundEvent(ctx, event);
		results.push({ ...outcome, instance, gateway: event.gateway } as unknown as IDataObject);
	}
	return summarize(results);
}

const significance = ['created', 'updated', 'deleted', 'skipped'];

/**
 * One output item per input item. A Cloud API change can carry several messages: their outcomes are
 * listed under `events`, and `status` is the most significant of them.
 */
function summarize(results: IDataObject[]): IDataObject {
	if (results.length === 1) return results[0];
	const counts: IDataObject = {};
	for (const result of results) counts[String(result.status)] = Number(counts[String(result.status)] ?? 0) + 1;
	const status = significance.find((candidate) => counts[candidate] !== undefined) ?? 'skipped';
	return { status, counts, events: results, ...(results.length === 0 ? { reason: 'the payload held no events' } : {}) };
}

export async function execute(
	this: IExecuteFunctions,
	connection: ChatwootConnection,
): Promise<INodeExecutionData[]> {
	// In order: WhatsApp order is the order messages must appear in Chatwoot.
	return await perItem(this, async (itemIndex) => await syncItem.call(this, connection, itemIndex));
}
