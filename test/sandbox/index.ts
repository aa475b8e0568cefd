/**
 * The sandbox Chatwoot: an in-memory HTTP server on 127.0.0.1 that behaves like Chatwoot v4.15.1 as described in
 * shared/docs/chatwoot-behaviour.md — including the quirks a client must survive. See README.md next to this file.
 *
 *   const sb = await startSandbox();
 *   await fetch(`${sb.baseUrl}/api/v1/profile`, { headers: { api_access_token: sb.tokens.admin } });
 *   await sb.idle(); // all webhook deliveries finished
 *   await sb.close();
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import { attachmentRoutes } from './attachments';
import { contactInboxRoutes } from './contactInboxes';
import { contactRoutes } from './contacts';
import { conversationRoutes } from './conversations';
import { makeGap, type Core, type RateLimitConfig, type SandboxKnobs } from './core';
import { Dashboard } from './dashboard';
import { FaultInjector, type FaultPolicy } from './faults';
import { inboxRoutes } from './inboxes';
import { JobQueue } from './jobs';
import { messageRoutes } from './messages';
import { profileRoutes } from './profile';
import { RateLimiter } from './rateLimit';
import { Router } from './router';
import { Sandbox } from './sandbox';
import { handleRequest } from './server';
import { DEFAULT_ACCOUNTS, Store } from './state';
import type { AccountSeed } from './types';
import { WebhookDispatcher } from './webhooks';

export type * from './types';
export type { RateLimitConfig, SandboxKnobs } from './core';
export type { AgentReplyOptions, DashboardFile, ActorOptions } from './dashboard';
export type { FaultConfig, FaultDecision, FaultKind, FaultMatch, FaultPolicy, InjectedFault } from './faults';
export type { DispatchedEvent, WebhookDelivery } from './webhooks';
export type { CreateContactOptions, CreateInboxOptions } from './sandbox';
export { DEFAULT_TOKENS, Sandbox } from './sandbox';
export { seededRandom } from './faults';

export interface SandboxOptions {
	/** Default 0 (a random free port). */
	port?: number;
	host?: string;
	/** Overrides the URL used in `data_url`s (Chatwoot's FRONTEND_URL), e.g. when reached through Docker. */
	publicUrl?: string;
	/** Default: account 1 with an administrator, an agent and an agent bot (tokens below). */
	accounts?: AccountSeed[];
	latencyMs?: number;
	webhookTimeoutMs?: number;
	conversationMessageLimitPerMinute?: number;
	rateLimit?: RateLimitConfig | null;
	safeFetchAllowPrivateNetwork?: boolean;
	faults?: FaultPolicy | null;
	/** Receives one line per request and per webhook delivery (the CLI prints them). */
	log?: (line: string) => void;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const seeds = options.accounts ?? DEFAULT_ACCOUNTS;
	const store = new Store(seeds);
	const knobs: SandboxKnobs = {
		latencyMs: options.latencyMs ?? 0,
		webhookTimeoutMs: options.webhookTimeoutMs ?? 5000,
		conversationMessageLimitPerMinute: options.conversationMessageLimitPerMinute ?? 200,
		rateLimit: options.rateLimit ?? null,
		safeFetchAllowPrivateNetwork: options.safeFetchAllowPrivateNetwork ?? true,
	};
	const serverErrors: Error[] = [];
	const jobs = new JobQueue(serverErrors);
	// The dispatcher and the core refer to each other; the dispatcher reads the core lazily.
	const holder: { core?: Core } = {};
	const webhooks = new WebhookDispatcher(() => holder.core!, jobs, options.log);
	const core: Core = {
		store,
		knobs,
		baseUrl: '',
		events: webhooks,
		gap: makeGap(knobs),
		defer: (job) => {
			const epoch = store.epoch;
			jobs.run(() => (store.epoch === epoch ? job() : undefined));
		},
	};
	holder.core = core;
	const faults = new FaultInjector();
	if (options.faults) faults.set(options.faults);
	const limiter = new RateLimiter();
	const router = new Router().add([
		...profileRoutes,
		...inboxRoutes,
		...contactInboxRoutes,
		...contactRoutes,
		...conversationRoutes,
		...messageRoutes,
		...attachmentRoutes,
	]);
	const counts = new Map<string, number>();
	const server = http.createServer((req, res) => {
		handleRequest({ core, router, faults, limiter, events: webhooks, counts, serverErrors, log: options.log }, req, res).catch(
			(error: Error) => {
				serverErrors.push(error);
				if (!res.headersSent) res.writeHead(500).end();
			},
		);
	});
	const host = options.host ?? '127.0.0.1';
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => resolve());
	});
	const port = (server.address() as AddressInfo).port;
	core.baseUrl = (options.publicUrl ?? `http://${host}:${port}`).replace(/\/$/, '');
	const dashboard = new Dashboard(core, webhooks, () => seeds[0]?.id ?? 1);
	return new Sandbox({ server, core, webhooks, jobs, faults, limiter, dashboard, counts, serverErrors, seeds });
}
