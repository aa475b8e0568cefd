/**
 * Token handling and error bodies (docs/chatwoot-behaviour.md, Tokens and error answers).
 */
import { startSandbox, type Sandbox } from '../sandbox';
import { api } from './helpers';

let sb: Sandbox;

beforeAll(async () => {
	sb = await startSandbox({
		accounts: [
			{
				id: 1,
				name: 'Acme',
				users: [
					{ id: 1, name: 'Admin', role: 'administrator', token: 'test-admin-token' },
					{ id: 2, name: 'Agent', role: 'agent', token: 'test-agent-token' },
				],
				agentBots: [{ id: 1, name: 'Bot', token: 'test-bot-token' }],
			},
			{ id: 2, name: 'Other', users: [{ id: 3, name: 'Stranger', role: 'administrator', token: 'other-token' }] },
			{ id: 3, name: 'Frozen', status: 'suspended', users: [{ id: 1, role: 'administrator', token: 'test-admin-token' }] },
		],
	});
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

describe('tokens', () => {
	it('answers a wrong token with 401 "Invalid Access Token"', async () => {
		const res = await api(sb, 'nope')('GET', '/inboxes');
		expect(res.status).toBe(401);
		expect(res.body).toEqual({ error: 'Invalid Access Token' });
	});

	it('answers a missing token with devise_token_auth\'s 401 (the header check never runs)', async () => {
		const res = await api(sb, null)('GET', '/inboxes');
		expect(res.status).toBe(401);
		expect(res.body).toEqual({ errors: ['You need to sign in or sign up before continuing.'] });
	});

	it('accepts the Api-Access-Token spelling that survives proxies dropping underscore headers', async () => {
		const res = await api(sb, null)('GET', '/inboxes', undefined, { 'Api-Access-Token': sb.tokens.admin });
		expect(res.status).toBe(200);
		expect(res.body).toEqual({ payload: [] });
	});

	it('answers 404 "Resource could not be found" for an unknown account, before the membership check', async () => {
		const res = await api(sb)('GET', '/api/v1/accounts/999/inboxes');
		expect(res.status).toBe(404);
		expect(res.body).toEqual({ error: 'Resource could not be found' });
	});

	it('refuses a token whose user is not a member of the account', async () => {
		const res = await api(sb, 'other-token')('GET', '/api/v1/accounts/1/inboxes');
		expect(res.status).toBe(401);
		expect(res.body).toEqual({ error: 'You are not authorized to access this account' });
	});

	it('refuses a suspended account', async () => {
		const res = await api(sb)('GET', '/api/v1/accounts/3/inboxes');
		expect(res).toMatchObject({ status: 401, body: { error: 'Account is suspended' } });
	});

	it('GET /api/v1/profile lists the accounts and roles of the token', async () => {
		const res = await api(sb)('GET', '/api/v1/profile');
		expect(res.status).toBe(200);
		expect(res.body.accounts.map((a: any) => [a.id, a.name, a.role])).toEqual([
			[1, 'Acme', 'administrator'],
			[3, 'Frozen', 'administrator'],
		]);
	});
});

describe('roles', () => {
	it('agents cannot create or edit inboxes and never see secret or hmac_token', async () => {
		const inbox = sb.createInbox({ name: 'WA', memberIds: [2] });
		const agent = api(sb, sb.tokens.agent);
		const create = await agent('POST', '/inboxes', { name: 'x', channel: { type: 'api' } });
		expect(create).toMatchObject({ status: 401, body: { error: 'You are not authorized to do this action' } });
		const patch = await agent('PATCH', `/inboxes/${inbox.id}`, { channel: { webhook_url: 'https://x' } });
		expect(patch.status).toBe(401);
		const show = await agent('GET', `/inboxes/${inbox.id}`);
		expect(show.status).toBe(200);
		expect(show.body).not.toHaveProperty('secret');
		expect(show.body).not.toHaveProperty('hmac_token');
		const adminShow = await api(sb)('GET', `/inboxes/${inbox.id}`);
		expect(adminShow.body.secret).toBe(inbox.secret);
	});

	it('agents only see inboxes they are members of', async () => {
		sb.createInbox({ name: 'Mine', memberIds: [2] });
		sb.createInbox({ name: 'Not mine' });
		const res = await api(sb, sb.tokens.agent)('GET', '/inboxes');
		expect(res.body.payload.map((i: any) => i.name)).toEqual(['Mine']);
	});

	it('agent-bot tokens work only where the bot is connected to an inbox', async () => {
		const inbox = sb.createInbox();
		const bot = api(sb, sb.tokens.bot);
		const before = await bot('GET', '/conversations/42');
		expect(before).toMatchObject({ status: 401, body: { error: 'You are not authorized to access this account' } });
		sb.setInboxAgentBot(inbox.id, 1);
		expect((await bot('GET', '/conversations/42')).status).toBe(404);
	});

	it('agent-bot tokens are limited to a whitelist: no contact search, no message status PATCH', async () => {
		sb.setInboxAgentBot(sb.createInbox().id, 1);
		const bot = api(sb, sb.tokens.bot);
		const search = await bot('GET', '/contacts/search?q=a');
		expect(search).toMatchObject({ status: 401, body: { error: 'Access to this endpoint is not authorized for bots' } });
		const profile = await bot('GET', '/api/v1/profile');
		expect(profile.status).toBe(401);
		const patch = await bot('PATCH', '/conversations/1/messages/1', { status: 'read' });
		expect(patch.status).toBe(401);
		// Whitelisted endpoints pass the bot check and reach the resource lookup.
		const show = await bot('GET', '/conversations/42');
		expect(show).toMatchObject({ status: 404, body: { error: 'Resource could not be found' } });
	});
});

describe('unknown routes', () => {
	it('answers Rails-style 404s: JSON when the client asks for JSON', async () => {
		const res = await api(sb)('GET', '/no-such-thing');
		expect(res).toMatchObject({ status: 404, body: { status: 404, error: 'Not Found' } });
	});
});
