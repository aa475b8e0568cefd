import { sleep } from 'n8n-workflow';

import { ChatwootClient } from '../chatwoot/client';
import { integrationNotConfigured } from '../chatwoot/errors';
import { CHATWOOT_CREDENTIAL_TYPE, n8nSendRequest, type ChatwootContext } from './sendRequest';
import { parseChatwootSettings, type ChatwootSettings } from './settings';

export interface ChatwootConnection {
	client: ChatwootClient;
	settings: ChatwootSettings;
}

async function readSettings(ctx: ChatwootContext): Promise<ChatwootSettings> {
	let raw: Record<string, unknown> | undefined;
	try {
		raw = (await ctx.getCredentials(CHATWOOT_CREDENTIAL_TYPE)) as Record<string, unknown>;
	} catch (error) {
		// Seed 003: without a usable credential the bridge "gateway" is not configured at all.
		return Promise.reject(integrationNotConfigured('gateway', (error as Error).message));
	}
	return parseChatwootSettings(raw ?? {});
}

/** The Chatwoot client of a node run: credential checked, n8n transport, bounded retries, token redacted. */
export async function connectChatwoot(ctx: ChatwootContext): Promise<ChatwootConnection> {
	const settings = await readSettings(ctx);
	const client = ChatwootClient.over(n8nSendRequest(ctx, settings.baseUrl), {
		baseUrl: settings.baseUrl,
		accountId: settings.accountId,
		sleep,
		secrets: [settings.token],
	});
	return { client, settings };
}
