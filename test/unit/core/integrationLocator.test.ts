import { INTEGRATION_ATTRIBUTE, parseIntegrationSettings, type StoredIntegration } from '../../../nodes/shared/bridge/integration/config';
import { locateIntegration } from '../../../nodes/shared/bridge/integration/locator';
import type { Inbox } from '../../../nodes/shared/chatwoot/schemas';

function record(instance: string, withSettings = true): StoredIntegration {
	return {
		version: 1,
		instance,
		integration_id: `id-${instance}`,
		created_at: '2026-01-01T00:00:00.000Z',
		updated_at: '2026-01-01T00:00:00.000Z',
		...(withSettings
			? { settings: parseIntegrationSettings({ name_inbox: `Inbox ${instance}` }) }
			: { removed_at: '2026-02-01T00:00:00.000Z' }),
	};
}

function inbox(id: number, name: string, stored?: unknown, channel_type = 'Channel::Api'): Inbox {
	const additional_attributes = stored === undefined ? { agent_reply_time_window: 24 } : { [INTEGRATION_ATTRIBUTE]: stored };
	return { id, name, channel_type, additional_attributes };
}

describe('locateIntegration', () => {
	it('finds the API inbox whose record names the instance, whatever the inbox is called', () => {
		const inboxes = [inbox(1, 'Suporte', record('support')), inbox(2, 'Vendas', record('sales')), inbox(3, 'sales')];
		const located = locateIntegration(inboxes, 'sales');
		expect(located?.inbox.id).toBe(2);
		expect(located?.stored).toMatchObject({ instance: 'sales', integration_id: 'id-sales' });
	});

	it('ignores inboxes that are not API inboxes, even with a record or the right name', () => {
		const inboxes = [
			inbox(1, 'sales', record('sales'), 'Channel::Whatsapp'),
			inbox(2, 'sales', undefined, 'Channel::WebWidget'),
			{ id: 3, name: 'sales' },
		];
		expect(locateIntegration(inboxes, 'sales')).toBeUndefined();
	});

	it('falls back to an API inbox named after the instance that carries no record', () => {
		const located = locateIntegration([inbox(1, 'Outra'), inbox(4, 'sales')], 'sales');
		expect(located).toEqual({ inbox: expect.objectContaining({ id: 4 }) });
		expect(located?.stored).toBeUndefined();
	});

	it('a named inbox with no attributes at all is found too', () => {
		expect(locateIntegration([{ id: 5, name: 'sales', channel_type: 'Channel::Api', additional_attributes: null }], 'sales')?.inbox.id).toBe(5);
	});

	it('does not take a named inbox that belongs to another instance', () => {
		expect(locateIntegration([inbox(6, 'sales', record('other'))], 'sales')).toBeUndefined();
	});

	it('prefers the record over an inbox that merely has the name', () => {
		expect(locateIntegration([inbox(7, 'sales'), inbox(8, 'Vendas', record('sales'))], 'sales')?.inbox.id).toBe(8);
	});

	it('a removed record (no settings) is located without a stored configuration', () => {
		const located = locateIntegration([inbox(9, 'Vendas', record('sales', false))], 'sales');
		expect(located?.inbox.id).toBe(9);
		expect(located?.stored).toBeUndefined();
	});

	it('nothing when no inbox matches', () => {
		expect(locateIntegration([], 'sales')).toBeUndefined();
		expect(locateIntegration([inbox(1, 'Sales')], 'sales')).toBeUndefined();
	});
});
