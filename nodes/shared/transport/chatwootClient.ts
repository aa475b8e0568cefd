import { sleepFor } from '../cancellation';
import { ChatwootClient } from '../chatwoot/client';
import { integrationNotConfigured } from '../chatwoot/errors';
import type { SendRequest } from '../chatwoot/request';
import { CHATWOOT_CREDENTIAL_TYPE, n8nSendRequest, type ChatwootContext } from './sendRequest';
import { settle } from '../settle';
import { parseChatwootSettings, type ChatwootSettings } from './settings';

export interface ChatwootConnection {
	client: ChatwootClient;
	settings: ChatwootSettings;
}

/** What a call site changes about the one way the bridge builds its Chatwoot client; everything else is shared. */
export interface ClientOptions {
	/** Attempts per call, the first included; 1 for a best-effort read or a webhook's short answer budget. */
	maxAttempts?: number;
	/** Timeout of every request: fixed, or computed per request (e.g. the time left until a deadline). */
	timeoutMs?: number | (() => number);
	/** Wraps the transport, e.g. in the import's request pacing. */
	wrapSend?: (send: SendRequest) => SendRequest;
}

/** Without a usable credential the bridge is not configured (503), whatever is wrong with it. */
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

/**
 * The Chatwoot client of a node run: n8n transport, retries whose waits end with the execution, token redacted
 * from every error.
 */
export function chatwootClient(ctx: ChatwootContext, settings: ChatwootSettings, options: ClientOptions = {}): ChatwootClient {
	const { timeoutMs, wrapSend = (send) => send } = options;
	const base = n8nSendRequest(ctx, settings.baseUrl);
	const timed: SendRequest =
		timeoutMs === undefined
			? base
			: (request) => base({ ...request, timeoutMs: typeof timeoutMs === 'number' ? timeoutMs : timeoutMs() });
	const signal = cancelSignalOf(ctx);
	return ChatwootClient.over(wrapSend(timed), {
		baseUrl: settings.baseUrl,
		accountId: settings.accountId,
		sleep: sleepFor(signal),
		signal,
		secrets: [settings.token],
		...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
	});
}

/** The credential, checked, and a client over it. */
export async function connectChatwoot(ctx: ChatwootContext, options: ClientOptions = {}): Promise<ChatwootConnection> {
	const settings = await readSettings(ctx);
	return { client: chatwootClient(ctx, settings, options), settings };
}
