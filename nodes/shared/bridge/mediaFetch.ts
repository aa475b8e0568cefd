/**
 * Fetching a file whose address came from a webhook body, within rules a forged webhook cannot bend
 * (docs/security.md): http(s) only; an IP address only when public (or the gateway's own, opted in); a host name only
 * when it is a media host of the gateway credential, never resolved here; every redirect hop checked the same way
 * (at most 5, followed here); the gateway credential only for the gateway's own origin; the size cap enforced while
 * the bytes arrive; one deadline for the whole fetch. Pure: the HTTP exchange is passed in.
 */
import { bareHost, isIpLiteral, nonPublicReason } from './addressPolicy';
import { isLoopbackName, isMediaHost, type MediaHosts } from './mediaHosts';

export const MAX_REDIRECTS = 5;

export interface HopRequest {
	url: string;
	method: 'GET' | 'POST';
	body?: Record<string, unknown>;
	/** Whether the gateway credential goes with this request (only ever for an authenticated origin). */
	authenticated: boolean;
	signal: AbortSignal;
}

/** A readable body: Node streams are async iterables of chunks and can be destroyed. */
export interface ChunkStream extends AsyncIterable<unknown> {
	destroy?: (error?: Error) => void;
}

export interface HopAnswer {
	status: number;
	headers: Record<string, unknown>;
	body: ChunkStream | Buffer | string | undefined;
}

export interface FetchRules {
	maxBytes: number;
	timeoutMs: number;
	/** Origins (`https://host:port`) that get the gateway credential: the gateway's own. */
	authenticatedOrigins: string[];
	/** Hosts that may be private or loopback: the credential's own host when it opts in. */
	privateHostsAllowed: string[];
	/** Host names links may name: the gateway credential's; undefined without a gateway credential. */
	mediaHosts?: MediaHosts;
	send: (request: HopRequest) => Promise<HopAnswer>;
}

export interface Fetched {
	status: number;
	contentType?: string;
	data: Buffer;
}

/** A refusal of the rules, worded for the `mediaError` a user reads. */
export class MediaRefusal extends Error {}

export function refusal(message: string): MediaRefusal {
	return new MediaRefusal(message);
}

function megabytes(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	return value === undefined || value === null ? undefined : String(Array.isArray(value) ? value[0] : value);
}

export function originOf(address: string): string | undefined {
	try {
		return new URL(address).origin;
	} catch {
		return undefined;
	}
}

const PRIVATE_ONLY_OWN_HOST = 'only the gateway\'s own host may be private, with "Allow Private Gateway Host" on its credential';

/** Throws the refusal for a destination outside the rules; hosts are judged as written, never resolved. */
function checkDestination(url: URL, rules: FetchRules): void {
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new MediaRefusal(`the media link was refused: only http and https links are fetched, not ${url.protocol}`);
	}
	const host = bareHost(url);
	if (rules.privateHostsAllowed.includes(host)) return;
	if (isIpLiteral(host)) {
		const reason = nonPublicReason(host);
		if (reason) throw new MediaRefusal(`the media link was refused: ${host} is ${reason}; ${PRIVATE_ONLY_OWN_HOST}`);
		return;
	}
	if (isLoopbackName(host)) {
		throw new MediaRefusal(`the media link was refused: ${host} is a loopback host name; ${PRIVATE_ONLY_OWN_HOST}`);
	}
	if (!rules.mediaHosts) {
		throw new MediaRefusal(
			`the media link was refused: its host ${host} is a name, and without a gateway credential only public IP addresses are fetched; choose a Gateway Credential on the node and list ${host} in its "Media Hosts"`,
		);
	}
	if (!isMediaHost(host, rules.mediaHosts.patterns)) {
		throw new MediaRefusal(
			`the media link was refused: its host ${host} is not a media host of the gateway credential (its ${rules.mediaHosts.urlField}'s host, or one listed in "Media Hosts")`,
		);
	}
}

function timeoutError(timeoutMs: number): MediaRefusal {
	return new MediaRefusal(`the media link could not be downloaded (no complete answer within ${Math.round(timeoutMs / 1000)} s)`);
}

function tooLarge(maxBytes: number, announced?: number): MediaRefusal {
	return new MediaRefusal(
		announced === undefined
			? `the file is larger than the limit of ${megabytes(maxBytes)}; the download was stopped there`
			: `the file is ${megabytes(announced)}, larger than the limit of ${megabytes(maxBytes)}; it was not downloaded`,
	);
}

function abortPromise(signal: AbortSignal, error: () => Error): { promise: Promise<never>; dispose: () => void } {
	let onAbort = (): void => undefined;
	const promise = new Promise<never>((_, reject) => {
		onAbort = () => reject(error());
		if (signal.aborted) onAbort();
		else signal.addEventListener('abort', onAbort, { once: true });
	});
	promise.catch(() => undefined);
	return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

/** Reads at most `maxBytes`, stops the transfer past it or at the deadline; memory stays near the cap. */
async function readCapped(body: HopAnswer['body'], maxBytes: number, deadline: Promise<never>): Promise<Buffer> {
	if (body === undefined) return Buffer.alloc(0);
	if (typeof body === 'string' || Buffer.isBuffer(body)) {
		const data = Buffer.from(body);
		if (data.length > maxBytes) throw tooLarge(maxBytes);
		return data;
	}
	const chunks: Buffer[] = [];
	let total = 0;
	const iterator = body[Symbol.asyncIterator]();
	try {
		for (;;) {
			const next = await Promise.race([iterator.next(), deadline]);
			if (next.done) break;
			const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as Uint8Array);
			total += chunk.length;
			if (total > maxBytes) throw tooLarge(maxBytes);
			chunks.push(chunk);
		}
	} finally {
		body.destroy?.();
	}
	return Buffer.concat(chunks, total);
}

function discard(body: HopAnswer['body']): void {
	if (body && typeof body === 'object' && !Buffer.isBuffer(body)) body.destroy?.();
}

/**
 * GETs (or POSTs) `address` within the rules. Throws `MediaRefusal` for what the rules refuse; network errors of
 * `send` pass through for the caller to word.
 */
export async function fetchWithinRules(
	address: string,
	rules: FetchRules,
	request: { method?: 'GET' | 'POST'; body?: Record<string, unknown> } = {},
): Promise<Fetched> {
	const signal = AbortSignal.timeout(rules.timeoutMs);
	const deadline = abortPromise(signal, () => timeoutError(rules.timeoutMs));
	try {
		let url: URL;
		try {
			url = new URL(address);
		} catch {
			throw refusal('the media link was refused: it is not a valid URL');
		}
		let method = request.method ?? 'GET';
		let body = request.body;
		for (let hop = 0; ; hop++) {
			checkDestination(url, rules);
			const authenticated = rules.authenticatedOrigins.includes(url.origin);
			const answer = await Promise.race([rules.send({ url: url.href, method, body, authenticated, signal }), deadline.promise]);
			const location = header(answer.headers, 'location');
			if (answer.status >= 300 && answer.status < 400 && location) {
				discard(answer.body);
				if (hop >= MAX_REDIRECTS) throw new MediaRefusal(`the media link was refused: more than ${MAX_REDIRECTS} redirects`);
				url = new URL(location, url);
				// As browsers do for 301-303: the redirected request is a GET without body.
				method = 'GET';
				body = undefined;
				continue;
			}
			if (answer.status < 200 || answer.status >= 300) {
				discard(answer.body);
				return { status: answer.status, contentType: header(answer.headers, 'content-type'), data: Buffer.alloc(0) };
			}
			const declared = Number(header(answer.headers, 'content-length'));
			if (Number.isFinite(declared) && declared > rules.maxBytes) {
				discard(answer.body);
				throw tooLarge(rules.maxBytes, declared);
			}
			const data = await readCapped(answer.body, rules.maxBytes, deadline.promise);
			return { status: answer.status, contentType: header(answer.headers, 'content-type'), data };
		}
	} finally {
		deadline.dispose();
	}
}
