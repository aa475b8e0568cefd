/**
 * A SendRequest over Node's http/https, for tests and benchmarks that talk to the sandbox Chatwoot (or to nock).
 * Same contract as the n8n adapter: resolves for every status; rejects only without an answer, with a `code`.
 */
import * as http from 'http';
import * as https from 'https';

import { encodeMultipart } from '../../nodes/shared/chatwoot/multipart';
import type { ChatwootRequest, ChatwootResponse, SendRequest } from '../../nodes/shared/chatwoot/request';

export interface NodeSendOptions {
	baseUrl: string;
	token: string;
	/** Per-request timeout when the request has none. Default 10 s. */
	timeoutMs?: number;
	/**
	 * Header carrying the token. Chatwoot reads `api_access_token` (docs/chatwoot-behaviour.md, Tokens and error answers).
	 */
	tokenHeader?: string;
	/** Observes every request sent (after encoding), e.g. for counting in benchmarks. */
	onRequest?: (request: ChatwootRequest) => void;
}

function queryString(query: ChatwootRequest['query']): string {
	const pairs = Object.entries(query ?? {})
		.filter(([, value]) => value !== undefined)
		// encodeURIComponent turns `+` into %2B: a bare `+` would reach Chatwoot as a space (docs/chatwoot-behaviour.md,
		// Contacts).
		.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
	return pairs.length ? `?${pairs.join('&')}` : '';
}

function encodeBody(request: ChatwootRequest): { body?: Buffer; contentType?: string } {
	if (request.multipart) return encodeMultipart(request.multipart);
	if (request.body !== undefined) {
		return { body: Buffer.from(JSON.stringify(request.body)), contentType: 'application/json' };
	}
	return {};
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
	if (raw.length === 0) return undefined;
	const text = raw.toString('utf8');
	if (/json/i.test(contentType ?? '')) {
		try {
			return JSON.parse(text);
		} catch {
			return text;
		}
	}
	return text;
}

/** Rejects with a bare error carrying only `code`: no request options (and so no token) travel with it. */
function networkError(code: string | undefined, message: string): Error {
	return Object.assign(new Error(message), { code: code ?? 'ENETWORK' });
}

export function createNodeSend(options: NodeSendOptions): SendRequest {
	const base = options.baseUrl.replace(/\/+$/, '');
	return (request) =>
		new Promise<ChatwootResponse>((resolve, reject) => {
			options.onRequest?.(request);
			const url = new URL(`${base}${request.path}${queryString(request.query)}`);
			const { body, contentType } = encodeBody(request);
			const headers: Record<string, string> = {
				accept: 'application/json',
				[options.tokenHeader ?? 'api_access_token']: options.token,
			};
			if (body) {
				headers['content-type'] = contentType!;
				headers['content-length'] = String(body.length);
			}
			const transport = url.protocol === 'https:' ? https : http;
			const timeoutMs = request.timeoutMs ?? options.timeoutMs ?? 10_000;
			let settled = false;
			const finish = (fn: () => void) => {
				if (settled) return;
				settled = true;
				clearTimeout(timer);
				fn();
			};

			const req = transport.request(url, { method: request.method, headers }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('error', (error: NodeJS.ErrnoException) =>
					finish(() => reject(networkError(error.code ?? 'ECONNRESET', 'Response interrupted'))),
				);
				res.on('end', () => {
					const responseHeaders: Record<string, string | undefined> = {};
					for (const [name, value] of Object.entries(res.headers)) {
						responseHeaders[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
					}
					finish(() =>
						resolve({
							status: res.statusCode ?? 0,
							headers: responseHeaders,
							body: parseBody(Buffer.concat(chunks), responseHeaders['content-type']),
						}),
					);
				});
			});
			const timer = setTimeout(() => {
				finish(() => reject(networkError('ETIMEDOUT', `No answer within ${timeoutMs} ms`)));
				req.destroy();
			}, timeoutMs);
			req.on('error', (error: NodeJS.ErrnoException) =>
				finish(() => reject(networkError(error.code, 'No answer from Chatwoot'))),
			);
			if (body) req.write(body);
			req.end();
		});
}
