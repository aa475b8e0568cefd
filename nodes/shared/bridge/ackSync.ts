/**
 * WhatsApp delivery receipts → the status of the Chatwoot message they belong to (`PATCH …/messages/{id}`,
 * docs/chatwoot-behaviour.md): a phone-typed mirror is found by its `WAID:` source id, an agent reply through the
 * link its send result stored on the conversation's contact (agentLinks.ts), which every n8n process reads. Acks never create
 * contacts or conversations; what cannot be linked is reported, not guessed.
 */
import type { MessageStatus } from '../chatwoot/client';
import type { AckStatus, InboundEvent } from '../whatsapp/event';
import { agentMessageOfWhatsappId, contactOfConversation } from './agentLinks';
import { waSourceId } from './inboundContent';
import { base, type InboundSyncContext, type SyncOutcome } from './inboundSync';
import { findMessageBySourceId } from './messageLedger';

const ackToStatus: Record<AckStatus, MessageStatus> = {
	sent: 'sent',
	delivered: 'delivered',
	read: 'read',
	played: 'read',
	failed: 'failed',
};

export async function syncAck(ctx: InboundSyncContext, event: InboundEvent): Promise<SyncOutcome> {
	const sourceId = waSourceId(event.whatsappId);
	const linked = ctx.memory.agentMessageByWhatsappId.get(event.whatsappId);
	let target = linked;
	if (!target) {
		const contactId =
			ctx.memory.contactByChat.get(event.chat.jid) ??
			(await ctx.client.findContactByChat(ctx.inboxId, event.chat.jid))?.id;
		if (contactId === undefined) {
			return { ...base(event), status: 'skipped', skip: 'notLinked', reason: 'no Chatwoot contact for this chat' };
		}
		const conversations = (await ctx.client.listContactConversations(contactId))
			.filter((conversation) => conversation.inbox_id === ctx.inboxId)
			.sort((a, b) => b.id - a.id);
		for (const conversation of conversations.slice(0, 3)) {
			const known =
				agentMessageOfWhatsappId(contactOfConversation(conversation).attributes, event.whatsappId) ??
				ctx.memory.messagesByConversation.get(String(conversation.id))?.sourceIds.get(sourceId);
			const messageId = known || (await findMessageBySourceId(ctx.client, conversation.id, sourceId, 2))?.id;
			if (messageId) {
				target = { conversationId: conversation.id, messageId };
				break;
			}
		}
	}
	if (!target) {
		return {
			...base(event),
			status: 'skipped',
			skip: 'notLinked',
			reason: 'no Chatwoot message with this WhatsApp id (agent messages are linked when their send result is reported)',
		};
	}
	const status = ackToStatus[event.ack?.status ?? 'sent'];
	await ctx.client.updateMessageStatus(target.conversationId, target.messageId, status, event.ack?.error);
	return {
		...base(event),
		status: 'updated',
		reason: status,
		conversationId: target.conversationId,
		messageId: target.messageId,
	};
}

