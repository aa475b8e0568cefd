/**
 * The gateway parameters the Import and the Sync node share: which gateway the input comes from, and which gateway
 * credential (API key, webhook secret) the node may use, with the credential slots that choice shows.
 */
import type { ICredentialsDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

export type GatewayChoice = 'none' | 'evolution' | 'waha' | 'cloud';

/** The credential type of each gateway (credentials/ChatwootBridge*Api.credentials.ts). */
export const GATEWAY_CREDENTIAL_TYPES: Record<Exclude<GatewayChoice, 'none'>, string> = {
	evolution: 'chatwootBridgeEvolutionApi',
	waha: 'chatwootBridgeWahaApi',
	cloud: 'chatwootBridgeWhatsAppCloudApi',
};

const EVOLUTION: INodePropertyOptions = { name: 'Evolution API', value: 'evolution' };
const WAHA: INodePropertyOptions = { name: 'WAHA', value: 'waha' };
const CLOUD: INodePropertyOptions = { name: 'WhatsApp Cloud API', value: 'cloud' };

/** "Gateway": where the input comes from. The Sync node also reads items of n8n's own WhatsApp Trigger. */
export function gatewayField(spec: { description?: string; n8nWhatsAppTrigger?: boolean } = {}): INodeProperties {
	const trigger: INodePropertyOptions[] = spec.n8nWhatsAppTrigger ? [{ name: 'N8n WhatsApp Trigger', value: 'n8nWhatsAppTrigger' }] : [];
	return {
		displayName: 'Gateway',
		name: 'gateway',
		type: 'options',
		default: 'auto',
		options: [{ name: 'Detect Automatically', value: 'auto' }, EVOLUTION, ...trigger, WAHA, CLOUD],
		...(spec.description ? { description: spec.description } : {}),
	};
}

export const gatewayCredentialProperty: INodeProperties = {
	displayName: 'Gateway Credential',
	name: 'gatewayCredential',
	type: 'options',
	default: 'none',
	options: [
		{ name: 'None', value: 'none', description: 'Webhooks are not authenticated; media only from the webhook itself' },
		EVOLUTION,
		WAHA,
		CLOUD,
	],
	description:
		'The gateway\'s API key and webhook secret: checks that webhooks come from the gateway, and fetches media with the key (sent to the gateway\'s host only)',
};

/** When a node shows a gateway credential: its operation `operation` picked it in "Gateway Credential". */
export function gatewayCredentialShown(operation: string, choice: Exclude<GatewayChoice, 'none'>): ICredentialsDisplayOptions {
	return { show: { operation: [operation], gatewayCredential: [choice] } };
}
