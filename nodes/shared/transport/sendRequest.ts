import type {
	IAdditionalCredentialOptions,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IWebhookFunctions,
} from 'n8n-workflow';

import { encodeMultipart } from '../chatwoot/multipart';
import type { ChatwootRequest, ChatwootResponse, SendRequest } from '../chatwoot/request';

export const CHATWOOT_CREDENTIAL_TYPE = 'chatwootBridgeApi';

export type ChatwootContext =
	| IExecuteFunctions
	| IHookFunctions
	| IWebhookFunctions
	| ILoadOptionsFunctions;

const DEFAULT_TIMEOUT_MS = 15_000;

/** Network failure codes as our classifier expects them; axios reports a timeout as ECONNABORTED. */
function networkCode(error: unknown): string {
	const seen = new Set<unknown>();
	let current = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined;
	while (current && !seen.has(current)) {
		seen.add(current);
		if (typeof current.code === 'string' && /^E[A-Z_]+$/.test(current.code)) {
			return current.code === 'ECONNABORTED' ? 'ETIMEDOUT' : current.code;
		}
		if (typeof current.message === 'string' && /timeout/i.test(current.message)) return 'ETIMEDOUT';
		if (typeof current.message === 'string' && /socket hang up/i.test(current.message)) {
			return 'ECONNRESET';
		}
		current = current.cause as typeof current;
	}
	return 'ENETWORK';
}

function toHeaders(raw: IDataObject | undefined): Record<string, string | undefined> {
	const headers: Record<string, string | undefined> = {};
	for (const [name, value] of Object.entries(raw ?? {})) {
		headers[name.toLowerCase()] = value === undefined ? undefined : String(value);
	}
	return headers;
}

/**
 * The credential of one node run (or one webhook call), read and decrypted once. Without it n8n reads and decrypts it
 * from its database for every request: 15 % of the CPU of a bulk import was that (docs/architecture.md, Import).
 * Keyed by the run's context, so the next run reads the credential again and sees any change.
 */
const credentialOfRun = new WeakMap<object, Promise<IAdditionalCredentialOptions>>();

function credentialOptions(ctx: ChatwootContext): Promise<IAdditionalCredentialOptions> {
	let options = credentialOfRun.get(ctx);
	if (!options) {
		options = readCredential(ctx);
		credentialOfRun.set(ctx, options);
	}
	return options;
}

async function readCredential(ctx: ChatwootContext): Promise<IAdditionalCredentialOptions> {
	const reference = ctx.getNode().credentials?.[CHATWOOT_CREDENTIAL_TYPE];
	const data = await ctx.getCredentials(CHATWOOT_CREDENTIAL_TYPE);
	return {
		credentialsDecrypted: {
			id: reference?.id ?? '',
			name: reference?.name ?? '',
			type: CHATWOOT_CREDENTIAL_TYPE,
			data,
		},
	};
}

/**
 * The only place that performs Chatwoot HTTP: one exchange through n8n's authenticated request helper.
 * Every status resolves (the classifier decides); only a missing answer rejects, with a network `code`.
 */
export function n8nSendRequest(ctx: ChatwootContext, baseUrl: string): SendRequest {
	return async (request: ChatwootRequest): Promise<ChatwootResponse> => {
		const options: IHttpRequestOptions = {
			method: request.method as IHttpRequestMethods,
			url: `${baseUrl}${request.path}`,
			qs: request.query as IDataObject | undefined,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
			headers: { accept: 'application/json' },
		};
		if (request.multipart) {
			const encoded = encodeMultipart(request.multipart);
			options.body = encoded.body;
			options.headers = { ...options.headers, 'content-type': encoded.contentType };
		} else if (request.body !== undefined) {
			options.body = request.body as IDataObject;
			options.json = true;
		}
		let response: IN8nHttpFullResponse;
		try {
			response = (await ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				CHATWOOT_CREDENTIAL_TYPE,
				options,
				await credentialOptions(ctx),
			)) as IN8nHttpFullResponse;
		} catch (error) {
			// Reported as data, not rethrown: the retry policy and the classifier decide what it means.
			return Promise.reject(Object.assign(new Error('No answer from Chatwoot'), { code: networkCode(error) }));
		}
		const body = response.body === '' ? undefined : response.body;
		return { status: response.statusCode, headers: toHeaders(response.headers), body };
	};
}
