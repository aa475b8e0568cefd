import { sleepFor } from '../cancellation';
import { ChatwootClient } from '../chatwoot/client';
import { integrationNotConfigured } from '../chatwoot/errors';
import { CHATWOOT_CREDENTIAL_TYPE, n8nSendRequest, type ChatwootContext } from './sendRequest';
import { settle } from '../settle';
import { parseChatwootSettings, type ChatwootSettings } from './settings';

export interface ChatwootConnection {
	client: ChatwootClient;
	settings: ChatwootSettings;
}

/** Seed 003: without a usable credential the bridge "gateway" is not configured (503), whatever is wrong with it. */
async function readSettings(ctx: ChatwootContext): Promise<ChatwootSettings> {
	const raw = await settle(ctx.getCredentials(CHATWOOT_CREDENTIAL_TYPE));
	if (!raw.ok) throw integrationNotConfigured('gateway', (raw.error as Error).message);
	const parsed = await settle(Promise.resolve().then(() => parseChatwootSettings(raw.value as Record<string, unknown>)));
	if (!parsed.ok) throw integrationNotConfigured('gateway', (parsed.error as Error).message);
	return parsed.value;
}

/** The execution's cancel signal: n8n aborts it when the execution is stopped (webhook runs have none). */
export function cancelSignalOf(ctx: ChatwootContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
}

/** The Chatwoot client of a node run: credential checked, n8n transport, bounded retries, token redacted. */
export async function connectChatwoot(ctx: ChatwootContext): Promise<ChatwootConnection> {
	const settings = await readSettings(ctx);
	const signal = cancelSignalOf(ctx);
	const client = ChatwootClient.over(n8nSendRequest(ctx, settings.baseUrl), {
		baseUrl: settings.baseUrl,
		accountId: settings.accountId,
		sleep: sleepFor(signal),
		signal,
		secrets: [settings.token],
	});
	return { client, settings };
}
