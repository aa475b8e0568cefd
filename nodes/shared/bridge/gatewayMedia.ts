/**
 * Media the webhook did not carry, asked from the gateway's own API with its credential:
 * - Evolution API: `POST {baseUrl}/chat/getBase64FromMediaMessage/{instance}` with `{"message": {"key": {"id"}},
 *   "convertToMp4": false}` answers `{base64, mimetype, fileName, …}` (view-once media never has base64 in the webhook).
 * - WhatsApp Cloud API: `GET {graph}/{media-id}` answers `{url, mime_type, file_size}`; the url is downloaded with
 *   the same token and expires after minutes, so it is fetched right away.
 */
import type { InboundEvent } from '../whatsapp/event';
import { refusal, type Fetched } from './mediaFetch';

export type GatewayApi =
	| { gateway: 'evolution'; baseUrl: string }
	| { gateway: 'cloud'; baseUrl: string }
	| { gateway: 'waha'; baseUrl: string };

export interface GatewayFetch {
	/** A JSON call to the gateway API (authenticated, small answers). */
	json: (url: string, request: { method: 'GET' | 'POST'; body?: Record<string, unknown> }) => Promise<Fetched>;
	/** A file download; `trustedOrigin` also gets the credential (the Graph API's own media link). */
	file: (url: string, trustedOrigin?: string) => Promise<Fetched>;
}

export interface GatewayFile {
	data: Buffer;
	mimeType?: string;
	fileName?: string;
}

function trimSlash(url: string): string {
	return url.trim().replace(/\/+$/, '');
}

function parseJson(fetched: Fetched, what: string): Record<string, unknown> {
	if (fetched.status < 200 || fetched.status >= 300) {
		throw new Error(`${what} answered HTTP ${fetched.status}`);
	}
	try {
		const parsed = JSON.parse(fetched.data.toString('utf8')) as unknown;
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
	} catch {
		// worded below
	}
	throw new Error(`${what} did not answer with a JSON object`);
}

function textField(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

async function evolutionFile(event: InboundEvent, baseUrl: string, fetch: GatewayFetch): Promise<GatewayFile> {
	if (!event.instance) throw new Error('the event names no Evolution instance to ask for the media');
	const what = 'Evolution getBase64FromMediaMessage';
	const answer = parseJson(
		await fetch.json(`${trimSlash(baseUrl)}/chat/getBase64FromMediaMessage/${encodeURIComponent(event.instance)}`, {
			method: 'POST',
			body: { message: { key: { id: event.whatsappId } }, convertToMp4: false },
		}),
		what,
	);
	const base64 = textField(answer.base64);
	if (!base64) throw new Error(`${what} answered without base64 (the message may be gone from Evolution's store)`);
	return {
		data: Buffer.from(base64.replace(/^data:[^,]*,/, ''), 'base64'),
		mimeType: textField(answer.mimetype),
		fileName: textField(answer.fileName),
	};
}

async function cloudFile(mediaId: string, baseUrl: string, fetch: GatewayFetch): Promise<GatewayFile> {
	const what = 'the Graph API';
	const answer = parseJson(await fetch.json(`${trimSlash(baseUrl)}/${encodeURIComponent(mediaId)}`, { method: 'GET' }), what);
	const url = textField(answer.url);
	if (!url) throw new Error(`${what} answered without a url for media ${mediaId}`);
	let origin: string;
	try {
		origin = new URL(url).origin;
	} catch {
		throw refusal(`${what} answered with an invalid media url`);
	}
	const file = await fetch.file(url, origin);
	if (file.status < 200 || file.status >= 300) throw new Error(`the Cloud API media url answered HTTP ${file.status}`);
	return { data: file.data, mimeType: textField(answer.mime_type) ?? file.contentType };
}

/** The file from the gateway API, or undefined when this gateway has no such call for this event. */
export async function gatewayFile(event: InboundEvent, api: GatewayApi, fetch: GatewayFetch): Promise<GatewayFile | undefined> {
	if (api.gateway === 'evolution' && event.gateway === 'evolution') return await evolutionFile(event, api.baseUrl, fetch);
	if (api.gateway === 'cloud' && event.media?.mediaId) return await cloudFile(event.media.mediaId, api.baseUrl, fetch);
	return undefined;
}
