/**
 * The HTTP pipeline, outermost first, like a proxy + Rack + Rails stack:
 * count → inject fault → throttle (Rack::Attack, off by default) → parse params → route → authenticate → handler.
 * Domain events raised by the handler are released to the webhook dispatcher only after the response is written.
 */
import { randomUUID } from 'crypto';
import type { IncomingMessage, ServerResponse } from 'http';
import { authenticate } from './auth';
import { InvalidEnumValue } from './conversationService';
import { EventSink, type Core, type EventTarget } from './core';
import { UniqueViolation } from './db';
import type { FaultDecision, FaultInjector } from './faults';
import { HttpError, proxyErrorPage, railsErrorPage, railsJson, throttled, type Reply } from './http';
import { MessageBuildError } from './messageService';
import { boundaryOf, parseMultipart } from './multipart';
import { parseUrlEncoded, type Params } from './params';
import { checkThrottles, type RateLimiter } from './rateLimit';
import { normalizePath, type RequestContext, type Router } from './router';

export interface ServerDeps {
	core: Core;
	router: Router;
	faults: FaultInjector;
	limiter: RateLimiter;
	events: EventTarget;
	counts: Map<string, number>;
	/** Unexpected exceptions (sandbox bugs), kept for debugging; expected Rails 500s are not listed. */
	serverErrors: Error[];
	log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function parseBody(req: IncomingMessage, body: Buffer): Params {
	if (body.length === 0) return {};
	const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
	if (contentType.includes('json')) {
		const parsed = JSON.parse(body.toString('utf8'));
		// Rails wraps a non-object JSON body in `_json`.
		return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : { _json: parsed };
	}
	if (contentType.startsWith('multipart/form-data')) {
		const boundary = boundaryOf(String(req.headers['content-type']));
		if (!boundary) throw new Error('multipart without boundary');
		return parseMultipart(body, boundary);
	}
	if (contentType.startsWith('application/x-www-form-urlencoded')) return parseUrlEncoded(body.toString('utf8'));
	return {};
}

function acceptsJson(req: IncomingMessage): boolean {
	const accept = String(req.headers.accept ?? '');
	const first = accept.split(',')[0]?.trim() ?? '';
	return first.includes('json');
}

function writeReply(res: ServerResponse, reply: Reply): void {
	let body: string | Buffer;
	let contentType = reply.contentType;
	if (Buffer.isBuffer(reply.body) || typeof reply.body === 'string') body = reply.body;
	else if (reply.body === undefined) body = '';
	else {
		body = railsJson(reply.body);
		contentType ??= 'application/json; charset=utf-8';
	}
	res.writeHead(reply.status, {
		'content-type': contentType ?? 'text/plain',
		'content-length': String(Buffer.byteLength(body)),
		'x-request-id': randomUUID(),
		...(reply.headers ?? {}),
	});
	res.end(body);
}

/** Errors Chatwoot does not rescue: Rails answers with its 500 page. */
function isRailsUnhandled(error: unknown): boolean {
	return error instanceof UniqueViolation || error instanceof InvalidEnumValue || error instanceof MessageBuildError;
}

export async function handleRequest(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const { core, router } = deps;
	const method = (req.method ?? 'GET').toUpperCase();
	const url = new URL(req.url ?? '/', 'http://sandbox.local');
	const path = url.pathname.replace(/\.json$/, '');
	const match = router.match(method, path);
	const key = `${method} ${match ? match.route.template : normalizePath(path)}`;
	deps.counts.set(key, (deps.counts.get(key) ?? 0) + 1);
	deps.counts.set('total', (deps.counts.get('total') ?? 0) + 1);
	const wantsJson = acceptsJson(req);

	const fault: FaultDecision | null = deps.faults.decide({ method, path, key });
	if (fault?.kind === 'drop') {
		req.socket.destroy();
		return;
	}
	if (fault?.kind === '5xx') {
		const status = fault.status ?? 500;
		writeReply(res, status === 500 ? railsErrorPage(500, wantsJson) : proxyErrorPage(status));
		return;
	}
	if (fault?.kind === '429') {
		writeReply(res, throttled(fault.retryAfterSeconds ?? 60));
		return;
	}

	const limits = core.knobs.rateLimit;
	if (limits) {
		const accountId = /^\/api\/v1\/accounts\/([^/]+)/.exec(path)?.[1];
		const throttle = checkThrottles(deps.limiter, limits, {
			method,
			path,
			ip: req.socket.remoteAddress ?? 'unknown',
			token: String(req.headers['api_access_token'] ?? req.headers['api-access-token'] ?? ''),
			accountId,
		});
		if (throttle) {
			writeReply(res, throttled(throttle.retryAfterSeconds));
			return;
		}
	}

	const sink = new EventSink(deps.events);
	let reply: Reply;
	try {
		const rawBody = await readBody(req);
		const params: Params = parseUrlEncoded(url.search.slice(1));
		try {
			Object.assign(params, parseBody(req, rawBody));
		} catch {
			throw new HttpError(railsErrorPage(400, wantsJson));
		}
		if (!match) throw new HttpError(railsErrorPage(404, wantsJson));
		Object.assign(params, match.pathParams);
		const ctx: RequestContext = {
			core,
			method,
			path,
			template: match.route.template,
			pathParams: match.pathParams,
			params,
			headers: req.headers,
			acceptsJson: wantsJson,
			actor: null,
			account: null,
			sink,
		};
		authenticate(ctx, match.route);
		reply = await match.route.handler(ctx);
	} catch (error) {
		if (error instanceof HttpError) reply = error.reply;
		else {
			if (!isRailsUnhandled(error)) {
				deps.serverErrors.push(error as Error);
				deps.log?.(`sandbox error on ${key}: ${(error as Error).stack ?? error}`);
			}
			reply = railsErrorPage(500, wantsJson);
		}
	}
	if (fault?.kind === 'slow') await sleep(fault.delayMs ?? 1000);
	if (fault?.kind === 'drop_after_commit') {
		req.socket.destroy();
	} else if (!res.destroyed) {
		writeReply(res, reply);
	}
	deps.log?.(`${key} → ${fault?.kind === 'drop_after_commit' ? 'dropped' : reply.status}`);
	// after_commit → background jobs: webhooks start only now.
	sink.flush();
}
