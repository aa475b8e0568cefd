/**
 * Reading our integration records off a list of inboxes (docs/architecture.md, The integration record): which API
 * inboxes an instance is bound to, which inbox a `set` may use, and the attributes without our key. Pure over inboxes.
 */
import type { Inbox } from '../../chatwoot/schemas';
import { INTEGRATION_ATTRIBUTE, readStoredIntegration, type StoredIntegration } from './config';

const API_CHANNEL = 'Channel::Api';

/** Our record plus the URL `set` expects on the inbox (a passthrough key of the stored schema). */
export type IntegrationRecord = StoredIntegration & { webhook_url?: string };

export function isApiInbox(inbox: Inbox): boolean {
	return inbox.channel_type === API_CHANNEL;
}

export function attributesOf(inbox: Inbox): Record<string, unknown> {
	const attributes = inbox.additional_attributes;
	return attributes && typeof attributes === 'object' ? attributes : {};
}

export function recordOf(inbox: Inbox): IntegrationRecord | undefined {
	return readStoredIntegration(attributesOf(inbox)) as IntegrationRecord | undefined;
}

/** The webhook URL an integration record expects on its inbox, if `set` was given one. */
export function expectedWebhookUrl(record: IntegrationRecord | undefined): string | undefined {
	const url = record?.webhook_url;
	return typeof url === 'string' && url !== '' ? url : undefined;
}

export function webhookOf(inbox: Inbox): string | undefined {
	return inbox.webhook_url ? inbox.webhook_url : undefined;
}

/** The inbox's additional_attributes without our record; every foreign key kept (Chatwoot replaces the whole object). */
export function withoutOurKey(attributes: Record<string, unknown>): Record<string, unknown> {
	const rest = { ...attributes };
	delete rest[INTEGRATION_ATTRIBUTE];
	return rest;
}

export interface Bound {
	inbox: Inbox;
	record: IntegrationRecord;
}

/** API inboxes whose record names `instance` (configured or only the binding `delete` keeps); configured first. */
export function boundInboxes(inboxes: Inbox[], instance: string): Bound[] {
	const bound: Bound[] = [];
	for (const inbox of inboxes.filter(isApiInbox)) {
		const record = recordOf(inbox);
		if (record?.instance === instance) bound.push({ inbox, record });
	}
	return bound.sort(
		(a, b) => Number(b.record.settings !== undefined) - Number(a.record.settings !== undefined) || a.inbox.id - b.inbox.id,
	);
}

export type TargetPick = { inbox: Inbox } | { taken: Inbox; by: string } | { none: true };

/**
 * The API inbox named exactly `name` that `instance` may use: the one already bound to it, else one without a
 * configured integration (a binding kept by another instance's `delete` may be taken over); lowest id first.
 */
export function pickTarget(inboxes: Inbox[], instance: string, name: string): TargetPick {
	const named = inboxes.filter((inbox) => isApiInbox(inbox) && inbox.name === name);
	const rank = (inbox: Inbox): number => {
		const record = recordOf(inbox);
		if (record?.instance === instance) return 0;
		if (!record) return 1;
		return record.settings ? 3 : 2;
	};
	const usable = named.filter((inbox) => rank(inbox) < 3).sort((a, b) => rank(a) - rank(b) || a.id - b.id);
	if (usable.length) return { inbox: usable[0] };
	if (named.length) return { taken: named[0], by: recordOf(named[0])?.instance ?? '' };
	return { none: true };
}
