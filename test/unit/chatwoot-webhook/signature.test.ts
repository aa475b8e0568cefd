import {
	DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
	signChatwootPayload,
	verifyChatwootSignature,
	type VerifyChatwootSignatureInput,
} from '../../../nodes/shared/chatwoot/webhook/signature';
import { rawSample, sample } from './fixtures';

const SECRET = 'inbox-secret';
const headers = sample('_delivery_headers.example.json');
const TIMESTAMP = Number(headers['X-Chatwoot-Timestamp']); // 1781791408
const body = rawSample('message_created.outgoing_text.json');

function input(overrides: Partial<VerifyChatwootSignatureInput> = {}): VerifyChatwootSignatureInput {
	return {
		rawBody: body,
		signatureHeader: signChatwootPayload(SECRET, TIMESTAMP, body),
		timestampHeader: String(TIMESTAMP),
		secret: SECRET,
		nowSeconds: TIMESTAMP,
		toleranceSeconds: DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
		allowUnsigned: false,
		...overrides,
	};
}

const reasonOf = (overrides: Partial<VerifyChatwootSignatureInput>) => {
	const verdict = verifyChatwootSignature(input(overrides));
	return verdict.ok ? 'ok' : verdict.reason;
};

describe('signChatwootPayload', () => {
	it('matches an HMAC-SHA256 computed independently (openssl) over "<timestamp>.<body>"', () => {
		expect(signChatwootPayload('inbox-secret', 1700000000, '{"event":"message_created"}')).toBe(
			'sha256=ab5224a0ff17ddf1c1974302f3af82876b7a4c9dcb11e93ce50dd28c1363112a',
		);
		expect(signChatwootPayload('inbox-secret', '1700000000', Buffer.from('{"event":"message_created"}'))).toBe(
			'sha256=ab5224a0ff17ddf1c1974302f3af82876b7a4c9dcb11e93ce50dd28c1363112a',
		);
	});
});

describe('verifyChatwootSignature', () => {
	it('accepts a good signature over the raw bytes (Buffer and string bodies)', () => {
		expect(verifyChatwootSignature(input())).toEqual({ ok: true, signed: true });
		expect(verifyChatwootSignature(input({ rawBody: body.toString('utf8') }))).toEqual({ ok: true, signed: true });
	});

	it('accepts upper-case hex and surrounding whitespace in the headers', () => {
		const signature = signChatwootPayload(SECRET, TIMESTAMP, body).replace(/[0-9a-f]{64}$/, (hex) => hex.toUpperCase());
		expect(reasonOf({ signatureHeader: ` ${signature} `, timestampHeader: ` ${TIMESTAMP} ` })).toBe('ok');
	});

	it('rejects a signature made with another secret', () => {
		const verdict = verifyChatwootSignature(input({ signatureHeader: signChatwootPayload('other', TIMESTAMP, body) }));
		expect(verdict).toEqual({ ok: false, reason: 'bad-signature', message: expect.stringContaining('raw body') });
	});

	it('rejects a re-serialised body: the raw bytes are what Chatwoot signed', () => {
		const reserialised = JSON.stringify(JSON.parse(body.toString('utf8')));
		expect(reserialised).not.toBe(body.toString('utf8'));
		expect(reasonOf({ rawBody: reserialised })).toBe('bad-signature');
	});

	it('rejects a body changed by one byte and a timestamp changed after signing', () => {
		const tampered = Buffer.from(body);
		tampered[tampered.length - 3] ^= 1;
		expect(reasonOf({ rawBody: tampered })).toBe('bad-signature');
		expect(reasonOf({ timestampHeader: String(TIMESTAMP + 1) })).toBe('bad-signature');
	});

	it('requires the signature once a secret is known, even with allowUnsigned', () => {
		expect(reasonOf({ signatureHeader: undefined })).toBe('missing-signature');
		expect(reasonOf({ signatureHeader: '  ', allowUnsigned: true })).toBe('missing-signature');
	});

	it.each([
		['no prefix', 'ab5224a0ff17ddf1c1974302f3af82876b7a4c9dcb11e93ce50dd28c1363112a'],
		['another algorithm', 'sha1=ab5224a0ff17ddf1c1974302f3af82876b7a4c9dcb11e93ce50dd28c1363112a'],
		['not hex', 'sha256=zz5224a0ff17ddf1c1974302f3af82876b7a4c9dcb11e93ce50dd28c1363112a'],
		['too short', 'sha256=ab5224a0ff17ddf1c1974302f3af82876b7a4c9dcb11e93ce50dd28c1363112'],
		['too long', 'sha256=ab5224a0ff17ddf1c1974302f3af82876b7a4c9dcb11e93ce50dd28c1363112a00'],
		['the placeholder of the headers example', String(headers['X-Chatwoot-Signature'])],
	])('rejects a malformed header (%s) without throwing', (_, signatureHeader) => {
		expect(reasonOf({ signatureHeader })).toBe('malformed-signature');
	});

	it('requires a unix-seconds timestamp', () => {
		expect(reasonOf({ timestampHeader: undefined })).toBe('missing-timestamp');
		expect(reasonOf({ timestampHeader: '' })).toBe('missing-timestamp');
		expect(reasonOf({ timestampHeader: 'yesterday' })).toBe('malformed-timestamp');
		expect(reasonOf({ timestampHeader: `${TIMESTAMP}.5` })).toBe('malformed-timestamp');
	});

	it('accepts the edges of the window and rejects stale timestamps in both directions', () => {
		expect(reasonOf({ nowSeconds: TIMESTAMP + 300 })).toBe('ok');
		expect(reasonOf({ nowSeconds: TIMESTAMP - 300 })).toBe('ok');
		const past = verifyChatwootSignature(input({ nowSeconds: TIMESTAMP + 301 }));
		expect(past).toEqual({ ok: false, reason: 'stale-timestamp', message: expect.stringContaining('301 s old') });
		const future = verifyChatwootSignature(input({ nowSeconds: TIMESTAMP - 301 }));
		expect(future).toEqual({ ok: false, reason: 'stale-timestamp', message: expect.stringContaining('301 s in the future') });
	});

	it('reports a bad signature rather than staleness when both are wrong', () => {
		expect(reasonOf({ nowSeconds: TIMESTAMP + 10_000, signatureHeader: signChatwootPayload('x', TIMESTAMP, body) })).toBe(
			'bad-signature',
		);
	});

	it('accepts unsigned deliveries only when no secret is known and the builder allows it', () => {
		const unsigned = { secret: undefined, signatureHeader: undefined, timestampHeader: undefined };
		expect(verifyChatwootSignature(input({ ...unsigned, allowUnsigned: true }))).toEqual({ ok: true, signed: false });
		expect(reasonOf({ ...unsigned, allowUnsigned: false })).toBe('missing-signature');
		expect(reasonOf({ ...unsigned, secret: '', allowUnsigned: true })).toBe('ok');
	});

	it('rejects a signed delivery when no secret is known, even with allowUnsigned', () => {
		expect(reasonOf({ secret: undefined, allowUnsigned: true })).toBe('missing-secret');
		expect(reasonOf({ secret: '', allowUnsigned: false })).toBe('missing-secret');
	});

	it('never puts the secret into a message', () => {
		const cases: Array<Partial<VerifyChatwootSignatureInput>> = [
			{ signatureHeader: signChatwootPayload('other', TIMESTAMP, body) },
			{ nowSeconds: TIMESTAMP + 999 },
			{ signatureHeader: 'sha256=0' },
		];
		for (const overrides of cases) {
			const verdict = verifyChatwootSignature(input(overrides));
			expect(verdict.ok).toBe(false);
			if (!verdict.ok) expect(verdict.message).not.toContain(SECRET);
		}
	});
});
