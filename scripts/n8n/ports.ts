/** Ports on 127.0.0.1 and readiness probes. */
import * as http from 'http';
import * as net from 'net';

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

export function assertPortFree(port: number): Promise<void> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', () => reject(new Error(`port ${port} is already in use (another n8n?); set N8N_PORT to use another one`)));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
	});
}

/** Polls `url` until it answers 200; gives up early once `gone()` says the server's process has exited. */
export async function waitForHealth(url: string, timeoutMs: number, gone: () => boolean = () => false): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline && !gone()) {
		const status = await new Promise<number>((resolve) => {
			const req = http.get(url, (res) => {
				res.resume();
				resolve(res.statusCode ?? 0);
			});
			req.on('error', () => resolve(0));
			req.setTimeout(1_000, () => req.destroy());
		});
		if (status === 200) return;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

/**
 * Polls a production webhook URL until n8n has registered it: a CORS preflight (OPTIONS with an Origin) answers 204
 * for a registered webhook and 404 otherwise, and never starts an execution. Works on 2.8.4 and 2.40.x, whose
 * publication service activates workflows without an "Activated workflow" log line.
 */
export async function waitForWebhook(url: string, timeoutMs: number, gone: () => boolean = () => false): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	const { origin } = new URL(url);
	while (Date.now() < deadline && !gone()) {
		const status = await new Promise<number>((resolve) => {
			const req = http.request(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } }, (res) => {
				res.resume();
				resolve(res.statusCode ?? 0);
			});
			req.on('error', () => resolve(0));
			req.setTimeout(1_000, () => req.destroy());
			req.end();
		});
		if (status === 204) return;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`${url} was not registered as a webhook within ${timeoutMs} ms`);
}
