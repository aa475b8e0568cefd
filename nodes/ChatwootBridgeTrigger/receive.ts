/**
 * `webhook()`: one Chatwoot delivery in, at most one execution out, an answer within Chatwoot's 5 s (behaviour doc
 * §5.3). Order: signature on the raw bytes → replayed delivery id → parse → filter (§7.1) → instance settings →
 * item → duplicate logical event. Expected rejections never throw (a throw records a failed execution, runtime doc
 * §4.3): they write their own answer and return `noWebhookResponse` without `workflowData`, so no execution starts.
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
import { toNodeError } from '../shared/transport/nodeErrors';
import { readActivation, type ActivationRecord, type InstanceConfig } from './binding';
import { findInstanceInbox, readInboxSnapshot } from './inboxSnapshot';
import { asJson, toTriggerItem, type TriggerItem } from './items';
import { firstDelivery, firstEmission, logicalEventKey, memoryClock } from './memory';
import { InboxChoiceError, readInboxChoice, readTriggerOptions, type TriggerOptions } from './options';

/** Why an accepted delivery started no execution (the filter's reasons plus the trigger's own). */
export type SkipReason = IgnoreReason | 'integration-disabled' | 'duplicate-event';

type Headers = ReturnType<IWebhookFunctions['getHeaderData']>;

function headerValue(headers: Headers, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
}

/** The bytes Chatwoot signed. n8n keeps them on `rawBody` for JSON requests (runtime doc §4.3). */
function rawBodyOf(ctx: IWebhookFunctions): Buffer {
	const raw = (ctx.getRequestObject() as { rawBody?: unknown }).rawBody;
	if (Buffer.isBuffer(raw)) return raw;
	if (typeof raw === 'string') return Buffer.from(raw, 'utf8');
	// Without the raw bytes a signed delivery cannot verify; an unsigned one (if allowed) still parses.
	return Buffer.from(JSON.stringify(ctx.getBodyData() ?? {}), 'utf8');
}

/** Writes the answer itself: n8n then sends nothing more and starts no execution (runtime doc §4.3). */
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

/**
 * Verifies with the secret stored at activation. Chatwoot is read (cached, at most once per 30 s) only when no
 * secret is stored, to learn whether one exists, or when the signature does not match, in case the secret was rotated
 * (`reset_secret`) since activation.
 */
async function verifyDelivery(
	ctx: IWebhookFunctions,
	rawBody: Buffer,
	inboxId: number | undefined,
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
	const currentSecret = async (): Promise<string | undefined> =>
		inboxId === undefined ? undefined : (await readInboxSnapshot(ctx, inboxId)).snapshot?.secret;

	if (!activation.secret) return check(await currentSecret());
	const verdict = check(activation.secret);
	if (verdict.ok || verdict.reason !== 'bad-signature') return verdict;
	const secret = await currentSecret();
	return secret && secret !== activation.secret ? check(secret) : verdict;
}

/** Instance and signature settings: the stored integration (cached 30 s), else what activation saw. */
async function instanceConfig(
	ctx: IWebhookFunctions,
	inboxId: number | undefined,
	activation: Partial<ActivationRecord>,
): Promise<InstanceConfig> {
	if (inboxId !== undefined) {
		const read = await readInboxSnapshot(ctx, inboxId);
		if (read.error) {
			ctx.logger.warn(`Chatwoot Bridge Trigger could not read inbox ${inboxId}, using the last known settings: ${read.error}`);
		}
		if (read.snapshot) return read.snapshot.config;
	}
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
	// Per node: two workflows never share replay or duplicate entries.
	const scope = `${this.getWorkflow().id ?? ''}|${this.getNode().id}`;

	const verdict = await verifyDelivery(this, rawBody, inboxId, activation, options);
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

	const classification = classifyChatwootEvent(event, { inboxId, events: options.events });
	if (classification.decision === 'ignore') return skip(this, classification.reason, event.event);

	const config = await instanceConfig(this, inboxId, activation);
	if (!config.enabled) return skip(this, 'integration-disabled', event.event);

	let item: TriggerItem;
	try {
		item = toTriggerItem(event, classification.kind, config);
	} catch (error) {
		if (error instanceof OutboundMappingError) return reject(this, 422, 'no-whatsapp-chat', error.message);
		throw toNodeError(this.getNode(), error);
	}

	// After the last await: the check and the record happen in one synchronous step.
	if (event.kind === 'message' && !firstEmission(scope, logicalEventKey(event))) {
		return skip(this, 'duplicate-event', event.event);
	}
	return { workflowData: route(item, options.statusOutput) };
}
