/**
 * Issue 8.6: media that cannot be attached never hangs the execution and always says why. A real HTTP server plays
 * the gateway's file server: a file larger than the cap, a URL that never answers, an HTML page instead of a photo.
 * It listens on loopback, which only the gateway's own credential may reach ("Allow Private Gateway Host").
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

import { fixture, startHarness, type Harness } from '../nodes/sync/harness';

describe('media failures are bounded and explained', () => {
	let h: Harness;
	let files: http.Server;
	let base: string;
	const hanging: http.ServerResponse[] = [];

	beforeAll(async () => {
		files = http.createServer((request, response) => {
			if (request.url === '/big.jpg') {
				response.writeHead(200, { 'content-type': 'image/jpeg' });
				response.end(Buffer.alloc(2 * 1024 * 1024, 1));
			} else if (request.url === '/expired.jpg') {
				response.writeHead(200, { 'content-type': 'text/html' });
				response.end('<html>link expired</html>');
			} else if (request.url === '/ok.jpg') {
				response.writeHead(200, { 'content-type': 'image/jpeg' });
				response.end(Buffer.from('jpeg-bytes'));
			} else {
				hanging.push(response); // never answers
			}
		});
		await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
		h = await startHarness();
		h.credentials.gateways = { chatwootBridgeEvolutionApi: { baseUrl: base, apiKey: 'evo-key', allowPrivateHost: true } };
	});
	afterAll(async () => {
		for (const response of hanging) response.destroy();
		await new Promise((resolve) => files.close(resolve));
		await h.close();
	});

	function imageAt(path: string, id: string) {
		const body = fixture('evolution/image-caption') as { data: { key: { id: string }; message: Record<string, unknown> } };
		delete body.data.message.base64;
		body.data.message.mediaUrl = `${base}${path}`;
		body.data.key.id = id;
		return body;
	}

	const options = { maxMediaMb: 1, mediaTimeoutSeconds: 1 };
	const parameters = { gatewayCredential: 'evolution', options };

	it.each([
		['/big.jpg', 'LARGE01', /the file is larger than the limit of 1\.0 MB; the download was stopped there/],
		['/never', 'HANG01', /could not be downloaded \(no complete answer within 1 s\)/],
		['/expired.jpg', 'HTML01', /expected image content, but the media URL answered with "text\/html"/],
	])('%s: a placeholder with the reason, within the time bound', async (path, id, reason) => {
		const started = Date.now();
		const [out] = await h.run([imageAt(path, id)], { parameters });
		expect(Date.now() - started).toBeLessThan(5000);
		expect(out.json).toMatchObject({ status: 'created' });
		expect(String(out.json.mediaError)).toMatch(reason);
		const message = h.sb.state.messages.find((m) => m.id === out.json.messageId)!;
		expect(message.content).toContain('could not be attached');
	});

	it('the same failures fail the item, with the reason, when "On Media Failure" is "Fail"', async () => {
		const [out] = await h.run([imageAt('/big.jpg', 'LARGE02')], {
			parameters: { ...parameters, options: { ...options, onMediaFailure: 'fail' } },
			continueOnFail: true,
		});
		expect(out.json.status).toBe('failed');
		expect(String(out.json.error)).toMatch(/LARGE02: media could not be attached: the file is larger than the limit of 1\.0 MB/);
	});

	it('a file that can be fetched is attached', async () => {
		const [out] = await h.run([imageAt('/ok.jpg', 'OK01')], { parameters });
		expect(out.json.mediaError).toBeUndefined();
		expect(h.sb.state.attachments.filter((a) => a.message_id === out.json.messageId)).toHaveLength(1);
	});
});
