import { CredentialSettingsError, parseChatwootSettings } from '../../../nodes/shared/transport/settings';

const TOKEN = 'sEcReT-t0ken-9f8e7d6c';
const GOOD = { baseUrl: 'https://chat.example.com', accountId: 3, apiAccessToken: TOKEN };

function errorOf(raw: Record<string, unknown>): CredentialSettingsError {
	try {
		parseChatwootSettings(raw);
	} catch (error) {
		return error as CredentialSettingsError;
	}
	throw new Error('expected the credential to be refused');
}

describe('parseChatwootSettings', () => {
	it.each([
		['https://chat.example.com', 'https://chat.example.com'],
		['https://chat.example.com/', 'https://chat.example.com'],
		['https://chat.example.com///', 'https://chat.example.com'],
		['  http://chatwoot:3000/  ', 'http://chatwoot:3000'],
		['https://example.com/chatwoot/', 'https://example.com/chatwoot'],
		['HTTPS://Chat.Example.com', 'HTTPS://Chat.Example.com'],
	])('base URL %j → %j', (baseUrl, expected) => {
		expect(parseChatwootSettings({ ...GOOD, baseUrl }).baseUrl).toBe(expected);
	});

	it.each([
		[3, 3],
		['3', 3],
		[' 12 ', 12],
	])('account id %j → %j', (accountId, expected) => {
		expect(parseChatwootSettings({ ...GOOD, accountId }).accountId).toBe(expected);
	});

	it('keeps the token, trimmed', () => {
		expect(parseChatwootSettings({ ...GOOD, apiAccessToken: `  ${TOKEN}\n` })).toEqual({
			baseUrl: 'https://chat.example.com',
			accountId: 3,
			token: TOKEN,
		});
	});

	it.each([
		['baseUrl', { baseUrl: 'chat.example.com' }],
		['baseUrl', { baseUrl: 'ftp://chat.example.com' }],
		['baseUrl', { baseUrl: 'https://' }],
		['baseUrl', { baseUrl: '' }],
		['baseUrl', { baseUrl: undefined }],
		['accountId', { accountId: 0 }],
		['accountId', { accountId: -1 }],
		['accountId', { accountId: 1.5 }],
		['accountId', { accountId: 'abc' }],
		['accountId', { accountId: '' }],
		['accountId', { accountId: undefined }],
		['apiAccessToken', { apiAccessToken: '' }],
		['apiAccessToken', { apiAccessToken: '   ' }],
		['apiAccessToken', { apiAccessToken: undefined }],
	])('refuses a bad %s (%j), naming the field', (field, override) => {
		const error = errorOf({ ...GOOD, ...override });
		expect(error).toBeInstanceOf(CredentialSettingsError);
		expect(error.field).toBe(field);
		expect(error.message).toMatch(/^Chatwoot Bridge API credential: /);
		const label = { baseUrl: 'Base URL', accountId: 'Account ID', apiAccessToken: 'API Access Token' }[field];
		expect(error.message).toContain(label);
		expect(error.message).not.toContain(TOKEN);
	});

	// The token never appears in any message. A token pasted into the wrong field is still the token.
	it.each([
		['the account id field', { accountId: TOKEN }],
		['the base URL field', { baseUrl: TOKEN }],
	])('never prints the token, even when it was pasted into %s', (_, override) => {
		const error = errorOf({ ...GOOD, ...override });
		expect(error.message).not.toContain(TOKEN);
	});
});
