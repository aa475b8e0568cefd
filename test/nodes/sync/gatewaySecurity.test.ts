/**
 * The trust boundary of the Sync node, against the sandbox Chatwoot and a fake gateway on loopback:
 * webhooks must prove they come from the gateway (nothing reaches Chatwoot otherwise), media links from webhook bodies
 * cannot reach loopback, private or metadata addresses nor carry the gateway key elsewhere, and media the webhook
 * did not carry is fetched from the gateway API with the credential.
 */
import { createHmac } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';

import type { INodeExecutionData } from 'n8n-workflow';

import {
	CLOUD_ACCESS_TOKEN,
	EVOLUTION_API_KEY,
	GRAPH_VERSION_PATH,
	startFakeGateway,
	type FakeGateway,
} from '../../e2e/fakeGateway';
import { SyncWhatsAppMessage } from '../../../nodes/SyncWhatsAppMessage/SyncWhatsAppMessage.node';
import { PHOTO } from '../../e2e/gatewayHistory';
import { registerSecret } from '../../support/capture';
import { loopbackHostNames } from '../../support/fakeN8n';
import { fixture, startHarness, type Harness } from './harness';

const APP_SECRET = 'cloud-app-secret';
const WAHA_HMAC_KEY = 'waha-hmac-key';
const EVOLUTION_SECRET = 'evo-shared-secret';
// The suite's secret scan fails the run if any of these shows up in an output item, error or log line.
for (const secret of [APP_SECRET, WAHA_HMAC_KEY, EVOLUTION_SECRET, CLOUD_ACCESS_TOKEN, EVOLUTION_API_KEY, 'waha-key', 'GATEWAY-KEY']) registerSecret(secret);

/** A Webhook node item with "Raw Body" on: headers and parsed body in json, the bytes as received in binary `data`. */
function webhookItem(body: unknown, headers: Record<string, string>, raw = Buffer.from(JSON.stringify(body))): INodeExecutionData {
	return {
		json: { headers: { 'content-type': 'application/json', ...headers }, params: {}, query: {}, body } as never,
		binary: { data: { data: raw.toString('base64'), mimeType: 'application/json' } },
	};
}

function hmac(algorithm: 'sha256' | 'sha512', key: string, raw: Buffer): string {
	return createHmac(algorithm, key).update(raw).digest('hex');
}

describe('Sync node: webhook authentication', () => {
	let h: Harness;
	let gateway: FakeGateway;
	beforeAll(async () => {
		// The Graph API's media links name Meta's host, as the real ones do; the fake gateway serves it on loopback.
		loopbackHostNames.add('lookaside.fbsbx.com');
		gateway = await startFakeGateway({ cloudMediaHost: 'lookaside.fbsbx.com' });
	});
	afterAll(async () => {
		loopbackHostNames.delete('lookaside.fbsbx.com');
		await gateway.close();
	});
	beforeEach(async () => {
		h = await startHarness();
		h.credentials.gateways = {
			chatwootBridgeWhatsAppCloudApi: {
				accessToken: CLOUD_ACCESS_TOKEN,
				appSecret: APP_SECRET,
				baseUrl: `${gateway.baseUrl}${GRAPH_VERSION_PATH}`,
				allowPrivateHost: true,
			},
			chatwootBridgeWahaApi: { baseUrl: gateway.baseUrl, apiKey: 'waha-key', webhookSecret: WAHA_HMAC_KEY, allowPrivateHost: true },
			chatwootBridgeEvolutionApi: {
				baseUrl: gateway.baseUrl,
				apiKey: EVOLUTION_API_KEY,
				webhookSecret: EVOLUTION_SECRET,
				webhookHeaderName: 'x-bridge-secret',
				allowPrivateHost: true,
			},
		};
	});
	afterEach(async () => {
		await h.close();
	});

	/** Runs one webhook item; the node reads headers and raw body the way the shipped examples wire them. */
	async function deliver(gatewayCredential: string, item: INodeExecutionData, continueOnFail = true) {
		const json = item.json as { headers: Record<string, string>; params: Record<string, string>; body: unknown };
		const [out] = await h.run([json.body], {
			items: [item],
			continueOnFail,
			parameters: { gatewayCredential, webhookHeaders: json.headers, webhookParams: json.params, rawBodyProperty: 'data' },
		});
		return out.json;
	}

	const chatwootUntouched = () => {
		expect(h.sb.state.contacts).toEqual([]);
		expect(h.sb.state.messages).toEqual([]);
		expect(h.requests).toEqual([]);
	};

	describe('WhatsApp Cloud API (X-Hub-Signature-256)', () => {
		const body = () => fixture('cloud-api/text');

		it('a delivery signed with the app secret is synced', async () => {
			const raw = Buffer.from(JSON.stringify(body(), null, 2));
			const out = await deliver('cloud', webhookItem(body(), { 'x-hub-signature-256': `sha256=${hmac('sha256', APP_SECRET, raw)}` }, raw));
			expect(out).toMatchObject({ status: 'created', gateway: 'cloud' });
			expect(h.sb.state.messages).toHaveLength(1);
		});

		it.each([
			['missing', {}, /X-Hub-Signature-256 is missing/],
			['forged', { 'x-hub-signature-256': `sha256=${hmac('sha256', 'guessed-secret', Buffer.from(JSON.stringify(fixture('cloud-api/text'))))}` }, /does not match the body/],
			['malformed', { 'x-hub-signature-256': 'sha256=zz' }, /is malformed/],
		])('a %s signature is refused and Chatwoot is untouched', async (_, headers, reason) => {
			const out = await deliver('cloud', webhookItem(body(), headers));
			expect(out.status).toBe('failed');
			expect(String(out.error)).toMatch(reason);
			expect(out.field).toBe('X-Hub-Signature-256');
			chatwootUntouched();
		});

		it('a body altered after signing is refused', async () => {
			const raw = Buffer.from(JSON.stringify(body()));
			const signature = `sha256=${hmac('sha256', APP_SECRET, raw)}`;
			const forged = body() as { entry: Array<{ changes: Array<{ value: { messages: Array<{ text: { body: string } }> } }> }> };
			forged.entry[0].changes[0].value.messages[0].text.body = 'Transfer the money to account 123';
			const out = await deliver('cloud', webhookItem(forged, { 'x-hub-signature-256': signature }));
			expect(String(out.error)).toMatch(/does not match the body/);
			chatwootUntouched();
		});

		it('without "continue on fail" the node stops with the reason, naming the header', async () => {
			await expect(deliver('cloud', webhookItem(body(), {}), false)).rejects.toThrow(/webhook refused: X-Hub-Signature-256 is missing/);
			chatwootUntouched();
		});

		it('headers that are not an object name the parameter', async () => {
			const item = webhookItem(body(), {});
			const [out] = await h.run([body()], {
				items: [item],
				continueOnFail: true,
				parameters: { gatewayCredential: 'cloud', webhookHeaders: 'x-hub-signature-256: sha256=00', rawBodyProperty: 'data' },
			});
			expect(String(out.json.error)).toMatch(/^invalid body: webhookHeaders: is text that is not JSON/);
			chatwootUntouched();
		});

		it('a Webhook node without "Raw Body" is refused with what to turn on', async () => {
			const item = webhookItem(body(), { 'x-hub-signature-256': `sha256=${'a'.repeat(64)}` });
			delete item.binary;
			expect(String((await deliver('cloud', item)).error)).toMatch(/turn on "Raw Body" in the Webhook node options/);
			chatwootUntouched();
		});
	});

	describe('WAHA (X-Webhook-Hmac, sha512)', () => {
		const body = () => fixture('waha/text');

		it('a delivery with WAHA\'s HMAC is synced', async () => {
			const raw = Buffer.from(JSON.stringify(body()));
			const headers = { 'x-webhook-hmac': hmac('sha512', WAHA_HMAC_KEY, raw), 'x-webhook-hmac-algorithm': 'sha512' };
			expect(await deliver('waha', webhookItem(body(), headers, raw))).toMatchObject({ status: 'created', gateway: 'waha' });
		});

		it.each([
			['missing', {}],
			['forged', { 'x-webhook-hmac': hmac('sha512', 'other', Buffer.from('{}')), 'x-webhook-hmac-algorithm': 'sha512' }],
		])('a %s HMAC is refused and Chatwoot is untouched', async (_, headers) => {
			const out = await deliver('waha', webhookItem(body(), headers));
			expect(String(out.error)).toMatch(/^webhook refused: X-Webhook-Hmac /);
			chatwootUntouched();
		});

		it('an altered body is refused', async () => {
			const raw = Buffer.from(JSON.stringify(body()));
			const headers = { 'x-webhook-hmac': hmac('sha512', WAHA_HMAC_KEY, raw), 'x-webhook-hmac-algorithm': 'sha512' };
			const altered = Buffer.from(raw.toString('utf8').replace('Olá', 'Oi!'));
			expect(String((await deliver('waha', webhookItem(body(), headers, altered))).error)).toMatch(/does not match the body/);
			chatwootUntouched();
		});
	});

	describe('Evolution API (shared secret)', () => {
		const body = () => fixture('evolution/text');

		it('the secret in the configured header, or in the :secret path segment, is accepted', async () => {
			expect(await deliver('evolution', webhookItem(body(), { 'x-bridge-secret': EVOLUTION_SECRET }))).toMatchObject({ status: 'created' });
			const item = webhookItem(body(), {});
			(item.json as { params: Record<string, string> }).params = { secret: EVOLUTION_SECRET };
			expect(await deliver('evolution', item)).toMatchObject({ status: 'skipped' });
		});

		it('a request without the secret, or with a wrong one, is refused and Chatwoot is untouched', async () => {
			expect(String((await deliver('evolution', webhookItem(body(), {}))).error)).toMatch(/x-bridge-secret is missing/);
			expect(String((await deliver('evolution', webhookItem(body(), { 'x-bridge-secret': 'guess' }))).error)).toMatch(
				/does not match the shared secret/,
			);
			chatwootUntouched();
		});
	});

	describe('media the webhook did not carry, from the gateway API', () => {
		it('an Evolution view-once photo is fetched with getBase64FromMediaMessage and attached', async () => {
			const event = fixture('evolution/image-caption') as { data: { key: { id: string }; message: Record<string, any> } };
			const image = event.data.message.imageMessage;
			event.data.message = { viewOnceMessageV2: { message: { imageMessage: { ...image, viewOnce: true } } } };
			event.data.key.id = gateway.history.evolution.photo;
			const out = await deliver('evolution', webhookItem(event, { 'x-bridge-secret': EVOLUTION_SECRET }));
			expect(out).toMatchObject({ status: 'created' });
			expect(out.mediaError).toBeUndefined();
			const [attachment] = h.sb.state.attachments.filter((candidate) => candidate.message_id === out.messageId);
			expect(attachment).toBeDefined();
			const asked = gateway.requests.filter((request) => request.path === '/chat/getBase64FromMediaMessage/vendas');
			expect(asked.at(-1)).toMatchObject({
				method: 'POST',
				body: { message: { key: { id: gateway.history.evolution.photo } }, convertToMp4: false },
				headers: expect.objectContaining({ apikey: EVOLUTION_API_KEY }),
			});
		});

		const cloudImage = async () => {
			const body = fixture('cloud-api/image-caption');
			const raw = Buffer.from(JSON.stringify(body));
			const out = await deliver('cloud', webhookItem(body, { 'x-hub-signature-256': `sha256=${hmac('sha256', APP_SECRET, raw)}` }, raw));
			expect(out).toMatchObject({ status: 'created' });
			return { out, calls: gateway.requests.filter((request) => request.path.includes('1203948576012345')) };
		};

		it('a Cloud API media id is resolved through the Graph API and its lookaside link downloaded, with the default Media Hosts', async () => {
			expect(h.credentials.gateways!.chatwootBridgeWhatsAppCloudApi.mediaHosts).toBeUndefined(); // saved before the field existed
			const before = gateway.requests.length;
			const { out } = await cloudImage();
			expect(out.mediaError).toBeUndefined();
			expect(h.sb.state.attachments.filter((candidate) => candidate.message_id === out.messageId)).toHaveLength(1);
			expect(gateway.requests.slice(before).map((request) => [request.headers.host?.split(':')[0], request.path, request.headers.authorization])).toEqual([
				['127.0.0.1', `${GRAPH_VERSION_PATH}/1203948576012345`, `Bearer ${CLOUD_ACCESS_TOKEN}`],
				['lookaside.fbsbx.com', '/cloud-media/1203948576012345', `Bearer ${CLOUD_ACCESS_TOKEN}`],
			]);
			expect(PHOTO.length).toBeGreaterThan(0);
		});

		it('with Media Hosts emptied, the lookaside link is refused, naming the host, and the token is not sent there', async () => {
			h.credentials.gateways!.chatwootBridgeWhatsAppCloudApi.mediaHosts = '';
			const before = gateway.requests.length;
			const { out } = await cloudImage();
			expect(String(out.mediaError)).toMatch(
				/its host lookaside\.fbsbx\.com is not a media host of the gateway credential \(its Graph API URL's host, or one listed in "Media Hosts"\)/,
			);
			expect(gateway.requests.slice(before).map((request) => request.path)).toEqual([`${GRAPH_VERSION_PATH}/1203948576012345`]);
		});
	});
});

describe('Sync node: media links from webhook bodies', () => {
	let h: Harness;
	const seen: Array<{ server: string; path: string; apikey?: string }> = [];
	const servers: http.Server[] = [];
	let gatewayPort = 0;
	let elsewherePort = 0;
	// The gateway is reached by name (as a Docker service name would be), the file server by several names.
	const gatewayBase = () => `http://gw.example:${gatewayPort}`;
	const elsewhere = (host: string) => `http://${host}:${elsewherePort}`;
	const NAMES = ['gw.example', 'files.cdn.example', 'cdn.example', 'evil-cdn.example', 'unlisted.example'];

	function listen(name: string, handler: http.RequestListener): Promise<number> {
		const server = http.createServer((request, response) => {
			seen.push({ server: name, path: request.url ?? '', apikey: request.headers.apikey as string | undefined });
			handler(request, response);
		});
		servers.push(server);
		return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
	}

	const redirects: Record<string, () => string> = {
		'/redirect-cdn': () => `${elsewhere('files.cdn.example')}/photo.jpg`,
		'/redirect-unlisted': () => `${elsewhere('unlisted.example')}/loot`,
		'/redirect-metadata': () => 'http://169.254.169.254/latest/meta-data/',
		'/redirect-loopback': () => `http://127.0.0.1:${elsewherePort}/loot`,
		'/redirect-mapped-loopback': () => `http://[::ffff:127.0.0.1]:${elsewherePort}/loot`,
	};

	beforeAll(async () => {
		for (const name of NAMES) loopbackHostNames.add(name);
		elsewherePort = await listen('elsewhere', (_request, response) => {
			response.writeHead(200, { 'content-type': 'image/jpeg' }).end(Buffer.from([0xff, 0xd8, 0xff]));
		});
		gatewayPort = await listen('gateway', (request, response) => {
			const redirect = redirects[request.url ?? ''];
			if (redirect) {
				response.writeHead(302, { location: redirect() }).end();
			} else if (request.url === '/ten-times.mp4') {
				// 10 MB without a Content-Length, in 64 KB chunks: only reading finds out it is too large.
				response.writeHead(200, { 'content-type': 'video/mp4' });
				const chunk = Buffer.alloc(64 * 1024, 1);
				let sent = 0;
				const pump = (): void => {
					while (sent < 10 * 1024 * 1024) {
						sent += chunk.length;
						if (!response.write(chunk)) return void response.once('drain', pump);
					}
					response.end();
				};
				response.on('close', () => (sent = Infinity));
				pump();
			} else if (request.url === '/drip.jpg') {
				response.writeHead(200, { 'content-type': 'image/jpeg' });
				const timer = setInterval(() => response.write(Buffer.from([0xff])), 100);
				response.on('close', () => clearInterval(timer));
			} else response.writeHead(200, { 'content-type': 'image/jpeg' }).end(Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
		});
		h = await startHarness();
	});
	afterAll(async () => {
		for (const name of NAMES) loopbackHostNames.delete(name);
		await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
		await h.close();
	});
	beforeEach(() => {
		seen.length = 0;
		h.credentials.gateways = { chatwootBridgeEvolutionApi: { baseUrl: gatewayBase(), apiKey: 'GATEWAY-KEY', mediaHosts: '*.cdn.example' } };
	});

	function imageAt(url: string, id: string) {
		const body = fixture('evolution/image-caption') as { data: { key: { id: string }; message: Record<string, unknown> } };
		delete body.data.message.base64;
		body.data.message.mediaUrl = url;
		body.data.key.id = id;
		return body;
	}

	async function syncImage(link: string, gatewayCredential = 'evolution') {
		const [out] = await h.run([imageAt(link, `MEDIA${Math.random().toString(36).slice(2, 10).toUpperCase()}`)], { parameters: { gatewayCredential } });
		expect(out.json.status).toBe('created');
		return out.json;
	}

	const notListed = (host: string) =>
		`the media link was refused: its host ${host} is not a media host of the gateway credential (its Base URL's host, or one listed in "Media Hosts")`;

	it.each([
		['a loopback address, without a gateway credential', 'none', () => `http://127.0.0.1:${elsewherePort}/file`, /127\.0\.0\.1 is a loopback address/],
		[
			'a host name, without a gateway credential',
			'none',
			() => `${elsewhere('files.cdn.example')}/file`,
			/its host files\.cdn\.example is a name, and without a gateway credential only public IP addresses are fetched; choose a Gateway Credential on the node and list files\.cdn\.example in its "Media Hosts"/,
		],
		['the metadata address', 'evolution', () => 'http://169.254.169.254/latest/meta-data/iam/', /169\.254\.169\.254 is a cloud metadata address/],
		['a private address', 'evolution', () => 'http://10.11.12.13/file.jpg', /10\.11\.12\.13 is a private address/],
		['a loopback address', 'evolution', () => `http://127.0.0.1:${elsewherePort}/f`, /127\.0\.0\.1 is a loopback address/],
		['localhost', 'evolution', () => `http://localhost:${elsewherePort}/f`, /localhost is a loopback host name/],
		['an unlisted name', 'evolution', () => `${elsewhere('unlisted.example')}/f`, notListed('unlisted.example')],
		['the bare parent of *.cdn.example', 'evolution', () => `${elsewhere('cdn.example')}/f`, notListed('cdn.example')],
		['a look-alike of *.cdn.example', 'evolution', () => `${elsewhere('evil-cdn.example')}/f`, notListed('evil-cdn.example')],
		['a gateway redirect to an unlisted name', 'evolution', () => `${gatewayBase()}/redirect-unlisted`, notListed('unlisted.example')],
		['a gateway redirect to the metadata address', 'evolution', () => `${gatewayBase()}/redirect-metadata`, /cloud metadata address/],
		['a gateway redirect to 127.0.0.1', 'evolution', () => `${gatewayBase()}/redirect-loopback`, /127\.0\.0\.1 is a loopback address/],
		['a gateway redirect to [::ffff:127.0.0.1]', 'evolution', () => `${gatewayBase()}/redirect-mapped-loopback`, /::ffff:7f00:1 is a loopback address/],
	])('%s: refused with a readable mediaError, the message still posted, no byte sent there', async (_, gatewayCredential, link, reason) => {
		const out = await syncImage(link(), gatewayCredential);
		expect(String(out.mediaError)).toMatch(reason);
		expect(seen.filter((entry) => entry.server === 'elsewhere')).toEqual([]);
	});

	it('a subdomain of a listed *. pattern is fetched, without the gateway key', async () => {
		const out = await syncImage(`${elsewhere('files.cdn.example')}/photo.jpg`);
		expect(out.mediaError).toBeUndefined();
		expect(h.sb.state.attachments.filter((attachment) => attachment.message_id === out.messageId)).toHaveLength(1);
		expect(seen).toEqual([{ server: 'elsewhere', path: '/photo.jpg', apikey: undefined }]);
	});

	it('a gateway redirect to a listed host is followed; the key stays with the gateway', async () => {
		expect((await syncImage(`${gatewayBase()}/redirect-cdn`)).mediaError).toBeUndefined();
		expect(seen).toEqual([
			{ server: 'gateway', path: '/redirect-cdn', apikey: 'GATEWAY-KEY' },
			{ server: 'elsewhere', path: '/photo.jpg', apikey: undefined },
		]);
	});

	it('an IP address is fetched only as the gateway\'s own host with "Allow Private Gateway Host"; other private ones stay refused', async () => {
		const own = `http://127.0.0.1:${gatewayPort}`;
		h.credentials.gateways = { chatwootBridgeEvolutionApi: { baseUrl: own, apiKey: 'GATEWAY-KEY', allowPrivateHost: true } };
		expect((await syncImage(`${own}/photo.jpg`)).mediaError).toBeUndefined();
		expect(seen).toEqual([{ server: 'gateway', path: '/photo.jpg', apikey: 'GATEWAY-KEY' }]);
		expect(String((await syncImage('http://192.168.1.20/photo.jpg')).mediaError)).toMatch(/192\.168\.1\.20 is a private address/);
		h.credentials.gateways.chatwootBridgeEvolutionApi.allowPrivateHost = false;
		expect(String((await syncImage(`${own}/photo.jpg`)).mediaError)).toMatch(/127\.0\.0\.1 is a loopback address/);
		expect(seen).toHaveLength(1);
	});

	it('a "Media Hosts" entry that is not a host name fails the item, naming the field', async () => {
		h.credentials.gateways = { chatwootBridgeEvolutionApi: { baseUrl: gatewayBase(), apiKey: 'GATEWAY-KEY', mediaHosts: 'https://files.cdn.example/bucket' } };
		const [out] = await h.run([imageAt(`${elsewhere('files.cdn.example')}/photo.jpg`, 'BADLIST01')], {
			parameters: { gatewayCredential: 'evolution' },
			continueOnFail: true,
		});
		expect(out.json.status).toBe('failed');
		expect(String(out.json.error)).toMatch(
			/^invalid body: gatewayCredential: the credential's "Media Hosts": "https:\/\/files\.cdn\.example\/bucket" is not a host name \(list names like files\.example\.com/,
		);
		expect(seen).toEqual([]);
	});

	it.each([
		['a file 10× the cap', '/ten-times.mp4', /the file is larger than the limit of 1\.0 MB; the download was stopped there/],
		['a server dripping bytes', '/drip.jpg', /could not be downloaded \(no complete answer within 1 s\)/],
	])('%s from the gateway: a readable mediaError within the time bound', async (_, path, reason) => {
		const started = Date.now();
		const [out] = await h.run([imageAt(`${gatewayBase()}${path}`, `BIG${path.length}${Math.random().toString(36).slice(2, 8)}`)], {
			parameters: { gatewayCredential: 'evolution', options: { maxMediaMb: 1, mediaTimeoutSeconds: 1 } },
		});
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(out.json.status).toBe('created');
		expect(String(out.json.mediaError)).toMatch(reason);
	});

	it('the gateway\'s own host name is a media host, and gets the key', async () => {
		expect((await syncImage(`${gatewayBase()}/photo.jpg`)).mediaError).toBeUndefined();
		expect(seen).toEqual([{ server: 'gateway', path: '/photo.jpg', apikey: 'GATEWAY-KEY' }]);
	});

	it('an old workflow with "Media Download Headers" stops with what to do instead', async () => {
		const [out] = await h.run([fixture('evolution/text')], {
			parameters: { options: { mediaHeaders: '{"X-Api-Key": "k"}' } },
			continueOnFail: true,
		});
		expect(out.json.status).toBe('failed');
		expect(String(out.json.error)).toMatch(/options\.mediaHeaders: "Media Download Headers" was removed.*gateway credential/);
	});
});

describe('Sync node description: what it exposes', () => {
	const { description } = new SyncWhatsAppMessage();

	it('is no AI tool: both operations write into Chatwoot on a customer\'s behalf', () => {
		expect(description.usableAsTool).toBeUndefined();
	});

	it('asks for a gateway credential only for the gateway chosen, and has no Media Download Headers option', () => {
		expect(description.credentials!.map((credential) => [credential.name, credential.displayOptions?.show?.gatewayCredential])).toEqual([
			['chatwootBridgeApi', undefined],
			['chatwootBridgeEvolutionApi', ['evolution']],
			['chatwootBridgeWahaApi', ['waha']],
			['chatwootBridgeWhatsAppCloudApi', ['cloud']],
		]);
		const options = description.properties.find((property) => property.name === 'options' && property.displayOptions?.show?.operation?.includes('sync'));
		expect((options!.options as Array<{ name: string }>).map((option) => option.name)).not.toContain('mediaHeaders');
		const byName = Object.fromEntries(description.properties.map((property) => [property.name, property]));
		expect(byName.webhookHeaders.default).toBe('={{ $json.headers }}');
		expect(byName.rawBodyProperty.default).toBe('data');
	});
});
