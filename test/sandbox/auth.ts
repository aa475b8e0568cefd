/**
 * Token and account checks in the order Chatwoot's controller filters run them (docs/chatwoot-behaviour.md, Tokens and
 * error answers): token (401) → bot whitelist (401) → account lookup (404) → membership / suspension (401) → policy
 * (401).
 */
import { HttpError, json, notAllowed, notFound, unauthorized } from './http';
import type { RequestContext, Route } from './router';
import type { InboxRecord } from './types';

/** Chatwoot reads `api_access_token` and `Api-Access-Token` alike (Rack maps both to HTTP_API_ACCESS_TOKEN). */
export function tokenOf(ctx: RequestContext): string | undefined {
	const value = ctx.headers['api_access_token'] ?? ctx.headers['api-access-token'];
	const token = Array.isArray(value) ? value[0] : value;
	return token && token.trim() !== '' ? token : undefined;
}

export function authenticate(ctx: RequestContext, route: Route): void {
	if (route.scope === 'public') return;
	const token = tokenOf(ctx);
	if (!token) {
		// Without the header Chatwoot falls back to devise_token_auth's `authenticate_user!`.
		throw new HttpError(json(401, { errors: ['You need to sign in or sign up before continuing.'] }));
	}
	const store = ctx.core.store;
	const user = store.userByToken(token);
	const bot = user ? undefined : store.botByToken(token);
	if (!user && !bot) throw unauthorized('Invalid Access Token');
	if (bot && !route.botAllowed) throw unauthorized('Access to this endpoint is not authorized for bots');

	if (route.scope === 'user') {
		ctx.actor = { kind: 'user', user: user!, role: 'agent' };
		return;
	}
	const accountId = Number(ctx.pathParams.account_id);
	const account = Number.isInteger(accountId) ? store.accounts.get(accountId) : undefined;
	if (!account) throw notFound();
	if (user) {
		const membership = store.accountUser(account.id, user.id);
		if (!membership) throw unauthorized('You are not authorized to access this account');
		ctx.actor = { kind: 'user', user, role: membership.role };
	} else {
		// A bot may act only in accounts where it is connected to an inbox (which also makes it that inbox's active bot).
		const connected = [...store.inboxes.values()].some((i) => i.account_id === account.id && i.agent_bot_id === bot!.id);
		if (!connected) throw unauthorized('You are not authorized to access this account');
		ctx.actor = { kind: 'bot', bot: bot! };
	}
	if (account.status === 'suspended') throw unauthorized('Account is suspended');
	ctx.account = account;
}

export function isAdministrator(ctx: RequestContext): boolean {
	return ctx.actor?.kind === 'user' && ctx.actor.role === 'administrator';
}

export function requireAdministrator(ctx: RequestContext): void {
	if (!isAdministrator(ctx)) throw notAllowed();
}

/** InboxPolicy#show?: administrators see every inbox, agents only those they are members of. */
export function canSeeInbox(ctx: RequestContext, inbox: InboxRecord): boolean {
	const actor = ctx.actor;
	if (!actor) return false;
	if (actor.kind === 'bot') return true;
	return actor.role === 'administrator' || inbox.member_ids.includes(actor.user.id);
}

export function authorizeInbox(ctx: RequestContext, inbox: InboxRecord): void {
	if (!canSeeInbox(ctx, inbox)) throw notAllowed();
}

export function accountOf(ctx: RequestContext) {
	if (!ctx.account) throw notFound();
	return ctx.account;
}
