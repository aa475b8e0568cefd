/**
 * Every webhook sample of ../shared/chatwoot-api/webhook-samples (copied to test/fixtures/chatwoot-webhooks) with its
 * exact classification and, where something is emitted, the exact output (CONTRIBUTING.md, Test).
 */
import { parseChatwootWebhook } from '../../../nodes/shared/chatwoot/webhook/parse';
import {
	toConversationStatus,
	toOutboundAction,
	type ConversationStatusOutput,
	type OutboundAction,
} from '../../../nodes/shared/bridge/outbound';
import {
	classifyChatwootEvent,
	OUTBOUND_KINDS,
	type ChatwootEventClassification,
} from '../../../nodes/shared/bridge/webhookFilter';
import { sample, WEBHOOK_SAMPLES } from '../chatwoot-webhook/fixtures';

const CONFIG = { instance: 'acme-sales', signMsg: true, signDelimiter: '\n' };
const MARIA = { jid: '5511987654321@s.whatsapp.net', phone: '+5511987654321', isGroup: false };
const JOANA = { accountId: 1, inboxId: 7, conversationId: 123, agentName: 'Joana Souza', senderType: 'user', sourceId: null };

interface Expectation {
	classification: ChatwootEventClassification;
	output?: OutboundAction | ConversationStatusOutput;
}

const EXPECTED: Record<string, Expectation> = {
	'conversation_status_changed.resolved.json': {
		classification: { decision: 'emit', kind: 'conversationStatus' },
		output: {
			conversationId: 123,
			status: 'resolved',
			inboxId: 7,
			contact: { jid: '5511987654321@s.whatsapp.net', phone: '+5511987654321' },
		},
	},
	'message_created.incoming_echo_WAID_ABC.json': {
		classification: { decision: 'ignore', reason: 'incoming-message' },
	},
	'message_created.outgoing_image.json': {
		classification: { decision: 'emit', kind: 'send' },
		output: {
			action: 'send',
			instance: 'acme-sales',
			to: MARIA,
			text: '*Joana Souza:*\nSegue a foto do produto embalado',
			attachments: [
				{
					url: 'https://chat.acme.example/rails/active_storage/blobs/redirect/eyJfcmFpbHMiOnsiZGF0YSI6MzExLCJwdXIiOiJibG9iX2lkIn19--7d0c6f1b2e9a8c3d4b5a6f7e8d9c0b1a2f3e4d5c/produto-4521.jpg',
					mimeType: 'image/jpeg',
					fileName: 'produto-4521.jpg',
					kind: 'image',
					sizeBytes: 184233,
				},
			],
			messageType: 'outgoing',
			chatwoot: { ...JOANA, messageId: 9002 },
		},
	},
	'message_created.outgoing_text.json': {
		classification: { decision: 'emit', kind: 'send' },
		output: {
			action: 'send',
			instance: 'acme-sales',
			to: MARIA,
			text: '*Joana Souza:*\nOlá Maria! Seu pedido #4521 foi enviado hoje.\nCódigo de rastreio: *BR123456789BR*',
			attachments: [],
			messageType: 'outgoing',
			chatwoot: { ...JOANA, messageId: 9001 },
		},
	},
	'message_created.private_note.json': {
		classification: { decision: 'ignore', reason: 'private-note' },
	},
	'message_updated.deleted.json': {
		classification: { decision: 'emit', kind: 'delete' },
		output: {
			action: 'delete',
			instance: 'acme-sales',
			to: MARIA,
			text: '',
			attachments: [],
			// An agent message: Chatwoot never stores its WhatsApp id, the builder's store maps chatwoot.messageId.
			target: {
				reason:
					'Chatwoot message 9002 has no known WhatsApp id: it was not sent through the bridge with its send result reported (Report Send Result), or the send failed',
			},
			messageType: 'outgoing',
			chatwoot: { ...JOANA, messageId: 9002 },
		},
	},
};

function output(name: string): OutboundAction | ConversationStatusOutput | undefined {
	const event = parseChatwootWebhook(sample(name));
	const classification = classifyChatwootEvent(event, { inboxId: 7, events: OUTBOUND_KINDS });
	if (classification.decision === 'ignore') return undefined;
	if (event.kind === 'message') return toOutboundAction(event, CONFIG);
	if (event.kind === 'conversation') return toConversationStatus(event);
	throw new Error(`no mapper for ${event.kind}`);
}

describe('Chatwoot webhook samples', () => {
	it('every sample has an expectation', () => {
		expect(Object.keys(EXPECTED).sort()).toEqual(WEBHOOK_SAMPLES);
	});

	it.each(WEBHOOK_SAMPLES)('%s is classified exactly', (name) => {
		const event = parseChatwootWebhook(sample(name));
		expect(classifyChatwootEvent(event, { inboxId: 7, events: OUTBOUND_KINDS })).toEqual(EXPECTED[name].classification);
	});

	it.each(WEBHOOK_SAMPLES)('%s maps to the exact output', (name) => {
		expect(output(name)).toStrictEqual(EXPECTED[name].output);
	});

	it.each(WEBHOOK_SAMPLES)('%s is ignored as other-inbox for inbox 8', (name) => {
		const event = parseChatwootWebhook(sample(name));
		expect(classifyChatwootEvent(event, { inboxId: 8, events: OUTBOUND_KINDS })).toEqual({
			decision: 'ignore',
			reason: 'other-inbox',
		});
	});
});
