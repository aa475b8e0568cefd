/**
 * The media fetch rules against hostile links, over real HTTP: servers on loopback play a gateway ("gw.example")
 * and a CDN ("cdn.example"); a resolver gives those names public addresses, so the refusals below are the rules'
 * own and the allowed path is exercised too. The servers record the headers they receive.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as v8 from 'v8';
import * as vm from 'vm';

import { fetchWithinRules, MediaRefusal, type FetchRules, type HopRequest } from '../../../nodes/shared/bridge/mediaFetch';

const MB = 1024 * 1024;
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 9, 9, 9]);

interface Recorded {
	server: string;
	path: string;
	apikey?: string;
}

const recorded: Recorded[] = [];
const servers: http.Server[] = [];
const ports: Record<string, number> = {};
const dripping: http.ServerResponse[] = [];

function serve(name: string, routes: (path: string, response: http.ServerResponse) => void): Promise<void> {
	const server = http.createServer((request, response) => {
		recorded.push({ server: name, path: request.url ?? '', apikey: request.headers.apikey as string | undefined });
		routes(request.url ?? '', response);
	});
	servers.push(server);
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () => {
			ports[name] = (server.address() as AddressInfo).port;
			resolve();
		}),
	);
}

function redirect(response: http.ServerResponse, location: string): void {
	response.writeHead(302, { location });
	response.end();
}

/** 10× the cap, produced lazily so the server itself holds little. */
function streamBytes(response: http.ServerResponse, total: number, announce: boolean): void {
	response.writeHead(200, { 'content-type': 'video/mp4', ...(announce ? { 'content-length': String(total) } : {}) });
	const chunk = Buffer.alloc(64 * 1024, 7);
	let sent = 0;
	const pump = (): void => {
		while (sent < total) {
			sent += chunk.length;
			if (!response.write(chunk)) {
				response.once('drain', pump);
				return;
			}
		}
		response.end();
	};
	response.on('close', () => (sent = total));
	pump();
}

const resolverTable: Record<string, string[]> = {
	'gw.example': ['93.184.216.34'],
	'cdn.example': ['93.184.216.35'],
	'internal.example': ['10.0.0.9'],
	'meta.example': ['169.254.169.254'],
	'dual.example': ['93.184.216.36', '192.168.0.4'],
};

/** Delivers each request to the local server playing its host; the gateway key goes only where `authenticated` says. */
function send(hop: HopRequest) {
	const url = new URL(hop.url);
	const port = ports[url.hostname];
	return new Promise<{ status: number; headers: Record<string, unknown>; body: http.IncomingMessage }>((resolve, reject) => {
		if (port === undefined) {
			reject(Object.assign(new Error(`connect ECONNREFUSED ${url.hostname}`), { code: 'ECONNREFUSED' }));
			return;
		}
		const request = http.request(
			{ host: '127.0.0.1', port, path: url.pathname + url.search, method: hop.method, headers: hop.authenticated ? { apikey: 'GATEWAY-KEY' } : {} },
			(response) => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: response }),
		);
		hop.signal.addEventListener('abort', () => request.destroy(), { once: true });
		request.on('error', reject);
		request.end(hop.body ? JSON.stringify(hop.body) : undefined);
	});
}

function rules(overrides: Partial<FetchRules> = {}): FetchRules {
	return {
		maxBytes: 8 * MB,
		timeoutMs: 2_000,
		authenticatedOrigins: ['http://gw.example'],
		privateHostsAllowed: [],
		resolve: async (host) => {
			const addresses = resolverTable[host];
			if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
			return addresses;
		},
		send,
		...overrides,
	};
}

async function refusal(promise: Promise<unknown>): Promise<string> {
	const error = await promise.then(
		() => undefined,
		(failure: unknown) => failure,
	);
	if (!(error instanceof MediaRefusal)) throw new Error(`expected a refusal, got ${String(error)}`);
	return error.message;
}

beforeAll(async () => {
	await serve('gw.example', (path, response) => {
		if (path === '/file') {
			response.writeHead(200, { 'content-type': 'image/jpeg' });
			response.end(JPEG);
		} else if (path === '/to-cdn') redirect(response, 'http://cdn.example/file');
		else if (path === '/to-self') redirect(response, '/file');
		else if (path === '/to-metadata') redirect(response, 'http://169.254.169.254/latest/meta-data/iam/security-credentials/');
		else if (path === '/to-private') redirect(response, 'http://10.0.0.8/admin');
		else if (path === '/to-internal-name') redirect(response, 'http://internal.example/');
		else if (path.startsWith('/loop')) redirect(response, `/loop${path.length}`);
		else if (path === '/huge') streamBytes(response, 80 * MB, false);
		else if (path === '/huge-announced') streamBytes(response, 80 * MB, true);
		else if (path === '/drip') {
			response.writeHead(200, { 'content-type': 'image/jpeg' });
			dripping.push(response);
			const timer = setInterval(() => response.write(Buffer.from([1])), 100);
			response.on('close', () => clearInterval(timer));
		}
	});
	await serve('cdn.example', (_path, response) => {
		response.writeHead(200, { 'content-type': 'image/jpeg' });
		response.end(JPEG);
	});
});

afterAll(async () => {
	for (const response of dripping) response.destroy();
	await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

beforeEach(() => {
	recorded.length = 0;
});

describe('fetch rules: where the gateway key goes', () => {
	it('the gateway\'s own link gets the key, and its redirect to itself too', async () => {
		expect((await fetchWithinRules('http://gw.example/to-self', rules())).data).toEqual(JPEG);
		expect(recorded).toEqual([
			{ server: 'gw.example', path: '/to-self', apikey: 'GATEWAY-KEY' },
			{ server: 'gw.example', path: '/file', apikey: 'GATEWAY-KEY' },
		]);
	});

	it('a redirect to another host is followed without the key', async () => {
		expect((await fetchWithinRules('http://gw.example/to-cdn', rules())).data).toEqual(JPEG);
		expect(recorded).toEqual([
			{ server: 'gw.example', path: '/to-cdn', apikey: 'GATEWAY-KEY' },
			{ server: 'cdn.example', path: '/file', apikey: undefined },
		]);
	});

	it('a link a webhook names on another host never gets the key', async () => {
		await fetchWithinRules('http://cdn.example/file', rules());
		expect(recorded).toEqual([{ server: 'cdn.example', path: '/file', apikey: undefined }]);
	});

	it('the same host on another port or scheme is another origin: no key', async () => {
		await fetchWithinRules('https://gw.example/file', rules({ send: async (hop) => {
			expect(hop.authenticated).toBe(false);
			return { status: 200, headers: { 'content-type': 'image/jpeg' }, body: JPEG };
		} }));
	});
});

describe('fetch rules: hostile links are refused before any request', () => {
	it.each([
		['http://127.0.0.1:9/steal', /127\.0\.0\.1 is a loopback address/],
		['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a cloud metadata address/],
		['http://10.20.30.40/', /10\.20\.30\.40 is a private address/],
		['http://[::1]:9/', /::1 is a loopback address/],
		['http://localhost:9/', /localhost \(127\.0\.0\.1\) is a loopback address/],
		['http://internal.example/', /internal\.example \(10\.0\.0\.9\) is a private address/],
		['http://meta.example/', /meta\.example \(169\.254\.169\.254\) is a cloud metadata address/],
		['http://dual.example/', /dual\.example \(192\.168\.0\.4\) is a private address/],
		['file:///etc/passwd', /only http and https links are fetched, not file:/],
		['ftp://gw.example/file', /only http and https links are fetched, not ftp:/],
		['http://nowhere.example/', /its host nowhere\.example could not be resolved/],
		['not a url', /not a valid URL/],
	])('%s', async (link, reason) => {
		expect(await refusal(fetchWithinRules(link, rules()))).toMatch(reason);
		expect(recorded).toEqual([]);
	});

	it.each([
		['/to-metadata', /169\.254\.169\.254 is a cloud metadata address/],
		['/to-private', /10\.0\.0\.8 is a private address/],
		['/to-internal-name', /internal\.example \(10\.0\.0\.9\) is a private address/],
	])('a redirect from the gateway (%s) to a refused address stops there', async (path, reason) => {
		expect(await refusal(fetchWithinRules(`http://gw.example${path}`, rules()))).toMatch(reason);
		expect(recorded.map((entry) => entry.server)).toEqual(['gw.example']);
	});

	it('more than 5 redirects are refused', async () => {
		expect(await refusal(fetchWithinRules('http://gw.example/loop', rules()))).toMatch(/more than 5 redirects/);
		expect(recorded).toHaveLength(6);
	});

	it('"Allow Private Gateway Host" opens the gateway\'s own private host, and no other', async () => {
		const local = rules({ privateHostsAllowed: ['127.0.0.1'], authenticatedOrigins: [`http://127.0.0.1:${ports['gw.example']}`] });
		ports['127.0.0.1'] = ports['gw.example'];
		expect((await fetchWithinRules(`http://127.0.0.1:${ports['gw.example']}/file`, local)).data).toEqual(JPEG);
		expect(recorded).toEqual([{ server: 'gw.example', path: '/file', apikey: 'GATEWAY-KEY' }]);
		expect(await refusal(fetchWithinRules('http://10.0.0.1/', local))).toMatch(/private address/);
		expect(await refusal(fetchWithinRules(`http://localhost:${ports['gw.example']}/file`, local))).toMatch(/loopback/);
		delete ports['127.0.0.1'];
	});
});

/** A file server in its own process, so that its send buffers do not count in this process's memory. */
async function startFileProcess(total: number): Promise<{ child: ChildProcess; port: number }> {
	const script = `
		const http = require('http');
		const chunk = Buffer.alloc(64 * 1024, 7);
		http.createServer((request, response) => {
			response.writeHead(200, { 'content-type': 'video/mp4' });
			let sent = 0;
			const pump = () => {
				while (sent < ${total}) {
					sent += chunk.length;
					if (!response.write(chunk)) return response.once('drain', pump);
				}
				response.end();
			};
			response.on('close', () => (sent = ${total}));
			pump();
		}).listen(0, '127.0.0.1', function () { process.stdout.write(String(this.address().port) + '\\n'); });
	`;
	const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
	const port = await new Promise<number>((resolve) => child.stdout!.once('data', (data: Buffer) => resolve(Number(String(data).trim()))));
	return { child, port };
}

/** V8's collector, for measuring live memory (memoryUsage alone also counts socket buffers awaiting collection). */
function collector(): () => void {
	v8.setFlagsFromString('--expose-gc');
	return vm.runInNewContext('gc') as () => void;
}

describe('fetch rules: size and time', () => {
	it('a file 10× the cap is stopped at the cap, and live memory stays within 2× the cap', async () => {
		const cap = 8 * MB;
		const files = await startFileProcess(80 * MB);
		ports['huge.example'] = files.port;
		resolverTable['huge.example'] = ['93.184.216.40'];
		const gc = collector();
		gc();
		const before = process.memoryUsage();
		const peak = { live: 0, rss: 0, received: 0 };
		// Live memory is sampled at every megabyte the reader takes, the last sample at the cap, where it holds the most.
		const measuring = async (hop: HopRequest) => {
			const answer = await send(hop);
			const response = answer.body;
			async function* sampled() {
				let nextSample = MB;
				for await (const chunk of response) {
					peak.received += (chunk as Buffer).length;
					if (peak.received >= nextSample) {
						nextSample += MB;
						gc();
						const now = process.memoryUsage();
						peak.live = Math.max(peak.live, now.arrayBuffers - before.arrayBuffers);
						peak.rss = Math.max(peak.rss, now.rss - before.rss);
					}
					yield chunk;
				}
			}
			return { ...answer, body: Object.assign(sampled(), { destroy: () => response.destroy() }) };
		};
		const started = Date.now();
		const message = await refusal(fetchWithinRules('http://huge.example/video', rules({ maxBytes: cap, timeoutMs: 20_000, send: measuring })));
		files.child.kill();
		expect(message).toBe('the file is larger than the limit of 8.0 MB; the download was stopped there');
		expect(peak.received).toBeLessThan(cap + MB);
		// Printed for the README's measured numbers.
		process.stdout.write(
			`oversized media: 80 MB file, cap 8 MB: stopped after ${(peak.received / MB).toFixed(1)} MB in ${Date.now() - started} ms; ` +
				`peak live ArrayBuffer memory ${(peak.live / MB).toFixed(1)} MB, resident growth ${(peak.rss / MB).toFixed(1)} MB\n`,
		);
		expect(peak.live).toBeLessThan(2 * cap);
	});

	it('a file whose announced length is over the cap is not downloaded at all', async () => {
		expect(await refusal(fetchWithinRules('http://gw.example/huge-announced', rules({ maxBytes: 8 * MB })))).toBe(
			'the file is 80.0 MB, larger than the limit of 8.0 MB; it was not downloaded',
		);
	});

	it('a server that drips bytes forever is cut at the deadline', async () => {
		const started = Date.now();
		const message = await refusal(fetchWithinRules('http://gw.example/drip', rules({ timeoutMs: 1_000 })));
		const elapsed = Date.now() - started;
		expect(message).toBe('the media link could not be downloaded (no complete answer within 1 s)');
		expect(elapsed).toBeGreaterThanOrEqual(900);
		expect(elapsed).toBeLessThan(2_500);
	});
});
