/**
 * `delete` of the Chatwoot Bridge Integration node: removes an instance's integration from its API inbox and keeps
 * only the instance binding (docs/architecture.md, The integration record). No n8n imports.
 */
import type { ChatwootClient } from '../../chatwoot/client';
import { instanceNotFound, integrationNotConfigured } from '../../chatwoot/errors';
import type { Inbox } from '../../chatwoot/schemas';
import { withStoredIntegration, type StoredIntegration } from './config';
import { locateIntegration } from './locator';
import { attributesOf, boundInboxes, expectedWebhookUrl, webhookOf, withoutOurKey } from './records';

export interface RemoveResult {
	inbox: Inbox;
	/** The binding left on the inbox: `{version, instance, integration_id, created_at, updated_at, removed_at}`. */
	binding: StoredIntegration;
	/** The inbox's webhook_url was the integration's recorded URL and was cleared. */
	webhookCleared: boolean;
}

/**
 * Removes the integration of `instance`; the inbox and its conversations stay. Only the instance binding is kept on
 * the inbox, so `list` then answers `no chatwoot integration for this instance` (not `instance not found`). The
 * inbox's webhook_url is cleared only when it is the URL recorded by `set`: a URL set by someone else stays.
 */
export async function removeIntegration(
	client: ChatwootClient,
	instance: string,
	now: () => Date = () => new Date(),
): Promise<RemoveResult> {
	const inboxes = await client.listInboxes();
	const located = locateIntegration(inboxes, instance);
	const bound = boundInboxes(inboxes, instance);
	const primary = bound.find((entry) => entry.record.settings !== undefined);
	if (!located && !primary) throw instanceNotFound(instance);
	if (!primary) {
		throw integrationNotConfigured(
			'instance',
			`inbox ${located!.inbox.id} "${located!.inbox.name}" holds no configuration for instance "${instance}"`,
		);
	}
	const at = now().toISOString();
	const binding: StoredIntegration = {
		version: 1,
		instance,
		integration_id: primary.record.integration_id,
		created_at: primary.record.created_at,
		updated_at: at,
		removed_at: at,
	};
	const expected = expectedWebhookUrl(primary.record);
	const webhookCleared = expected !== undefined && webhookOf(primary.inbox) === expected;
	const inbox = await client.updateInbox(primary.inbox.id, {
		additionalAttributes: withStoredIntegration(attributesOf(primary.inbox), binding),
		...(webhookCleared ? { webhookUrl: '' } : {}),
	});
	// Leftover records of the same instance elsewhere (a concurrent or interrupted `set`) go too.
	for (const other of bound) {
		if (other.inbox.id === primary.inbox.id) continue;
		await client.updateInbox(other.inbox.id, { additionalAttributes: withoutOurKey(attributesOf(other.inbox)) });
	}
	return { inbox, binding, webhookCleared };
}
