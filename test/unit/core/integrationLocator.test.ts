import { INTEGRATION_ATTRIBUTE, parseIntegrationSettings, type StoredIntegration } from '../../../nodes/shared/bridge/integration/config';
import { locateIntegration } from '../../../nodes/shared/bridge/integration/locator';
import { boundInboxes, pickTarget, withoutOurKey } from '../../../nodes/shared/bridge/integration/records';
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

/** Which API inbox a Set writes to (docs/integration-node.md, set: "The inbox"). */
describe('pickTarget: the inbox named name_inbox that Set uses', () => {
	it('one already bound to the instance first, even with a higher id', () => {
		const inboxes = [inbox(2, 'Vendas'), inbox(5, 'Vendas', record('sales'))];
		expect(pickTarget(inboxes, 'sales', 'Vendas')).toEqual({ inbox: inboxes[1] });
	});

	it('then one without a configured integration, lowest id first', () => {
		const inboxes = [inbox(9, 'Vendas'), inbox(4, 'Vendas'), inbox(3, 'Vendas', record('other'))];
		expect(pickTarget(inboxes, 'sales', 'Vendas')).toEqual({ inbox: inboxes[1] });
	});

	it("one holding only another instance's binding (after its delete) may be taken over", () => {
		const inboxes = [inbox(4, 'Vendas', record('other', false))];
		expect(pickTarget(inboxes, 'sales', 'Vendas')).toEqual({ inbox: inboxes[0] });
	});

	it("one holding another instance's configured integration is refused, naming that instance", () => {
		const inboxes = [inbox(4, 'Vendas', record('other'))];
		expect(pickTarget(inboxes, 'sales', 'Vendas')).toEqual({ taken: inboxes[0], by: 'other' });
	});

	it('exactly that name, and only API inboxes; none otherwise (auto_create then creates one)', () => {
		const inboxes = [inbox(1, 'vendas'), inbox(2, 'Vendas ', undefined), inbox(3, 'Vendas', undefined, 'Channel::Whatsapp')];
		expect(pickTarget(inboxes, 'sales', 'Vendas')).toEqual({ none: true });
	});
});

describe('boundInboxes: where an instance has records (a moved or interrupted Set leaves more than one)', () => {
	it('the configured one first, then bindings, each by id; other instances and other channels left out', () => {
		const inboxes = [
			inbox(5, 'Antiga', record('sales', false)),
			inbox(9, 'Mais antiga', record('sales', false)),
			inbox(6, 'Vendas', record('sales')),
			inbox(2, 'Outra', record('other')),
			inbox(1, 'Velha', record('sales'), 'Channel::Whatsapp'),
		];
		expect(boundInboxes(inboxes, 'sales').map((bound) => bound.inbox.id)).toEqual([6, 5, 9]);
	});
});

describe('withoutOurKey: what is written back when a record is removed', () => {
	it("keeps every key that is not the bridge's (Chatwoot replaces the whole object)", () => {
		const attributes = { agent_reply_time_window: 24, [INTEGRATION_ATTRIBUTE]: record('sales') };
		expect(withoutOurKey(attributes)).toEqual({ agent_reply_time_window: 24 });
		expect(attributes[INTEGRATION_ATTRIBUTE]).toBeDefined();
	});
});
