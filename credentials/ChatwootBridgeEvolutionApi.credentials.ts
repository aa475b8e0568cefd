import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { allowPrivateGatewayHost, BRIDGE_ICON, gatewayApiKey, gatewayBaseUrl, gatewayMediaHosts, gatewayTest } from './credentialFields';

/**
 * Evolution API access for the bridge: media the webhook did not carry (view-once, base64 off) is fetched with
 * the API key, and the optional shared secret authenticates webhooks (Evolution does not sign them).
 * Prefixed name: n8n registers credential types by bare name across packages.
 */
export class ChatwootBridgeEvolutionApi implements ICredentialType {
	name = 'chatwootBridgeEvolutionApi';

	displayName = 'Chatwoot Bridge: Evolution API';

	icon = BRIDGE_ICON;

	documentationUrl = 'https://github.com/chatwoot-bridge/n8n-nodes-chatwoot-bridge#security';

	properties: INodeProperties[] = [
		gatewayBaseUrl('https://evolution.example.com'),
		gatewayApiKey('apikey', 'Global or instance API key', true),
		{
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Shared secret every webhook must carry (Evolution does not sign webhooks). Empty: webhooks are not checked.',
		},
		{
			displayName: 'Webhook Header Name',
			name: 'webhookHeaderName',
			type: 'string',
			default: 'x-bridge-secret',
			description:
				'Header the Evolution webhook config sends the secret in ("headers" of the webhook settings). Without custom headers, end the Webhook node path with /:secret and put the secret in the URL instead.',
		},
		gatewayMediaHosts('', 'List the host of Evolution\'s S3 or MinIO storage when its webhooks carry a mediaUrl there.'),
		allowPrivateGatewayHost,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { apikey: '={{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = gatewayTest('/instance/fetchInstances');
}
