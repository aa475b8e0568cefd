/**
 * Turns the media of a WhatsApp event into bytes for a Chatwoot attachment: from n8n binary data, base64 in the
 * payload, or a URL. Bounded in size and time, and every failure says why (docs/peers.md, Media lost silently: media
 * lost silently).
 */
import type { InboundEvent, MediaKind } from '../whatsapp/event';
import { settle } from '../settle';
import type { GatewayFile } from './gatewayMedia';
import type { LoadedMedia } from './messagePreparation';
import { MediaRefusal } from './mediaFetch';

export interface DownloadResult {
	status: number;
	contentType?: string;
	data: Buffer;
}

export interface MediaLoaderOptions {
	maxBytes: number;
	timeoutMs: number;
	/** Downloads a link from the event within the fetch rules (mediaFetch.ts); gateway headers only for its own host. */
	download: (url: string) => Promise<DownloadResult>;
	/** Asks the gateway API for media the webhook did not carry (gatewayMedia.ts); absent without a gateway credential. */
	fromGateway?: (event: InboundEvent) => Promise<GatewayFile | undefined>;
	/** Bytes the workflow already fetched (n8n binary data), e.g. from a Cloud API "download media" step. */
	binary?: () => Promise<{ data: Buffer; mimeType?: string; fileName?: string } | undefined>;
}

const extensionByMime: Record<string, string> = {
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/webp': 'webp',
	'image/gif': 'gif',
	'video/mp4': 'mp4',
	'video/3gpp': '3gp',
	'audio/ogg': 'ogg',
	'audio/mpeg': 'mp3',
	'audio/mp4': 'm4a',
	'audio/aac': 'aac',
	'application/pdf': 'pdf',
};

function bareMime(mime: string | undefined): string {
	return (mime ?? '').split(';')[0].trim().toLowerCase();
}

export function fileNameFor(event: InboundEvent, mime: string): string {
	if (event.media?.fileName) return event.media.fileName;
	const extension = extensionByMime[bareMime(mime)] ?? (bareMime(mime).split('/')[1] || 'bin');
	return `${event.media?.kind ?? 'file'}-${event.whatsappId}.${extension}`;
}

function megabytes(bytes: number, decimals: number): string {
	return `${(bytes / 1024 / 1024).toFixed(decimals)} MB`;
}

function checkSize(bytes: number, maxBytes: number): void {
	if (bytes <= maxBytes) return;
	// Just over the limit "1.0 MB, larger than 1.0 MB" would read as nonsense: add decimals until they differ.
	let decimals = 1;
	while (decimals < 6 && megabytes(bytes, decimals) === megabytes(maxBytes, decimals)) decimals++;
	throw new Error(`the file is ${megabytes(bytes, decimals)}, larger than the limit of ${megabytes(maxBytes, decimals)}`);
}

const familyOf: Record<MediaKind, string[]> = {
	image: ['image/'],
	sticker: ['image/'],
	video: ['video/'],
	audio: ['audio/', 'video/ogg', 'application/ogg'],
	voice: ['audio/', 'video/ogg', 'application/ogg'],
	document: [],
};

/** An HTML or JSON answer where a photo was expected is an error page, not the photo (e.g. an expired link). */
function checkMime(kind: MediaKind, answered: string | undefined): void {
	const mime = bareMime(answered);
	const expected = familyOf[kind];
	if (!mime || expected.length === 0 || mime === 'application/octet-stream') return;
	if (!expected.some((prefix) => mime.startsWith(prefix))) {
		throw new Error(`expected ${kind} content, but the media URL answered with "${mime}"`);
	}
}

const networkReasons: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'host not found',
	ECONNRESET: 'connection dropped',
	EHOSTUNREACH: 'host unreachable',
};

/** A download failure in words; the error objects of the HTTP stack carry a `code`, possibly on a `cause`. */
function downloadFailure(error: unknown, timeoutMs: number): string {
	if (error instanceof MediaRefusal) return error.message;
	for (let current = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined, depth = 0; current && depth < 5; depth++) {
		const code = typeof current.code === 'string' ? current.code : '';
		if (code === 'ETIMEDOUT' || code === 'ECONNABORTED' || /timeout/i.test(String(current.message ?? ''))) {
			return `no answer within ${Math.round(timeoutMs / 1000)} s`;
		}
		if (networkReasons[code]) return networkReasons[code];
		current = current.cause as typeof current;
	}
	return error instanceof Error ? error.message : String(error);
}

export async function loadMedia(event: InboundEvent, options: MediaLoaderOptions): Promise<LoadedMedia> {
	const media = event.media;
	if (!media) throw new Error('the event has no media');
	const fromBinary = options.binary ? await options.binary() : undefined;
	if (fromBinary) {
		checkSize(fromBinary.data.length, options.maxBytes);
		const contentType = fromBinary.mimeType || media.mimeType;
		return { data: fromBinary.data, contentType, fileName: fromBinary.fileName || fileNameFor(event, contentType) };
	}
	if (media.base64) {
		// base64 is 4/3 of the bytes: refuse before decoding a huge string.
		checkSize(Math.floor((media.base64.length * 3) / 4), options.maxBytes);
		const data = Buffer.from(media.base64.replace(/^data:[^,]*,/, ''), 'base64');
		return { data, contentType: media.mimeType, fileName: fileNameFor(event, media.mimeType) };
	}
	if (media.url) {
		if (media.sizeBytes !== undefined) checkSize(media.sizeBytes, options.maxBytes);
		const downloaded = await settle(options.download(media.url));
		if (!downloaded.ok) {
			if (downloaded.error instanceof MediaRefusal) throw downloaded.error;
			throw new Error(`the media URL could not be downloaded (${downloadFailure(downloaded.error, options.timeoutMs)})`);
		}
		const answer = downloaded.value;
		if (answer.status < 200 || answer.status >= 300) {
			// A file server that wants the gateway's key: the key lives in the gateway credential (no more header option).
			const hint = answer.status === 401 || answer.status === 403 ? '; set the gateway credential (Gateway Credential) whose API key the file server expects' : '';
			throw new Error(`the media URL answered HTTP ${answer.status}${hint}`);
		}
		checkSize(answer.data.length, options.maxBytes);
		checkMime(media.kind, answer.contentType);
		const contentType = media.mimeType || bareMime(answer.contentType) || 'application/octet-stream';
		return { data: answer.data, contentType, fileName: fileNameFor(event, contentType) };
	}
	const fromGateway = options.fromGateway ? await settle(options.fromGateway(event)) : undefined;
	if (fromGateway && !fromGateway.ok) {
		if (fromGateway.error instanceof MediaRefusal) throw fromGateway.error;
		throw new Error(`the gateway could not deliver the media (${downloadFailure(fromGateway.error, options.timeoutMs)})`);
	}
	if (fromGateway?.value) {
		const file = fromGateway.value;
		checkSize(file.data.length, options.maxBytes);
		const contentType = media.mimeType || file.mimeType || 'application/octet-stream';
		return { data: file.data, contentType, fileName: media.fileName || file.fileName || fileNameFor(event, contentType) };
	}
	if (media.mediaId) {
		throw new Error(
			`the WhatsApp Cloud API sends only a media id (${media.mediaId}); set a WhatsApp Cloud API gateway credential on the node so it downloads the file`,
		);
	}
	throw new Error(
		'the gateway sent neither the file nor a link to it (set the gateway credential on the node so it asks the gateway, or enable base64 or media URLs in the gateway webhook)',
	);
}
