/**
 * API-inbox webhooks (docs/chatwoot-behaviour.md, Webhooks of an API inbox, Webhook payloads, Sorting an arriving
 * webhook): every incoming/outgoing/template message event and every conversation event of the inbox goes to its
 * `webhook_url`, signed with the inbox `secret`, fire-once with a timeout and NO retry. A failed message event marks
 * that message `failed` with `content_attributes.external_error` (which emits one more `message_updated`).
 */
import { createHmac, randomUUID } from 'crypto';
import { lookup } from 'dns/promises';
import * as http from 'http';
import * as https from 'https';
import { isIP } from 'net';
import { EventSink, type Core, type DomainEvent, type EventTarget } from './core';
import { railsJson } from './http';
import type { JobQueue } from './jobs';
import { updateMessageStatus } from './messageService';
import {
	botWebhookData,
	conversationWebhookData,
	messageWebhookPayload,
	userWebhookData,
} from './serializers';
import type { InboxRecord } from './types';

export interface WebhookDelivery {
	/** The `X-Chatwoot-Delivery` uuid: new for every delivery, not an idempotency key (§5.2). */
	id: string;
	event: string;
	url: string;
	inboxId: number;
	messageId?: number;
	conversationId?: number;
	headers: Record<string, string>;
	/** Exact bytes that were signed and sent. */
	body: string;
	payload: Record<string, unknown>;
	startedAt: number;
	finishedAt: number | null;
	result: null | { ok: boolean; status?: number; error?: string; durationMs: number };
}

export interface DispatchedEvent {
	name: string;
	messageId?: number;
	conversationId?: number;
	at: number;
}

class DeliveryError extends Error {
	constructor(
		message: string,
		readonly status?: number,
	) {
		super(message);
	}
}

const MESSAGE_EVENTS = new Set(['message_created', 'message_updated']);

export class WebhookDispatcher implements EventTarget {
	readonly deliveries: WebhookDelivery[] = [];
	readonly dispatched: DispatchedEvent[] = [];

	constructor(
		private readonly core: () => Core,
		private readonly jobs: JobQueue,
		private readonly log?: (line: string) => void,
	) {}

	dispatch(events: DomainEvent[]): void {
		for (const event of events) {
			this.dispatched.push({
				name: event.name,
				messageId: 'messageId' in event ? event.messageId : undefined,
				conversationId: 'conversationId' in event ? event.conversationId : undefined,
				at: Date.now(),
			});
			// Like Chatwoot's EventDispatcherJob: the payload is built from the state at job time (§5.3).
			const epoch = this.core().store.epoch;
			this.jobs.run(() => (this.core().store.epoch === epoch ? this.deliverEvent(event, epoch) : undefined));
		}
	}

	reset(): void {
		this.deliveries.length = 0;
		this.dispatched.length = 0;
	}

	private async deliverEvent(event: DomainEvent, epoch: number): Promise<void> {
		const built = this.buildPayload(event);
		if (!built) return;
		const { inbox, payload, messageId, conversationId } = built;
		if (inbox.channel_type !== 'Channel::Api' || !inbox.webhook_url || inbox.webhook_url.trim() === '') return;
		const body = railsJson(payload);
		const headers: Record<string, string> = {
			'Content-Type': 'application/json',
			Accept: 'application/json',
			'X-Chatwoot-Delivery': randomUUID(),
		};
		if (inbox.secret) {
			const timestamp = String(Math.floor(Date.now() / 1000));
			headers['X-Chatwoot-Timestamp'] = timestamp;
			headers['X-Chatwoot-Signature'] =
				'sha256=' + createHmac('sha256', inbox.secret).update(`${timestamp}.${body}`).digest('hex');
		}
		const delivery: WebhookDelivery = {
			id: headers['X-Chatwoot-Delivery'],
			event: event.name,
			url: inbox.webhook_url,
			inboxId: inbox.id,
			messageId,
			conversationId,
			headers,
			body,
			payload,
			startedAt: Date.now(),
			finishedAt: null,
			result: null,
		};
		this.deliveries.push(delivery);
		try {
			const status = await this.post(inbox.webhook_url, headers, body);
			delivery.result = { ok: true, status, durationMs: Date.now() - delivery.startedAt };
		} catch (error) {
			const failure = error as DeliveryError;
			delivery.result = {
				ok: false,
				status: failure.status,
				error: failure.message,
				durationMs: Date.now() - delivery.startedAt,
			};
			const current = this.core().store.epoch === epoch;
			if (current && MESSAGE_EVENTS.has(event.name) && messageId !== undefined) this.markFailed(messageId, failure.message);
		} finally {
			delivery.finishedAt = Date.now();
			const outcome = delivery.result?.ok ? delivery.result.status : delivery.result?.error;
			this.log?.(`webhook ${event.name} → ${delivery.url}: ${outcome}`);
		}
	}

	/** Webhooks::Trigger#handle_error → Messages::StatusUpdateService(message, 'failed', error.message). */
	private markFailed(messageId: number, reason: string): void {
		const core = this.core();
		const message = core.store.messages.get(messageId);
		if (!message) return;
		const sink = new EventSink(this);
		updateMessageStatus(core, message, 'failed', reason, sink);
		sink.flush();
	}

	private buildPayload(
		event: DomainEvent,
	): { inbox: InboxRecord; payload: Record<string, unknown>; messageId?: number; conversationId?: number } | undefined {
		const core = this.core();
		const store = core.store;
		if (event.name === 'message_created' || event.name === 'message_updated') {
			const message = store.messages.get(event.messageId);
			// webhook_sendable?: incoming, outgoing and template only; activity messages never leave (§5.1).
			if (!message || message.message_type === 'activity') return undefined;
			const inbox = store.inboxes.get(message.inbox_id);
			if (!inbox || !store.conversations.has(message.conversation_id)) return undefined;
			return {
				inbox,
				payload: messageWebhookPayload(core, message, event.name),
				messageId: message.id,
				conversationId: message.conversation_id,
			};
		}
		if (!('conversationId' in event)) return undefined;
		const conversation = store.conversations.get(event.conversationId);
		const inbox = conversation && store.inboxes.get(conversation.inbox_id);
		if (!conversation || !inbox) return undefined;
		const data = conversationWebhookData(core, conversation);
		let payload: Record<string, unknown>;
		if (event.name === 'conversation_typing_on' || event.name === 'conversation_typing_off') {
			const actor = event.actor;
			payload = {
				conversation: data,
				user: actor.kind === 'user' ? userWebhookData(actor.user) : botWebhookData(actor.bot),
				event: event.name,
				is_private: event.isPrivate,
			};
		} else if (event.name === 'conversation_status_changed') {
			// Always null in v4.15.1; the previous status is in the conversation_updated of the same change (§6.2).
			payload = { ...data, event: event.name, changed_attributes: null };
		} else if (event.name === 'conversation_updated') {
			payload = { ...data, event: event.name, changed_attributes: event.changedAttributes };
		} else {
			payload = { ...data, event: event.name };
		}
		return { inbox, payload, conversationId: conversation.id };
	}

	/** One POST with RestClient-like semantics: redirects followed, any 2xx succeeds, open/read timeout. */
	private async post(url: string, headers: Record<string, string>, body: string, hops = 0): Promise<number> {
		let target: URL;
		try {
			target = new URL(url);
		} catch {
			throw new DeliveryError(`bad URI(is not URI?): "${url}"`);
		}
		if (target.protocol !== 'http:' && target.protocol !== 'https:') {
			throw new DeliveryError(`bad URI(is not URI?): "${url}"`);
		}
		const core = this.core();
		if (!core.knobs.safeFetchAllowPrivateNetwork && (await isPrivateHost(target.hostname))) {
			throw new DeliveryError(`Hostname '${target.hostname}' has no public ip addresses`);
		}
		const status = await sendOnce(target, headers, body, core.knobs.webhookTimeoutMs);
		if (status.location && hops < 10) return this.post(new URL(status.location, target).toString(), headers, body, hops + 1);
		if (status.code >= 200 && status.code < 300) return status.code;
		throw new DeliveryError(`${status.code} ${http.STATUS_CODES[status.code] ?? 'Unknown'}`, status.code);
	}
}

function sendOnce(
	target: URL,
	headers: Record<string, string>,
	body: string,
	timeoutMs: number,
): Promise<{ code: number; location?: string }> {
	return new Promise((resolve, reject) => {
		const client = target.protocol === 'https:' ? https : http;
		const requestHeaders: Record<string, string> = {
			...headers,
			'User-Agent': 'rest-client/2.1.0 (linux x86_64) ruby/3.4.4p34',
			'Content-Length': String(Buffer.byteLength(body)),
		};
		if (target.username) {
			// Credentials in the URL are sent as HTTP Basic auth (§5.2).
			const credentials = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`;
			requestHeaders.Authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
		}
		let connected = false;
		let settled = false;
		const finish = (fn: () => void) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			fn();
		};
		const request = client.request(
			target,
			{ method: 'POST', headers: requestHeaders, rejectUnauthorized: false, agent: false },
			(response) => {
				response.resume();
				response.on('end', () => {
					const code = response.statusCode ?? 0;
					const location = code >= 300 && code < 400 ? response.headers.location : undefined;
					finish(() => resolve({ code, location }));
				});
				response.on('error', (error) => finish(() => reject(new DeliveryError(error.message))));
			},
		);
		const timer = setTimeout(() => {
			const text = connected ? 'Timed out reading data from server' : 'Timed out connecting to server';
			finish(() => reject(new DeliveryError(text)));
			request.destroy();
		}, timeoutMs);
		request.on('socket', (socket) => {
			if (!socket.connecting) connected = true;
			else socket.once('connect', () => (connected = true));
		});
		request.on('error', (error: NodeJS.ErrnoException) => {
			const port = target.port || (target.protocol === 'https:' ? '443' : '80');
			const text =
				error.code === 'ECONNREFUSED'
					? `Failed to open TCP connection to ${target.hostname}:${port} (Connection refused - connect(2) for "${target.hostname}" port ${port})`
					: error.code === 'ECONNRESET'
						? 'Server closed the connection'
						: error.message;
			finish(() => reject(new DeliveryError(text)));
		});
		request.end(body);
	});
}

/** The v4.14 SSRF filter's ranges (§5.4). */
async function isPrivateHost(hostname: string): Promise<boolean> {
	const host = hostname.replace(/^\[|\]$/g, '');
	let addresses: string[];
	if (isIP(host)) addresses = [host];
	else {
		try {
			addresses = (await lookup(host, { all: true })).map((a) => a.address);
		} catch {
			return true;
		}
	}
	return addresses.length === 0 || addresses.every(isPrivateAddress);
}

function isPrivateAddress(address: string): boolean {
	if (isIP(address) === 6) {
		const lower = address.toLowerCase();
		if (lower.startsWith('::ffff:')) return isPrivateAddress(lower.slice(7));
		return lower === '::1' || lower === '::' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower) || /^ff/.test(lower);
	}
	const [a, b] = address.split('.').map(Number);
	return (
		a === 0 ||
		a === 10 ||
		a === 127 ||
		(a === 100 && b >= 64 && b <= 127) ||
		(a === 169 && b === 254) ||
		(a === 172 && b >= 16 && b <= 31) ||
		(a === 192 && b === 0) ||
		(a === 192 && b === 168) ||
		(a === 198 && (b === 18 || b === 19)) ||
		a >= 224
	);
}
