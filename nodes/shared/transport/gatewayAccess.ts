import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';

import { bareHost } from '../bridge/addressPolicy';
import { originOf } from '../bridge/mediaFetch';
import { parseMediaHosts, type MediaHosts } from '../bridge/mediaHosts';
import type { GatewayApi } from '../bridge/gatewayMedia';
import { invalidBody } from '../chatwoot/errors';
import { GATEWAY_CREDENTIAL_TYPES, type GatewayChoice } from '../descriptions/gateway';
import type { WebhookSecret } from '../whatsapp/webhookAuth';

/**
 * The optional gateway credential of a node: where the gateway API is, its key (applied by n8n, never read here
 * into a header), the webhook secret, the host names media may come from, and whether the gateway's own host may be
 * private.
 */

export interface GatewayAccess {
	gateway: Exclude<GatewayChoice, 'none'>;
	credentialType: string;
	api: GatewayApi;
	/** Origin that gets the credential. */
	origin: string;
	/** Host allowed to be private (the credential's own, when it opts in). */
	privateHost?: string;
	/** Names media links may point at: the base URL's host and the credential's "Media Hosts". */
	mediaHosts: MediaHosts;
	webhookSecret?: WebhookSecret;
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

function webhookSecretOf(gateway: GatewayAccess['gateway'], credentials: ICredentialDataDecryptedObject): WebhookSecret | undefined {
	if (gateway === 'cloud') {
		const appSecret = text(credentials.appSecret);
		return appSecret ? { gateway, appSecret } : undefined;
	}
	const secret = text(credentials.webhookSecret);
	if (!secret) return undefined;
	return gateway === 'waha'
		? { gateway, hmacKey: secret }
		: { gateway, sharedSecret: secret, headerName: text(credentials.webhookHeaderName) || undefined };
}

/** What the credential chosen on the node says, or undefined when the node has none. */
export async function readGatewayAccess(ctx: IExecuteFunctions, itemIndex = 0): Promise<GatewayAccess | undefined> {
	const choice = ctx.getNodeParameter('gatewayCredential', itemIndex, 'none') as GatewayChoice;
	if (choice === 'none') return undefined;
	const credentialType = GATEWAY_CREDENTIAL_TYPES[choice];
	if (!credentialType) throw invalidBody('gatewayCredential', `unknown choice "${String(choice)}"`);
	const credentials = await ctx.getCredentials(credentialType, itemIndex);
	const baseUrl = text(credentials.baseUrl).replace(/\/+$/, '');
	const origin = originOf(baseUrl);
	if (!origin || !/^https?:$/.test(new URL(baseUrl).protocol)) {
		throw invalidBody('gatewayCredential', 'the credential\'s base URL is not an http(s) address');
	}
	const ownHost = bareHost(new URL(baseUrl));
	return {
		gateway: choice,
		credentialType,
		api: { gateway: choice, baseUrl },
		origin,
		privateHost: credentials.allowPrivateHost === true ? ownHost : undefined,
		mediaHosts: { patterns: [ownHost, ...listedMediaHosts(credentials)], urlField: choice === 'cloud' ? 'Graph API URL' : 'Base URL' },
		webhookSecret: webhookSecretOf(choice, credentials),
	};
}

function listedMediaHosts(credentials: ICredentialDataDecryptedObject): string[] {
	try {
		return parseMediaHosts(text(credentials.mediaHosts));
	} catch (error) {
		throw invalidBody('gatewayCredential', `the credential's "Media Hosts": ${(error as Error).message}`);
	}
}
