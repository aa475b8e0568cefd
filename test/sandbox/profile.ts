/**
 * `GET /api/v1/profile` (no account prefix): a cheap authenticated call for a credential test
 * (docs/chatwoot-behaviour.md, Tokens and error answers). The `accounts` list tells a client which accounts the token
 * may use and with which role.
 */
import { json } from './http';
import type { Route } from './router';

export const profileRoutes: Route[] = [
	{
		method: 'GET',
		template: '/api/v1/profile',
		scope: 'user',
		handler: (ctx) => {
			const store = ctx.core.store;
			const user = ctx.actor!.kind === 'user' ? ctx.actor!.user : undefined;
			if (!user) return json(401, { error: 'Invalid Access Token' });
			const memberships = store.accountUsers.filter((au) => au.user_id === user.id);
			const active = memberships[0];
			return json(200, {
				access_token: user.access_token,
				account_id: active?.account_id ?? null,
				available_name: user.name,
				avatar_url: '',
				confirmed: true,
				display_name: null,
				message_signature: null,
				email: user.email,
				id: user.id,
				inviter_id: null,
				name: user.name,
				provider: 'email',
				pubsub_token: user.pubsub_token,
				role: active?.role ?? null,
				ui_settings: {},
				uid: user.email,
				type: null,
				accounts: memberships.map((au) => {
					const account = store.accounts.get(au.account_id)!;
					return {
						id: account.id,
						name: account.name,
						status: account.status,
						active_at: null,
						role: au.role,
						permissions: [au.role],
						availability: 'online',
						availability_status: 'online',
						auto_offline: true,
					};
				}),
			});
		},
	},
];
