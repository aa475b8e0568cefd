/**
 * Fault injection, throttling and request counting: the knobs benchmarks and resilience tests rely on.
 */
import { seededRandom, startSandbox, type Sandbox } from '../sandbox';
import { api } from './helpers';

let sb: Sandbox;

beforeAll(async () => {
	sb = await startSandbox();
});
afterAll(() => sb.close());
beforeEach(() => {
	sb.reset();
	sb.setRateLimit(null);
});

describe('failNext', () => {
	it('answers a 5xx without touching the state', async () => {
		sb.failNext(1, '5xx', { status: 502 });
		const res = await api(sb)('POST', '/contacts', { name: 'A' });
		expect(res.status).toBe(502);
		expect(res.text).toContain('502 Bad Gateway');
		expect(sb.state.contacts).toHaveLength(0);
		expect((await api(sb)('POST', '/contacts', { name: 'A' })).status).toBe(200);
	});

	it('drops the connection before processing', async () => {
		sb.failNext(1, 'drop');
		await expect(api(sb)('POST', '/contacts', { name: 'A' })).rejects.toThrow();
		expect(sb.state.contacts).toHaveLength(0);
	});

	it('drops the connection AFTER the write: the client sees an error, the contact exists', async () => {
		sb.failNext(1, 'drop_after_commit', { match: { method: 'POST', path: '/api/v1/accounts/:account_id/contacts' } });
		await api(sb)('GET', '/inboxes'); // not matched, passes
		await expect(api(sb)('POST', '/contacts', { name: 'A' })).rejects.toThrow();
		expect(sb.state.contacts).toHaveLength(1);
	});

	it('answers slowly', async () => {
		sb.failNext(1, 'slow', { delayMs: 120 });
		const started = Date.now();
		const res = await api(sb)('GET', '/inboxes');
		expect(res.status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(110);
	});

	it('answers 429 "Retry later" with Retry-After', async () => {
		sb.failNext(1, '429', { retryAfterSeconds: 7 });
		const res = await api(sb)('GET', '/inboxes');
		expect(res.status).toBe(429);
		expect(res.headers.get('retry-after')).toBe('7');
		expect(res.text.trim()).toBe('Retry later');
		expect(sb.injectedFaults.map((f) => f.kind)).toEqual(['429']);
	});
});

describe('random faults', () => {
	it('are deterministic for a seed', async () => {
		const run = async () => {
			sb.reset();
			sb.setFaults({ rate: 0.3, kinds: ['5xx', '429'], seed: 42 });
			const statuses: number[] = [];
			for (let i = 0; i < 30; i++) statuses.push((await api(sb)('GET', '/inboxes')).status);
			sb.setFaults(null);
			return statuses;
		};
		const first = await run();
		const second = await run();
		expect(first).toEqual(second);
		expect(first.filter((s) => s !== 200).length).toBeGreaterThan(3);
		expect(seededRandom(1)()).toBe(seededRandom(1)());
	});

	it('can be a function of the request', async () => {
		sb.setFaults(({ method }) => (method === 'POST' ? { kind: '5xx', status: 503 } : null));
		expect((await api(sb)('GET', '/inboxes')).status).toBe(200);
		expect((await api(sb)('POST', '/contacts', { name: 'x' })).status).toBe(503);
		sb.setFaults(null);
	});
});

describe('rate limits (off by default: Chatwoot never throttles 127.0.0.1)', () => {
	// Fixed one-minute windows: keep each test inside one window.
	beforeEach(async () => {
		const intoMinute = Date.now() % 60_000;
		if (intoMinute > 57_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 50));
	});

	it('throttles every request over the per-minute budget with 429 and Retry-After', async () => {
		for (let i = 0; i < 50; i++) expect((await api(sb)('GET', '/inboxes')).status).toBe(200);
		sb.setRateLimit({ perMinute: 5 });
		const statuses: number[] = [];
		let retryAfter: string | null = null;
		for (let i = 0; i < 7; i++) {
			const res = await api(sb)('GET', '/inboxes');
			statuses.push(res.status);
			if (res.status === 429) retryAfter = res.headers.get('retry-after');
		}
		expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
		expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
		expect(Number(retryAfter)).toBeLessThanOrEqual(60);
	});

	it('limits contact search to 100 per minute per account', async () => {
		sb.setRateLimit({ perMinute: 3000, contactSearchPerMinute: 100 });
		const results = await Promise.all(Array.from({ length: 101 }, () => api(sb)('GET', '/contacts/search?q=a')));
		expect(results.filter((r) => r.status === 429)).toHaveLength(1);
	});
});

describe('request counts', () => {
	it('counts per route template and in total, and can be reset', async () => {
		const call = api(sb);
		await call('GET', '/inboxes');
		await call('GET', '/inboxes');
		await call('GET', '/contacts/123');
		expect(sb.requestCounts).toMatchObject({
			total: 3,
			'GET /api/v1/accounts/:account_id/inboxes': 2,
			'GET /api/v1/accounts/:account_id/contacts/:id': 1,
		});
		sb.resetCounts();
		expect(sb.requestCounts.total).toBe(0);
	});
});
