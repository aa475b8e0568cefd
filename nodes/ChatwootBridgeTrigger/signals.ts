/**
 * What the trigger's deliveries tell the rest of the bridge in this n8n process. Chatwoot delivers every event of
 * the inbox here, including the echoes of what the Sync node posted, so:
 * - conversation statuses (an agent resolved, snoozed, set pending) keep the Sync node's `conversationReopened`
 *   truthful without a read, while this process receives them (bridgeMemory.ts);
 * - two copies of one WhatsApp message in one conversation (the same event posted by two queue-mode workers at the
 *   same moment, which Chatwoot does not prevent) are seen here side by side, and the newer copy is removed. Both
 *   echoes reach the process that receives the inbox's webhooks, so this needs no shared store.
 * The removal runs before the answer, bounded well inside Chatwoot's 5 s: on n8n 2.40.7 a request still running after
 * the webhook had answered failed every time (measured in queue mode); a slower removal goes on and is logged.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

import { memoryFor } from '../shared/bridge/bridgeMemory';
import { sleepUntilCancelled } from '../shared/cancellation';
import { WAID_PREFIX } from '../shared/bridge/inboundContent';
import { TtlCache } from '../shared/bridge/ttlCache';
import type { ChatwootWebhookEvent } from '../shared/chatwoot/webhook/parse';
import { connectChatwoot } from '../shared/transport/chatwootClient';

/** Copies of one event posted by two workers arrive within seconds; a replay minutes later is the ledger's job. */
const COPY_WINDOW_MS = 10 * 60_000;
const firstCopy = new TtlCache<number>(COPY_WINDOW_MS, 50_000);

export async function noteDelivery(ctx: IWebhookFunctions, inboxId: number, event: ChatwootWebhookEvent): Promise<void> {
	if (event.kind !== 'message' && event.kind !== 'conversation') return;
	if (event.conversation.inboxId !== inboxId) return;
	const { client, settings } = await connectChatwoot(ctx);
	const memory = memoryFor(settings.baseUrl, settings.accountId, inboxId);
	memory.noteDelivery();
	memory.noteStatus(event.conversation.displayId, event.conversation.status);
	if (event.kind !== 'message' || event.event !== 'message_created') return;
	const sourceId = event.sourceId;
	if (!sourceId?.startsWith(WAID_PREFIX)) return;
	const key = `${settings.baseUrl}|${settings.accountId}|${event.conversation.displayId}|${sourceId}`;
	const earlier = firstCopy.get(key);
	if (earlier === undefined || earlier === event.id) {
		firstCopy.set(key, Math.min(earlier ?? event.id, event.id));
		return;
	}
	const newer = Math.max(earlier, event.id);
	firstCopy.set(key, Math.min(earlier, event.id));
	const conversationId = event.conversation.displayId;
	const removal = client.deleteMessage(conversationId, newer).then(
		() => ctx.logger.info(`Chatwoot Bridge Trigger removed message ${newer}: a second copy of ${sourceId} in conversation ${conversationId}`),
		(error: Error) => ctx.logger.warn(`Chatwoot Bridge Trigger could not remove the second copy ${newer} of ${sourceId}: ${error.message}`),
	);
	await Promise.race([removal, sleepUntilCancelled(REMOVAL_WAIT_MS)]);
}

/** How long a delivery's answer waits for the removal of a second copy. */
export const REMOVAL_WAIT_MS = 2_500;
