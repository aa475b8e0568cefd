/** The trigger's parameters (description.ts), read and checked once per call. */
import type { IHookFunctions, INodeParameterResourceLocator, IWebhookFunctions } from 'n8n-workflow';

import { DEFAULT_SELECTED_EVENTS, OUTBOUND_KINDS, type OutboundKind } from '../shared/bridge/webhookFilter';
import { DEFAULT_SIGNATURE_TOLERANCE_SECONDS } from '../shared/chatwoot/webhook/signature';

export type TriggerContext = IHookFunctions | IWebhookFunctions;

/** How the builder named the inbox: its id (picked from the list or typed) or the instance of an integration. */
export type InboxChoice = { by: 'id'; inboxId: number } | { by: 'instance'; instance: string };

export interface TriggerOptions {
	/** Events that start an execution; includes `conversationStatus` whenever `statusOutput` is on. */
	events: OutboundKind[];
	statusOutput: boolean;
	allowUnsigned: boolean;
	replayWindowSeconds: number;
}

export class InboxChoiceError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'InboxChoiceError';
	}
}

export function readInboxChoice(ctx: TriggerContext): InboxChoice {
	const raw = ctx.getNodeParameter('inbox', '') as INodeParameterResourceLocator | string | number;
	const locator = typeof raw === 'object' && raw !== null ? raw : { mode: 'id', value: raw };
	const value = String(locator.value ?? '').trim();
	if (locator.mode === 'instance') {
		if (!value) throw new InboxChoiceError('Inbox: enter the instance name of the integration');
		return { by: 'instance', instance: value };
	}
	if (!/^[1-9]\d*$/.test(value)) {
		throw new InboxChoiceError(`Inbox: choose an API inbox or enter its numeric ID (got "${value}")`);
	}
	return { by: 'id', inboxId: Number(value) };
}

function clampWindow(value: unknown): number {
	const seconds = Number(value);
	if (!Number.isFinite(seconds) || seconds <= 0) return DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
	return Math.min(3600, Math.max(30, Math.round(seconds)));
}

export function readTriggerOptions(ctx: TriggerContext): TriggerOptions {
	const selected = ctx.getNodeParameter('events', DEFAULT_SELECTED_EVENTS) as unknown;
	const events = (Array.isArray(selected) ? selected : []).filter((kind): kind is OutboundKind =>
		(OUTBOUND_KINDS as readonly unknown[]).includes(kind),
	);
	const statusOutput = ctx.getNodeParameter('statusOutput', false) === true;
	if (statusOutput && !events.includes('conversationStatus')) events.push('conversationStatus');
	const options = (ctx.getNodeParameter('options', {}) ?? {}) as {
		allowUnsigned?: unknown;
		replayWindowSeconds?: unknown;
	};
	return {
		events,
		statusOutput,
		allowUnsigned: options.allowUnsigned === true,
		replayWindowSeconds: clampWindow(options.replayWindowSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS),
	};
}
