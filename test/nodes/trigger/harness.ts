/**
 * Faithful doubles of n8n's IHookFunctions / IWebhookFunctions for the Chatwoot Bridge Trigger, over the real
 * sandbox Chatwoot:
 * - `helpers.httpRequestWithAuthentication` sends real HTTP (Node http) with the header the credential's
 *   `authenticate` function adds (`headerName: apiAccessToken`), honours `qs`, `json`, `timeout`,
 *   `returnFullResponse` and `ignoreHttpStatusErrors` like n8n's axios-based helper, and parses JSON answers.
 * - `getWorkflowStaticData('node')` is one object per node, kept across calls (as n8n keeps it between activation
 *   and later runs).
 * - `getRequestObject()` carries `rawBody` (a Buffer of the exact bytes) and lower-case headers, like express.
 * - `n8nAnswer()` reproduces what n8n 2.8.4 sends back after webhook() returns (docs/n8n-runtime.md, Answering a
 *   webhook).
 * - `TriggerHost` is a tiny "n8n": an HTTP server the sandbox delivers webhooks to, which runs webhook() per request.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

import type {
	IDataObject,
	IHookFunctions,
	IHttpRequestOptions,
	INode,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { ChatwootBridgeTrigger } from '../../../nodes/ChatwootBridgeTrigger/ChatwootBridgeTrigger.node';
import { capture } from '../../support/capture';
import { chatwootAuthenticate } from '../../support/fakeN8n';

export interface Credentials {
	baseUrl: string;
	accountId: number;
	apiAccessToken: string;
	headerName?: string;
}

export function adminCredentials(baseUrl: string): Credentials {
	return { baseUrl, accountId: 1, apiAccessToken: 'test-admin-token', headerName: 'api_access_token' };
}

export interface LogLine {
	level: 'debug' | 'info' | 'warn' | 'error';
	message: string;
}

/** One trigger node in one workflow: its parameters, credential, static data and webhook URL. */
export class FakeTriggerNode {
	readonly trigger = new ChatwootBridgeTrigger();
	readonly staticData: IDataObject = {};
	readonly logs: LogLine[] = [];
	/** Every HTTP request the node sent to Chatwoot (method and path). */
	readonly requests: Array<{ method: string; path: string }> = [];
	webhookUrl: string;
	/** `manual`: the lifecycle as n8n runs it for "Listen for test event" (test URL, manual mode). */
	hookMode: 'trigger' | 'manual' = 'trigger';
	params: Record<string, unknown>;
	credentials: Credentials;
	readonly node: INode;

	constructor(options: {
		credentials: Credentials;
		params: Record<string, unknown>;
		webhookUrl?: string;
		nodeId?: string;
		workflowId?: string;
	}) {
		this.credentials = options.credentials;
		this.params = options.params;
		this.webhookUrl = options.webhookUrl ?? 'https://n8n.example.test/webhook/00000000-0000-4000-8000-000000000001/webhook';
		this.node = {
			id: options.nodeId ?? 'b1d6c6a4-1f4e-4f2b-9a57-2d7f1e4b8c31',
			name: 'Chatwoot Bridge Trigger',
			type: 'n8n-nodes-chatwoot-bridge.chatwootBridgeTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
			webhookId: '00000000-0000-4000-8000-000000000001',
		};
		this.workflowId = options.workflowId ?? 'wfTrigger01';
	}

	private readonly workflowId: string;

	private logger() {
		const log = (level: LogLine['level']) => (message: string) => {
			capture('log', message, `chatwootBridgeTrigger ${level}`);
			this.logs.push({ level, message });
		};
		return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), verbose: log('debug') };
	}

	/** n8n's getNodeParameter: dotted paths, fallback for absent values, `extractValue` for resource locators. */
	getNodeParameter(name: string, fallback?: unknown, options?: { extractValue?: boolean }): any {
		let value: unknown = this.params;
		for (const part of name.split('.')) {
			value = value !== null && typeof value === 'object' ? (value as IDataObject)[part] : undefined;
		}
		if (value === undefined) {
			if (fallback === undefined) throw new Error(`Could not get parameter "${name}"`);
			return fallback;
		}
		if (options?.extractValue && value && typeof value === 'object' && (value as IDataObject).__rl) {
			return (value as IDataObject).value;
		}
		return structuredClone(value);
	}

	private base(mode: 'webhook' | 'trigger' | 'manual') {
		const send = (options: IHttpRequestOptions) => authenticatedRequest(this, options);
		return {
			logger: this.logger(),
			getNode: () => ({ ...this.node, parameters: structuredClone(this.params) as INode['parameters'] }),
			getWorkflow: () => ({ id: this.workflowId, name: 'Trigger test', active: true }),
			getWorkflowStaticData: (type: string) => {
				if (type !== 'node') throw new Error(`unexpected static data type ${type}`);
				return this.staticData;
			},
			getCredentials: async (type: string) => {
				if (type !== 'chatwootBridgeApi') throw new Error(`Node does not have credentials of type ${type}`);
				return { ...this.credentials };
			},
			getNodeParameter: (name: string, fallback?: unknown, options?: { extractValue?: boolean }) =>
				this.getNodeParameter(name, fallback, options),
			getNodeWebhookUrl: (name: string) => (name === 'default' ? this.webhookUrl : undefined),
			getWebhookName: () => 'default',
			getMode: () => mode,
			getActivationMode: () => 'activate',
			helpers: {
				async httpRequestWithAuthentication(this: unknown, credentialType: string, options: IHttpRequestOptions) {
					if (credentialType !== 'chatwootBridgeApi') throw new Error(`unexpected credential ${credentialType}`);
					return send(options);
				},
			},
		};
	}

	hookContext(): IHookFunctions {
		return this.base(this.hookMode) as unknown as IHookFunctions;
	}

	webhookContext(request: IncomingDelivery, response: FakeResponse): IWebhookFunctions {
		const headers = lowerCaseHeaders(request.headers);
		const body = parseJson(request.rawBody);
		return {
			...this.base('webhook'),
			getRequestObject: () => ({ headers, body, rawBody: request.rawBody, method: 'POST' }),
			getResponseObject: () => response,
			getBodyData: () => (body && typeof body === 'object' ? body : {}),
			getHeaderData: () => headers,
			getQueryData: () => ({}),
			getParamsData: () => ({}),
		} as unknown as IWebhookFunctions;
	}

	// ---- lifecycle, as n8n calls it ----

	checkExists(): Promise<boolean> {
		return captured('checkExists', this.trigger.webhookMethods.default.checkExists.call(this.hookContext()));
	}

	create(): Promise<boolean> {
		return captured('create', this.trigger.webhookMethods.default.create.call(this.hookContext()));
	}

	delete(): Promise<boolean> {
		return captured('delete', this.trigger.webhookMethods.default.delete.call(this.hookContext()));
	}

	/** What n8n does on activation: checkExists, then create when it answered false. */
	async activate(): Promise<void> {
		if (!(await this.checkExists())) await this.create();
	}

	/** One webhook() call and the HTTP answer n8n would send for it. */
	async receive(request: IncomingDelivery): Promise<WebhookCall> {
		const response = new FakeResponse();
		const result = await this.trigger.webhook.call(this.webhookContext(request, response));
		const answer = n8nAnswer(result, response);
		capture('webhookAnswer', { answer, items: result.workflowData }, 'chatwootBridgeTrigger');
		return { request, result, answer };
	}
}

/** Lifecycle errors reach the user in n8n's activation message: they go to the secret scan too. */
async function captured<T>(method: string, result: Promise<T>): Promise<T> {
	return await result.catch((error: unknown) => {
		capture('error', error, `chatwootBridgeTrigger ${method}`);
		throw error;
	});
}

// ---- HTTP to Chatwoot, as n8n's request helper does it ----

function lowerCaseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name.toLowerCase()] = value;
	return out;
}

function parseJson(raw: Buffer | string): any {
	try {
		return JSON.parse(raw.toString());
	} catch {
		return undefined;
	}
}

async function authenticatedRequest(node: FakeTriggerNode, options: IHttpRequestOptions): Promise<unknown> {
	const credentials = node.credentials;
	const url = new URL(options.url, options.baseURL);
	for (const [key, value] of Object.entries((options.qs ?? {}) as IDataObject)) {
		if (value !== undefined) url.searchParams.append(key, String(value));
	}
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries((options.headers ?? {}) as IDataObject)) headers[key.toLowerCase()] = String(value);
	const authenticated = await chatwootAuthenticate({ ...credentials }, { url: options.url });
	for (const [key, value] of Object.entries(authenticated.headers ?? {})) headers[key.toLowerCase()] = String(value);
	let body: Buffer | undefined;
	if (Buffer.isBuffer(options.body)) body = options.body;
	else if (typeof options.body === 'string') body = Buffer.from(options.body);
	else if (options.body !== undefined) {
		body = Buffer.from(JSON.stringify(options.body));
		headers['content-type'] ??= 'application/json';
	}
	if (body) headers['content-length'] = String(body.length);
	node.requests.push({ method: String(options.method ?? 'GET'), path: url.pathname });

	const response = await new Promise<{ statusCode: number; headers: IDataObject; body: unknown }>((resolve, reject) => {
		const request = http.request(url, { method: options.method ?? 'GET', headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => {
				const raw = Buffer.concat(chunks).toString('utf8');
				// axios parses JSON answers whatever the content type says (transitional.forcedJSONParsing).
				const parsed = raw === '' ? '' : (parseJson(raw) ?? raw);
				resolve({ statusCode: res.statusCode ?? 0, headers: res.headers as IDataObject, body: parsed });
			});
			res.on('error', reject);
		});
		if (options.timeout) {
			request.setTimeout(options.timeout, () =>
				request.destroy(Object.assign(new Error(`timeout of ${options.timeout}ms exceeded`), { code: 'ECONNABORTED' })),
			);
		}
		request.on('error', reject);
		request.end(body);
	});
	if (!options.ignoreHttpStatusErrors && response.statusCode >= 400) {
		throw Object.assign(new Error(`Request failed with status code ${response.statusCode}`), { response });
	}
	return options.returnFullResponse ? response : response.body;
}

// ---- the HTTP side of webhook() ----

export interface IncomingDelivery {
	headers: Record<string, string | string[] | undefined>;
	rawBody: Buffer;
}

/** The express Response methods the trigger may use, recording what was written. */
export class FakeResponse {
	statusCode = 200;
	body: unknown;
	headersSent = false;
	readonly headers: Record<string, string> = {};

	status(code: number): this {
		this.statusCode = code;
		return this;
	}

	json(body: unknown): this {
		this.body = body;
		this.headersSent = true;
		return this;
	}

	send(body: unknown): this {
		return this.json(body);
	}

	end(): this {
		this.headersSent = true;
		return this;
	}

	setHeader(name: string, value: string): this {
		this.headers[name.toLowerCase()] = value;
		return this;
	}
}

export interface HttpAnswer {
	status: number;
	body: unknown;
}

/**
 * n8n 2.8.4's answer after webhook() (WebhookHelpers, responseMode onReceived): `noWebhookResponse` → what the node
 * wrote; no `workflowData` → `webhookResponse` or `{"message":"Webhook call received"}` with 200; otherwise 200 with
 * the default `responseData`, the literal `firstEntryJson` (measured, docs/n8n-runtime.md, Answering a webhook).
 */
export function n8nAnswer(result: IWebhookResponseData, response: FakeResponse): HttpAnswer {
	if (result.noWebhookResponse) {
		if (!response.headersSent) throw new Error('noWebhookResponse without an answer: the request would hang');
		return { status: response.statusCode, body: response.body };
	}
	if (result.workflowData === undefined) {
		return { status: 200, body: result.webhookResponse ?? { message: 'Webhook call received' } };
	}
	return { status: 200, body: 'firstEntryJson' };
}

export interface WebhookCall {
	request: IncomingDelivery;
	result: IWebhookResponseData;
	answer: HttpAnswer;
	/** Set when webhook() threw (n8n would answer 500 and record a failed execution). */
	error?: string;
}

/** Did this call start an execution (n8n starts one exactly when workflowData is returned)? */
export function started(call: WebhookCall): boolean {
	return call.result.workflowData !== undefined;
}

/** The JSON of every item, per output. */
export function outputs(call: WebhookCall): unknown[][] {
	return (call.result.workflowData ?? []).map((items) => items.map((item) => item.json));
}

/** A tiny n8n: receives Chatwoot's deliveries over HTTP and runs the trigger's webhook() for each. */
export class TriggerHost {
	readonly calls: WebhookCall[] = [];
	private server?: http.Server;
	url = '';

	constructor(private readonly node: () => FakeTriggerNode) {}

	async start(): Promise<this> {
		this.server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				const delivery: IncomingDelivery = { headers: req.headers, rawBody: Buffer.concat(chunks) };
				this.node()
					.receive(delivery)
					.then((call) => {
						this.calls.push(call);
						const body = typeof call.answer.body === 'string' ? call.answer.body : JSON.stringify(call.answer.body);
						res.writeHead(call.answer.status, { 'content-type': 'application/json' }).end(body);
					})
					.catch((error: Error) => {
						// A throw inside webhook() is an n8n 500 with a failed execution: the tests look for none.
						this.calls.push({ request: delivery, result: {}, answer: { status: 500, body: error.message }, error: error.message });
						res.writeHead(500).end(error.message);
					});
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	/** The production URL n8n would build for a node: `<base>/webhook/<webhookId>/<path>`. */
	webhookUrl(webhookId = '00000000-0000-4000-8000-000000000001'): string {
		return `${this.url}/webhook/${webhookId}/webhook`;
	}

	executions(): WebhookCall[] {
		return this.calls.filter(started);
	}

	reset(): void {
		this.calls.length = 0;
	}

	async close(): Promise<void> {
		await new Promise<void>((resolve) => {
			this.server?.close(() => resolve());
			this.server?.closeAllConnections();
		});
	}
}
