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

/** A value quoted back in an error, with the token blanked out in case it was pasted into the wrong field. */
function shown(value: unknown, token: string): string {
	const text = String(value ?? '');
	return token ? text.split(token).join('***') : text;
}

export function parseChatwootSettings(raw: Record<string, unknown>): ChatwootSettings {
	const token = String(raw.apiAccessToken ?? '').trim();
	const baseUrl = String(raw.baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
	if (!/^https?:\/\/[^/\s]+/i.test(baseUrl)) {
		throw new CredentialSettingsError(
			'baseUrl',
			`Base URL must start with http:// or https:// followed by a host (got "${shown(baseUrl, token)}")`,
		);
	}
	// Digits only: `Number()` would also take "0x10" or `true`.
	const accountText = typeof raw.accountId === 'number' ? String(raw.accountId) : String(raw.accountId ?? '').trim();
	const accountId = /^\d+$/.test(accountText) ? Number(accountText) : NaN;
	if (!Number.isInteger(accountId) || accountId <= 0) {
		throw new CredentialSettingsError(
			'accountId',
			`Account ID must be an integer greater than 0 (got "${shown(raw.accountId, token)}")`,
		);
	}
	if (token === '') {
		throw new CredentialSettingsError('apiAccessToken', 'API Access Token is empty');
	}
	return { baseUrl, accountId, token };
}
