import type { ICredentialTestRequest, INodeProperties } from 'n8n-workflow';

/** What the credentials of this package share: their icon, the base URL field and the test's base URL. */
export const BRIDGE_ICON = { light: 'file:chatwootBridge.svg', dark: 'file:chatwootBridge.dark.svg' } as const;

/** The base URL as requests use it: trimmed, without trailing slashes. */
export const TRIMMED_BASE_URL = '={{String($credentials.baseUrl).trim().replace(/\\/+$/, "")}}';

export function baseUrlField(placeholder: string, description: string): INodeProperties {
	return {
		displayName: 'Base URL',
		name: 'baseUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder,
		description,
	};
}

export function gatewayBaseUrl(placeholder: string): INodeProperties {
	return baseUrlField(placeholder, 'Address of the gateway API. Its API key is sent to this host only.');
}

export const allowPrivateGatewayHost: INodeProperties = {
	displayName: 'Allow Private Gateway Host',
	name: 'allowPrivateHost',
	type: 'boolean',
	default: false,
	description:
		'Whether media may be fetched from this credential\'s own host when the Base URL gives it as a private, loopback or link-local IP address or as localhost (gateway and n8n on one machine or network). A host name, such as a Docker service name, needs no opt-in. Other hosts stay refused.',
};

/** The gateway's API key, sent as `header` to the base URL's origin only. */
export function gatewayApiKey(header: string, what: string, required: boolean): INodeProperties {
	return {
		displayName: 'API Key',
		name: 'apiKey',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required,
		description: `${what}, sent as "${header}" only to the base URL's host`,
	};
}

/** A GET on the gateway that needs the key: 401 means a wrong key. */
export function gatewayTest(url: string): ICredentialTestRequest {
	return {
		request: {
			baseURL: TRIMMED_BASE_URL,
			url,
			method: 'GET',
		},
	};
}

/**
 * Host names media links may point at besides the credential's own host. Names are trusted as listed and not
 * resolved (docs/security.md): n8n's rules for community nodes offer no name resolution.
 */
export function gatewayMediaHosts(defaultHosts: string, where: string): INodeProperties {
	return {
		displayName: 'Media Hosts',
		name: 'mediaHosts',
		type: 'string',
		typeOptions: { rows: 2 },
		default: defaultHosts,
		placeholder: 'files.example.com, *.cdn.example.com',
		description: `Host names media links from webhooks may point at, besides this credential's own host; comma- or newline-separated; *.example.com matches any subdomain (not example.com itself). ${where} Links to other names are refused; public IP addresses need no listing.`,
	};
}
