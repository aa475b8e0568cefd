/**
 * A small multipart/form-data parser (RFC 7578), enough for Chatwoot's message create with `attachments[]`
 * (docs/chatwoot-behaviour.md, Messages) and `POST /upload`. Fields land in a Rails-style nested params hash.
 */
import { setNested, type Params } from './params';

export function boundaryOf(contentType: string): string | undefined {
	const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
	return match ? (match[1] ?? match[2]).trim() : undefined;
}

export function parseMultipart(body: Buffer, boundary: string): Params {
	const params: Params = {};
	const delimiter = Buffer.from(`--${boundary}`);
	let position = body.indexOf(delimiter);
	if (position < 0) throw new Error('multipart body without boundary');
	for (;;) {
		position += delimiter.length;
		// "--" after a delimiter closes the body.
		if (body[position] === 0x2d && body[position + 1] === 0x2d) break;
		position = skipLineBreak(body, position);
		const next = body.indexOf(delimiter, position);
		if (next < 0) throw new Error('unterminated multipart body');
		// The part ends with CRLF before the next delimiter.
		let end = next;
		if (body[end - 1] === 0x0a) end--;
		if (body[end - 1] === 0x0d) end--;
		addPart(params, body.subarray(position, end));
		position = next;
	}
	return params;
}

function skipLineBreak(body: Buffer, position: number): number {
	if (body[position] === 0x0d) position++;
	if (body[position] === 0x0a) position++;
	return position;
}

function addPart(params: Params, part: Buffer): void {
	let split = part.indexOf('\r\n\r\n');
	let gap = 4;
	if (split < 0) {
		split = part.indexOf('\n\n');
		gap = 2;
	}
	if (split < 0) return;
	const headers = part.subarray(0, split).toString('utf8').split(/\r?\n/);
	const data = part.subarray(split + gap);
	let name: string | undefined;
	let filename: string | undefined;
	let contentType = 'text/plain';
	for (const line of headers) {
		const colon = line.indexOf(':');
		if (colon < 0) continue;
		const header = line.slice(0, colon).trim().toLowerCase();
		const value = line.slice(colon + 1).trim();
		if (header === 'content-disposition') {
			name = dispositionParam(value, 'name');
			filename = dispositionParam(value, 'filename');
		} else if (header === 'content-type') {
			contentType = value;
		}
	}
	if (name === undefined) return;
	if (filename !== undefined) {
		setNested(params, name, { kind: 'file', filename, contentType, data: Buffer.from(data) });
	} else {
		setNested(params, name, data.toString('utf8'));
	}
}

function dispositionParam(header: string, key: string): string | undefined {
	const star = new RegExp(`;\\s*${key}\\*=(?:UTF-8'[^']*')?([^;]+)`, 'i').exec(header);
	if (star) return decodeURIComponent(star[1].trim());
	const quoted = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header);
	if (quoted) return quoted[1].replace(/\\(.)/g, '$1');
	const bare = new RegExp(`;\\s*${key}=([^;]+)`, 'i').exec(header);
	return bare ? bare[1].trim() : undefined;
}
