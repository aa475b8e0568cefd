/**
 * A pure multipart/form-data encoder (RFC 7578) for message attachments: Chatwoot's message create takes repeatable
 * `attachments[]` file parts (docs/chatwoot-behaviour.md, Messages). The n8n adapter sends the result as a Buffer body.
 */
import { randomBytes } from 'crypto';

import type { MultipartField, MultipartFile } from './request';

export interface MultipartForm {
	fields: MultipartField[];
	files: MultipartFile[];
}

export interface EncodedMultipart {
	body: Buffer;
	contentType: string;
}

const CRLF = '\r\n';

/**
 * Quoted-string escaping of names and file names as browsers do it (WHATWG HTML "multipart/form-data encoding
 * algorithm"): `"` → %22, CR → %0D, LF → %0A; other characters, UTF-8 included, are sent as they are.
 */
export function escapeQuoted(value: string): string {
	return value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A header value must not break the header block. */
function headerValue(value: string): string {
	return value.replace(/[\r\n]+/g, ' ').trim();
}

function randomBoundary(): string {
	return `----ChatwootBridge${randomBytes(16).toString('hex')}`;
}

function occursIn(boundary: string, form: MultipartForm): boolean {
	const needle = Buffer.from(boundary);
	return (
		form.fields.some((f) => f.value.includes(boundary) || f.name.includes(boundary)) ||
		form.files.some((f) => f.data.includes(needle) || f.fileName.includes(boundary))
	);
}

/**
 * Encodes fields then files, in order. The boundary is random and re-drawn until it occurs nowhere in the data.
 * `newBoundary` exists for tests.
 */
export function encodeMultipart(
	form: MultipartForm,
	newBoundary: () => string = randomBoundary,
): EncodedMultipart {
	let boundary = newBoundary();
	for (let tries = 1; occursIn(boundary, form); tries += 1) {
		if (tries >= 10) throw new Error('multipart: could not find a boundary absent from the data');
		boundary = newBoundary();
	}

	const parts: Buffer[] = [];
	for (const field of form.fields) {
		parts.push(
			Buffer.from(
				`--${boundary}${CRLF}` +
					`Content-Disposition: form-data; name="${escapeQuoted(field.name)}"${CRLF}${CRLF}` +
					`${field.value}${CRLF}`,
			),
		);
	}
	for (const file of form.files) {
		parts.push(
			Buffer.from(
				`--${boundary}${CRLF}` +
					`Content-Disposition: form-data; name="${escapeQuoted(file.name)}"; filename="${escapeQuoted(file.fileName)}"${CRLF}` +
					`Content-Type: ${headerValue(file.contentType) || 'application/octet-stream'}${CRLF}${CRLF}`,
			),
			file.data,
			Buffer.from(CRLF),
		);
	}
	parts.push(Buffer.from(`--${boundary}--${CRLF}`));
	return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
