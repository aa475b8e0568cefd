/**
 * Faithful doubles of the n8n execution contexts our nodes use, over real HTTP (to the sandbox Chatwoot).
 * They follow n8n-core 2.8.4's request helpers: `returnFullResponse` → {body, headers, statusCode};
 * `ignoreHttpStatusErrors`; JSON bodies parsed; `encoding: 'arraybuffer'` → bytes; network failures thrown as
 * NodeApiError-like errors whose `cause` carries the socket `code`; credential headers added per `authenticate`.
 */
import * as http from 'http';
import * as https from 'https';
import type { LookupFunction } from 'net';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';

import { ChatwootBridgeApi } from '../../credentials/ChatwootBridgeApi.credentials';
import { ChatwootBridgeEvolutionApi } from '../../credentials/ChatwootBridgeEvolutionApi.credentials';
import { ChatwootBridgeWahaApi } from '../../credentials/ChatwootBridgeWahaApi.credentials';
import { ChatwootBridgeWhatsAppCloudApi } from '../../credentials/ChatwootBridgeWhatsAppCloudApi.credentials';
import { capture } from './capture';

/** The credential's own `authenticate`, as n8n applies it to every authenticated request. */
export async function chatwootAuthenticate(
	credentials: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const authenticate = new ChatwootBridgeApi().authenticate;
	if (typeof authenticate !== 'function') throw new Error('chatwootBridgeApi: authenticate is not a function');
	return await authenticate(credentials, options);
}

export interface FakeCredentials {
	baseUrl: string;
	accountId: number;
	apiAccessToken: string;
	headerName?: string;
	/** Gateway credentials by type name (chatwootBridgeEvolutionApi, chatwootBridgeWahaApi, chatwootBridgeWhatsAppCloudApi). */
	gateways?: Record<string, Record<string, unknown>>;
}

/** The header each gateway credential's `authenticate` adds (as declared in credentials/*.credentials.ts). */
const gatewayAuthenticate: Record<string, { header: string; value: (data: Record<string, unknown>) => string }> = {
	chatwootBridgeEvolutionApi: { header: 'apikey', value: (data) => String(data.apiKey) },
	chatwootBridgeWahaApi: { header: 'X-Api-Key', value: (data) => String(data.apiKey) },
	chatwootBridgeWhatsAppCloudApi: { header: 'Authorization', value: (data) => `Bearer ${String(data.accessToken)}` },
};

const gatewayCredentialTypes: Record<string, { properties: Array<{ name: string; default: unknown }> }> = {
	chatwootBridgeEvolutionApi: new ChatwootBridgeEvolutionApi(),
	chatwootBridgeWahaApi: new ChatwootBridgeWahaApi(),
	chatwootBridgeWhatsAppCloudApi: new ChatwootBridgeWhatsAppCloudApi(),
};

/**
 * The credential's data as n8n hands it to a node: fields saved before they existed (or never set) carry their
 * default (n8n 2.8.4 `CredentialsHelper.applyDefaultsAndOverwrites` → `NodeHelpers.getNodeParameters` with defaults).
 */
function withDefaults(type: string, data: Record<string, unknown>): Record<string, unknown> {
	const defaults = Object.fromEntries((gatewayCredentialTypes[type]?.properties ?? []).map((property) => [property.name, property.default]));
	return { ...defaults, ...data };
}

/**
 * Host names this double connects to on 127.0.0.1, as a hosts file would: lets a test play a public host (Meta's
 * `lookaside.fbsbx.com`) with a local server, without any name resolution leaving the machine.
 */
export const loopbackHostNames = new Set<string>();

const loopbackLookup: LookupFunction = (_hostname, options, callback) => {
	if (options.all) {
		(callback as unknown as (error: null, addresses: Array<{ address: string; family: number }>) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
	} else callback(null, '127.0.0.1', 4);
};

export interface RecordedRequest {
	method: string;
	url: string;
	authenticated: boolean;
	/** When the node handed the request to n8n (Date.now()). */
	at: number;
}

function toBuffer(body: unknown, headers: Record<string, string>): Buffer | undefined {
	if (body === undefined || body === null || body === '') return undefined;
	if (Buffer.isBuffer(body)) return body;
	if (typeof body === 'string') return Buffer.from(body);
	if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
		headers['content-type'] = 'application/json';
	}
	return Buffer.from(JSON.stringify(body));
}

/** n8n's plain httpRequest rejects with axios' own error (message and `code`); no NodeApiError wrapping. */
export async function nodeHttpRequest(options: IHttpRequestOptions): Promise<unknown> {
	const url = new URL(options.url, options.baseURL);
	for (const [key, value] of Object.entries((options.qs ?? {}) as IDataObject)) {
		if (value !== undefined) url.searchParams.set(key, String(value));
	}
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries((options.headers ?? {}) as IDataObject)) headers[name] = String(value);
	const body = toBuffer(options.body, headers);
	if (body) headers['content-length'] = String(body.length);
	const transport = url.protocol === 'https:' ? https : http;
	return await new Promise((resolve, reject) => {
		const lookup = loopbackHostNames.has(url.hostname) ? { lookup: loopbackLookup } : {};
		const request = transport.request(url, { method: options.method ?? 'GET', headers, ...lookup }, (response) => {
			const status = response.statusCode ?? 0;
			const answer = (body: unknown): void => {
				if (!options.ignoreHttpStatusErrors && status >= 400) {
					response.destroy();
					reject(Object.assign(new Error(`Request failed with status code ${status}`), { httpCode: String(status) }));
					return;
				}
				resolve(options.returnFullResponse ? { body, headers: response.headers, statusCode: status, statusMessage: response.statusMessage } : body);
			};
			// axios' responseType 'stream': the body is the response stream itself, handed over at the headers.
			if (options.encoding === 'stream') {
				answer(response);
				return;
			}
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => {
				const raw = Buffer.concat(chunks);
				const contentType = String(response.headers['content-type'] ?? '');
				let parsed: unknown = raw;
				if (options.encoding !== 'arraybuffer') {
					const text = raw.toString('utf8');
					parsed = text;
					if (/json/.test(contentType) && text) {
						try {
							parsed = JSON.parse(text);
						} catch {
							parsed = text;
						}
					}
				}
				answer(parsed);
			});
		});
		const timeout = options.timeout ?? 300_000;
		request.setTimeout(timeout, () => request.destroy(Object.assign(new Error(`timeout of ${timeout}ms exceeded`), { code: 'ECONNABORTED' })));
		request.on('error', (error) => reject(error));
		const signal = options.abortSignal as AbortSignal | undefined;
		signal?.addEventListener('abort', () => request.destroy(Object.assign(new Error('canceled'), { code: 'ERR_CANCELED' })), { once: true });
		if (body) request.write(body);
		request.end();
	});
}

export function fakeHelpers(credentials: FakeCredentials, log: RecordedRequest[] = []) {
	return {
		httpRequest: async (options: IHttpRequestOptions) => {
			log.push({ method: options.method ?? 'GET', url: options.url, authenticated: false, at: Date.now() });
			return await nodeHttpRequest(options);
		},
		httpRequestWithAuthentication: async function (this: unknown, type: string, options: IHttpRequestOptions) {
			const gateway = gatewayAuthenticate[type];
			const gatewayData = credentials.gateways?.[type];
			if (type !== 'chatwootBridgeApi' && !(gateway && gatewayData)) throw new Error(`unknown credential type ${type}`);
			log.push({ method: options.method ?? 'GET', url: options.url, authenticated: true, at: Date.now() });
			let headers = { ...((options.headers ?? {}) as IDataObject) };
			if (gateway && gatewayData) headers[gateway.header] = gateway.value(gatewayData);
			else headers = (await chatwootAuthenticate({ ...credentials } as ICredentialDataDecryptedObject, { ...options, headers })).headers as IDataObject;
			// Like n8n, the request carries the execution's cancel signal: a Stop aborts it in flight.
			const cancel = (this as { getExecutionCancelSignal?: () => AbortSignal | undefined } | undefined)?.getExecutionCancelSignal?.();
			// httpRequestWithAuthentication wraps every failure in a NodeApiError whose `cause` is axios' error.
			return await nodeHttpRequest({ ...options, headers, abortSignal: options.abortSignal ?? cancel }).catch((error: unknown) => {
				throw Object.assign(new Error('NodeApiError: connection failed'), { cause: error });
			});
		},
		getBinaryDataBuffer: async () => Buffer.alloc(0),
	};
}

export const testNode: INode = {
	id: 'node-under-test',
	name: 'Node Under Test',
	type: 'n8n-nodes-chatwoot-bridge.test',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export interface ExecuteContextOptions {
	credentials: FakeCredentials;
	items: INodeExecutionData[];
	/** Parameters per item (a function of the item index) or the same for all items. */
	parameters: Record<string, unknown> | ((itemIndex: number) => Record<string, unknown>);
	continueOnFail?: boolean;
	log?: RecordedRequest[];
	binary?: Record<string, Buffer>;
	/** The execution's cancel signal (n8n aborts it when the execution is stopped). */
	cancelSignal?: AbortSignal;
	/** The node's parameters as saved (expressions unevaluated); none by default. */
	nodeParameters?: Record<string, unknown>;
}

/** An IExecuteFunctions double: enough of the interface for our execute() and nothing pretending beyond it. */
export function executeContext(options: ExecuteContextOptions) {
	const helpers = fakeHelpers(options.credentials, options.log);
	const parameters = (index: number) =>
		typeof options.parameters === 'function' ? options.parameters(index) : options.parameters;
	return {
		getInputData: () => options.items,
		getNode: (): INode => ({ ...testNode, parameters: (options.nodeParameters ?? {}) as INode['parameters'] }),
		continueOnFail: () => options.continueOnFail ?? false,
		getExecutionCancelSignal: () => options.cancelSignal,
		getCredentials: async (type: string) => {
			const gateway = options.credentials.gateways?.[type];
			if (gateway) return withDefaults(type, gateway);
			if (type !== 'chatwootBridgeApi') throw new Error(`unknown credential type ${type}`);
			return { ...options.credentials };
		},
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			const value = parameters(itemIndex)[name];
			if (value === undefined) {
				if (fallback !== undefined) return fallback;
				throw new Error(`Could not get parameter "${name}"`);
			}
			return value;
		},
		helpers: {
			...helpers,
			getBinaryDataBuffer: async (itemIndex: number, property: string) => {
				const data = options.items[itemIndex]?.binary?.[property]?.data;
				return Buffer.from(data ?? '', 'base64');
			},
		},
	};
}

/**
 * Runs a node's execute() on a context double and hands what a user would see (output items, or the error) to the
 * suite's secret scan.
 */
export async function runNodeExecute(
	node: { execute?: (this: never) => Promise<INodeExecutionData[][]> },
	ctx: unknown,
	where: string,
): Promise<INodeExecutionData[]> {
	try {
		const [output] = await node.execute!.call(ctx as never);
		capture('output', output.map((item) => item.json), where);
		return output;
	} catch (error) {
		capture('error', error, where);
		throw error;
	}
}
