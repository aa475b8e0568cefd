/**
 * A stand-in for the WhatsApp gateways' HTTP APIs that records every request. It answers like Evolution API
 * (`/message/sendText|sendMedia/:instance` → `{key: {id}}`) or WAHA (`/api/sendText|sendFile` → `{id}`) for sends, and
 * serves a small history (gatewayHistory.ts) to the import examples from the read endpoints, with each gateway's
 * filters and paging:
 * - Evolution (`apikey` header): `POST /chat/findContacts/:instance`, `POST /chat/findMessages/:instance`
 *   (`where.messageTimestamp` gte+lte as ISO times, newest first, `offset` records a page, `page` from 1) and
 *   `POST /chat/getBase64FromMediaMessage/:instance` (the history's photo, also for ids starting VIEW_ONCE_PREFIX);
 * - WAHA (`X-Api-Key` header): `GET /api/:session/chats`, `GET /api/:session/chats/:chatId/messages`
 *   (`filter.timestamp.gte|lte`, `limit`, `downloadMedia`) and the file server `GET /api/files/:session/:file`.
 * - the Graph API's media calls (`Authorization: Bearer`): `GET /v21.0/:mediaId` → `{url, mime_type, file_size}` with
 *   a url on this server (under the name `cloudMediaHost` when given), and that url → the photo (any numeric media id
 *   is the history's photo).
 * - what the gateway credentials' tests call: Evolution `GET /instance/fetchInstances`, WAHA `GET /api/sessions`,
 *   Graph `GET /v21.0/me`, each 401 without the right key.
 * A recipient containing UNREACHABLE_NUMBER gets Evolution's "not on WhatsApp" 400, to exercise the failure path.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

import {
	evolutionContacts,
	evolutionMedia,
	evolutionRecords,
	gatewayHistory,
	messagesOf,
	PHOTO,
	PHOTO_MIME,
	wahaChats,
	wahaFileName,
	wahaMessages,
	type GatewayHistory,
} from './gatewayHistory';

export const EVOLUTION_API_KEY = 'e2e-evolution-key';
export const WAHA_API_KEY = 'e2e-waha-key';
export const CLOUD_ACCESS_TOKEN = 'e2e-cloud-token';
/** Message ids with this prefix are view-once photos outside the history: getBase64FromMediaMessage serves the photo. */
export const VIEW_ONCE_PREFIX = '3EB0VIEWONCE';
export const GRAPH_VERSION_PATH = '/v21.0';
export const UNREACHABLE_NUMBER = '5511999990099';

export interface GatewayRequest {
	method: string;
	path: string;
	/** The query string's parameters. */
	query: Record<string, string>;
	headers: http.IncomingHttpHeaders;
	body: Record<string, any>;
	/** What the gateway answered (a file: `{file, bytes}`). */
	status: number;
	response: any;
}

export interface FakeGateway {
	baseUrl: string;
	requests: GatewayRequest[];
	/** What the read endpoints serve. */
	history: GatewayHistory;
	close(): Promise<void>;
}

export interface FakeGatewayOptions {
	/** Default: a history ending now, for Evolution instance `vendas` and WAHA session `default`. */
	history?: GatewayHistory;
	/**
	 * The host name the Graph API's media links name, served by this server on its port (Meta's links name
	 * `lookaside.fbsbx.com`); default: this server's own address.
	 */
	cloudMediaHost?: string;
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

interface Answer {
	status: number;
	json?: unknown;
	file?: { data: Buffer; contentType: string; name: string };
}

/** A request as it arrived, before it is answered and logged. */
type Incoming = Omit<GatewayRequest, 'status' | 'response'> & { serial: number };

const json = (status: number, body: unknown): Answer => ({ status, json: body });
const evolutionUnauthorized = () => json(401, { status: 401, error: 'Unauthorized', response: { message: 'Unauthorized' } });
const wahaUnauthorized = () => json(401, { statusCode: 401, message: 'Unauthorized' });
const evolutionNoInstance = (instance: string) =>
	json(404, { status: 404, error: 'Not Found', response: { message: [`The "${instance}" instance does not exist`] } });
const wahaNoSession = (session: string) =>
	json(404, { statusCode: 404, message: `We didn't find a session with name '${session}'.`, error: 'Not Found' });

function send(request: Incoming): Answer | undefined {
	const evolution = /^\/message\/(sendText|sendMedia)\/[^/]+$/.test(request.path);
	const waha = /^\/api\/(sendText|sendFile)$/.test(request.path);
	if (!evolution && !waha) return undefined;
	const { headers, body } = request;
	if (evolution && headers.apikey !== EVOLUTION_API_KEY) return evolutionUnauthorized();
	if (waha && headers['x-api-key'] !== WAHA_API_KEY) return wahaUnauthorized();
	const recipient = String(evolution ? body.number : body.chatId);
	if (recipient.includes(UNREACHABLE_NUMBER)) {
		return json(400, { status: 400, error: 'Bad Request', response: { message: [{ exists: false, number: recipient }] } });
	}
	const id = `3EB0FAKE${String(request.serial).padStart(12, '0')}`;
	if (evolution) {
		const remoteJid = recipient.includes('@') ? recipient : `${recipient}@s.whatsapp.net`;
		return json(201, { key: { remoteJid, fromMe: true, id }, message: { conversation: body.text ?? body.caption }, status: 'PENDING' });
	}
	return json(201, { id: `true_${recipient}_${id}`, body: body.text ?? body.caption, fromMe: true });
}

/**
 * Evolution's `DELETE /chat/deleteMessageForEveryone/{instance}` with `{id, remoteJid, fromMe, participant?}`: answers
 * the revoke it sent (a protocol message naming the revoked key).
 */
function revoke(request: Incoming): Answer | undefined {
	if (request.method !== 'DELETE' || !/^\/chat\/deleteMessageForEveryone\/[^/]+$/.test(request.path)) return undefined;
	if (request.headers.apikey !== EVOLUTION_API_KEY) return evolutionUnauthorized();
	const { id, remoteJid, fromMe } = request.body;
	if (typeof id !== 'string' || !id || typeof remoteJid !== 'string' || !remoteJid) {
		return json(400, { status: 400, error: 'Bad Request', response: { message: ['id and remoteJid are required'] } });
	}
	const key = { remoteJid, fromMe: true, id: `3EB0REVOKE${String(request.serial).padStart(10, '0')}` };
	return json(201, { key, message: { protocolMessage: { key: { remoteJid, fromMe: fromMe === true, id }, type: 'REVOKE' } }, status: 'PENDING' });
}

/** Evolution's `findMessages`: the time filter applies only when both bounds are given (seconds compared). */
function findMessages(history: GatewayHistory, body: Record<string, any>): Answer {
	const where = body.where ?? {};
	const seconds = (iso: unknown) => Math.floor(new Date(String(iso)).getTime() / 1000);
	const range = where.messageTimestamp;
	let records = evolutionRecords(history);
	if (range?.gte && range?.lte) {
		const [from, to] = [seconds(range.gte), seconds(range.lte)];
		records = records.filter((record) => record.messageTimestamp >= from && record.messageTimestamp <= to);
	}
	if (where.key?.remoteJid) records = records.filter((record) => record.key.remoteJid === where.key.remoteJid);
	records.sort((a, b) => b.messageTimestamp - a.messageTimestamp);
	const offset = Number(body.offset) || 50;
	const page = Number(body.page) || 1;
	const start = offset * (page - 1);
	return json(200, {
		messages: { total: records.length, pages: Math.ceil(records.length / offset), currentPage: page, records: records.slice(start, start + offset) },
	});
}

function evolutionRead(history: GatewayHistory, request: Incoming): Answer | undefined {
	const match = /^\/chat\/(findContacts|findMessages|getBase64FromMediaMessage)\/([^/]+)$/.exec(request.path);
	if (!match || request.method !== 'POST') return undefined;
	if (request.headers.apikey !== EVOLUTION_API_KEY) return evolutionUnauthorized();
	const instance = decodeURIComponent(match[2]);
	if (instance !== history.evolution.instance) return evolutionNoInstance(instance);
	if (match[1] === 'findContacts') {
		const jid = request.body.where?.remoteJid;
		return json(200, evolutionContacts(history).filter((contact) => !jid || contact.remoteJid === jid));
	}
	if (match[1] === 'findMessages') return findMessages(history, request.body);
	const id = String(request.body.message?.key?.id ?? '');
	const media = evolutionMedia(history, id.startsWith(VIEW_ONCE_PREFIX) ? history.evolution.photo : id);
	if (!media) {
		const known = messagesOf(history.evolution).some((message) => message.id === id);
		return json(400, { status: 400, error: 'Bad Request', response: { message: [known ? 'The message is not of the media type' : 'Message not found'] } });
	}
	return json(201, media);
}

function wahaRead(history: GatewayHistory, request: Incoming, baseUrl: string): Answer | undefined {
	if (request.method !== 'GET') return undefined;
	const file = /^\/api\/files\/([^/]+)\/([^/]+)$/.exec(request.path);
	const chats = /^\/api\/([^/]+)\/chats$/.exec(request.path);
	const messages = /^\/api\/([^/]+)\/chats\/([^/]+)\/messages$/.exec(request.path);
	if (!file && !chats && !messages) return undefined;
	if (request.headers['x-api-key'] !== WAHA_API_KEY) return wahaUnauthorized();
	const session = decodeURIComponent((file ?? chats ?? messages)![1]);
	if (session !== history.waha.instance) return wahaNoSession(session);
	const { query } = request;
	if (file) {
		const name = decodeURIComponent(file[2]);
		const known = messagesOf(history.waha).some((message) => message.photo && wahaFileName(message.id) === name);
		return known ? { status: 200, file: { data: PHOTO, contentType: PHOTO_MIME, name } } : json(404, { statusCode: 404, message: 'File not found' });
	}
	const limit = Number(query.limit) || undefined;
	const offset = Number(query.offset) || 0;
	const page = <T>(list: T[]) => list.slice(offset, limit === undefined ? undefined : offset + limit);
	if (chats) return json(200, page(wahaChats(history)));
	const chatId = decodeURIComponent(messages![2]);
	let list = wahaMessages(history, chatId, baseUrl, query.downloadMedia !== 'false');
	const gte = query['filter.timestamp.gte'];
	const lte = query['filter.timestamp.lte'];
	if (gte !== undefined) list = list.filter((message) => message.timestamp >= Number(gte));
	if (lte !== undefined) list = list.filter((message) => message.timestamp <= Number(lte));
	// WAHA's default limit is 10 messages.
	return json(200, list.slice(offset, offset + (limit ?? 10)));
}

/** The credential tests' calls: the key is checked as each gateway does. */
function credentialCheck(history: GatewayHistory, request: Incoming): Answer | undefined {
	if (request.method !== 'GET') return undefined;
	if (request.path === '/instance/fetchInstances') {
		return request.headers.apikey === EVOLUTION_API_KEY ? json(200, [{ name: history.evolution.instance }]) : evolutionUnauthorized();
	}
	if (request.path === '/api/sessions') {
		return request.headers['x-api-key'] === WAHA_API_KEY ? json(200, [{ name: history.waha.instance, status: 'WORKING' }]) : wahaUnauthorized();
	}
	if (request.path === `${GRAPH_VERSION_PATH}/me`) {
		return request.headers.authorization === `Bearer ${CLOUD_ACCESS_TOKEN}`
			? json(200, { id: '1000000000001', name: 'Bridge system user' })
			: json(401, { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } });
	}
	return undefined;
}

/** Graph API media: the id resolves to a short-lived url (on `mediaBase`) that needs the same bearer token. */
function graphMedia(request: Incoming, mediaBase: string): Answer | undefined {
	const lookup = new RegExp(`^${GRAPH_VERSION_PATH}/(\\d+)$`).exec(request.path);
	const download = /^\/cloud-media\/(\d+)$/.exec(request.path);
	if ((!lookup && !download) || request.method !== 'GET') return undefined;
	if (request.headers.authorization !== `Bearer ${CLOUD_ACCESS_TOKEN}`) {
		return json(401, { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } });
	}
	if (download) return { status: 200, file: { data: PHOTO, contentType: PHOTO_MIME, name: `${download[1]}.png` } };
	const id = lookup![1];
	return json(200, {
		messaging_product: 'whatsapp',
		url: `${mediaBase}/cloud-media/${id}?ext=1&hash=abc`,
		mime_type: PHOTO_MIME,
		sha256: 'c2hhMjU2',
		file_size: PHOTO.length,
		id,
	});
}

export async function startFakeGateway(options: FakeGatewayOptions = {}): Promise<FakeGateway> {
	const history = options.history ?? gatewayHistory(Math.floor(Date.now() / 1000), { evolution: 'vendas', waha: 'default' });
	const requests: GatewayRequest[] = [];
	let baseUrl = '';
	let mediaBase = '';
	const server = http.createServer((req, res) => {
		void readBody(req).then((body) => {
			const url = new URL(req.url ?? '/', 'http://gateway');
			const request: Incoming = {
				method: req.method ?? 'GET',
				path: url.pathname,
				query: Object.fromEntries(url.searchParams),
				headers: req.headers,
				body,
				serial: requests.length + 1,
			};
			const answer =
				send(request) ??
				revoke(request) ??
				evolutionRead(history, request) ??
				wahaRead(history, request, baseUrl) ??
				credentialCheck(history, request) ??
				graphMedia(request, mediaBase) ??
				json(404, { error: `no route ${request.path}` });
			const { method, path, query, headers } = request;
			const response = answer.file ? { file: answer.file.name, bytes: answer.file.data.length } : answer.json;
			requests.push({ method, path, query, headers, body, status: answer.status, response });
			if (answer.file) {
				res.writeHead(answer.status, { 'content-type': answer.file.contentType, 'content-length': answer.file.data.length }).end(answer.file.data);
			} else {
				res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.json));
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.address() as AddressInfo;
	baseUrl = `http://127.0.0.1:${port}`;
	mediaBase = options.cloudMediaHost ? `http://${options.cloudMediaHost}:${port}` : baseUrl;
	return {
		baseUrl,
		requests,
		history,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
