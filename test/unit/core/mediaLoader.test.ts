import { loadMedia, type DownloadResult, type MediaLoaderOptions } from '../../../nodes/shared/bridge/mediaLoader';
import type { Media } from '../../../nodes/shared/whatsapp/event';
import { makeEvent } from './events';

const MB = 1024 * 1024;
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);

function withMedia(media: Partial<Media> & Pick<Media, 'kind'>) {
	return makeEvent({ whatsappId: '3EB0MEDIA', media: { mimeType: '', ...media } });
}

function options(overrides: Partial<MediaLoaderOptions> = {}) {
	const download = jest.fn<Promise<DownloadResult>, Parameters<MediaLoaderOptions['download']>>(async () => ({
		status: 200,
		contentType: 'image/jpeg',
		data: JPEG,
	}));
	return { maxBytes: MB, timeoutMs: 5_000, download, ...overrides };
}

async function failure(promise: Promise<unknown>): Promise<string> {
	const settled = await promise.then(
		() => undefined,
		(error: Error) => error.message,
	);
	if (settled === undefined) throw new Error('expected loadMedia to fail');
	return settled;
}

describe('loadMedia: where the bytes come from', () => {
	it('prefers binary data the workflow already has, even when the payload has a URL and base64', async () => {
		const opts = options({ binary: async () => ({ data: Buffer.from('png-bytes'), mimeType: 'image/png', fileName: 'shot.png' }) });
		const event = withMedia({ kind: 'image', mimeType: 'image/jpeg', url: 'https://gw.example/m', base64: JPEG.toString('base64') });
		expect(await loadMedia(event, opts)).toEqual({ data: Buffer.from('png-bytes'), contentType: 'image/png', fileName: 'shot.png' });
		expect(opts.download).not.toHaveBeenCalled();
	});

	it('binary data without a type or name takes them from the event', async () => {
		const opts = options({ binary: async () => ({ data: JPEG }) });
		const loaded = await loadMedia(withMedia({ kind: 'image', mimeType: 'image/jpeg', mediaId: '123' }), opts);
		expect(loaded).toMatchObject({ contentType: 'image/jpeg', fileName: 'image-3EB0MEDIA.jpg' });
	});

	it('falls through to the payload when there is no binary data', async () => {
		const opts = options({ binary: async () => undefined });
		const loaded = await loadMedia(withMedia({ kind: 'image', mimeType: 'image/jpeg', base64: JPEG.toString('base64') }), opts);
		expect(loaded.data).toEqual(JPEG);
	});

	it('decodes base64, with or without a data: prefix, without downloading', async () => {
		const opts = options();
		for (const base64 of [JPEG.toString('base64'), `data:image/jpeg;base64,${JPEG.toString('base64')}`]) {
			const loaded = await loadMedia(withMedia({ kind: 'image', mimeType: 'image/jpeg', base64, url: 'https://gw.example/m' }), opts);
			expect(loaded).toEqual({ data: JPEG, contentType: 'image/jpeg', fileName: 'image-3EB0MEDIA.jpg' });
		}
		expect(opts.download).not.toHaveBeenCalled();
	});

	it('downloads a URL (the fetch rules decide which headers go with it)', async () => {
		const opts = options();
		const loaded = await loadMedia(withMedia({ kind: 'image', mimeType: 'image/jpeg', url: 'https://gw.example/m/1' }), opts);
		expect(loaded.data).toEqual(JPEG);
		expect(opts.download).toHaveBeenCalledWith('https://gw.example/m/1');
	});

	it('asks the gateway for media the webhook did not carry (view-once), keeping the event\'s type', async () => {
		const fromGateway = jest.fn(async () => ({ data: JPEG, mimeType: 'image/jpeg', fileName: 'once.jpg' }));
		const loaded = await loadMedia(withMedia({ kind: 'image', mimeType: 'image/jpeg' }), options({ fromGateway }));
		expect(loaded).toEqual({ data: JPEG, contentType: 'image/jpeg', fileName: 'once.jpg' });
	});

	it('a file from the gateway larger than the limit is refused', async () => {
		const fromGateway = async () => ({ data: Buffer.alloc(MB + 1), mimeType: 'video/mp4' });
		expect(await failure(loadMedia(withMedia({ kind: 'video', mimeType: 'video/mp4' }), options({ fromGateway })))).toMatch(
			/larger than the limit/,
		);
	});

	it('a gateway that cannot deliver says so', async () => {
		const fromGateway = async () => Promise.reject(new Error('Evolution getBase64FromMediaMessage answered HTTP 404'));
		expect(await failure(loadMedia(withMedia({ kind: 'image', mimeType: 'image/jpeg' }), options({ fromGateway })))).toBe(
			'the gateway could not deliver the media (Evolution getBase64FromMediaMessage answered HTTP 404)',
		);
	});

	it('takes the answered type, without parameters, when the event has none', async () => {
		const opts = options({ download: async () => ({ status: 200, contentType: 'audio/ogg; codecs=opus', data: JPEG }) });
		const loaded = await loadMedia(withMedia({ kind: 'voice', url: 'https://gw.example/v' }), opts);
		expect(loaded).toMatchObject({ contentType: 'audio/ogg', fileName: 'voice-3EB0MEDIA.ogg' });
	});
});

describe('loadMedia: size limit', () => {
	it.each([
		['base64 larger than the limit', { base64: 'A'.repeat(Math.ceil((2 * MB * 4) / 3)) }, undefined],
		['a declared size larger than the limit', { url: 'https://gw.example/big', sizeBytes: 3 * MB }, undefined],
		['binary data larger than the limit', {}, async () => ({ data: Buffer.alloc(2 * MB) })],
	] as Array<[string, Partial<Media>, MediaLoaderOptions['binary']]>)('refuses %s before downloading, in MB', async (_, media, binary) => {
		const opts = options(binary ? { binary } : {});
		const message = await failure(loadMedia(withMedia({ kind: 'video', mimeType: 'video/mp4', ...media }), opts));
		expect(message).toMatch(/^the file is \d+\.\d MB, larger than the limit of 1\.0 MB$/);
		expect(opts.download).not.toHaveBeenCalled();
	});

	it('refuses downloaded bytes over the limit when no size was declared', async () => {
		const opts = options({ download: async () => ({ status: 200, contentType: 'video/mp4', data: Buffer.alloc(5 * MB) }) });
		const message = await failure(loadMedia(withMedia({ kind: 'video', url: 'https://gw.example/v' }), opts));
		expect(message).toBe('the file is 5.0 MB, larger than the limit of 1.0 MB');
	});

	it('accepts a file exactly at the limit', async () => {
		const opts = options({ download: async () => ({ status: 200, contentType: 'video/mp4', data: Buffer.alloc(MB) }) });
		await expect(loadMedia(withMedia({ kind: 'video', url: 'https://gw.example/v' }), opts)).resolves.toBeDefined();
	});

	// "the file is 1.0 MB, larger than the limit of 1.0 MB" reads as a contradiction.
	it('a file just over the limit shows two different sizes', async () => {
		const opts = options({ download: async () => ({ status: 200, contentType: 'video/mp4', data: Buffer.alloc(MB + 1000) }) });
		const message = await failure(loadMedia(withMedia({ kind: 'video', url: 'https://gw.example/v' }), opts));
		const [size, limit] = [...message.matchAll(/([\d.]+) MB/g)].map((match) => match[1]);
		expect(size).not.toBe(limit);
	});
});

describe('loadMedia: download failures explain themselves', () => {
	it('a network error', async () => {
		const opts = options({ download: async () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:8080')) });
		expect(await failure(loadMedia(withMedia({ kind: 'image', url: 'https://gw.example/m' }), opts))).toBe(
			'the media URL could not be downloaded (connect ECONNREFUSED 10.0.0.5:8080)',
		);
	});

	it('a rejection that is not an Error still says what happened', async () => {
		const opts = options({ download: async () => Promise.reject('socket hang up') });
		const message = await failure(loadMedia(withMedia({ kind: 'image', url: 'https://gw.example/m' }), opts));
		expect(message).toContain('socket hang up');
		expect(message).not.toContain('undefined');
	});

	it.each([404, 500, 302])('HTTP %i', async (status) => {
		const opts = options({ download: async () => ({ status, contentType: 'text/html', data: Buffer.from('<html>') }) });
		expect(await failure(loadMedia(withMedia({ kind: 'image', url: 'https://gw.example/m' }), opts))).toBe(
			`the media URL answered HTTP ${status}`,
		);
	});

	it.each([401, 403])('HTTP %i names the gateway credential (where the file server key now lives)', async (status) => {
		const opts = options({ download: async () => ({ status, contentType: 'application/json', data: Buffer.from('{}') }) });
		expect(await failure(loadMedia(withMedia({ kind: 'image', url: 'https://gw.example/m' }), opts))).toBe(
			`the media URL answered HTTP ${status}; set the gateway credential (Gateway Credential) whose API key the file server expects`,
		);
	});

	it.each([
		['image', 'text/html; charset=utf-8', 'text/html'],
		['sticker', 'application/json', 'application/json'],
		['video', 'image/jpeg', 'image/jpeg'],
		['voice', 'text/plain', 'text/plain'],
	] as const)('an error page instead of a %s (%s)', async (kind, answered, bare) => {
		const opts = options({ download: async () => ({ status: 200, contentType: answered, data: Buffer.from('<html>expired</html>') }) });
		expect(await failure(loadMedia(withMedia({ kind, url: 'https://gw.example/m' }), opts))).toBe(
			`expected ${kind} content, but the media URL answered with "${bare}"`,
		);
	});

	it.each([
		['an image served as octet-stream', 'image', 'application/octet-stream', 'image/jpeg'],
		['an image without a content type', 'image', undefined, 'image/jpeg'],
		['a voice note as application/ogg', 'voice', 'application/ogg', 'audio/ogg'],
		['a document of any type', 'document', 'text/html', 'application/pdf'],
	] as const)('accepts %s', async (_, kind, answered, declared) => {
		const opts = options({ download: async () => ({ status: 200, contentType: answered, data: JPEG }) });
		const loaded = await loadMedia(withMedia({ kind, mimeType: declared, url: 'https://gw.example/m' }), opts);
		expect(loaded.contentType).toBe(declared);
	});

	it('a Cloud API media id without a gateway credential says which credential downloads it', async () => {
		const message = await failure(loadMedia(withMedia({ kind: 'image', mimeType: 'image/jpeg', mediaId: '1234567890' }), options()));
		expect(message).toContain('1234567890');
		expect(message).toMatch(/WhatsApp Cloud API gateway credential/);
	});

	it('nothing at all points at the gateway credential and the gateway setting', async () => {
		const message = await failure(loadMedia(withMedia({ kind: 'image', mimeType: 'image/jpeg' }), options()));
		expect(message).toMatch(/set the gateway credential on the node/);
		expect(message).toMatch(/enable base64 or media URLs in the gateway webhook/);
	});

	it('an event without media says so', async () => {
		expect(await failure(loadMedia(makeEvent({ text: 'x' }), options()))).toBe('the event has no media');
	});
});

describe('loadMedia: file names', () => {
	it.each([
		['the given name', { kind: 'document', mimeType: 'application/pdf', fileName: 'Nota fiscal 123.pdf' }, 'Nota fiscal 123.pdf'],
		['an image', { kind: 'image', mimeType: 'image/jpeg' }, 'image-3EB0MEDIA.jpg'],
		['a voice note with codec parameters', { kind: 'voice', mimeType: 'audio/ogg; codecs=opus' }, 'voice-3EB0MEDIA.ogg'],
		['an mp4 video', { kind: 'video', mimeType: 'video/mp4' }, 'video-3EB0MEDIA.mp4'],
		['a webp sticker', { kind: 'sticker', mimeType: 'image/webp' }, 'sticker-3EB0MEDIA.webp'],
		['a pdf', { kind: 'document', mimeType: 'application/pdf' }, 'document-3EB0MEDIA.pdf'],
		['an unlisted type', { kind: 'audio', mimeType: 'audio/amr' }, 'audio-3EB0MEDIA.amr'],
		['no type at all', { kind: 'document', mimeType: '' }, 'document-3EB0MEDIA.bin'],
	] as const)('%s', async (_, media, fileName) => {
		const loaded = await loadMedia(withMedia({ ...media, base64: JPEG.toString('base64') }), options());
		expect(loaded.fileName).toBe(fileName);
	});
});
