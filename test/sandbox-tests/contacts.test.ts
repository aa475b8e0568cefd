/**
 * Contacts and contact inboxes (docs/chatwoot-behaviour.md, Contacts and Contact inboxes), including the races a bridge
 * must survive.
 */
import { startSandbox, type Sandbox } from '../sandbox';
import { api } from './helpers';

let sb: Sandbox;
let inboxId: number;
const JID = '5511987654321@s.whatsapp.net';

beforeAll(async () => {
	sb = await startSandbox();
});
afterAll(() => sb.close());
beforeEach(() => {
	sb.reset();
	sb.setLatency(0);
	inboxId = sb.createInbox({ name: 'WhatsApp' }).id;
});

describe('create', () => {
	it('creates the contact and its contact inbox in one call, in Chatwoot\'s response shape', async () => {
		const res = await api(sb)('POST', '/contacts', {
			name: 'Maria',
			phone_number: '+5511987654321',
			identifier: JID,
			email: 'Maria@Example.com',
			inbox_id: inboxId,
			source_id: JID,
		});
		expect(res.status).toBe(200);
		const { contact, contact_inbox } = res.body.payload;
		expect(contact).toMatchObject({ name: 'Maria', email: 'maria@example.com', identifier: JID, phone_number: '+5511987654321' });
		expect(contact.contact_inboxes).toEqual([
			{ source_id: JID, inbox: expect.objectContaining({ id: inboxId, channel_type: 'Channel::Api' }) },
		]);
		expect(contact_inbox.source_id).toBe(JID);
		// `json.inbox @contact_inbox.inbox` renders the raw inbox row.
		expect(contact_inbox.inbox).toMatchObject({ id: inboxId, account_id: 1, channel_type: 'Channel::Api' });
	});

	it('gives an API inbox a random UUID source_id when none is sent', async () => {
		const res = await api(sb)('POST', '/contacts', { name: 'X', inbox_id: inboxId });
		expect(res.body.payload.contact_inbox.source_id).toMatch(/^[0-9a-f-]{36}$/);
	});

	it('validates E.164 and rejects a duplicate phone with the save! error shape', async () => {
		const call = api(sb);
		const bad = await call('POST', '/contacts', { name: 'A', phone_number: '5511987654321' });
		expect(bad).toMatchObject({
			status: 422,
			body: { message: 'Phone number should be in e164 format', attributes: ['phone_number'] },
		});
		await call('POST', '/contacts', { name: 'A', phone_number: '+5511987654321' });
		const dup = await call('POST', '/contacts', { name: 'B', phone_number: '+5511987654321', email: 'A@x.io' });
		expect(dup.status).toBe(422);
		expect(dup.body).toEqual({ message: 'Phone number has already been taken', attributes: ['phone_number'] });
	});

	it('joins several validation errors with ", "', async () => {
		const call = api(sb);
		await call('POST', '/contacts', { name: 'A', phone_number: '+5511987654321', identifier: JID });
		const dup = await call('POST', '/contacts', { name: 'B', phone_number: '+5511987654321', identifier: JID });
		expect(dup.body).toEqual({
			message: 'Identifier has already been taken, Phone number has already been taken',
			attributes: ['identifier', 'phone_number'],
		});
	});

	it('answers 500 and rolls the new contact back when the source_id belongs to another contact', async () => {
		const call = api(sb);
		await call('POST', '/contacts', { name: 'First', inbox_id: inboxId, source_id: JID });
		const res = await call('POST', '/contacts', { name: 'Second', inbox_id: inboxId, source_id: JID });
		expect(res.status).toBe(500);
		expect(res.body).toEqual({ status: 500, error: 'Internal Server Error' });
		expect(sb.state.contacts.map((c) => c.name)).toEqual(['First']);
	});

	it('concurrent creates with the same (inbox_id, source_id): one 200, the rest 500, exactly one contact left', async () => {
		sb.setLatency(40);
		const call = api(sb);
		const results = await Promise.all(
			[1, 2, 3, 4, 5].map((n) => call('POST', '/contacts', { name: `Try ${n}`, inbox_id: inboxId, source_id: JID })),
		);
		expect(results.map((r) => r.status).sort()).toEqual([200, 500, 500, 500, 500]);
		expect(sb.state.contacts).toHaveLength(1);
		expect(sb.state.contactInboxes).toHaveLength(1);
	});

	it('concurrent creates with the same identifier: the index lets one through, the losers get 500', async () => {
		sb.setLatency(40);
		const call = api(sb);
		const results = await Promise.all(
			[1, 2, 3].map((n) => call('POST', '/contacts', { name: `Try ${n}`, identifier: JID, inbox_id: inboxId, source_id: `s${n}` })),
		);
		expect(results.map((r) => r.status).sort()).toEqual([200, 500, 500]);
		expect(sb.state.contacts).toHaveLength(1);
		// Rolled back with their contact: no orphan contact inboxes.
		expect(sb.state.contactInboxes).toHaveLength(1);
	});

	it('KNOWN CHATWOOT RACE: phone uniqueness is validation only, so concurrent creates can make two contacts', async () => {
		sb.setLatency(40);
		const call = api(sb);
		const results = await Promise.all(
			['a', 'b'].map((s) => call('POST', '/contacts', { name: s, phone_number: '+5511987654321', inbox_id: inboxId, source_id: s })),
		);
		expect(results.map((r) => r.status)).toEqual([200, 200]);
		expect(sb.state.contacts.filter((c) => c.phone_number === '+5511987654321')).toHaveLength(2);
	});
});

describe('update', () => {
	it('merges custom and additional attributes and keeps unique checks', async () => {
		const call = api(sb);
		const created = await call('POST', '/contacts', { name: 'M', custom_attributes: { a: 1 }, additional_attributes: { x: 1 } });
		const id = created.body.payload.contact.id;
		const res = await call('PUT', `/contacts/${id}`, { custom_attributes: { b: 2 }, additional_attributes: { y: 2 } });
		expect(res.status).toBe(200);
		expect(res.body.payload).toMatchObject({ custom_attributes: { a: 1, b: 2 }, additional_attributes: { x: 1, y: 2 } });
		const patched = await call('PATCH', `/contacts/${id}`, { name: 'Maria' });
		expect(patched.body.payload.name).toBe('Maria');
	});
});

describe('lookups', () => {
	beforeEach(async () => {
		const call = api(sb);
		await call('POST', '/contacts', { name: 'Maria Silva', phone_number: '+5511987654321', identifier: JID, inbox_id: inboxId, source_id: JID });
		await call('POST', '/contacts', { name: 'João', phone_number: '+5511987654399', identifier: 'ABC@lid' });
		await call('POST', '/contacts', { name: 'Nobody' });
	});

	it('search is a substring match: ILIKE on name/email/phone, case-sensitive LIKE on identifier', async () => {
		const call = api(sb);
		const byPhone = await call('GET', '/contacts/search?q=%2B55119876543');
		expect(byPhone.body.payload.map((c: any) => c.name).sort()).toEqual(['João', 'Maria Silva']);
		expect(byPhone.body.meta).toEqual({ count: 2, current_page: 1, has_more: false });
		const byName = await call('GET', '/contacts/search?q=maria');
		expect(byName.body.payload).toHaveLength(1);
		const caseSensitive = await call('GET', '/contacts/search?q=abc@lid');
		expect(caseSensitive.body.payload).toHaveLength(0);
		// A "+" not encoded as %2B arrives as a space, which `q.strip` drops: still a substring hit on the digits.
		const plus = await call('GET', '/contacts/search?q=+5511987654321');
		expect(plus.body.payload.map((c: any) => c.name)).toEqual(['Maria Silva']);
		const page = await call('GET', '/contacts/search?q=a&page=1');
		expect(page.body.meta.current_page).toBe('1');
	});

	it('search with a blank q is a 422', async () => {
		const res = await api(sb)('GET', '/contacts/search?q=%20');
		expect(res).toMatchObject({ status: 422, body: { error: 'Specify search string with parameter q' } });
	});

	it('filter matches exactly and normalises phone values', async () => {
		const res = await api(sb)('POST', '/contacts/filter', {
			payload: [{ attribute_key: 'phone_number', filter_operator: 'equal_to', values: ['55 11 98765-4321'], query_operator: null }],
		});
		expect(res.status).toBe(200);
		expect(res.body.payload.map((c: any) => c.name)).toEqual(['Maria Silva']);
		expect(res.body.meta).toEqual({ count: 1, current_page: 1 });
		const ci = await api(sb)('POST', '/contacts/filter', {
			payload: [{ attribute_key: 'identifier', filter_operator: 'equal_to', values: ['abc@LID'] }],
		});
		expect(ci.body.payload.map((c: any) => c.name)).toEqual(['João']);
	});

	it('contact_inboxes/filter finds by (inbox_id, source_id); empty-body 404 when absent, JSON 404 for an unknown inbox', async () => {
		const call = api(sb);
		const found = await call('POST', '/contact_inboxes/filter', { inbox_id: inboxId, source_id: JID });
		expect(found.status).toBe(200);
		expect(found.body).toMatchObject({ name: 'Maria Silva', contact_inboxes: [{ source_id: JID }] });
		const missing = await call('POST', '/contact_inboxes/filter', { inbox_id: inboxId, source_id: 'other@s.whatsapp.net' });
		expect(missing.status).toBe(404);
		expect(missing.text).toBe('');
		const badInbox = await call('POST', '/contact_inboxes/filter', { inbox_id: 999, source_id: JID });
		expect(badInbox).toMatchObject({ status: 404, body: { error: 'Resource could not be found' } });
	});

	it('POST /contacts/:id/contact_inboxes is idempotent for the same contact and a 500 for another one', async () => {
		const call = api(sb);
		const maria = sb.state.contacts.find((c) => c.name === 'Maria Silva')!;
		const joao = sb.state.contacts.find((c) => c.name === 'João')!;
		const again = await call('POST', `/contacts/${maria.id}/contact_inboxes`, { inbox_id: inboxId, source_id: JID });
		expect(again.status).toBe(200);
		expect(again.body).toMatchObject({ source_id: JID, inbox: { id: inboxId } });
		const stolen = await call('POST', `/contacts/${joao.id}/contact_inboxes`, { inbox_id: inboxId, source_id: JID });
		expect(stolen.status).toBe(500);
		expect(sb.state.contactInboxes).toHaveLength(1);
	});

	it('merges contacts: the base keeps its values and receives the mergee\'s contact inboxes', async () => {
		const call = api(sb);
		const maria = sb.state.contacts.find((c) => c.name === 'Maria Silva')!;
		const nobody = sb.state.contacts.find((c) => c.name === 'Nobody')!;
		const res = await call('POST', '/actions/contact_merge', { base_contact_id: nobody.id, mergee_contact_id: maria.id });
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ id: nobody.id, name: 'Nobody', identifier: JID, phone_number: '+5511987654321' });
		expect(sb.state.contactInboxes.map((ci) => ci.contact_id)).toEqual([nobody.id]);
		expect(sb.state.contacts).toHaveLength(2);
	});
});
