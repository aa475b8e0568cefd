/**
 * Shared bits for the sandbox's own tests: a tiny API client and a webhook receiver whose answers can be scripted.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { Sandbox } from '../sandbox';

export interface ApiResponse<T = any> {
	status: number;
	headers: Headers;
	text: string;
	body: T;
}

export function api(sb: Sandbox, token: string | null = sb.tokens.admin) {
	return async <T = any>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}) => {
		const url = path.startsWith('http') ? path : `${sb.baseUrl}${path.startsWith('/api') ? '' : `/api/v1/accounts/${sb.accountId}`}${path}`;
		const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
		if (token) headers.api_access_token = token;
		let payload: string | FormData | undefined;
		if (body instanceof FormData) payload = body;
		else if (body !== undefined) {
			headers['content-type'] = 'application/json';
			payload = JSON.stringify(body);
		}
		const response = await fetch(url, { method, headers, body: payload, redirect: 'manual' });
		const text = await response.text();
		let parsed: unknown = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			// not JSON
		}
		return { status: response.status, headers: response.headers, text, body: parsed as T } as ApiResponse<T>;
	};
}

export interface ReceivedWebhook {
	headers: http.IncomingHttpHeaders;
	raw: string;
	body: any;
}

export interface Receiver {
	url: string;
	received: ReceivedWebhook[];
	/** Decide the answer per delivery (default 200 at once). */
	respond: (hook: ReceivedWebhook) => { status?: number; delayMs?: number };
	close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
	const receiver: Receiver = {
		url: '',
		received: [],
		respond: () => ({ status: 200 }),
		close: async () => undefined,
	};
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			const hook: ReceivedWebhook = { headers: req.headers, raw, body: JSON.parse(raw) };
			receiver.received.push(hook);
			const { status = 200, delayMs = 0 } = receiver.respond(hook);
			const timer = setTimeout(() => {
				if (!res.destroyed) res.writeHead(status).end('ok');
			}, delayMs);
			res.on('close', () => clearTimeout(timer));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/chatwoot-webhook`;
	receiver.close = () =>
		new Promise<void>((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		});
	return receiver;
}

/** A contact with its contact inbox and one conversation, created through the API like a bridge would. */
export async function seedChat(sb: Sandbox, inboxId: number, jid = '5511987654321@s.whatsapp.net') {
	const call = api(sb);
	const created = await call('POST', '/contacts', {
		name: 'Maria Silva',
		phone_number: `+${jid.split('@')[0]}`,
		identifier: jid,
		inbox_id: inboxId,
		source_id: jid,
	});
	const contact = created.body.payload.contact;
	const conversation = await call('POST', '/conversations', { inbox_id: inboxId, contact_id: contact.id, source_id: jid });
	return { contact, conversation: conversation.body, jid };
}
