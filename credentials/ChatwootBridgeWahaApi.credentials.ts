import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { allowPrivateGatewayHost, BRIDGE_ICON, gatewayApiKey, gatewayBaseUrl, gatewayMediaHosts, gatewayTest } from './credentialFields';

/**
 * WAHA access for the bridge: the API key opens WAHA's file server for media, and the HMAC key checks the
 * X-Webhook-Hmac signature WAHA puts on each webhook. Prefixed name: credential types share one namespace.
 */
export class ChatwootBridgeWahaApi implements ICredentialType {
	name = 'chatwootBridgeWahaApi';

	displayName = 'Chatwoot Bridge: WAHA API';

	icon = BRIDGE_ICON;

	documentationUrl = 'https://github.com/chatwoot-bridge/n8n-nodes-chatwoot-bridge#security';

	properties: INodeProperties[] = [
		gatewayBaseUrl('https://waha.example.com'),
		gatewayApiKey('X-Api-Key', 'WAHA_API_KEY (its file server included)', false),
		{
			displayName: 'Webhook HMAC Key',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The hmac.key of the WAHA webhook config. Set: every webhook must carry a valid X-Webhook-Hmac (HMAC-SHA512). Empty: webhooks are not checked.',
		},
		gatewayMediaHosts('', 'WAHA serves media from its own host; list another name only when its file URLs point elsewhere.'),
		allowPrivateGatewayHost,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'X-Api-Key': '={{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = gatewayTest('/api/sessions');
}
