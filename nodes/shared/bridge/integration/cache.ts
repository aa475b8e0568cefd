/**
 * The integration of an instance as every node run needs it: inbox id and settings, read from Chatwoot (the system
 * of record, docs/architecture.md, State) and kept for a few seconds per process so a busy chat costs ≈1 Chatwoot call
 * per message.
 */
import type { ChatwootClient } from '../../chatwoot/client';
import { instanceNotFound, integrationNotConfigured } from '../../chatwoot/errors';
import type { Inbox } from '../../chatwoot/schemas';
import type { IntegrationSettings, StoredIntegration } from './config';
import { locateIntegration } from './locator';
import { TtlCache } from '../ttlCache';

export interface ActiveIntegration {
	instance: string;
	inbox: Inbox;
	stored: StoredIntegration;
	settings: IntegrationSettings;
}

export const INTEGRATION_CACHE_TTL_MS = 30_000;

const inboxLists = new TtlCache<Promise<Inbox[]>>(INTEGRATION_CACHE_TTL_MS, 1_000);

/** Inboxes of an account, shared by concurrent runs of this process (one request, not one per item). */
export function cachedInboxes(client: ChatwootClient, cacheKey: string): Promise<Inbox[]> {
	let inboxes = inboxLists.get(cacheKey);
	if (!inboxes) {
		inboxes = client.listInboxes();
		inboxes.catch(() => inboxLists.delete(cacheKey));
		inboxLists.set(cacheKey, inboxes);
	}
	return inboxes;
}

/** Forget the cached inboxes of an account (after `set` / `delete` changed them in this process). */
export function forgetInboxes(cacheKey: string): void {
	inboxLists.delete(cacheKey);
}

/**
 * The configured integration of `instance`: 404 `instance not found` when no API inbox is bound to it,
 * 404 `no chatwoot integration for this instance` when its inbox holds no configuration.
 */
export async function activeIntegration(
	client: ChatwootClient,
	cacheKey: string,
	instance: string,
): Promise<ActiveIntegration> {
	const located = locateIntegration(await cachedInboxes(client, cacheKey), instance);
	if (!located) throw instanceNotFound(instance);
	if (!located.stored?.settings) {
		throw integrationNotConfigured(
			'instance',
			`inbox ${located.inbox.id} "${located.inbox.name}" has no configuration for instance "${instance}"; run Chatwoot Bridge Integration → Set`,
		);
	}
	return { instance, inbox: located.inbox, stored: located.stored, settings: located.stored.settings };
}
