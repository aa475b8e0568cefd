/**
 * The object `startSandbox()` returns: connection facts, introspection, runtime knobs, seeding and dashboard helpers.
 */
import type * as http from 'http';
import type { AddressInfo } from 'net';
import { createContactInbox } from './contactInboxes';
import { identifierKey } from './contacts';
import type { Core, RateLimitConfig, SandboxKnobs } from './core';
import type { ActorOptions, AgentReplyOptions, Dashboard } from './dashboard';
import type { FaultDecision, FaultInjector, FaultKind, FaultMatch, FaultPolicy, InjectedFault } from './faults';
import { insertInbox } from './inboxes';
import type { JobQueue } from './jobs';
import type { RateLimiter } from './rateLimit';
import type { Store } from './state';
import type {
	AccountSeed,
	ContactInboxRecord,
	ContactRecord,
	ConversationRecord,
	ConversationStatus,
	InboxRecord,
	MessageRecord,
	SandboxState,
} from './types';
import type { DispatchedEvent, WebhookDelivery, WebhookDispatcher } from './webhooks';

export interface CreateInboxOptions {
	name?: string;
	accountId?: number;
	webhookUrl?: string | null;
	channel?: 'api' | 'web_widget';
	lockToSingleConversation?: boolean;
	additionalAttributes?: Record<string, unknown>;
	/** Agent user ids who may see the inbox. */
	memberIds?: number[];
}

export interface CreateContactOptions {
	accountId?: number;
	name?: string;
	email?: string | null;
	phoneNumber?: string | null;
	identifier?: string | null;
	/** With `inboxId`, also a contact inbox (random UUID source_id when absent). */
	inboxId?: number;
	sourceId?: string;
}

export const DEFAULT_TOKENS = { admin: 'test-admin-token', agent: 'test-agent-token', bot: 'test-bot-token' } as const;

export interface SandboxParts {
	server: http.Server;
	core: Core;
	webhooks: WebhookDispatcher;
	jobs: JobQueue;
	faults: FaultInjector;
	limiter: RateLimiter;
	dashboard: Dashboard;
	counts: Map<string, number>;
	serverErrors: Error[];
	seeds: AccountSeed[];
}

export class Sandbox {
	readonly baseUrl: string;
	readonly port: number;
	/** The first seeded account (1 by default). */
	readonly accountId: number;
	readonly tokens: { readonly admin: string; readonly agent: string; readonly bot: string } = DEFAULT_TOKENS;
	private readonly server: http.Server;
	private readonly core: Core;
	private readonly store: Store;
	private readonly webhooks: WebhookDispatcher;
	private readonly jobs: JobQueue;
	private readonly faults: FaultInjector;
	private readonly limiter: RateLimiter;
	private readonly dashboard: Dashboard;
	private readonly counts: Map<string, number>;
	private readonly seeds: AccountSeed[];
	/** Unexpected exceptions inside the sandbox (bugs); expected Rails 500s are not listed. */
	readonly serverErrors: Error[];

	/** @internal use startSandbox() */
	constructor(parts: SandboxParts) {
		this.server = parts.server;
		this.core = parts.core;
		this.store = parts.core.store;
		this.webhooks = parts.webhooks;
		this.jobs = parts.jobs;
		this.faults = parts.faults;
		this.limiter = parts.limiter;
		this.dashboard = parts.dashboard;
		this.counts = parts.counts;
		this.serverErrors = parts.serverErrors;
		this.seeds = parts.seeds;
		this.port = (parts.server.address() as AddressInfo).port;
		this.baseUrl = parts.core.baseUrl;
		this.accountId = parts.seeds[0]?.id ?? 1;
	}

	// ---- introspection -------------------------------------------------------------------------------------

	/** Plain copies of every table (accounts, inboxes, contacts, contactInboxes, conversations, messages, …). */
	get state(): SandboxState {
		return this.store.snapshot();
	}

	/** Every webhook delivery attempt, in start order: url, headers, exact body, parsed payload, result. */
	get deliveries(): WebhookDelivery[] {
		return this.webhooks.deliveries;
	}

	/** Every domain event dispatched (including ones no webhook URL received). */
	get dispatchedEvents(): DispatchedEvent[] {
		return this.webhooks.dispatched;
	}

	/** Requests per `METHOD /route/template` (e.g. `POST /api/v1/accounts/:account_id/contacts`) plus `total`. */
	get requestCounts(): Record<string, number> & { total: number } {
		return { total: 0, ...Object.fromEntries(this.counts) } as Record<string, number> & { total: number };
	}

	resetCounts(): void {
		this.counts.clear();
	}

	get injectedFaults(): InjectedFault[] {
		return this.faults.injected;
	}

	get knobs(): Readonly<SandboxKnobs> {
		return { ...this.core.knobs };
	}

	/** Resolves once every queued webhook delivery and background job (including follow-ups) has finished. */
	idle(): Promise<void> {
		return this.jobs.idle();
	}

	// ---- knobs -------------------------------------------------------------------------------------------------

	configure(knobs: Partial<SandboxKnobs>): void {
		Object.assign(this.core.knobs, knobs);
	}

	setLatency(ms: number): void {
		this.core.knobs.latencyMs = ms;
	}

	setWebhookTimeout(ms: number): void {
		this.core.knobs.webhookTimeoutMs = ms;
	}

	setConversationMessageLimit(perMinute: number): void {
		this.core.knobs.conversationMessageLimitPerMinute = perMinute;
	}

	/** Simulates a remote client (Chatwoot never throttles 127.0.0.1); null turns throttling off. */
	setRateLimit(config: RateLimitConfig | null): void {
		this.core.knobs.rateLimit = config;
		this.limiter.reset();
	}

	setFaults(policy: FaultPolicy | null): void {
		this.faults.set(policy);
	}

	failNext(count: number, kind: FaultKind, options?: Omit<FaultDecision, 'kind'> & { match?: FaultMatch }): void {
		this.faults.failNext(count, kind, options);
	}

	clearFaults(): void {
		this.faults.clear();
	}

	// ---- seeding helpers (no HTTP, not counted) ------------------------------------------------------------------

	createInbox(options: CreateInboxOptions = {}): InboxRecord {
		const inbox = insertInbox(this.core, options.accountId ?? this.accountId, {
			name: options.name ?? 'WhatsApp Bridge',
			webhook_url: options.webhookUrl ?? null,
			additional_attributes: options.additionalAttributes,
			lock_to_single_conversation: options.lockToSingleConversation,
			channelType: options.channel ?? 'api',
		});
		inbox.member_ids = [...(options.memberIds ?? [])];
		return structuredClone(inbox);
	}

	addInboxMember(inboxId: number, userId: number): void {
		const inbox = this.mustInbox(inboxId);
		if (!inbox.member_ids.includes(userId)) inbox.member_ids.push(userId);
	}

	/** An active agent bot makes new conversations (and reopened ones) start `pending` (§3.1). */
	setInboxAgentBot(inboxId: number, botId: number | null): void {
		this.mustInbox(inboxId).agent_bot_id = botId;
	}

	/** Changes inbox columns directly (e.g. `webhook_url`, `lock_to_single_conversation`), no events. */
	updateInbox(inboxId: number, patch: Partial<Omit<InboxRecord, 'id' | 'account_id'>>): InboxRecord {
		const inbox = this.mustInbox(inboxId);
		Object.assign(inbox, patch, { updated_at: Date.now() });
		return structuredClone(inbox);
	}

	async createContact(options: CreateContactOptions = {}): Promise<{ contact: ContactRecord; contactInbox?: ContactInboxRecord }> {
		const store = this.store;
		const now = Date.now();
		const accountId = options.accountId ?? this.accountId;
		const contact: ContactRecord = {
			id: store.nextId('contacts'),
			account_id: accountId,
			name: options.name ?? '',
			email: options.email ? options.email.toLowerCase() : null,
			phone_number: options.phoneNumber ?? null,
			identifier: options.identifier ?? null,
			blocked: false,
			additional_attributes: {},
			custom_attributes: {},
			last_activity_at: null,
			created_at: now,
			updated_at: now,
		};
		if (contact.identifier) store.contactIdentifierIndex.claimCommitted(identifierKey(accountId, contact.identifier));
		store.contacts.set(contact.id, contact);
		let contactInbox: ContactInboxRecord | undefined;
		if (options.inboxId !== undefined) {
			contactInbox = await createContactInbox(this.core, contact, this.mustInbox(options.inboxId), options.sourceId);
		}
		return structuredClone({ contact, contactInbox });
	}

	// ---- dashboard helpers (fire the same webhooks as the real dashboard) -------------------------------------------

	/** An agent (default: the account's first administrator) replies or writes a private note. */
	agentReply(conversationDisplayId: number, options: AgentReplyOptions): MessageRecord {
		return this.dashboard.agentReply(conversationDisplayId, options);
	}

	/** The contact writes through another way than the bridge (Client API, widget). */
	contactMessage(conversationDisplayId: number, options: { content: string; sourceId?: string; accountId?: number }): MessageRecord {
		return this.dashboard.contactMessage(conversationDisplayId, options);
	}

	resolveConversation(conversationDisplayId: number, options?: ActorOptions): ConversationRecord {
		return this.dashboard.setStatus(conversationDisplayId, 'resolved', options);
	}

	setConversationStatus(
		conversationDisplayId: number,
		status: ConversationStatus,
		options?: ActorOptions & { snoozedUntil?: number },
	): ConversationRecord {
		return this.dashboard.setStatus(conversationDisplayId, status, options);
	}

	deleteMessage(conversationDisplayId: number, messageId: number, options?: ActorOptions): MessageRecord {
		return this.dashboard.deleteMessage(conversationDisplayId, messageId, options);
	}

	/** The dashboard's "retry" button on a failed message (§3.5). */
	retryMessage(conversationDisplayId: number, messageId: number, options?: ActorOptions): MessageRecord {
		return this.dashboard.retryMessage(conversationDisplayId, messageId, options);
	}

	// ---- lifecycle -----------------------------------------------------------------------------------------------

	/** Back to the seed: data, counters, deliveries, faults and throttles (knobs stay). */
	reset(): void {
		this.store.reset(this.seeds);
		this.webhooks.reset();
		this.counts.clear();
		this.faults.clear();
		this.limiter.reset();
		this.serverErrors.length = 0;
	}

	async close(): Promise<void> {
		await this.jobs.idle();
		await new Promise<void>((resolve) => {
			this.server.close(() => resolve());
			this.server.closeAllConnections();
		});
	}

	private mustInbox(inboxId: number): InboxRecord {
		const inbox = this.store.inboxes.get(inboxId);
		if (!inbox) throw new Error(`no inbox ${inboxId}`);
		return inbox;
	}
}

