/**
 * Reading the Instance field (descriptions/instanceField.ts) as stored in a workflow, and the configured instances
 * its list offers. Pure: the Chatwoot read of the By ID mode lives in transport/instanceLocator.ts.
 */
import { readStoredIntegration } from './bridge/integration/config';
import { invalidBody } from './chatwoot/errors';
import type { Inbox } from './chatwoot/schemas';

/** How the builder named the instance: by name (list, typed, or a plain string of an older workflow) or by inbox. */
export type InstanceChoice = { by: 'name'; instance: string } | { by: 'id'; inboxId: number };

/**
 * `"vendas"` (the field was plain text before), `{ __rl, mode, value }` from the editor, or a number from an
 * expression. Mode `id` is the inbox ID; every other mode (`list`, `name`, the Trigger's `instance`, and the empty
 * mode of an expression) holds the instance name. An empty value is `{ by: 'name', instance: '' }`.
 */
export function instanceChoice(raw: unknown, field = 'instance'): InstanceChoice {
	const locator = typeof raw === 'object' && raw !== null ? (raw as { mode?: unknown; value?: unknown }) : { value: raw };
	const value = typeof locator.value === 'string' || typeof locator.value === 'number' ? String(locator.value).trim() : '';
	if (locator.mode !== 'id') return { by: 'name', instance: value };
	if (!/^[1-9]\d*$/.test(value)) throw invalidBody(field, `By ID expects the numeric ID of a Chatwoot inbox (got "${value}")`);
	return { by: 'id', inboxId: Number(value) };
}

/** The instance an inbox holds the configured integration of, or undefined. */
export function configuredInstanceOf(inbox: Inbox): string | undefined {
	if (inbox.channel_type !== 'Channel::Api') return undefined;
	const stored = readStoredIntegration(inbox.additional_attributes ?? undefined);
	return stored?.settings ? stored.instance : undefined;
}

/** The inbox's own integration, or an error naming the field (By ID pointed at an inbox the bridge does not use). */
export function instanceOfInbox(inbox: Inbox, field = 'instance'): string {
	const instance = configuredInstanceOf(inbox);
	if (instance) return instance;
	throw invalidBody(
		field,
		`inbox ${inbox.id} "${inbox.name}" holds no Chatwoot Bridge integration; pick a configured instance from the list, or set one up with Chatwoot Bridge Integration → Set`,
	);
}

export interface InstanceListEntry {
	name: string;
	value: string;
	description: string;
	url: string;
}

/** The "From List" entries: configured instances whose name or inbox name contains `filter`, by name. */
export function configuredInstances(
	inboxes: Inbox[],
	where: { baseUrl: string; accountId: number },
	filter = '',
): InstanceListEntry[] {
	const wanted = filter.trim().toLowerCase();
	const entries: InstanceListEntry[] = [];
	for (const inbox of inboxes) {
		const instance = configuredInstanceOf(inbox);
		if (!instance) continue;
		if (wanted && !instance.toLowerCase().includes(wanted) && !inbox.name.toLowerCase().includes(wanted)) continue;
		entries.push({
			name: instance,
			value: instance,
			description: `Inbox ${inbox.name} (#${inbox.id})`,
			url: `${where.baseUrl}/app/accounts/${where.accountId}/settings/inboxes/${inbox.id}`,
		});
	}
	return entries.sort((a, b) => a.name.localeCompare(b.name));
}
