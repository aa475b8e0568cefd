/**
 * The Instance field of every node: a resource locator naming the WhatsApp instance whose Chatwoot integration a
 * node uses, picked from the account's configured instances, typed by name, or given as the inbox ID. Workflows saved
 * while the field was plain text keep working: a plain string is read as the instance name (instanceChoice.ts).
 */
import type { INodeProperties } from 'n8n-workflow';

/** The listSearch method every node registers for the "From List" mode. */
export const SEARCH_INSTANCES = 'searchInstances';

export interface InstanceFieldSpec {
	description: string;
	/** Set names a new instance, so it starts on By Name; every other use starts on From List. */
	defaultMode?: 'list' | 'name';
	required?: boolean;
	/** Defaults: `instance` / `Instance`. */
	name?: string;
	displayName?: string;
	/** The list method and what its entries' values are; default: the configured instances, by name. */
	list?: { method: string; placeholder: string };
	/** The by-name mode; default `name` / "By Name". */
	byName?: { name: 'name' | 'instance'; displayName: string; hint?: string };
}

export function instanceField(spec: InstanceFieldSpec): INodeProperties {
	const list = spec.list ?? { method: SEARCH_INSTANCES, placeholder: 'Select a configured instance...' };
	const byName = spec.byName ?? {
		name: 'name',
		displayName: 'By Name',
		hint: 'The Evolution instance, WAHA session or Cloud API phone number ID',
	};
	return {
		displayName: spec.displayName ?? 'Instance',
		name: spec.name ?? 'instance',
		type: 'resourceLocator',
		default: { mode: spec.defaultMode === 'name' ? byName.name : 'list', value: '' },
		...(spec.required ? { required: true } : {}),
		description: spec.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: list.placeholder,
				typeOptions: { searchListMethod: list.method, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 7',
				hint: 'The ID of the Chatwoot API inbox (Settings → Inboxes, the number in its address)',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^\\s*[1-9]\\d*\\s*$', errorMessage: 'Enter the numeric ID of the inbox' },
					},
				],
			},
			{ displayName: byName.displayName, name: byName.name, type: 'string', placeholder: 'e.g. acme-sales', hint: byName.hint },
		],
	};
}
