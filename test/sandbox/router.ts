/**
 * Route table with Rails-style path templates. The template string doubles as the key of `sb.requestCounts`.
 */
import type { IncomingHttpHeaders } from 'http';
import type { Actor, Core, EventSink } from './core';
import type { Reply } from './http';
import type { Params } from './params';
import type { AccountRecord } from './types';

/**
 * - `account`: token + account membership (`/api/v1/accounts/:account_id/...`)
 * - `user`: token only (`/api/v1/profile`)
 * - `public`: no token (Active Storage redirects)
 */
export type Scope = 'account' | 'user' | 'public';

export interface RequestContext {
	core: Core;
	method: string;
	path: string;
	template: string;
	pathParams: Record<string, string>;
	/** Query, body and path parameters merged like Rails' `params`. */
	params: Params;
	headers: IncomingHttpHeaders;
	acceptsJson: boolean;
	actor: Actor | null;
	account: AccountRecord | null;
	sink: EventSink;
}

export type Handler = (ctx: RequestContext) => Promise<Reply> | Reply;

export interface Route {
	method: string;
	template: string;
	scope: Scope;
	/** On Chatwoot's agent-bot whitelist (§2); every other account endpoint refuses bot tokens. */
	botAllowed?: boolean;
	handler: Handler;
}

export interface RouteMatch {
	route: Route;
	pathParams: Record<string, string>;
}

export class Router {
	private readonly routes: Route[] = [];

	add(routes: Route[]): this {
		this.routes.push(...routes);
		return this;
	}

	match(method: string, path: string): RouteMatch | undefined {
		const segments = path.split('/').filter(Boolean);
		for (const route of this.routes) {
			if (route.method !== method) continue;
			const pathParams = matchTemplate(route.template, segments);
			if (pathParams) return { route, pathParams };
		}
		return undefined;
	}
}

function matchTemplate(template: string, segments: string[]): Record<string, string> | undefined {
	const parts = template.split('/').filter(Boolean);
	const params: Record<string, string> = {};
	for (let i = 0; i < parts.length; i++) {
		const part = parts[i];
		if (part.startsWith('*')) {
			if (i >= segments.length) return undefined;
			params[part.slice(1)] = segments.slice(i).map(decodeURIComponent).join('/');
			return params;
		}
		const segment = segments[i];
		if (segment === undefined) return undefined;
		if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(segment);
		else if (part !== segment) return undefined;
	}
	return parts.length === segments.length ? params : undefined;
}

/** Counting key for paths no route knows: numeric segments become `:id`. */
export function normalizePath(path: string): string {
	return path.replace(/\/\d+(?=\/|$)/g, '/:id');
}
