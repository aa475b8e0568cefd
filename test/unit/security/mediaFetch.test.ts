/**
 * The media fetch rules against hostile links, over real HTTP: servers on loopback play the hosts a link may name
 * (the gateway "gw.example", a listed CDN, unlisted names, a public IP address); the test's `send` delivers each
 * request to the server playing its host, as DNS would, so every refusal below is the rules' own and each server
 * records whether any request reached it. The gateway credential lists "media.example" and "*.cdn.example".
 */
import { spawn, type ChildProcess } from 'child_process';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as v8 from 'v8';
import * as vm from 'vm';

import { gatewayFile, type GatewayFetch } from '../../../nodes/shared/bridge/gatewayMedia';
import { fetchWithinRules, MediaRefusal, type FetchRules, type HopRequest } from '../../../nodes/shared/bridge/mediaFetch';
import { parseMediaHosts } from '../../../nodes/shared/bridge/mediaHosts';
import type { InboundEvent } from '../../../nodes/shared/whatsapp/event';
import { ChatwootBridgeWhatsAppCloudApi } from '../../../credentials/ChatwootBridgeWhatsAppCloudApi.credentials';

const MB = 1024 * 1024;
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 9, 9, 9]);

interface Recorded {
	server: string;
	path: string;
	apikey?: string;
	authorization?: string;
}

const recorded: Recorded[] = [];
const servers: http.Server[] = [];
const ports: Record<string, number> = {};
const dripping: http.ServerResponse[] = [];

function serve(name: string, routes: (path: string, response: http.ServerResponse) => void): Promise<void> {
	const server = http.createServer((request, response) => {
		recorded.push({
			server: name,
			path: request.url ?? '',
			apikey: request.headers.apikey as string | undefined,
			...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
		});
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

/** Delivers each request to the local server playing its host; the gateway key goes only where `authenticated` says. */
function send(hop: HopRequest) {
	const url = new URL(hop.url);
	const host = url.hostname.replace(/\.$/, '');
	const port = ports[host];
	return new Promise<{ status: number; headers: Record<string, unknown>; body: http.IncomingMessage }>((resolve, reject) => {
		if (port === undefined) {
			reject(Object.assign(new Error(`connect ECONNREFUSED ${url.hostname}`), { code: 'ECONNREFUSED' }));
			return;
		}
		const request = http.request(
			{
				host: '127.0.0.1',
				port,
				path: url.pathname + url.search,
				method: hop.method,
				headers: hop.authenticated ? (/facebook|fbsbx/.test(host) ? { authorization: 'Bearer TOKEN' } : { apikey: 'GATEWAY-KEY' }) : {},
			},
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
		mediaHosts: { patterns: ['gw.example', ...parseMediaHosts('media.example,\n*.CDN.example.')], urlField: 'Base URL' },
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

function file(_path: string, response: http.ServerResponse): void {
	response.writeHead(200, { 'content-type': 'image/jpeg' });
	response.end(JPEG);
}

/** Listed and unlisted names, and one public IP address, each played by its own server. */
const FILE_HOSTS = ['media.example', 'files.cdn.example', 'cdn.example', 'evil-cdn.example', 'cdn.example.evil', 'unlisted.example', '93.184.216.34'];

beforeAll(async () => {
	await serve('gw.example', (path, response) => {
		if (path === '/file') file(path, response);
		else if (path === '/to-cdn') redirect(response, 'http://files.cdn.example/file');
		else if (path === '/to-self') redirect(response, '/file');
		else if (path === '/to-metadata') redirect(response, 'http://169.254.169.254/latest/meta-data/iam/security-credentials/');
		else if (path === '/to-private') redirect(response, 'http://10.0.0.8/admin');
		else if (path === '/to-loopback') redirect(response, 'http://127.0.0.1/admin');
		else if (path === '/to-mapped-loopback') redirect(response, 'http://[::ffff:127.0.0.1]/admin');
		else if (path === '/to-unlisted') redirect(response, 'http://unlisted.example/file');
		else if (path === '/to-localhost') redirect(response, 'http://localhost/admin');
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
	for (const host of FILE_HOSTS) await serve(host, file);
	await serve('lookaside.fbsbx.com', (path, response) => {
		if (path.startsWith('/whatsapp_business/attachments/')) file(path, response);
		else response.writeHead(404).end();
	});
	await serve('graph.facebook.com', (path, response) => {
		response.writeHead(200, { 'content-type': 'application/json' });
		const url = path.endsWith('/555') ? 'https://files.example.com/x.jpg' : 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=777&ext=1&hash=h';
		response.end(JSON.stringify({ messaging_product: 'whatsapp', url, mime_type: 'image/jpeg', file_size: JPEG.length, id: path.split('/').at(-1) }));
	});
});

afterAll(async () => {
	for (const response of dripping) response.destroy();
	await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

beforeEach(() => {
	recorded.length = 0;
});

describe('fetch rules: which hosts a link may name', () => {
	it.each([
		['a listed name', 'http://media.example/file', 'media.example'],
		['a subdomain of a listed *. pattern (any case, trailing dot)', 'http://FILES.cdn.example./file', 'files.cdn.example'],
		['an unlisted public IP address', 'http://93.184.216.34/file', '93.184.216.34'],
	])('%s is fetched', async (_, link, server) => {
		expect((await fetchWithinRules(link, rules())).data).toEqual(JPEG);
		expect(recorded.map((entry) => entry.server)).toEqual([server]);
	});

	it.each([
		['the bare parent of a *. pattern', 'http://cdn.example/file', 'cdn.example'],
		['a name that only ends like the pattern', 'http://evil-cdn.example/file', 'evil-cdn.example'],
		['a name that only starts like the pattern', 'http://cdn.example.evil/file', 'cdn.example.evil'],
		['an unlisted name', 'http://unlisted.example/file', 'unlisted.example'],
	])('%s is refused before any byte is sent, naming the host and what to do', async (_, link, host) => {
		expect(await refusal(fetchWithinRules(link, rules()))).toBe(
			`the media link was refused: its host ${host} is not a media host of the gateway credential (its Base URL's host, or one listed in "Media Hosts")`,
		);
		expect(recorded).toEqual([]);
	});

	it('without a gateway credential a name is refused with what to add; a public IP address is still fetched', async () => {
		expect(await refusal(fetchWithinRules('http://media.example/file', rules({ mediaHosts: undefined })))).toBe(
			'the media link was refused: its host media.example is a name, and without a gateway credential only public IP addresses are fetched; choose a Gateway Credential on the node and list media.example in its "Media Hosts"',
		);
		expect(recorded).toEqual([]);
		expect((await fetchWithinRules('http://93.184.216.34/file', rules({ mediaHosts: undefined }))).data).toEqual(JPEG);
	});
});

describe('fetch rules: where the gateway key goes', () => {
	it('the gateway\'s own link gets the key, and its redirect to itself too', async () => {
		expect((await fetchWithinRules('http://gw.example/to-self', rules())).data).toEqual(JPEG);
		expect(recorded).toEqual([
			{ server: 'gw.example', path: '/to-self', apikey: 'GATEWAY-KEY' },
			{ server: 'gw.example', path: '/file', apikey: 'GATEWAY-KEY' },
		]);
	});

	it('a redirect to a listed host is followed without the key', async () => {
		expect((await fetchWithinRules('http://gw.example/to-cdn', rules())).data).toEqual(JPEG);
		expect(recorded).toEqual([
			{ server: 'gw.example', path: '/to-cdn', apikey: 'GATEWAY-KEY' },
			{ server: 'files.cdn.example', path: '/file', apikey: undefined },
		]);
	});

	it('a link a webhook names on another host never gets the key', async () => {
		await fetchWithinRules('http://media.example/file', rules());
		expect(recorded).toEqual([{ server: 'media.example', path: '/file', apikey: undefined }]);
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
		['http://[::ffff:127.0.0.1]/', /::ffff:7f00:1 is a loopback address/],
		['http://2130706433/', /127\.0\.0\.1 is a loopback address/],
		['http://localhost:9/', /localhost is a loopback host name; only the gateway's own host may be private/],
		['http://api.localhost:9/', /api\.localhost is a loopback host name/],
		['file:///etc/passwd', /only http and https links are fetched, not file:/],
		['ftp://gw.example/file', /only http and https links are fetched, not ftp:/],
		['not a url', /not a valid URL/],
	])('%s', async (link, reason) => {
		expect(await refusal(fetchWithinRules(link, rules()))).toMatch(reason);
		expect(recorded).toEqual([]);
	});

	it('listing a loopback name does not open it', async () => {
		const listed = rules({ mediaHosts: { patterns: ['localhost', '*.localhost'], urlField: 'Base URL' } });
		expect(await refusal(fetchWithinRules('http://localhost:9/', listed))).toMatch(/localhost is a loopback host name/);
		expect(await refusal(fetchWithinRules('http://api.localhost:9/', listed))).toMatch(/api\.localhost is a loopback host name/);
	});

	it.each([
		['/to-metadata', /169\.254\.169\.254 is a cloud metadata address/],
		['/to-private', /10\.0\.0\.8 is a private address/],
		['/to-loopback', /127\.0\.0\.1 is a loopback address/],
		['/to-mapped-loopback', /::ffff:7f00:1 is a loopback address/],
		['/to-localhost', /localhost is a loopback host name/],
		['/to-unlisted', /its host unlisted\.example is not a media host of the gateway credential/],
	])('a redirect from the gateway (%s) to a refused host stops there', async (path, reason) => {
		expect(await refusal(fetchWithinRules(`http://gw.example${path}`, rules()))).toMatch(reason);
		expect(recorded.map((entry) => entry.server)).toEqual(['gw.example']);
	});

	it('more than 5 redirects are refused', async () => {
		expect(await refusal(fetchWithinRules('http://gw.example/loop', rules()))).toMatch(/more than 5 redirects/);
		expect(recorded).toHaveLength(6);
	});

	it('"Allow Private Gateway Host" opens the gateway\'s own private host, and no other', async () => {
		const port = ports['gw.example'];
		const local = rules({ privateHostsAllowed: ['127.0.0.1'], authenticatedOrigins: [`http://127.0.0.1:${port}`] });
		ports['127.0.0.1'] = port;
		expect((await fetchWithinRules(`http://127.0.0.1:${port}/file`, local)).data).toEqual(JPEG);
		expect(recorded).toEqual([{ server: 'gw.example', path: '/file', apikey: 'GATEWAY-KEY' }]);
		expect(await refusal(fetchWithinRules('http://10.0.0.1/', local))).toMatch(/private address/);
		expect(await refusal(fetchWithinRules(`http://localhost:${port}/file`, local))).toMatch(/loopback/);
		delete ports['127.0.0.1'];
	});

	it('a gateway at localhost is reached only with "Allow Private Gateway Host"', async () => {
		const port = ports['gw.example'];
		ports.localhost = port;
		const own = { patterns: ['localhost'], urlField: 'Base URL' };
		const link = `http://localhost:${port}/file`;
		expect(await refusal(fetchWithinRules(link, rules({ mediaHosts: own })))).toMatch(/localhost is a loopback host name/);
		expect(recorded).toEqual([]);
		expect((await fetchWithinRules(link, rules({ mediaHosts: own, privateHostsAllowed: ['localhost'] }))).data).toEqual(JPEG);
		delete ports.localhost;
	});
});

describe('Cloud API media: media id → Graph API → lookaside link', () => {
	const cloudDefault = String(new ChatwootBridgeWhatsAppCloudApi().properties.find((property) => property.name === 'mediaHosts')!.default);
	const event = { gateway: 'cloud', media: { mediaId: '777' } } as unknown as InboundEvent;

	/** What the Sync node builds from the Cloud credential: Graph's origin and the link Graph returns get the token. */
	function cloudFetch(mediaHosts: string): GatewayFetch {
		const cloud = rules({
			authenticatedOrigins: ['https://graph.facebook.com'],
			mediaHosts: { patterns: ['graph.facebook.com', ...parseMediaHosts(mediaHosts)], urlField: 'Graph API URL' },
		});
		return {
			json: async (url, request) => await fetchWithinRules(url, cloud, request),
			file: async (url, trustedOrigin) =>
				await fetchWithinRules(url, { ...cloud, authenticatedOrigins: [...cloud.authenticatedOrigins, trustedOrigin!] }),
		};
	}

	it('with the credential\'s default Media Hosts the file is downloaded, with the token', async () => {
		expect(cloudDefault).toBe('lookaside.fbsbx.com');
		const file = await gatewayFile(event, { gateway: 'cloud', baseUrl: 'https://graph.facebook.com/v21.0' }, cloudFetch(cloudDefault));
		expect(file?.data).toEqual(JPEG);
		expect(recorded).toEqual([
			{ server: 'graph.facebook.com', path: '/v21.0/777', apikey: undefined, authorization: 'Bearer TOKEN' },
			{ server: 'lookaside.fbsbx.com', path: '/whatsapp_business/attachments/?mid=777&ext=1&hash=h', apikey: undefined, authorization: 'Bearer TOKEN' },
		]);
	});

	it('a link Graph returns on an unlisted host is refused: the token goes nowhere else', async () => {
		const other = { gateway: 'cloud', media: { mediaId: '555' } } as unknown as InboundEvent;
		const error = await gatewayFile(other, { gateway: 'cloud', baseUrl: 'https://graph.facebook.com/v21.0' }, cloudFetch(cloudDefault)).catch(
			(failure: Error) => failure,
		);
		expect(String(error)).toMatch(/its host files\.example\.com is not a media host of the gateway credential \(its Graph API URL's host/);
		expect(recorded.map((entry) => entry.server)).toEqual(['graph.facebook.com']);
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
		ports['huge.cdn.example'] = files.port;
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
		const message = await refusal(fetchWithinRules('http://huge.cdn.example/video', rules({ maxBytes: cap, timeoutMs: 20_000, send: measuring })));
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
