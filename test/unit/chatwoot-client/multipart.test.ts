import { randomBytes } from 'crypto';

import { encodeMultipart, escapeQuoted } from '../../../nodes/shared/chatwoot/multipart';
import { boundaryOf, parseMultipart } from '../../support/multipartParse';

describe('encodeMultipart', () => {
	const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(2048)]);

	it('round-trips fields and files, in order, byte for byte', () => {
		const form = {
			fields: [
				{ name: 'content', value: 'Olá *mundo*\r\nsegunda linha' },
				{ name: 'message_type', value: 'incoming' },
				{ name: 'content_attributes', value: JSON.stringify({ in_reply_to_external_id: 'WAID:1' }) },
			],
			files: [
				{ name: 'attachments[]', fileName: 'foto.png', contentType: 'image/png', data: png },
				{ name: 'attachments[]', fileName: 'nota.ogg', contentType: 'audio/ogg; codecs=opus', data: Buffer.from('OggS') },
			],
		};
		const { body, contentType } = encodeMultipart(form);
		const parts = parseMultipart(body, contentType);
		expect(parts.map((p) => p.name)).toEqual(['content', 'message_type', 'content_attributes', 'attachments[]', 'attachments[]']);
		expect(parts[0].data.toString('utf8')).toBe('Olá *mundo*\r\nsegunda linha');
		expect(JSON.parse(parts[2].data.toString('utf8'))).toEqual({ in_reply_to_external_id: 'WAID:1' });
		expect(parts[0].fileName).toBeUndefined();
		expect(parts[0].contentType).toBeUndefined();
		expect(parts[3]).toMatchObject({ fileName: 'foto.png', contentType: 'image/png' });
		expect(parts[3].data.equals(png)).toBe(true);
		expect(parts[4]).toMatchObject({ fileName: 'nota.ogg', contentType: 'audio/ogg; codecs=opus' });
	});

	it('uses CRLF line breaks and a final boundary', () => {
		const { body, contentType } = encodeMultipart({ fields: [{ name: 'a', value: 'b' }], files: [] });
		const boundary = boundaryOf(contentType);
		expect(body.toString()).toBe(`--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--${boundary}--\r\n`);
		expect(boundary.length).toBeLessThanOrEqual(70);
		expect(boundary).toMatch(/^[0-9A-Za-z'()+_,\-./:=?]+$/);
	});

	it('draws a fresh random boundary each time', () => {
		const a = boundaryOf(encodeMultipart({ fields: [], files: [] }).contentType);
		const b = boundaryOf(encodeMultipart({ fields: [], files: [] }).contentType);
		expect(a).not.toBe(b);
	});

	it('re-draws a boundary that occurs in the data', () => {
		const drawn = ['COLLIDE', 'IN-FILE', 'FRESH'];
		const { contentType, body } = encodeMultipart(
			{
				fields: [{ name: 'content', value: 'text with --COLLIDE inside' }],
				files: [{ name: 'f', fileName: 'x.bin', contentType: 'application/octet-stream', data: Buffer.from('..IN-FILE..') }],
			},
			() => drawn.shift()!,
		);
		expect(boundaryOf(contentType)).toBe('FRESH');
		expect(parseMultipart(body, contentType)[0].data.toString()).toBe('text with --COLLIDE inside');
	});

	it('escapes quotes and line breaks in names and file names, keeps UTF-8', () => {
		expect(escapeQuoted('a"b\r\nc')).toBe('a%22b%0D%0Ac');
		const { body, contentType } = encodeMultipart({
			fields: [{ name: 'we"ird', value: 'v' }],
			files: [{ name: 'attachments[]', fileName: 'relatório "final"\r\n.pdf', contentType: 'application/pdf', data: Buffer.from('%PDF') }],
		});
		const text = body.toString('utf8');
		expect(text).toContain('name="we%22ird"');
		expect(text).toContain('filename="relatório %22final%22%0D%0A.pdf"');
		const parts = parseMultipart(body, contentType);
		expect(parts[0].name).toBe('we"ird');
		expect(parts[1].fileName).toBe('relatório "final"\r\n.pdf');
	});

	it('keeps a content type from breaking the header block, defaults to octet-stream', () => {
		const { body, contentType } = encodeMultipart({
			fields: [],
			files: [
				{ name: 'a', fileName: 'a', contentType: 'text/plain\r\nX-Evil: 1', data: Buffer.from('x') },
				{ name: 'b', fileName: 'b', contentType: '', data: Buffer.from('y') },
			],
		});
		const parts = parseMultipart(body, contentType);
		expect(parts[0].contentType).toBe('text/plain X-Evil: 1');
		expect(parts[0].headers['x-evil']).toBeUndefined();
		expect(parts[1].contentType).toBe('application/octet-stream');
	});
});
