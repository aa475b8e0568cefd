/** Sandbox set-ups shared by the trigger tests: inboxes with a stored integration, chats, signed deliveries. */
import { randomUUID } from 'crypto';

import { INTEGRATION_ATTRIBUTE, parseIntegrationSettings, type IntegrationSettingsInput } from '../../../nodes/shared/bridge/integration/config';
import { ChatwootClient } from '../../../nodes/shared/chatwoot/client';
import { signChatwootPayload } from '../../../nodes/shared/chatwoot/webhook/signature';
import type { Sandbox, WebhookDelivery } from '../../sandbox';
import { createNodeSend } from '../../support/nodeSend';
import { adminCredentials, FakeTriggerNode, type IncomingDelivery } from './harness';

/** The record the Chatwoot Bridge Integration node stores on an instance's API inbox (integration/config.ts). */
export function storedIntegration(instance: string, settings: Partial<IntegrationSettingsInput> = {}): Record<string, unknown> {
	return {
		version: 1,
		instance,
		integration_id: `int-${instance}`,
		created_at: '2026-06-01T10:00:00.000Z',
		updated_at: '2026-06-01T10:00:00.000Z',
		settings: parseIntegrationSettings({ name_inbox: instance, ...settings }),
	};
}

export function integrationAttributes(instance: string, settings: Partial<IntegrationSettingsInput> = {}, extra: Record<string, unknown> = {}) {
	return { ...extra, [INTEGRATION_ATTRIBUTE]: storedIntegration(instance, settings) };
}

export function adminApi(sb: Sandbox): ChatwootClient {
	return ChatwootClient.over(createNodeSend({ baseUrl: sb.baseUrl, token: sb.tokens.admin }), {
		baseUrl: sb.baseUrl,
		accountId: sb.accountId,
		sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
	});
}

/** A contact whose contact inbox `source_id` is the chat JID (as the bridge creates it) and an open conversation. */
export async function openChat(
	sb: Sandbox,
	inboxId: number,
	chat: { sourceId: string; name?: string; phone?: string | null; identifier?: string | null },
): Promise<{ contactId: number; conversationId: number }> {
	const { contact } = await sb.createContact({
		inboxId,
		sourceId: chat.sourceId,
		name: chat.name ?? 'Maria Silva',
		phoneNumber: chat.phone ?? null,
		identifier: chat.identifier === undefined ? chat.sourceId : chat.identifier,
	});
	const conversation = await adminApi(sb).createConversation({ inboxId, contactId: contact.id, sourceId: chat.sourceId });
	await sb.idle();
	return { contactId: contact.id, conversationId: conversation.id };
}

/** Parameters of a trigger bound to an inbox by id, with default events unless given. */
export function triggerParams(inboxId: number | string, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return { inbox: { __rl: true, mode: 'id', value: String(inboxId) }, events: ['send', 'delete'], statusOutput: false, options: {}, ...extra };
}

export function triggerNode(sb: Sandbox, params: Record<string, unknown>, webhookUrl?: string): FakeTriggerNode {
	return new FakeTriggerNode({ credentials: adminCredentials(sb.baseUrl), params, webhookUrl });
}

/** A delivery exactly as Chatwoot sends it: headers and the raw bytes it signed. */
export function signedDelivery(
	secret: string | null,
	rawBody: Buffer | string,
	options: { timestamp?: number; deliveryId?: string; signature?: string | null } = {},
): IncomingDelivery {
	const bytes = Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody);
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		accept: 'application/json',
		'x-chatwoot-delivery': options.deliveryId ?? randomUUID(),
	};
	if (secret) {
		const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
		headers['x-chatwoot-timestamp'] = String(timestamp);
		headers['x-chatwoot-signature'] = signChatwootPayload(secret, timestamp, bytes);
	}
	if (options.signature === null) delete headers['x-chatwoot-signature'];
	else if (options.signature !== undefined) headers['x-chatwoot-signature'] = options.signature;
	return { headers, rawBody: bytes };
}

/** A delivery the sandbox made, fed again as it was sent (Node lower-cases header names on the wire). */
export function asIncoming(delivery: WebhookDelivery): IncomingDelivery {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(delivery.headers)) headers[name.toLowerCase()] = value;
	return { headers, rawBody: Buffer.from(delivery.body, 'utf8') };
}
