/**
 * Active Storage stand-in: blobs with Rails-like signed ids, `data_url`s of the form
 * `{base}/rails/active_storage/blobs/redirect/<signed id>/<filename>` that answer with a REDIRECT to the bytes
 * (docs/chatwoot-behaviour.md, Webhook payloads), and `POST /upload` (§3.5, not in swagger).
 */
import { createHash, createHmac, randomBytes } from 'crypto';
import * as http from 'http';
import * as https from 'https';
import { accountOf } from './auth';
import type { Core } from './core';
import { head, json, unprocessable, type Reply } from './http';
import { isFile, str, type UploadedFile } from './params';
import type { Route } from './router';
import { blobUrl } from './serializers';
import type { BlobRecord } from './types';

const SIGNING_KEY = randomBytes(32);

function signedIdFor(blobId: number): string {
	const data = Buffer.from(JSON.stringify({ _rails: { data: blobId, pur: 'blob_id' } })).toString('base64');
	return `${data}--${createHmac('sha1', SIGNING_KEY).update(data).digest('hex')}`;
}

/** `SecureRandom.base36(28)` */
function blobKey(): string {
	const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
	return [...randomBytes(28)].map((b) => alphabet[b % 36]).join('');
}

export function createBlob(core: Core, file: Pick<UploadedFile, 'filename' | 'contentType' | 'data'>): BlobRecord {
	const id = core.store.nextId('active_storage_blobs');
	const blob: BlobRecord = {
		id,
		key: blobKey(),
		signed_id: signedIdFor(id),
		filename: file.filename || 'file',
		content_type: file.contentType || 'application/octet-stream',
		byte_size: file.data.length,
		checksum: createHash('md5').update(file.data).digest('base64'),
		created_at: Date.now(),
	};
	core.store.blobs.set(id, blob);
	core.store.blobData.set(id, file.data);
	return blob;
}

export function findBlobBySignedId(core: Core, signedId: string): BlobRecord | undefined {
	return [...core.store.blobs.values()].find((b) => b.signed_id === signedId);
}

/** Attachment file type from the MIME type (§3.5): HEIC and 3GPP are plain files. */
export function fileTypeFor(contentType: string): 'image' | 'video' | 'audio' | 'file' {
	const mime = contentType.toLowerCase().split(';')[0].trim();
	if (['image/jpeg', 'image/jpg', 'image/png', 'image/gif', 'image/bmp', 'image/webp'].includes(mime)) return 'image';
	if (['video/ogg', 'video/mp4', 'video/webm', 'video/quicktime'].includes(mime)) return 'video';
	if (mime.startsWith('audio/')) return 'audio';
	return 'file';
}

export function extensionOf(filename: string): string | null {
	const dot = filename.lastIndexOf('.');
	return dot > 0 && dot < filename.length - 1 ? filename.slice(dot + 1).toLowerCase() : null;
}

function serveBlob(core: Core, key: string): Reply {
	const blob = [...core.store.blobs.values()].find((b) => b.key === key);
	const data = blob && core.store.blobData.get(blob.id);
	if (!blob || !data) return head(404);
	return {
		status: 200,
		body: data,
		contentType: blob.content_type,
		headers: { 'content-disposition': `inline; filename="${blob.filename.replace(/"/g, '%22')}"` },
	};
}

function redirectToBlob(core: Core, signedId: string): Reply {
	const blob = findBlobBySignedId(core, signedId);
	if (!blob) return head(404);
	// Like a storage service URL: it is the redirect target, the signed id itself never expires.
	const location = `${core.baseUrl}/rails/active_storage/disk/${blob.key}/${encodeURIComponent(blob.filename)}`;
	return { status: 302, body: '', contentType: 'text/html', headers: { location } };
}

/** Upload by URL: Chatwoot downloads it (SSRF-filtered in real life, plain here). */
function download(url: string): Promise<{ data: Buffer; contentType: string }> {
	return new Promise((resolve, reject) => {
		const client = url.startsWith('https:') ? https : http;
		const request = client.get(url, (response) => {
			if ((response.statusCode ?? 500) >= 400) {
				response.resume();
				reject(new Error(`${response.statusCode} ${http.STATUS_CODES[response.statusCode ?? 500]}`));
				return;
			}
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () =>
				resolve({ data: Buffer.concat(chunks), contentType: response.headers['content-type'] ?? 'application/octet-stream' }),
			);
		});
		request.setTimeout(10_000, () => request.destroy(new Error('download timed out')));
		request.on('error', reject);
	});
}

export const attachmentRoutes: Route[] = [
	{
		method: 'GET',
		template: '/rails/active_storage/blobs/redirect/:signed_id/*filename',
		scope: 'public',
		handler: (ctx) => redirectToBlob(ctx.core, ctx.pathParams.signed_id),
	},
	{
		method: 'GET',
		template: '/rails/active_storage/representations/redirect/:signed_id/:variation/*filename',
		scope: 'public',
		handler: (ctx) => redirectToBlob(ctx.core, ctx.pathParams.signed_id),
	},
	{
		method: 'GET',
		template: '/rails/active_storage/disk/:key/*filename',
		scope: 'public',
		handler: (ctx) => serveBlob(ctx.core, ctx.pathParams.key),
	},
	{
		method: 'POST',
		template: '/api/v1/accounts/:account_id/upload',
		scope: 'account',
		handler: async (ctx) => {
			accountOf(ctx);
			let file: Pick<UploadedFile, 'filename' | 'contentType' | 'data'> | undefined;
			const attachment = ctx.params.attachment;
			const externalUrl = str(ctx.params.external_url);
			if (isFile(attachment)) file = attachment;
			else if (externalUrl) {
				try {
					const downloaded = await download(externalUrl);
					const name = new URL(externalUrl).pathname.split('/').pop() || 'download';
					file = { filename: name, contentType: downloaded.contentType, data: downloaded.data };
				} catch (error) {
					throw unprocessable(`Failed to download file: ${(error as Error).message}`);
				}
			} else {
				throw unprocessable('No file or URL provided');
			}
			const blob = createBlob(ctx.core, file);
			// Guess (README): blob_id is the signed id, usable as an `attachments[]` string in message create.
			return json(200, {
				file_url: blobUrl(ctx.core, blob.signed_id, blob.filename),
				blob_key: blob.key,
				blob_id: blob.signed_id,
			});
		},
	},
];
