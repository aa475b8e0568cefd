import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { memoryFor } from '../../shared/bridge/bridgeMemory';
import { ChatIndex, type IndexedEvent } from '../../shared/bridge/import/chatIndex';
import { importChats, type ImportProgress, type ImportWhat } from '../../shared/bridge/import/importer';
import { ConversationPacer, pacedSend, RequestPacer, type PacedStats } from '../../shared/bridge/import/pacing';
import { permittedImport } from '../../shared/bridge/import/permission';
import type { ImportGateway } from '../../shared/bridge/import/records';
import { activeIntegration } from '../../shared/bridge/integration/cache';
import { MAX_IMPORT_DAYS } from '../../shared/bridge/integration/config';
import { validateInstance } from '../../shared/bridge/integration/validation';
import { textsFor } from '../../shared/bridge/texts';
import { invalidBody } from '../../shared/chatwoot/errors';
import { settle } from '../../shared/settle';
import { isCancellation, sleepFor } from '../../shared/cancellation';
import { readGatewayAccess } from '../../shared/transport/gatewayAccess';
import { mediaOptionProperties, n8nMediaLoader } from '../../shared/transport/media';
import { gatewayCredentialProperty, gatewayField } from '../../shared/descriptions/gateway';
import { instanceField } from '../../shared/descriptions/instanceField';
import { cancelSignalOf, chatwootClient, type ChatwootConnection } from '../../shared/transport/chatwootClient';
import { readInstance } from '../../shared/transport/instanceLocator';
import { errorJson, toNodeError } from '../../shared/transport/nodeErrors';
import type { InboundEvent } from '../../shared/whatsapp/event';

export const option: INodePropertyOptions = {
	name: 'Import',
	value: 'import',
	action: 'Import WhatsApp history into Chatwoot',
	description:
		'Brings the contacts and messages of the input items (e.g. a gateway\'s history read by an HTTP Request node) into Chatwoot, in order, resumable, without duplicates',
};

/** Chatwoot's default request limit per client IP (RACK_ATTACK_LIMIT, docs/chatwoot-behaviour.md, Limits). */
export const DEFAULT_REQUESTS_PER_MINUTE = 3000;
/** Under Chatwoot's flood guard of 200 messages per conversation per minute, leaving room for live traffic. */
export const DEFAULT_MESSAGES_PER_CONVERSATION_PER_MINUTE = 180;
/** 16 chats at 180 messages a minute each can use the whole default request budget even when every chat is long. */
export const DEFAULT_CHATS_IN_PARALLEL = 16;
export const DEFAULT_PROGRESS_EVERY = 500;
const PROGRESS_SECONDS = 10;

const properties: INodeProperties[] = [
	instanceField({
		required: true,
		description: 'WhatsApp instance whose Chatwoot inbox receives the history (as set with the Set operation)',
	}),
	{
		displayName: 'What',
		name: 'what',
		type: 'options',
		default: 'all',
		options: [
			{
				name: 'All',
				value: 'all',
				description: 'A contact for every chat seen, and the messages of the import window',
			},
			{
				name: 'Contacts',
				value: 'contacts',
				description: 'A contact for every chat seen (message records only name the chats); no conversations',
			},
			{
				name: 'Messages',
				value: 'messages',
				description: 'The messages of the import window, with the contacts and conversations they need',
			},
		],
	},
	{
		displayName: 'Records',
		name: 'records',
		type: 'json',
		required: true,
		default: '={{ $json }}',
		description:
			'What each input item holds: a gateway webhook body, a history record (Evolution findMessages record, WAHA message), a contact (Evolution findContacts, WAHA contact or chat), or a list of these. Evolution\'s whole findMessages answer is read as its messages.records.',
	},
	gatewayField({ description: 'Which gateway the records come from' }),
	{
		...gatewayCredentialProperty,
		description:
			'The gateway\'s API key: media links of the gateway get it (its host only), and media missing from the records is asked from the gateway API',
	},
	{
		displayName: 'Import Window (Days)',
		name: 'days',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: MAX_IMPORT_DAYS, numberPrecision: 0 },
		default: 0,
		description:
			'Messages older than this many days are not imported (1 to 3650). 0: the integration\'s Import Window (days_limit_import_messages).',
	},
	{
		displayName: 'Requests per Minute',
		name: 'requestsPerMinute',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: DEFAULT_REQUESTS_PER_MINUTE,
		description:
			'Chatwoot requests the import may make per minute, reads included (Chatwoot allows 3000 per client IP by default; lower it when live traffic shares the address). 0: no limit, e.g. when n8n runs on Chatwoot\'s host, which Chatwoot never throttles.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			...mediaOptionProperties({
				binaryProperty:
					'Binary property holding the media, for input items that hold one record each and whose file an earlier step downloaded',
				onFailure: {
					name: 'Count as Failed',
					description: 'The message is not posted and is listed as failed; a re-run tries it again',
				},
				mirrorApiSends:
					'Whether to import messages the gateway reports as sent through its API. Off: those are agent replies from Chatwoot, already there.',
			}),
			{
				displayName: 'Chats in Parallel',
				name: 'chatConcurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 64, numberPrecision: 0 },
				default: DEFAULT_CHATS_IN_PARALLEL,
				description: 'How many chats are imported at once; the messages of one chat always go one after the other',
			},
			{
				displayName: 'Messages per Conversation per Minute',
				name: 'messagesPerConversationPerMinute',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: DEFAULT_MESSAGES_PER_CONVERSATION_PER_MINUTE,
				description:
					'Stays under Chatwoot\'s flood guard (200 messages per conversation per minute by default, CONVERSATION_MESSAGE_PER_MINUTE_LIMIT)',
			},
			{
				displayName: 'Progress Every (Messages)',
				name: 'progressEvery',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: DEFAULT_PROGRESS_EVERY,
				description: 'A progress line is logged after this many messages (and at least every 10 seconds)',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { operation: ['import'] } }, properties);

function choice<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
	if (allowed.includes(value as T)) return value as T;
	throw invalidBody(field, `expected one of ${allowed.join(', ')} (got "${String(value)}")`);
}

/** Upper bounds of the numeric parameters (README "Import"): far above any sensible value, below any overflow. */
export const LIMITS = {
	requestsPerMinute: 1_000_000,
	chatConcurrency: 64,
	messagesPerConversationPerMinute: 10_000,
	progressEvery: 1_000_000,
};

function wholeNumber(field: string, value: unknown, min: number, max: number, fallback: number): number {
	if (value === undefined || value === null || value === '') return fallback;
	const number = Number(value);
	if (!Number.isInteger(number) || number < min || number > max) {
		throw invalidBody(field, `expected a whole number from ${min} to ${max} (got ${String(value)})`);
	}
	return number;
}

function isoSeconds(seconds: number): string {
	return new Date(seconds * 1000).toISOString();
}

/** The Records parameter's default: each item's own JSON. */
const OWN_JSON = /^=\s*\{\{\s*\$json\s*\}\}\s*$/;

/**
 * Reads the Records of each item. The default `{{ $json }}` is read from the item itself: n8n's expression engine
 * would build a data proxy and a copy of every record, which the import's index then holds (docs/architecture.md,
 * Import). Any other expression is evaluated as usual.
 */
function recordsReader(ctx: IExecuteFunctions): (itemIndex: number) => unknown {
	const raw = ctx.getNode().parameters.records;
	if (typeof raw === 'string' && OWN_JSON.test(raw)) {
		const items = ctx.getInputData();
		return (itemIndex) => items[itemIndex].json;
	}
	return (itemIndex) => ctx.getNodeParameter('records', itemIndex, null);
}

async function importAll(this: IExecuteFunctions, connection: ChatwootConnection): Promise<IDataObject> {
	const startedAt = Date.now();
	const instance = validateInstance(await readInstance(this, connection.client, 0));
	const what = choice<ImportWhat>('what', this.getNodeParameter('what', 0, 'all'), ['all', 'contacts', 'messages']);
	const gateway = choice<ImportGateway>('gateway', this.getNodeParameter('gateway', 0, 'auto'), ['auto', 'evolution', 'waha', 'cloud']);
	const daysOverride = wholeNumber('days', this.getNodeParameter('days', 0, 0), 0, MAX_IMPORT_DAYS, 0);
	const requestsPerMinute = wholeNumber(
		'requestsPerMinute',
		this.getNodeParameter('requestsPerMinute', 0, DEFAULT_REQUESTS_PER_MINUTE),
		0,
		LIMITS.requestsPerMinute,
		DEFAULT_REQUESTS_PER_MINUTE,
	);
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const chatConcurrency = wholeNumber(
		'options.chatConcurrency',
		options.chatConcurrency,
		1,
		LIMITS.chatConcurrency,
		DEFAULT_CHATS_IN_PARALLEL,
	);
	const perConversation = wholeNumber(
		'options.messagesPerConversationPerMinute',
		options.messagesPerConversationPerMinute,
		1,
		LIMITS.messagesPerConversationPerMinute,
		DEFAULT_MESSAGES_PER_CONVERSATION_PER_MINUTE,
	);
	const progressEvery = wholeNumber(
		'options.progressEvery',
		options.progressEvery,
		1,
		LIMITS.progressEvery,
		DEFAULT_PROGRESS_EVERY,
	);
	const mediaFor = n8nMediaLoader(this, options, await readGatewayAccess(this));

	// Every Chatwoot request of the run, reads and retries included, takes a slot of one schedule.
	const { settings } = connection;
	const sleep = sleepFor(cancelSignalOf(this));
	const clock = { now: () => Date.now(), sleep };
	const stats: PacedStats = { requests: 0, throttled: 0 };
	const pacer = new RequestPacer(requestsPerMinute, clock);
	const client = chatwootClient(this, settings, { wrapSend: (send) => pacedSend(send, pacer, stats) });
	const integration = await activeIntegration(client, `${settings.baseUrl}|${settings.accountId}`, instance);
	const days = daysOverride || integration.settings.days_limit_import_messages;
	const windowFrom = Math.floor(startedAt / 1000) - days * 86_400;
	const permission = permittedImport(what, integration.settings);
	if (!permission.what) {
		return {
			instance,
			status: 'refused',
			what,
			refused: permission.refused,
			inbox: { id: integration.inbox.id, name: integration.inbox.name },
			totals: { chats: 0, contacts_created: 0, contacts_failed: 0, imported: 0, skipped: 0, failed: 0 },
			warnings: [`nothing was imported: ${permission.refused}`],
		};
	}

	const items = this.getInputData();
	const index = new ChatIndex({ gateway, instance, mirrorApiSends: options.mirrorApiSends === true });
	const recordsOf = recordsReader(this);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		index.add(recordsOf(itemIndex), itemIndex);
	}

	const unit = permission.what === 'contacts' ? 'chats' : 'messages';
	let reportedAt = startedAt;
	let reportedDone = 0;
	const report = (progress: ImportProgress): void => {
		const done = permission.what === 'contacts' ? progress.chatsDone : progress.messagesDone;
		const total = permission.what === 'contacts' ? progress.chats : progress.messages;
		const now = Date.now();
		const finished = progress.chatsDone === progress.chats;
		if (!finished && done - reportedDone < progressEvery && now - reportedAt < PROGRESS_SECONDS * 1000) return;
		reportedAt = now;
		reportedDone = done;
		const seconds = Math.max(0.001, (now - startedAt) / 1000);
		const line =
			`Chatwoot import "${instance}": ${done}/${total} ${unit}` +
			(permission.what === 'contacts' ? '' : ` (${progress.imported} imported, ${progress.skipped} skipped, ${progress.failed} failed)`) +
			`, ${progress.chatsDone}/${progress.chats} chats, ${progress.contactsCreated} contacts created, ` +
			`${(progress.imported / seconds).toFixed(1)} messages/s, ${stats.requests} requests`;
		this.logger?.info(line);
		this.sendMessageToUI?.(line);
	};

	const result = await importChats(index, {
		client,
		inboxId: integration.inbox.id,
		memory: memoryFor(settings.baseUrl, settings.accountId, integration.inbox.id),
		settings: integration.settings,
		what: permission.what,
		texts: textsFor(integration.settings.language, integration.settings.templates),
		windowFrom,
		days,
		chatConcurrency,
		conversationPacer: new ConversationPacer(perConversation, clock),
		sleep,
		now: clock.now,
		onMediaFailure: options.onMediaFailure === 'fail' ? 'fail' : 'placeholder',
		onProgress: report,
		loadMedia: async (event: InboundEvent, entry: IndexedEvent) => await mediaFor(event, entry.item),
	});

	const seconds = (Date.now() - startedAt) / 1000;
	const unassigned = index.unassigned;
	const warnings: string[] = [];
	// An import is asked for explicitly: it runs on a paused integration too, which the live sync would skip.
	if (permission.refused) warnings.push(permission.refused);
	if (!integration.settings.enabled) warnings.push(`the integration of "${instance}" is paused (enabled: false); the import ran anyway`);
	if (unassigned.failed > 0) warnings.push(`${unassigned.failed} record(s) could not be read: see unassigned.reasons`);
	if (index.input.records === 0) warnings.push('the input held no records: check the Records expression');
	const imported = result.imported + unassigned.imported;
	const skipped = result.skipped + unassigned.skipped;
	const failed = result.failed + unassigned.failed;
	return {
		instance,
		status: failed > 0 || result.contactsFailed > 0 ? 'partial' : 'complete',
		what,
		...(permission.refused ? { imported_as: permission.what, refused: permission.refused } : {}),
		days,
		window: { from: isoSeconds(windowFrom), to: new Date(startedAt).toISOString() },
		inbox: { id: integration.inbox.id, name: integration.inbox.name },
		totals: {
			chats: result.chats.length,
			contacts_created: result.contactsCreated,
			contacts_failed: result.contactsFailed,
			imported,
			skipped,
			failed,
		},
		chats: result.chats as unknown as IDataObject[],
		unassigned: { skipped: unassigned.skipped, failed: unassigned.failed, reasons: unassigned.reasonList() } as unknown as IDataObject,
		input: index.input as unknown as IDataObject,
		rate: {
			requests: stats.requests,
			throttled: stats.throttled,
			seconds: Math.round(seconds * 1000) / 1000,
			messages_per_second: Math.round((imported / Math.max(seconds, 0.001)) * 10) / 10,
			requests_per_minute_limit: requestsPerMinute,
		},
		warnings,
		note: 'Attachments are posted inline with their message (multipart); POST /upload and its limit of 60 per hour are not used.',
	};
}

/**
 * One summary item for the whole run. Like n8n's Aggregate node, it derives from every input item, so it is paired
 * with all of them.
 */
export async function execute(this: IExecuteFunctions, connection: ChatwootConnection): Promise<INodeExecutionData[]> {
	const pairedItem = this.getInputData().map((_item, index) => ({ item: index }));
	const outcome = await settle(importAll.call(this, connection));
	if (outcome.ok) return [{ json: outcome.value, pairedItem }];
	if (!this.continueOnFail() || isCancellation(outcome.error)) throw toNodeError(this.getNode(), outcome.error);
	return [{ json: { status: 'failed', ...errorJson(outcome.error, 0) }, pairedItem }];
}
