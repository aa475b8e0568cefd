/** Reads and validates the Chatwoot Bridge API credential. Pure: tested as a function. */

export interface ChatwootSettings {
	/** http(s) URL without trailing slash. */
	baseUrl: string;
	accountId: number;
	/** Kept only to redact it from every error text; never logged or output. */
	token: string;
}

export class CredentialSettingsError extends Error {
	constructor(
		readonly field: 'baseUrl' | 'accountId' | 'apiAccessToken',
		message: string,
	) {
		super(`Chatwoot Bridge API credential: ${message}`);
		this.name = 'CredentialSettingsError';
	}
}

export function parseChatwootSettings(raw: Record<string, unknown>): ChatwootSettings {
	const baseUrl = String(raw.baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
	if (!/^https?:\/\/[^/\s]+/i.test(baseUrl)) {
		throw new CredentialSettingsError(
			'baseUrl',
			`Base URL must start with http:// or https:// followed by a host (got "${baseUrl}")`,
		);
	}
	const accountId = Number(raw.accountId);
	if (!Number.isInteger(accountId) || accountId <= 0) {
		throw new CredentialSettingsError(
			'accountId',
			`Account ID must be an integer greater than 0 (got "${String(raw.accountId ?? '')}")`,
		);
	}
	const token = String(raw.apiAccessToken ?? '').trim();
	if (token === '') {
		throw new CredentialSettingsError('apiAccessToken', 'API Access Token is empty');
	}
	return { baseUrl, accountId, token };
}
