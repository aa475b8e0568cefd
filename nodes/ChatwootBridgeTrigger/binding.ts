/**
 * Which API inbox the trigger is bound to, and what activation wrote down about it. Static data holds only facts
 * written by `create`/`delete` (docs/n8n-runtime.md, Workflow static data): writes made in `webhook()` would be lost.
 */
import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_SIGN_DELIMITER } from '../shared/bridge/signature';
import { readStoredIntegration } from '../shared/bridge/integration/config';
import { locateIntegration } from '../shared/bridge/integration/locator';
import type { Inbox } from '../shared/chatwoot/schemas';
import type { InboxChoice } from './options';

/** What `create` stores in `getWorkflowStaticData('node')`. */
export interface ActivationRecord {
	inboxId: number;
	/** The URL `create` registered (this node's production URL at the time). */
	webhookUrl: string;
	/** The inbox's webhook signing secret (v4.13.0+, readable by administrator tokens); absent before v4.13. */
	secret?: string;
	accountId: number;
	/** The instance and signature settings at activation: the fallback while Chatwoot cannot be read. */
	instance: string;
	signMsg: boolean;
	signDelimiter: string;
	registeredAt: string;
	/** A test run ("Listen for test event") took the inbox over from this URL: `delete` points the inbox back at it. */
	restoreWebhookUrl?: string;
	/** Another receiver the inbox delivered to before this activation took it over (warned about). */
	replacedWebhookUrl?: string;
}

const RECORD_KEYS: Array<keyof ActivationRecord> = [
	'inboxId',
	'webhookUrl',
	'secret',
	'accountId',
	'instance',
	'signMsg',
	'signDelimiter',
	'registeredAt',
	'restoreWebhookUrl',
	'replacedWebhookUrl',
];

export function readActivation(staticData: IDataObject): Partial<ActivationRecord> {
	const record: Partial<ActivationRecord> = {};
	if (typeof staticData.inboxId === 'number' && Number.isSafeInteger(staticData.inboxId)) {
		record.inboxId = staticData.inboxId;
	}
	if (typeof staticData.webhookUrl === 'string' && staticData.webhookUrl) record.webhookUrl = staticData.webhookUrl;
	if (typeof staticData.secret === 'string' && staticData.secret) record.secret = staticData.secret;
	if (typeof staticData.accountId === 'number') record.accountId = staticData.accountId;
	if (typeof staticData.instance === 'string') record.instance = staticData.instance;
	if (typeof staticData.signMsg === 'boolean') record.signMsg = staticData.signMsg;
	if (typeof staticData.signDelimiter === 'string') record.signDelimiter = staticData.signDelimiter;
	if (typeof staticData.registeredAt === 'string') record.registeredAt = staticData.registeredAt;
	for (const key of ['restoreWebhookUrl', 'replacedWebhookUrl'] as const) {
		const value = staticData[key];
		if (typeof value === 'string' && value) record[key] = value;
	}
	return record;
}

/** Replaces the record in place (n8n saves the object it handed out). */
export function writeActivation(staticData: IDataObject, record: ActivationRecord): void {
	clearActivation(staticData);
	for (const key of RECORD_KEYS) if (record[key] !== undefined) staticData[key] = record[key];
}

export function clearActivation(staticData: IDataObject): void {
	for (const key of RECORD_KEYS) delete staticData[key];
}

export type InboxPick = { inbox: Inbox } | { problem: string };

/** The chosen API inbox in the account's inbox list, or why there is none. */
export function pickInbox(inboxes: Inbox[], choice: InboxChoice): InboxPick {
	if (choice.by === 'instance') {
		const located = locateIntegration(inboxes, choice.instance);
		return located
			? { inbox: located.inbox }
			: {
					problem: `No API inbox is bound to the instance "${choice.instance}": set up its integration with the Chatwoot Bridge Integration node, or choose the inbox from the list`,
				};
	}
	const inbox = inboxes.find((candidate) => candidate.id === choice.inboxId);
	if (!inbox) return { problem: `Inbox ${choice.inboxId} does not exist in this Chatwoot account (or the token cannot see it)` };
	if (inbox.channel_type !== 'Channel::Api') {
		return {
			problem: `Inbox ${choice.inboxId} ("${inbox.name}") is a ${inbox.channel_type ?? 'non-API'} inbox; only API inboxes have a webhook URL`,
		};
	}
	return { inbox };
}

/** The instance and signature settings of an inbox, from its stored integration (docs/architecture.md, State). */
export interface InstanceConfig {
	instance: string;
	signMsg: boolean;
	signDelimiter: string;
	/** `false` when the stored integration is switched off: the trigger then starts no execution. */
	enabled: boolean;
	/** Whether a configured integration (with settings) is stored on the inbox. */
	configured: boolean;
}

/** Without a stored integration: the inbox name is the instance, and no agent signature is applied. */
export function instanceConfigOf(inbox: Pick<Inbox, 'name' | 'additional_attributes'>): InstanceConfig {
	const stored = readStoredIntegration(inbox.additional_attributes ?? undefined);
	const settings = stored?.settings;
	return {
		instance: stored?.instance ?? inbox.name,
		signMsg: settings?.sign_msg ?? false,
		signDelimiter: settings?.sign_delimiter ?? DEFAULT_SIGN_DELIMITER,
		enabled: settings?.enabled ?? true,
		configured: settings !== undefined,
	};
}
