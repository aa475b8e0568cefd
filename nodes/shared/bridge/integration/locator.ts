/**
 * Finds the API inbox bound to a WhatsApp instance and its stored integration (docs/architecture.md, State: the
 * configuration lives on the inbox). Pure over a list of inboxes, so the lookup rules are tested as a function.
 */
import type { Inbox } from '../../chatwoot/schemas';
import { INTEGRATION_ATTRIBUTE, type StoredIntegration } from './config';
import { attributesOf, isApiInbox, recordOf } from './records';

export interface LocatedIntegration {
	inbox: Inbox;
	/** Undefined when the inbox is bound to the instance but holds no (or only a removed) configuration. */
	stored?: StoredIntegration;
}

/**
 * The instance's inbox: the API inbox whose record names the instance; otherwise (never configured, or removed)
 * an API inbox named after the instance, which is the default `name_inbox`.
 */
export function locateIntegration(inboxes: Inbox[], instance: string): LocatedIntegration | undefined {
	const apiInboxes = inboxes.filter(isApiInbox);
	for (const inbox of apiInboxes) {
		const stored = recordOf(inbox);
		if (stored?.instance === instance) return { inbox, stored: stored.settings ? stored : undefined };
	}
	const named = apiInboxes.find(
		(inbox) => inbox.name === instance && attributesOf(inbox)[INTEGRATION_ATTRIBUTE] === undefined,
	);
	return named ? { inbox: named } : undefined;
}
