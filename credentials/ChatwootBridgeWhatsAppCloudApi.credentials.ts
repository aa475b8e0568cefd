import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { allowPrivateGatewayHost, BRIDGE_ICON, gatewayMediaHosts, gatewayTest } from './credentialFields';

/**
 * WhatsApp Cloud API access for the bridge: the access token resolves media ids through the Graph API, the app
 * secret checks Meta's X-Hub-Signature-256. An own type rather than n8n's "WhatsApp API" credential: that one has no
 * app secret (it lives in the separate "WhatsApp OAuth" trigger credential), and community nodes may only use the
 * credential types of their own package (docs/security.md).
 */
export class ChatwootBridgeWhatsAppCloudApi implements ICredentialType {
	name = 'chatwootBridgeWhatsAppCloudApi';

	displayName = 'Chatwoot Bridge: WhatsApp Cloud API';

	icon = BRIDGE_ICON;

	documentationUrl = 'https://github.com/chatwoot-bridge/n8n-nodes-chatwoot-bridge#security';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'System user or app access token with whatsapp_business_messaging, sent only to the Graph API and to the media links it returns',
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Meta app secret (App settings → Basic). Set: every webhook must carry a valid X-Hub-Signature-256. Empty: webhooks are not checked.',
		},
		{
			displayName: 'Graph API URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://graph.facebook.com/v21.0',
			required: true,
			description: 'Graph API address with its version',
		},
		gatewayMediaHosts('lookaside.fbsbx.com', 'The Graph API\'s media links point at lookaside.fbsbx.com.'),
		allowPrivateGatewayHost,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	// The token's own identity: any valid token may read it, and the token stays out of the URL.
	test: ICredentialTestRequest = gatewayTest('/me');
}
