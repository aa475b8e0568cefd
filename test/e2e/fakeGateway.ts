/**
 * A stand-in for the WhatsApp gateways' send APIs: records every request and answers like Evolution API
 * (`/message/sendText|sendMedia/:instance` → `{key: {id}}`) or WAHA (`/api/sendText|sendFile` → `{id}`).
 * A recipient containing UNREACHABLE_NUMBER gets Evolution's "not on WhatsApp" 400, to exercise the failure path.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

export const EVOLUTION_API_KEY = 'e2e-evolution-key';
export const WAHA_API_KEY = 'e2e-waha-key';
export const UNREACHABLE_NUMBER = '5511999990099';

export interface GatewayRequest {
	method: string;
	path: string;
	headers: http.IncomingHttpHeaders;
	body: Record<string, any>;
	/** What the gateway answered. */
	status: number;
	response: Record<string, any>;
}

export interface FakeGateway {
	baseUrl: string;
	requests: GatewayRequest[];
	close(): Promise<void>;
}

function readBody(req: http.IncomingMessage): Promise<Record<string, any>> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			try {
				resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
			} catch {
				resolve({ unparsable: Buffer.concat(chunks).toString('utf8') });
			}
		});
	});
}

function answer(path: string, headers: http.IncomingHttpHeaders, body: Record<string, any>, serial: number): [number, Record<string, any>] {
	const evolution = /^\/message\/(sendText|sendMedia)\/[^/]+$/.test(path);
	const waha = /^\/api\/(sendText|sendFile)$/.test(path);
	if (!evolution && !waha) return [404, { error: `no route ${path}` }];
	if (evolution && headers.apikey !== EVOLUTION_API_KEY) return [401, { status: 401, error: 'Unauthorized' }];
	if (waha && headers['x-api-key'] !== WAHA_API_KEY) return [401, { statusCode: 401, message: 'Unauthorized' }];
	const recipient = String(evolution ? body.number : body.chatId);
	if (recipient.includes(UNREACHABLE_NUMBER)) {
		return [400, { status: 400, error: 'Bad Request', response: { message: [{ exists: false, number: recipient }] } }];
	}
	const id = `3EB0FAKE${String(serial).padStart(12, '0')}`;
	if (evolution) {
		const remoteJid = recipient.includes('@') ? recipient : `${recipient}@s.whatsapp.net`;
		return [201, { key: { remoteJid, fromMe: true, id }, message: { conversation: body.text ?? body.caption }, status: 'PENDING' }];
	}
	return [201, { id: `true_${recipient}_${id}`, body: body.text ?? body.caption, fromMe: true }];
}

export async function startFakeGateway(): Promise<FakeGateway> {
	const requests: GatewayRequest[] = [];
	const server = http.createServer((req, res) => {
		void readBody(req).then((body) => {
			const path = (req.url ?? '/').split('?')[0];
			const [status, response] = answer(path, req.headers, body, requests.length + 1);
			requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body, status, response });
			res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(response));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
