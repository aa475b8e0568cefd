/** A strict multipart/form-data parser for tests: reads back what encodeMultipart wrote (RFC 7578). */

export interface ParsedPart {
	name: string;
	fileName?: string;
	contentType?: string;
	headers: Record<string, string>;
	data: Buffer;
}

function unescapeQuoted(value: string): string {
	return value.replace(/%22/g, '"').replace(/%0D/g, '\r').replace(/%0A/g, '\n');
}

export function boundaryOf(contentType: string): string {
	const match = /^multipart\/form-data;\s*boundary=("?)([^";]+)\1$/i.exec(contentType.trim());
	if (!match) throw new Error(`not a multipart/form-data content type: ${contentType}`);
	return match[2];
}

export function parseMultipart(body: Buffer, contentType: string): ParsedPart[] {
	const boundary = boundaryOf(contentType);
	const delimiter = Buffer.from(`--${boundary}`);
	const parts: ParsedPart[] = [];
	if (body.indexOf(delimiter) !== 0) throw new Error('body does not start with the boundary');
	let position = delimiter.length;
	for (;;) {
		const after = body.subarray(position, position + 2).toString('latin1');
		if (after === '--') {
			if (body.subarray(position + 2).toString('latin1') !== '\r\n') throw new Error('bad epilogue');
			return parts;
		}
		if (after !== '\r\n') throw new Error(`expected CRLF after the boundary at ${position}`);
		position += 2;
		const headerEnd = body.indexOf('\r\n\r\n', position);
		if (headerEnd < 0) throw new Error('part without a header block');
		const headers: Record<string, string> = {};
		for (const line of body.subarray(position, headerEnd).toString('utf8').split('\r\n')) {
			const colon = line.indexOf(':');
			headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
		}
		const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
		if (next < 0) throw new Error('part without a closing boundary');
		const disposition = headers['content-disposition'] ?? '';
		const name = /;\s*name="([^"]*)"/.exec(disposition)?.[1];
		if (!/^form-data;/.test(disposition) || name === undefined) throw new Error(`bad disposition: ${disposition}`);
		const fileName = /;\s*filename="([^"]*)"/.exec(disposition)?.[1];
		parts.push({
			name: unescapeQuoted(name),
			fileName: fileName === undefined ? undefined : unescapeQuoted(fileName),
			contentType: headers['content-type'],
			headers,
			data: body.subarray(headerEnd + 4, next),
		});
		position = next + 2 + delimiter.length;
	}
}
