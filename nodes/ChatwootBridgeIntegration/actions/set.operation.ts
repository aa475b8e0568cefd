import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { MAX_IMPORT_DAYS } from '../../shared/bridge/integration/config';
import { forgetInboxes } from '../../shared/bridge/integration/cache';
import { saveIntegration } from '../../shared/bridge/integration/save';
import {
	parseJidList,
	validateInstance,
	validateSettings,
	validateWebhookUrl,
} from '../../shared/bridge/integration/validation';
import { invalidBody } from '../../shared/chatwoot/errors';
import { instanceField } from '../../shared/descriptions/instanceField';
import type { ChatwootConnection } from '../../shared/transport/chatwootClient';
import { readInstance } from '../../shared/transport/instanceLocator';
import { perItem } from '../../shared/transport/perItem';

export const option: INodePropertyOptions = {
	name: 'Set',
	value: 'set',
	action: 'Create or update the integration of an instance',
	description: 'Binds an instance to its Chatwoot API inbox (created with Auto Create) and stores its settings there',
};

const fields = { show: { inputMode: ['fields'] } };

const properties: INodeProperties[] = [
	instanceField({
		required: true,
		defaultMode: 'name',
		description:
			'WhatsApp instance (gateway session or phone number) whose integration to save: the Evolution instance, WAHA session or Cloud API phone number ID. A new instance is typed By Name.',
	}),
	{
		displayName: 'Webhook URL',
		name: 'webhookUrl',
		type: 'string',
		default: '',
		placeholder: 'https://n8n.example.com/webhook/0f6c…/webhook',
		description:
			'URL Chatwoot calls with agent replies, e.g. the production URL of the Chatwoot Bridge Trigger (which also registers itself when activated). Written to the inbox when Auto Create is on, and recorded so List can check it and Delete can clear it. Empty: keep the URL an earlier Set recorded.',
	},
	{
		displayName: 'Input Mode',
		name: 'inputMode',
		type: 'options',
		noDataExpression: true,
		default: 'fields',
		options: [
			{ name: 'Fields Below', value: 'fields', description: 'One parameter per setting' },
			{
				name: 'Settings as JSON',
				value: 'json',
				description: 'One JSON object with the setting names (enabled, name_inbox, sign_msg, …)',
			},
		],
	},
	{
		displayName: 'Settings (JSON)',
		name: 'settingsJson',
		type: 'json',
		default:
			'{\n  "enabled": true,\n  "name_inbox": "",\n  "auto_create": true,\n  "sign_msg": false,\n  "reopen_conversation": true,\n  "conversation_pending": false,\n  "ignore_groups": false,\n  "ignore_jids": []\n}',
		displayOptions: { show: { inputMode: ['json'] } },
		description:
			'Settings with the field names of the Chatwoot integration docs: enabled, name_inbox (empty or absent: the instance name), sign_msg, sign_delimiter, number, reopen_conversation, conversation_pending, import_contacts, import_messages, days_limit_import_messages (1 to 3650), auto_create, organization, logo, ignore_jids, ignore_groups, merge_brazil_contacts, language (en, pt-BR, es), templates. Unknown fields are refused.',
	},
	{
		displayName: 'Inbox Name',
		name: 'name_inbox',
		type: 'string',
		default: '',
		placeholder: 'WhatsApp Vendas',
		displayOptions: fields,
		description:
			'Exact name of the Chatwoot API inbox of this instance. Empty: the instance name. Changing it moves the integration to that inbox.',
	},
	{
		displayName: 'Enabled',
		name: 'enabled',
		type: 'boolean',
		default: true,
		displayOptions: fields,
		description: 'Whether messages are synced; off pauses the integration and keeps its settings',
	},
	{
		displayName: 'Auto Create Inbox',
		name: 'auto_create',
		type: 'boolean',
		default: true,
		displayOptions: fields,
		description:
			'Whether to create the API inbox when none has this name, and to set its webhook URL. Off: the inbox must already exist.',
	},
	{
		displayName: 'Sign Messages',
		name: 'sign_msg',
		type: 'boolean',
		default: false,
		displayOptions: fields,
		description: 'Whether WhatsApp messages sent by agents start with the agent\'s name',
	},
	{
		displayName: 'Signature Delimiter',
		name: 'sign_delimiter',
		type: 'string',
		default: '\\n',
		displayOptions: { show: { inputMode: ['fields'], sign_msg: [true] } },
		description: 'Text between the agent name and the message. \\n is a line break.',
	},
	{
		displayName: 'Reopen Resolved Conversations',
		name: 'reopen_conversation',
		type: 'boolean',
		default: true,
		displayOptions: fields,
		description:
			'Whether a new WhatsApp message reopens the contact\'s resolved conversation instead of starting a new one',
	},
	{
		displayName: 'Start Conversations as Pending',
		name: 'conversation_pending',
		type: 'boolean',
		default: false,
		displayOptions: fields,
		description: 'Whether new conversations start pending instead of open',
	},
	{
		displayName: 'Ignore Groups',
		name: 'ignore_groups',
		type: 'boolean',
		default: false,
		displayOptions: fields,
		description: 'Whether group messages stay out of Chatwoot',
	},
	{
		displayName: 'Ignore JIDs',
		name: 'ignore_jids',
		type: 'string',
		default: '',
		placeholder: '120363000000000000@g.us, 5511999990001@s.whatsapp.net',
		displayOptions: fields,
		description:
			'Chats that stay out of Chatwoot: a JSON array or a comma-separated list of JIDs; a bare suffix such as @g.us matches every chat of that kind',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: fields,
		options: [
			{
				displayName: 'Import Contacts',
				name: 'import_contacts',
				type: 'boolean',
				default: false,
				description: 'Whether the history import brings the contacts',
			},
			{
				displayName: 'Import Messages',
				name: 'import_messages',
				type: 'boolean',
				default: false,
				description: 'Whether the history import brings the messages',
			},
			{
				displayName: 'Import Window (Days)',
				name: 'days_limit_import_messages',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_IMPORT_DAYS, numberPrecision: 0 },
				default: 7,
				description: `How many days of messages the import brings (1 to ${MAX_IMPORT_DAYS})`,
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'options',
				default: 'en',
				options: [
					{ name: 'English', value: 'en' },
					{ name: 'Español', value: 'es' },
					{ name: 'Português (Brasil)', value: 'pt-BR' },
				],
				description:
					'Language of the texts the bridge writes into Chatwoot: locations, contact cards, reactions, edits, deletes, polls, media placeholders, group sender lines',
			},
			{
				displayName: 'Logo URL',
				name: 'logo',
				type: 'string',
				default: '',
				placeholder: 'https://example.com/logo.png',
				description: 'Http(s) URL of a logo shown for the organization',
			},
			{
				displayName: 'Merge Brazilian Numbers',
				name: 'merge_brazil_contacts',
				type: 'boolean',
				default: false,
				description:
					'Whether +55 mobile numbers with and without the ninth digit are one contact',
			},
			{
				displayName: 'Organization',
				name: 'organization',
				type: 'string',
				default: '',
				description: 'Company name shown in Chatwoot',
			},
			{
				displayName: 'Phone Number',
				name: 'number',
				type: 'string',
				default: '',
				placeholder: '+5511999990000',
				description: 'Phone number of the instance, in E.164',
			},
			{
				displayName: 'Text Templates (JSON)',
				name: 'templates',
				type: 'json',
				default: '{}',
				placeholder: '{ "deleted": "🗑️ Mensagem apagada pelo cliente" }',
				description:
					'Overrides of single texts: template key → text with the same {placeholders}; README "Texts and languages" lists every key',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { operation: ['set'] } }, properties);

/**
 * Keys of the gateways' own integrations that belong elsewhere here: answered with a pointer instead of "unknown
 * field".
 */
const MISPLACED: Record<string, string> = {
	url: 'the Chatwoot URL belongs in the Chatwoot Bridge API credential',
	account_id: 'the account ID belongs in the Chatwoot Bridge API credential',
	token: 'the API token belongs in the Chatwoot Bridge API credential (it is never stored on the inbox)',
	webhook_url: 'read-only here; give it in the Webhook URL parameter',
};

function settingsFromJson(value: unknown, instance: string): Record<string, unknown> {
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value.trim() || '{}');
		} catch {
			throw invalidBody('settingsJson', 'is not valid JSON');
		}
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw invalidBody('settingsJson', 'expected a JSON object of settings');
	}
	const input = { ...(parsed as IDataObject) } as Record<string, unknown>;
	for (const [key, why] of Object.entries(MISPLACED)) if (key in input) throw invalidBody(key, why);
	if (input.name_inbox === undefined || input.name_inbox === null) input.name_inbox = instance;
	if (typeof input.ignore_jids === 'string') input.ignore_jids = parseJidList(input.ignore_jids);
	return withTemplatesObject(input);
}

/** The Templates field arrives as JSON text; the settings hold it as an object. */
function withTemplatesObject(input: Record<string, unknown>): Record<string, unknown> {
	if (typeof input.templates !== 'string') return input;
	try {
		return { ...input, templates: JSON.parse(input.templates.trim() || '{}') };
	} catch {
		throw invalidBody('templates', 'is not valid JSON');
	}
}

function settingsFromFields(ctx: IExecuteFunctions, itemIndex: number, instance: string): Record<string, unknown> {
	const get = (name: string, fallback: unknown) => ctx.getNodeParameter(name, itemIndex, fallback) as unknown;
	const name = get('name_inbox', '');
	const signMsg = get('sign_msg', false);
	const delimiter = get('sign_delimiter', '\\n');
	return withTemplatesObject({
		enabled: get('enabled', true),
		name_inbox: typeof name === 'string' && name.trim() === '' ? instance : name,
		auto_create: get('auto_create', true),
		sign_msg: signMsg,
		...(signMsg === true
			? { sign_delimiter: typeof delimiter === 'string' ? delimiter.replace(/\\n/g, '\n') : delimiter }
			: {}),
		reopen_conversation: get('reopen_conversation', true),
		conversation_pending: get('conversation_pending', false),
		ignore_groups: get('ignore_groups', false),
		ignore_jids: parseJidList(get('ignore_jids', '')),
		...(get('additionalFields', {}) as IDataObject),
	});
}

async function setItem(this: IExecuteFunctions, connection: ChatwootConnection, itemIndex: number): Promise<IDataObject> {
	const instance = validateInstance(await readInstance(this, connection.client, itemIndex));
	const webhookUrl = validateWebhookUrl('webhookUrl', this.getNodeParameter('webhookUrl', itemIndex, ''));
	const mode = this.getNodeParameter('inputMode', itemIndex, 'fields') as string;
	const settings = validateSettings(
		mode === 'json'
			? settingsFromJson(this.getNodeParameter('settingsJson', itemIndex, '{}'), instance)
			: settingsFromFields(this, itemIndex, instance),
	);
	const { client, settings: chatwoot } = connection;
	const cacheKey = `${chatwoot.baseUrl}|${chatwoot.accountId}`;
	let result;
	try {
		result = await saveIntegration(client, { instance, settings, webhookUrl, accountId: chatwoot.accountId, chatwoot: chatwoot.baseUrl });
	} finally {
		// Whatever was written (even partly), the Sync node of this process must read Chatwoot again.
		forgetInboxes(cacheKey);
	}
	const { inbox, record } = result;
	return {
		instance,
		status: settings.enabled ? 'active' : 'paused',
		integration_id: record.integration_id,
		inbox: { id: inbox.id, name: inbox.name },
		inbox_created: result.inboxCreated,
		webhook_url: result.webhookUrl,
		webhook_url_applied: result.webhookApplied,
		moved_from: result.movedFrom,
		...(result.duplicateInbox ? { duplicate_inbox: result.duplicateInbox } : {}),
		created_at: record.created_at,
		updated_at: record.updated_at,
		settings,
		message: result.changed ? 'Chatwoot integration saved' : 'Chatwoot integration unchanged',
	};
}

export async function execute(this: IExecuteFunctions, connection: ChatwootConnection): Promise<INodeExecutionData[]> {
	// In input order: two items for one instance must not interleave their read-merge-write of the inbox.
	return await perItem(this, async (itemIndex) => await setItem.call(this, connection, itemIndex));
}
