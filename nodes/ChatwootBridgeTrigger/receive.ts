/**
 * `webhook()`: one Chatwoot delivery in, at most one execution out, an answer within Chatwoot's 5 s
 * (docs/chatwoot-behaviour.md, Webhooks of an API inbox). Order: the bound inbox as read within 30 s (secret, instance
 * settings; inboxSnapshot.ts) → signature on the raw bytes → replayed delivery id → parse → filter (Sorting an arriving
 * webhook) → item → duplicate logical event. Expected rejections never throw (a throw records a failed execution,
 * docs/n8n-runtime.md, Answering a webhook): they write their own answer and return `noWebhookResponse` without
 * `workflowData`, so no execution starts.
 *
 * Answers: 200 for accepted, ignored and duplicate events alike (ignored ones carry `{status, reason}`) · 400 body
 * is not a Chatwoot webhook · 401 signature missing, wrong or stale · 409 delivery id already received · 422 an agent
 * message whose conversation names no WhatsApp chat (Chatwoot then marks that message failed, which the agent sees).
 */
import type { INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { OutboundMappingError } from '../shared/bridge/outbound';
import { classifyChatwootEvent, type IgnoreReason } from '../shared/bridge/webhookFilter';
import { ChatwootWebhookParseError, parseChatwootWebhook, type ChatwootWebhookEvent } from '../shared/chatwoot/webhook/parse';
import {
	CHATWOOT_DELIVERY_HEADER,
	CHATWOOT_SIGNATURE_HEADER,
	CHATWOOT_TIMESTAMP_HEADER,
	verifyChatwootSignature,
	type SignatureVerdict,
} from '../shared/chatwoot/webhook/signature';
import { settle } from '../shared/settle';
import { toNodeError } from '../shared/transport/nodeErrors';
import { readActivation, type ActivationRecord, type InstanceConfig } from './binding';
import { findInstanceInbox, readInboxSnapshot, type SnapshotRead } from './inboxSnapshot';
import { asJson, toTriggerItem, type TriggerItem } from './items';
import { firstDelivery, firstEmission, logicalEventKey, memoryClock } from './memory';
import { InboxChoiceError, readInboxChoice, readTriggerOptions, type TriggerOptions } from './options';
import { noteDelivery } from './signals';

/** Why an accepted delivery started no execution (the filter's reasons plus the trigger's own). */
export type SkipReason = IgnoreReason | 'integration-disabled' | 'duplicate-event';

type Headers = ReturnType<IWebhookFunctions['getHeaderData']>;

function headerValue(headers: Headers, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
}

/**
 * The bytes Chatwoot signed. n8n keeps them on `rawBody` for JSON requests (docs/n8n-runtime.md, Answering a webhook).
 */
function rawBodyOf(ctx: IWebhookFunctions): Buffer {
	const raw = (ctx.getRequestObject() as { rawBody?: unknown }).rawBody;
	if (Buffer.isBuffer(raw)) return raw;
	if (typeof raw === 'string') return Buffer.from(raw, 'utf8');
	// Without the raw bytes a signed delivery cannot verify; an unsigned one (if allowed) still parses.
	return Buffer.from(JSON.stringify(ctx.getBodyData() ?? {}), 'utf8');
}

/**
 * Writes the answer itself: n8n then sends nothing more and starts no execution (docs/n8n-runtime.md, Answering a
 * webhook).
 */
function reject(ctx: IWebhookFunctions, status: number, error: string, message: string): IWebhookResponseData {
	ctx.logger.warn(`Chatwoot Bridge Trigger refused a delivery (${status} ${error}): ${message}`);
	const response = ctx.getResponseObject();
	response.status(status).json({ error, message });
	return { noWebhookResponse: true };
}

/** 200 without an execution: n8n answers with `webhookResponse` when there is no `workflowData`. */
function skip(ctx: IWebhookFunctions, reason: SkipReason, event?: string): IWebhookResponseData {
	ctx.logger.debug(`Chatwoot Bridge Trigger ignored ${event ?? 'a delivery'}: ${reason}`);
	return { webhookResponse: { status: 'ignored', reason } };
}

/** The bound inbox: what activation stored, else the parameter (an instance name is looked up, cached). */
async function boundInboxId(ctx: IWebhookFunctions, activation: Partial<ActivationRecord>): Promise<number | undefined> {
	if (activation.inboxId !== undefined) return activation.inboxId;
	let choice;
	try {
		choice = readInboxChoice(ctx);
	} catch (error) {
		if (error instanceof InboxChoiceError) return undefined;
		throw toNodeError(ctx.getNode(), error);
	}
	if (choice.by === 'id') return choice.inboxId;
	const found = await findInstanceInbox(ctx, choice.instance);
	if (found.error) ctx.logger.warn(`Chatwoot Bridge Trigger: ${found.error}`);
	return found.inboxId;
}

/** A mismatching signature re-reads the inbox when the snapshot is older than this (the secret may have rotated). */
const ROTATION_RECHECK_MS = 5_000;

/**
 * The secret to check with: the inbox as read within the last 30 s (this also learns a secret rotated with
 * `reset_secret`, and stops trusting the old one), else the one stored at activation, else an older snapshot.
 */
function currentSecret(read: SnapshotRead, activation: Partial<ActivationRecord>): string | undefined {
	if (read.snapshot && !read.error) return read.snapshot.secret ?? activation.secret;
	return activation.secret ?? read.snapshot?.secret;
}

async function verifyDelivery(
	ctx: IWebhookFunctions,
	rawBody: Buffer,
	inbox: { id?: number; read: SnapshotRead },
	activation: Partial<ActivationRecord>,
	options: TriggerOptions,
): Promise<SignatureVerdict> {
	const headers = ctx.getHeaderData();
	const check = (secret: string | undefined): SignatureVerdict =>
		verifyChatwootSignature({
			rawBody,
			signatureHeader: headerValue(headers, CHATWOOT_SIGNATURE_HEADER),
			timestampHeader: headerValue(headers, CHATWOOT_TIMESTAMP_HEADER),
			secret,
			nowSeconds: Math.floor(memoryClock.now() / 1000),
			toleranceSeconds: options.replayWindowSeconds,
			allowUnsigned: options.allowUnsigned,
		});
	const secret = currentSecret(inbox.read, activation);
	const verdict = check(secret);
	if (verdict.ok || verdict.reason !== 'bad-signature' || inbox.id === undefined) return verdict;
	// Rotated within the last 30 s? Re-read at most once per 5 s, so forged requests cannot flood Chatwoot.
	inbox.read = await readInboxSnapshot(ctx, inbox.id, ROTATION_RECHECK_MS);
	const newer = inbox.read.error ? undefined : inbox.read.snapshot?.secret;
	return newer && newer !== secret ? check(newer) : verdict;
}

/** Instance and signature settings: the stored integration (cached 30 s), else what activation saw. */
function instanceConfig(
	ctx: IWebhookFunctions,
	inbox: { id?: number; read: SnapshotRead },
	activation: Partial<ActivationRecord>,
): InstanceConfig {
	if (inbox.read.error) {
		ctx.logger.warn(
			`Chatwoot Bridge Trigger could not read inbox ${inbox.id ?? '?'}, using the last known settings: ${inbox.read.error}`,
		);
	}
	if (inbox.read.snapshot) return inbox.read.snapshot.config;
	return {
		instance: activation.instance ?? '',
		signMsg: activation.signMsg ?? false,
		signDelimiter: activation.signDelimiter ?? '\n',
		enabled: true,
		configured: false,
	};
}

/** One output, or "Messages" + "Conversation Status" (description.ts). */
function route(item: TriggerItem, statusOutput: boolean): INodeExecutionData[][] {
	const data: INodeExecutionData[] = [{ json: asJson(item) }];
	if (!statusOutput) return [data];
	return item.action === 'conversationStatus' ? [[], data] : [data, []];
}

export async function receiveWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const options = readTriggerOptions(this);
	const activation = readActivation(this.getWorkflowStaticData('node'));
	const rawBody = rawBodyOf(this);
	const inboxId = await boundInboxId(this, activation);
	// One read per inbox and 30 s in this process (inboxSnapshot.ts): the secret and the instance settings.
	const inbox = { id: inboxId, read: inboxId === undefined ? {} : await readInboxSnapshot(this, inboxId) };
	// Per node: two workflows never share replay or duplicate entries.
	const scope = `${this.getWorkflow().id ?? ''}|${this.getNode().id}`;

	const verdict = await verifyDelivery(this, rawBody, inbox, activation, options);
	if (!verdict.ok) return reject(this, 401, verdict.reason, verdict.message);

	// Synchronous test-and-add right after the check: two concurrent copies cannot both pass.
	const deliveryId = headerValue(this.getHeaderData(), CHATWOOT_DELIVERY_HEADER)?.trim();
	if (deliveryId && !firstDelivery(scope, deliveryId, options.replayWindowSeconds)) {
		return reject(this, 409, 'replayed-delivery', `Delivery ${deliveryId} was already received`);
	}

	let event: ChatwootWebhookEvent;
	try {
		event = parseChatwootWebhook(rawBody);
	} catch (error) {
		if (error instanceof ChatwootWebhookParseError) return reject(this, 400, 'malformed-body', error.message);
		throw toNodeError(this.getNode(), error);
	}

	// Statuses and echoes inform the Sync node in this process (signals.ts); never a reason to refuse a delivery.
	if (inboxId !== undefined) {
		const noted = await settle(noteDelivery(this, inboxId, event));
		if (!noted.ok) this.logger.warn(`Chatwoot Bridge Trigger could not note delivery: ${(noted.error as Error).message}`);
	}

	const classification = classifyChatwootEvent(event, { inboxId, events: options.events });
	if (classification.decision === 'ignore') return skip(this, classification.reason, event.event);

	const config = instanceConfig(this, inbox, activation);
	if (!config.enabled) return skip(this, 'integration-disabled', event.event);

	let item: TriggerItem;
	try {
		item = toTriggerItem(event, classification.kind, config);
	} catch (error) {
		if (error instanceof OutboundMappingError) return reject(this, 422, 'no-whatsapp-chat', error.message);
		throw toNodeError(this.getNode(), error);
	}

	// A synchronous test-and-add: two concurrent copies of one logical event cannot both pass.
	if (event.kind === 'message' && !firstEmission(scope, logicalEventKey(event))) {
		return skip(this, 'duplicate-event', event.event);
	}
	return { workflowData: route(item, options.statusOutput) };
}
