/** Media kind and mime defaults shared by the gateway normalizers. */
import type { MediaKind } from './event';

const DEFAULT_MIME: Record<MediaKind, string> = {
	image: 'image/jpeg',
	video: 'video/mp4',
	audio: 'audio/mpeg',
	voice: 'audio/ogg; codecs=opus',
	document: 'application/octet-stream',
	sticker: 'image/webp',
};

export function defaultMimeType(kind: MediaKind): string {
	return DEFAULT_MIME[kind];
}

/**
 * The kind when only a mime type is known (WAHA `media.mimetype`). WhatsApp voice notes are `audio/ogg; codecs=opus`
 * (README field table, "voice note flag" for WAHA); `image/webp` is how stickers travel.
 */
export function mediaKindFromMime(mimeType: string | undefined): MediaKind {
	const mime = (mimeType ?? '').toLowerCase();
	if (mime.startsWith('image/webp')) return 'sticker';
	if (mime.startsWith('image/')) return 'image';
	if (mime.startsWith('video/')) return 'video';
	if (mime.startsWith('audio/ogg') && mime.includes('opus')) return 'voice';
	if (mime.startsWith('audio/')) return 'audio';
	return 'document';
}

/** Kind names engines use for media (GOWS `Info.MediaType`, WEBJS `_data.type`). */
export function mediaKindFromEngineType(type: string | undefined): MediaKind | undefined {
	switch ((type ?? '').toLowerCase()) {
		case 'image':
			return 'image';
		case 'video':
		case 'ptv':
		case 'gif':
			return 'video';
		case 'audio':
			return 'audio';
		case 'ptt':
			return 'voice';
		case 'document':
			return 'document';
		case 'sticker':
			return 'sticker';
		default:
			return undefined;
	}
}
