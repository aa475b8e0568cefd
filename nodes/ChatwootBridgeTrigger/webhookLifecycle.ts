/**
 * `webhookMethods.default` (docs/n8n-runtime.md, Webhook lifecycle): register this node's production URL as the
 * `webhook_url` of the bound API inbox, remember the inbox's signing secret, and clear the URL again on deactivation,
 * but only while it still points here. Every failure surfaces as a NodeApiError / NodeOperationError: nothing is
 * swallowed.
 *
 * A test run ("Listen for test event") points the inbox at the test URL for its duration and then back at the URL it
 * had, so an active production workflow gets its deliveries again (n8n hands the static data of the test's `create`
 * to its `delete`). An activation that takes an inbox over from another receiver says so in the log (docs/security.md).
 */
import { NodeOperationError, type IHookFunctions } from 'n8n-workflow';

import type { ChatwootClient } from '../shared/chatwoot/client';
import type { Inbox } from '../shared/chatwoot/schemas';
import { connectChatwoot, type ChatwootConnection } from '../shared/transport/chatwootClient';
import { toNodeError } from '../shared/transport/nodeErrors';
import {
	clearActivation,
	instanceConfigOf,
	pickInbox,
	readActivation,
	writeActivation,
	type ActivationRecord,
} from './binding';
import { forgetInbox } from './inboxSnapshot';
import { InboxChoiceError, readInboxChoice, readTriggerOptions } from './options';

const WEBHOOK_NAME = 'default';

/** n8n runs the lifecycle of "Listen for test event" in manual mode, with the test URL. */
function isTestRun(ctx: IHookFunctions): boolean {
	return ctx.getMode() === 'manual';
}

function productionUrl(ctx: IHookFunctions): string {
	const url = ctx.getNodeWebhookUrl(WEBHOOK_NAME);
	if (!url) throw new NodeOperationError(ctx.getNode(), 'n8n did not provide a webhook URL for this node');
	return url;
}

/** Runs one lifecycle step, turning every failure into n8n's error types (the token is redacted by the client). */
async function step<T>(ctx: IHookFunctions, work: (connection: ChatwootConnection) => Promise<T>): Promise<T> {
	try {
		return await work(await connectChatwoot(ctx));
	} catch (error) {
		if (error instanceof InboxChoiceError) throw new NodeOperationError(ctx.getNode(), error.message);
		throw toNodeError(ctx.getNode(), error);
	}
}

async function boundInbox(ctx: IHookFunctions, client: ChatwootClient): Promise<Inbox> {
	const picked = pickInbox(await client.listInboxes(), readInboxChoice(ctx));
	if ('problem' in picked) throw new NodeOperationError(ctx.getNode(), picked.problem);
	return picked.inbox;
}

/** True when the inbox's `webhook_url` is this node's production URL and activation data belongs to that inbox. */
export async function checkWebhookExists(this: IHookFunctions): Promise<boolean> {
	const url = productionUrl(this);
	const activation = readActivation(this.getWorkflowStaticData('node'));
	return step(this, async ({ client }) => {
		const inbox = await boundInbox(this, client);
		// Without our record (static data lost, binding changed) `create` runs again: it is an idempotent PATCH.
		return inbox.webhook_url === url && activation.inboxId === inbox.id;
	});
}

/** PATCHes only `channel.webhook_url` (name, additional_attributes and other settings stay) and stores the secret. */
export async function createWebhook(this: IHookFunctions): Promise<boolean> {
	const url = productionUrl(this);
	const options = readTriggerOptions(this);
	const staticData = this.getWorkflowStaticData('node');
	return step(this, async ({ client, settings }) => {
		const inbox = await boundInbox(this, client);
		// Checked before the PATCH so a refused activation leaves the inbox untouched.
		if (!inbox.secret && !options.allowUnsigned) {
			throw new NodeOperationError(
				this.getNode(),
				`Chatwoot did not show the webhook signing secret of inbox ${inbox.id} ("${inbox.name}"): use an administrator's API access token, or turn on "Allow Unsigned Deliveries" for Chatwoot before 4.13`,
				{
					description:
						'Chatwoot 4.13 and later sign every delivery with the inbox secret, which only administrator tokens can read: use an administrator\'s API access token. For Chatwoot before 4.13 (unsigned deliveries), turn on the option "Allow Unsigned Deliveries".',
				},
			);
		}
		const previous = inbox.webhook_url || undefined;
		const activation = readActivation(staticData);
		const takenOver = previous && previous !== url && previous !== activation.webhookUrl ? previous : undefined;
		const updated = await client.updateInbox(inbox.id, { webhookUrl: url });
		if (updated.webhook_url !== url) {
			throw new NodeOperationError(
				this.getNode(),
				`Chatwoot did not keep the webhook URL of inbox ${inbox.id}: it answered "${updated.webhook_url ?? ''}"`,
			);
		}
		const config = instanceConfigOf(updated);
		const record: ActivationRecord = {
			inboxId: updated.id,
			webhookUrl: url,
			accountId: settings.accountId,
			instance: config.instance,
			signMsg: config.signMsg,
			signDelimiter: config.signDelimiter,
			registeredAt: new Date().toISOString(),
		};
		const secret = updated.secret ?? inbox.secret;
		if (secret) record.secret = secret;
		if (takenOver && isTestRun(this)) {
			record.restoreWebhookUrl = takenOver;
			this.logger.info(
				`Chatwoot Bridge Trigger: inbox ${updated.id} delivers to this test run until it ends, then again to ${takenOver}`,
			);
		} else if (takenOver) {
			record.replacedWebhookUrl = takenOver;
			this.logger.warn(
				`Chatwoot Bridge Trigger: inbox ${updated.id} ("${updated.name}") delivered to another receiver (${takenOver}); it now delivers to this workflow only. Bind each inbox to one active workflow.`,
			);
		}
		writeActivation(staticData, record);
		forgetInbox(updated.id);
		return true;
	});
}

/**
 * Clears `webhook_url` only while it is this node's URL (the current one or the one registered); a URL someone
 * changed since is left alone. An inbox that no longer exists has nothing to clear.
 */
export async function deleteWebhook(this: IHookFunctions): Promise<boolean> {
	const staticData = this.getWorkflowStaticData('node');
	const activation = readActivation(staticData);
	const ours = new Set([activation.webhookUrl, this.getNodeWebhookUrl(WEBHOOK_NAME)].filter((url): url is string => !!url));
	return step(this, async ({ client }) => {
		const inboxes = await client.listInboxes();
		let inbox: Inbox | undefined;
		if (activation.inboxId !== undefined) {
			inbox = inboxes.find((candidate) => candidate.id === activation.inboxId);
		} else {
			const picked = pickInbox(inboxes, readInboxChoice(this));
			inbox = 'inbox' in picked ? picked.inbox : undefined;
		}
		if (!inbox) {
			this.logger.info('Chatwoot Bridge Trigger: the bound inbox no longer exists, no webhook URL to clear');
		} else if (inbox.webhook_url && ours.has(inbox.webhook_url)) {
			// After a test run: back to the receiver the test took the inbox from (an active production workflow).
			await client.updateInbox(inbox.id, { webhookUrl: activation.restoreWebhookUrl ?? '' });
		} else {
			this.logger.info(
				`Chatwoot Bridge Trigger: inbox ${inbox.id} now sends its webhooks elsewhere; its webhook URL is left unchanged`,
			);
		}
		if (inbox) forgetInbox(inbox.id);
		clearActivation(staticData);
		return true;
	});
}
