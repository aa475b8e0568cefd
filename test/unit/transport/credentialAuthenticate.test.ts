/**
 * The Chatwoot credential's `authenticate`, as n8n applies it to every request: Chatwoot reads the token from the
 * `api_access_token` header, or `Api-Access-Token` behind an nginx that drops underscores
 * (docs/chatwoot-behaviour.md, Tokens and error answers).
 */
import { chatwootAuthenticate } from '../../support/fakeN8n';

describe('Chatwoot Bridge API credential: authenticate', () => {
	it('adds the token under api_access_token by default and keeps the request as it was', async () => {
		const request = { url: 'https://chat.example.com/api/v1/profile', headers: { accept: 'application/json' } };
		const out = await chatwootAuthenticate({ apiAccessToken: 'tok-123' }, request);
		expect(out.headers).toEqual({ accept: 'application/json', api_access_token: 'tok-123' });
		expect(out.url).toBe(request.url);
		expect(request.headers).toEqual({ accept: 'application/json' });
	});

	it('uses the hyphen form when the credential asks for it', async () => {
		const out = await chatwootAuthenticate({ apiAccessToken: 'tok-123', headerName: 'Api-Access-Token' }, { url: '/x' });
		expect(out.headers).toEqual({ 'Api-Access-Token': 'tok-123' });
	});

	it('sends the token without the spaces or line break a paste leaves around it', async () => {
		const out = await chatwootAuthenticate({ apiAccessToken: '  tok-123\n' }, { url: '/x' });
		expect(out.headers).toEqual({ api_access_token: 'tok-123' });
	});
});
