/**
 * Every request the client can build, checked against Chatwoot's own OpenAPI spec (CONTRIBUTING.md, Test): path
 * template, method, path/query parameters and body schema; what the spec lacks must be listed in undocumented.ts.
 */
import * as fs from 'fs';
import * as path from 'path';

import { ChatwootClient } from '../../nodes/shared/chatwoot/client';
import type { ChatwootRequest } from '../../nodes/shared/chatwoot/request';
import { createChatwootHttp } from '../../nodes/shared/chatwoot/retry';
import { createRecordingSend } from '../support/recordingSend';
import { loadSpec } from './openapi';
import { validateRequest } from './requestContract';
import { SPEC_DEVIATIONS, UNDOCUMENTED } from './undocumented';

const JID = '5511987654321@s.whatsapp.net';
const png = { fileName: 'a.png', contentType: 'image/png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47]) };

type Drivers = {
	[K in Exclude<keyof ChatwootClient, 'http'> as ChatwootClient[K] extends (...args: never[]) => Promise<unknown> ? K : never]: Array<
		(client: ChatwootClient) => Promise<unknown>
	>;
};

/** Each public method, with every variant that changes the request (all optional fields set at least once). */
const DRIVERS: Drivers = {
	profile: [(c) => c.profile()],
	listInboxes: [(c) => c.listInboxes()],
	getInbox: [(c) => c.getInbox(7)],
	createApiInbox: [
		(c) => c.createApiInbox({ name: 'WA' }),
		(c) =>
			c.createApiInbox({
				name: 'WhatsApp suporte',
				webhookUrl: 'https://n8n.example.com/webhook/x',
				additionalAttributes: { n8n_chatwoot_bridge: { version: 1 } },
				lockToSingleConversation: false,
				hmacMandatory: false,
				enableAutoAssignment: true,
				greetingEnabled: false,
				greetingMessage: 'Olá',
			}),
	],
	updateInbox: [
		(c) => c.updateInbox(7, { name: 'Renamed', lockToSingleConversation: true }),
		(c) => c.updateInbox(7, { webhookUrl: 'https://n8n/x', additionalAttributes: { a: 1 }, hmacMandatory: false }),
	],
	resetInboxSecret: [(c) => c.resetInboxSecret(7)],
	deleteInbox: [(c) => c.deleteInbox(7)],
	findContactByChat: [(c) => c.findContactByChat(7, JID)],
	filterContacts: [(c) => c.filterContacts({ phone: '+5511987654321' }), (c) => c.filterContacts({ identifier: JID }, 2)],
	searchContacts: [(c) => c.searchContacts('+5511987654321'), (c) => c.searchContacts('Maria', 3)],
	createContact: [
		(c) => c.createContact({ inboxId: 7, sourceId: JID }),
		(c) =>
			c.createContact({
				inboxId: 7,
				sourceId: JID,
				name: 'Maria',
				identifier: JID,
				phone: '+5511987654321',
				email: 'maria@example.com',
				avatarUrl: 'https://example.com/a.png',
				blocked: false,
				additionalAttributes: { company_name: 'Acme' },
				customAttributes: { wa_lid: '123@lid' },
			}),
	],
	updateContact: [
		(c) =>
			c.updateContact(42, {
				name: 'Maria',
				identifier: JID,
				phone: '+5511987654321',
				email: 'm@example.com',
				avatarUrl: 'https://example.com/a.png',
				blocked: true,
				additionalAttributes: {},
				customAttributes: {},
			}),
	],
	createContactInbox: [(c) => c.createContactInbox(42, 7, JID)],
	listContactConversations: [(c) => c.listContactConversations(42)],
	getConversation: [(c) => c.getConversation(12)],
	createConversation: [
		(c) => c.createConversation({ inboxId: 7, contactId: 42, sourceId: JID }),
		(c) =>
			c.createConversation({
				inboxId: 7,
				contactId: 42,
				sourceId: JID,
				status: 'pending',
				assigneeId: 3,
				teamId: 2,
				additionalAttributes: { chat: 'group' },
				customAttributes: { wa: true },
				message: {
					content: 'Olá',
					messageType: 'incoming',
					private: false,
					sourceId: 'WAID:1',
					contentAttributes: { in_reply_to_external_id: 'WAID:0' },
					externalCreatedAt: 1_760_000_000,
					isVoiceMessage: false,
				},
			}),
	],
	toggleConversationStatus: [
		(c) => c.toggleConversationStatus(12, 'resolved'),
		(c) => c.toggleConversationStatus(12, 'snoozed', 1_900_000_000),
	],
	listMessages: [(c) => c.listMessages(12), (c) => c.listMessages(12, { before: 600, after: 500 })],
	createMessage: [
		(c) => c.createMessage(12, { content: 'hi', messageType: 'outgoing' }),
		(c) =>
			c.createMessage(12, {
				content: 'Olá',
				messageType: 'incoming',
				private: false,
				sourceId: 'WAID:ABC',
				contentAttributes: { in_reply_to_external_id: 'WAID:Q', external_echo: true },
				externalCreatedAt: 1_760_000_000,
				isVoiceMessage: false,
			}),
		(c) =>
			c.createMessage(12, {
				messageType: 'incoming',
				private: false,
				sourceId: 'WAID:V',
				contentAttributes: { in_reply_to_external_id: 'WAID:Q' },
				externalCreatedAt: 1_760_000_000,
				isVoiceMessage: true,
				attachments: [png, { ...png, fileName: 'b.png' }],
			}),
	],
	updateMessageStatus: [(c) => c.updateMessageStatus(12, 501, 'delivered'), (c) => c.updateMessageStatus(12, 501, 'failed', 'not on WhatsApp')],
	deleteMessage: [(c) => c.deleteMessage(12, 501)],
};

async function record(): Promise<Array<{ method: string; request: ChatwootRequest }>> {
	const recorded: Array<{ method: string; request: ChatwootRequest }> = [];
	for (const [method, variants] of Object.entries(DRIVERS)) {
		for (const drive of variants) {
			const send = createRecordingSend();
			const client = new ChatwootClient({ http: createChatwootHttp(send, { baseUrl: 'https://cw', accountId: 3, sleep: async () => undefined }), accountId: 3 });
			await drive(client);
			recorded.push(...send.requests.map((request) => ({ method, request })));
		}
	}
	return recorded;
}

describe('ChatwootClient against swagger.json', () => {
	let recorded: Awaited<ReturnType<typeof record>>;
	beforeAll(async () => {
		recorded = await record();
	});

	it('the fixture is Chatwoot v4.15.1 swagger (89 paths)', () => {
		expect(Object.keys(loadSpec().paths)).toHaveLength(89);
	});

	it('drives every public method of the client', () => {
		const methods = Object.getOwnPropertyNames(ChatwootClient.prototype).filter((name) => !['constructor', 'request'].includes(name));
		expect(Object.keys(DRIVERS).sort()).toEqual(methods.sort());
		expect(new Set(recorded.map((r) => r.method)).size).toBe(methods.length);
	});

	it('every request matches the spec or a written undocumented fact', () => {
		const failures = recorded
			.map(({ method, request }) => ({ method, request: `${request.method} ${request.path}`, problems: validateRequest(request).problems }))
			.filter((v) => v.problems.length > 0);
		expect(failures).toEqual([]);
	});

	it('every undocumented entry and tolerated deviation is still needed', () => {
		const used = new Set(recorded.flatMap(({ request }) => validateRequest(request).used));
		const stale = [...UNDOCUMENTED, ...SPEC_DEVIATIONS.filter((d) => d.tolerate)].filter((entry) => !used.has(entry));
		expect(stale).toEqual([]);
	});

	it('lists each undocumented endpoint or field once, with a fact citing a section of docs/chatwoot-behaviour.md', () => {
		const keys = UNDOCUMENTED.flatMap((e) => (e.fields ?? ['(endpoint)']).map((f) => `${e.method} ${e.path} ${f}`));
		expect(new Set(keys).size).toBe(keys.length);
		const sections = fs
			.readFileSync(path.join(__dirname, '../../docs/chatwoot-behaviour.md'), 'utf8')
			.split('\n')
			.filter((line) => line.startsWith('## '))
			.map((line) => line.slice(3));
		for (const entry of [...UNDOCUMENTED, ...SPEC_DEVIATIONS]) {
			const cited = /^docs\/chatwoot-behaviour\.md, ([^:]+):/.exec(entry.fact)?.[1];
			expect([entry.fact, sections.includes(cited ?? '')]).toEqual([entry.fact, true]);
		}
	});
});

describe('the contract check can fail', () => {
	const A = '/api/v1/accounts/3';
	const cases: Array<[string, ChatwootRequest, RegExp]> = [
		['a wrong method', { method: 'PUT', path: `${A}/inboxes/7`, idempotent: true, body: { name: 'x' } }, /the spec has no PUT on .*\/inboxes\/\{id\}/],
		['a wrong path', { method: 'GET', path: `${A}/inbox`, idempotent: true }, /no spec path matches/],
		['a misspelt undocumented endpoint', { method: 'POST', path: `${A}/contact_inbox/filter`, idempotent: true, body: {} }, /no spec path matches/],
		['a wrong type for a known field', { method: 'POST', path: `${A}/contacts`, idempotent: false, body: { inbox_id: '7', name: 'x' } }, /^inbox_id expected number, got string$/],
		['a missing required field', { method: 'POST', path: `${A}/conversations/12/toggle_status`, idempotent: true, body: {} }, /^status is required$/],
		['a missing required body', { method: 'POST', path: `${A}/conversations/12/toggle_status`, idempotent: true }, /requires a body/],
		['a value outside the enum', { method: 'POST', path: `${A}/conversations/12/messages`, idempotent: false, body: { content: 'x', message_type: 'activity' } }, /^message_type expected one of/],
		['an unlisted undocumented field', { method: 'POST', path: `${A}/conversations/12/messages`, idempotent: false, body: { content: 'x', sourceId: 'WAID:1' } }, /^sourceId is not in the spec nor listed/],
		['a nested unlisted field', { method: 'POST', path: `${A}/conversations`, idempotent: false, body: { source_id: 's', message: { content: 'x', echo_id: 'e' } } }, /^message\.echo_id is not in the spec/],
		['a non-integer path id', { method: 'GET', path: `${A}/conversations/abc/messages`, idempotent: true }, /^path\.conversation_id expected integer, got string$/],
		['an undeclared query parameter', { method: 'GET', path: `${A}/contacts/search`, idempotent: true, query: { q: 'x', include_contact_inboxes: false } }, /query parameter "include_contact_inboxes" is not in the spec/],
		['a wrong type on an undocumented endpoint', { method: 'POST', path: `${A}/contact_inboxes/filter`, idempotent: true, body: { inbox_id: '7', source_id: 's' } }, /^inbox_id expected integer, got string$/],
		['an unknown field on an undocumented endpoint', { method: 'PATCH', path: `${A}/conversations/12/messages/5`, idempotent: true, body: { status: 'read', source_id: 'x' } }, /^source_id is not allowed$/],
		['a tolerated deviation with another value', { method: 'POST', path: `${A}/contacts/filter`, idempotent: true, body: { payload: [{ attribute_key: 'identifier', filter_operator: 'equal_to', values: ['x'], query_operator: 'xor' }] } }, /^payload\[0\]\.query_operator expected one of/],
		['a wrong oneOf channel', { method: 'POST', path: `${A}/inboxes`, idempotent: false, body: { name: 'x', channel: { type: 'fax' } } }, /^channel matches no oneOf branch/],
		['a multipart boolean that is not one', { method: 'POST', path: `${A}/conversations/12/messages`, idempotent: false, multipart: { fields: [{ name: 'private', value: 'yes' }], files: [] } }, /^private expected boolean, got string$/],
		['a multipart file under an unknown name', { method: 'POST', path: `${A}/conversations/12/messages`, idempotent: false, multipart: { fields: [], files: [{ name: 'attachment', fileName: 'a', contentType: 'text/plain', data: Buffer.from('a') }] } }, /^attachment is not in the spec/],
		['multipart where the spec takes JSON only', { method: 'POST', path: `${A}/contacts`, idempotent: false, multipart: { fields: [{ name: 'inbox_id', value: '7' }], files: [] } }, /takes no multipart body/],
		['the query inside the path', { method: 'GET', path: `${A}/contacts/search?q=x`, idempotent: true }, /the query belongs in `query`/],
	];

	it.each(cases)('rejects %s', (_label, request, expected) => {
		const { problems } = validateRequest(request);
		expect(problems.length).toBeGreaterThan(0);
		expect(problems.some((p) => expected.test(p))).toBe(true);
	});

	it('accepts the same requests once corrected', () => {
		expect(validateRequest({ method: 'PATCH', path: `${A}/inboxes/7`, idempotent: true, body: { name: 'x' } }).problems).toEqual([]);
		expect(validateRequest({ method: 'POST', path: `${A}/contacts`, idempotent: false, body: { inbox_id: 7, name: 'x' } }).problems).toEqual([]);
		expect(validateRequest({ method: 'POST', path: `${A}/conversations/12/toggle_status`, idempotent: true, body: { status: 'open' } }).problems).toEqual([]);
	});
});
