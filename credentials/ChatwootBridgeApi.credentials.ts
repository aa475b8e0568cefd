import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	IHttpRequestOptions,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { baseUrlField, BRIDGE_ICON, TRIMMED_BASE_URL } from './credentialFields';

/**
 * Chatwoot Application API access for the WhatsApp bridge.
 * The name is prefixed: n8n registers credential types by bare name across packages, and other Chatwoot
 * packages already use `chatwootApi` (so this one is prefixed).
 */
export class ChatwootBridgeApi implements ICredentialType {
	name = 'chatwootBridgeApi';

	displayName = 'Chatwoot Bridge API';

	icon = BRIDGE_ICON;

	documentationUrl = 'https://github.com/chatwoot-bridge/n8n-nodes-chatwoot-bridge#how-the-pieces-fit';

	properties: INodeProperties[] = [
		baseUrlField('https://chatwoot.example.com', 'Address of the Chatwoot installation (http or https). A trailing slash is removed.'),
		{
			displayName: 'Account ID',
			name: 'accountId',
			type: 'number',
			default: 1,
			required: true,
			typeOptions: { minValue: 1, numberPrecision: 0 },
			description: 'Number in the Chatwoot URL after /accounts/',
		},
		{
			displayName: 'API Access Token',
			name: 'apiAccessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Access token of an administrator of the account (Profile settings). Agent and agent-bot tokens cannot create inboxes or contacts.',
		},
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'options',
			default: 'api_access_token',
			options: [
				{ name: 'Api_access_token (Chatwoot Default)', value: 'api_access_token' },
				{ name: 'Api-Access-Token (Behind Nginx)', value: 'Api-Access-Token' },
			],
			description:
				'Chatwoot reads both. nginx drops headers with underscores unless underscores_in_headers is on, so pick the hyphen form when Chatwoot answers 401 through a proxy.',
		},
	];

	// A function, not a generic block of expressions: n8n evaluates a generic block's expressions on every request,
	// which cost a bulk import as much CPU as all of this package's code (docs/architecture.md, Import).
	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		headers: {
			...requestOptions.headers,
			[String(credentials.headerName || 'api_access_token')]: String(credentials.apiAccessToken ?? '').trim(),
		},
	});

	// Listing the account's inboxes proves the token is valid *and* belongs to a member of this account.
	test: ICredentialTestRequest = {
		request: {
			baseURL: TRIMMED_BASE_URL,
			url: '=/api/v1/accounts/{{$credentials.accountId}}/inboxes',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Chatwoot rejected the API token, or its user is not a member of this account - verify the API access token and the account ID',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'Chatwoot account or endpoint not found - verify the base URL and the account ID',
				},
			},
		],
	};
}
