/**
 * The Instance field of every node: picked from the account's configured instances, typed by name, or given as the
 * Chatwoot inbox ID; workflows saved while it was plain text keep working.
 */
import { ChatwootBridgeIntegration } from '../../../nodes/ChatwootBridgeIntegration/ChatwootBridgeIntegration.node';
import { SyncWhatsAppMessage } from '../../../nodes/SyncWhatsAppMessage/SyncWhatsAppMessage.node';
import { executeContext } from '../../support/fakeN8n';
import { fixture } from '../sync/harness';
import { INSTANCE, startHarness, TRIGGER_URL, type Harness } from './harness';

const byId = (id: number | string) => ({ __rl: true, mode: 'id', value: String(id) });
const INBOX_READ = 'GET /api/v1/accounts/:account_id/inboxes/:id';

describe('the Instance field (resource locator)', () => {
	let h: Harness;
	beforeEach(async () => {
		h = await startHarness();
	});
	afterEach(async () => {
		await h.close();
	});

	async function setUp(instance: string, inboxName: string): Promise<number> {
		const [saved] = await h.run('set', { instance, name_inbox: inboxName, webhookUrl: TRIGGER_URL });
		return (saved.json.inbox as { id: number }).id;
	}

	function search(node: ChatwootBridgeIntegration | SyncWhatsAppMessage, filter?: string) {
		const ctx = executeContext({ credentials: h.credentials, items: [], parameters: {} });
		return node.methods.listSearch.searchInstances.call(ctx as never, filter);
	}

	it('From List offers only the configured instances, by name, with their inbox', async () => {
		const vendas = await setUp(INSTANCE, 'WhatsApp Vendas');
		const suporte = await setUp('suporte', 'WhatsApp Suporte');
		await setUp('antigo', 'WhatsApp Antigo');
		await h.run('delete', { instance: 'antigo' });
		h.sb.createInbox({ name: 'Loja Centro' });
		h.sb.createInbox({ name: 'Website', channel: 'web_widget' });
		const url = (id: number) => `${h.sb.baseUrl}/app/accounts/1/settings/inboxes/${id}`;

		const all = await search(new ChatwootBridgeIntegration());
		expect(all.results).toEqual([
			{ name: 'suporte', value: 'suporte', description: `Inbox WhatsApp Suporte (#${suporte})`, url: url(suporte) },
			{ name: INSTANCE, value: INSTANCE, description: `Inbox WhatsApp Vendas (#${vendas})`, url: url(vendas) },
		]);
		// The Sync node offers the same list; the search matches the instance or the inbox name.
		expect(await search(new SyncWhatsAppMessage())).toEqual(all);
		expect((await search(new SyncWhatsAppMessage(), 'VEND')).results.map((entry) => entry.value)).toEqual([INSTANCE]);
		expect((await search(new ChatwootBridgeIntegration(), 'suporte')).results.map((entry) => entry.value)).toEqual(['suporte']);
		expect((await search(new ChatwootBridgeIntegration(), 'loja')).results).toEqual([]);
	});

	it('By ID names the instance whose integration that inbox holds, with one inbox read per run', async () => {
		const inboxId = await setUp(INSTANCE, 'WhatsApp Vendas');
		await setUp('suporte', 'WhatsApp Suporte');
		h.sb.resetCounts();
		const out = await h.run('list', { instance: byId(inboxId) }, { items: [{}, {}, {}] });
		expect(out.map((item) => [item.json.instance, item.json.chatwoot_inbox_id])).toEqual([
			[INSTANCE, inboxId],
			[INSTANCE, inboxId],
			[INSTANCE, inboxId],
		]);
		expect(h.sb.requestCounts[INBOX_READ]).toBe(1);

		const [removed] = await h.run('delete', { instance: byId(` ${inboxId} `) });
		expect(removed.json).toMatchObject({ instance: INSTANCE, status: 'removed', inbox: { id: inboxId } });
		expect(h.recordOn(inboxId)?.settings).toBeUndefined();
	});

	it('a plain string of an older workflow, a list pick and a typed name read the same instance', async () => {
		const inboxId = await setUp(INSTANCE, 'WhatsApp Vendas');
		const values = [INSTANCE, { __rl: true, mode: 'list', value: INSTANCE }, { __rl: true, mode: 'name', value: ` ${INSTANCE} ` }];
		for (const instance of values) {
			const [out] = await h.run('list', { instance });
			expect([out.json.instance, out.json.chatwoot_inbox_id]).toEqual([INSTANCE, inboxId]);
		}
		// An empty list pick still means every integration of the account.
		await setUp('suporte', 'WhatsApp Suporte');
		const every = await h.run('list', { instance: { __rl: true, mode: 'list', value: '' } });
		expect(every.map((item) => item.json.instance)).toEqual([INSTANCE, 'suporte']);
	});

	it('Set takes a new instance By Name and updates an existing one By ID', async () => {
		const [created] = await h.run('set', { instance: { __rl: true, mode: 'name', value: 'nova' }, name_inbox: 'WhatsApp Nova' });
		const inboxId = (created.json.inbox as { id: number }).id;
		expect(created.json).toMatchObject({ instance: 'nova' });
		const [updated] = await h.run('set', { instance: byId(inboxId), name_inbox: 'WhatsApp Nova', sign_msg: true });
		expect(updated.json).toMatchObject({ instance: 'nova', inbox: { id: inboxId } });
		expect(h.recordOn(inboxId)).toMatchObject({ instance: 'nova', settings: { sign_msg: true } });
	});

	it('the Sync node reads its integration By ID, and from the event when the field is empty', async () => {
		const inboxId = await setUp(INSTANCE, 'WhatsApp Vendas');
		const [synced] = await h.sync(fixture('evolution/text'), { instance: byId(inboxId) });
		expect(synced.json).toMatchObject({ status: 'created', instance: INSTANCE });
		const next = fixture('evolution/text') as { data: { key: { id: string } } };
		next.data.key.id = 'NEXT0001';
		const [fromEvent] = await h.sync(next, { instance: { __rl: true, mode: 'list', value: '' } });
		expect(fromEvent.json).toMatchObject({ status: 'created', instance: INSTANCE });
	});

	it('By ID of an inbox without integration, of no inbox, or not a number fails naming the field', async () => {
		await setUp(INSTANCE, 'WhatsApp Vendas');
		const plain = h.sb.createInbox({ name: 'Loja Centro' });
		const writes = h.writes();
		for (const [value, reason] of [
			[plain.id, `inbox ${plain.id} "Loja Centro" holds no Chatwoot Bridge integration`],
			[9999, 'no inbox has the ID 9999 in this Chatwoot account'],
			['vendas', 'By ID expects the numeric ID of a Chatwoot inbox (got "vendas")'],
		] as const) {
			for (const operation of ['list', 'delete', 'set'] as const) {
				const error = await h.fail(operation, { instance: byId(value) });
				expect(error.message).toMatch(/^invalid body: instance: /);
				expect(error.message).toContain(reason);
				expect(error.description).toContain('Field "instance"');
			}
		}
		// Under "continue on fail" the item carries the field at fault; nothing was written anywhere.
		const [item] = await h.run('delete', { instance: byId(plain.id) }, { continueOnFail: true });
		expect(item.json).toMatchObject({ status: 'failed', field: 'instance' });
		expect(h.writes()).toBe(writes);
	});
});

describe('the Instance field in the editor', () => {
	const instanceFields = (node: ChatwootBridgeIntegration | SyncWhatsAppMessage) =>
		node.description.properties.filter((property) => property.name === 'instance') as unknown as Array<{
			type: string;
			default: { mode: string; value: string };
			modes: Array<{ name: string; typeOptions?: { searchListMethod?: string } }>;
			displayOptions: { show: { operation: string[] } };
		}>;

	it('is the same locator in every operation; Set starts By Name, the others From List', () => {
		const fields = [...instanceFields(new ChatwootBridgeIntegration()), ...instanceFields(new SyncWhatsAppMessage())];
		const byOperation = Object.fromEntries(fields.map((field) => [field.displayOptions.show.operation[0], field]));
		expect(Object.keys(byOperation).sort()).toEqual(['delete', 'import', 'list', 'set', 'sync']);
		for (const [operation, field] of Object.entries(byOperation)) {
			expect(field.type).toBe('resourceLocator');
			expect(field.modes.map((mode) => mode.name)).toEqual(['list', 'id', 'name']);
			expect(field.modes[0].typeOptions?.searchListMethod).toBe('searchInstances');
			expect(field.default).toEqual({ mode: operation === 'set' ? 'name' : 'list', value: '' });
		}
	});
});
