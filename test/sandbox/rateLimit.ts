/**
 * Rack::Attack-style throttling (docs/chatwoot-behaviour.md, Limits). Chatwoot never throttles 127.0.0.1, so this is
 * off by default; turning it on simulates a client that reaches Chatwoot from another address. Fixed windows like
 * Rack::Attack: the counter resets at period boundaries, and `Retry-After` is the time left in the current window.
 */
import type { RateLimitConfig } from './core';

export interface Throttle {
	retryAfterSeconds: number;
}

export class RateLimiter {
	private readonly windows = new Map<string, { window: number; count: number }>();

	/** Counts this request and tells whether it exceeds `limit` per `periodSeconds`. */
	hit(key: string, limit: number, periodSeconds: number, now = Date.now()): Throttle | null {
		const periodMs = periodSeconds * 1000;
		const window = Math.floor(now / periodMs);
		const entry = this.windows.get(key);
		const count = entry && entry.window === window ? entry.count + 1 : 1;
		this.windows.set(key, { window, count });
		if (count <= limit) return null;
		return { retryAfterSeconds: Math.max(1, Math.ceil((periodMs - (now % periodMs)) / 1000)) };
	}

	reset(): void {
		this.windows.clear();
	}
}

export interface ThrottleRequest {
	method: string;
	path: string;
	ip: string;
	token?: string;
	accountId?: string;
}

/** Applies the configured throttles in Rack::Attack order: the global budget first, then endpoint-specific ones. */
export function checkThrottles(limiter: RateLimiter, config: RateLimitConfig, request: ThrottleRequest): Throttle | null {
	const scope = config.scope ?? 'ip';
	const scopeKey =
		scope === 'global' ? 'all' : scope === 'token' ? (request.token ?? 'none') : scope === 'account' ? (request.accountId ?? 'none') : request.ip;
	const general = limiter.hit(`req/${scope}:${scopeKey}`, config.perMinute, 60);
	if (general) return general;
	if (request.method === 'GET' && /^\/api\/v1\/accounts\/[^/]+\/contacts\/search\/?$/.test(request.path)) {
		const found = limiter.hit(`contact_search:${request.accountId}`, config.contactSearchPerMinute ?? 100, 60);
		if (found) return found;
	}
	if (request.method === 'POST' && /^\/api\/v1\/accounts\/[^/]+\/upload\/?$/.test(request.path)) {
		const found = limiter.hit(`upload:${request.accountId}`, config.uploadPerHour ?? 60, 3600);
		if (found) return found;
	}
	return null;
}
