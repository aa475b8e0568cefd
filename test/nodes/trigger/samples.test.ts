/**
 * Every webhook sample of ../shared/chatwoot-api/webhook-samples (test/fixtures/chatwoot-webhooks), signed with the
 * inbox secret exactly as Chatwoot signs it and fed to webhook(): the HTTP answer, whether an execution starts, and
 * the exact items. The samples belong to inbox 7 of account 1, bound to the instance "acme-sales".
 */
import { resetInboxSnapshots } from '../../../nodes/ChatwootBridgeTrigger/inboxSnapshot';
import { resetTriggerMemory } from '../../../nodes/ChatwootBridgeTrigger/memory';
import { startSandbox, type Sandbox } from '../../sandbox';
import { rawSample, WEBHOOK_SAMPLES } from '../../unit/chatwoot-webhook/fixtures';
import { outputs, started, type FakeTriggerNode } from './harness';
import { integrationAttributes, signedDelivery, triggerNode, triggerParams } from './scenario';

const MARIA = { jid: '5511987654321@s.whatsapp.net', phone: '+5511987654321', isGroup: false };
const JOANA = { accountId: 1, inboxId: 7, conversationId: 123, agentName: 'Joana Souza', senderType: 'user', sourceId: null };

/** What each sample does with the default events (Agent Messages, Deletions): `null` = ignored with that reason. */
const EXPECTED: Record<string, { reason: string } | { item: Record<string, unknown> }> = {
	'conversation_status_changed.resolved.json': { reason: 'not-selected' },
	'message_created.incoming_echo_WAID_ABC.json': { reason: 'incoming-message' },
	'message_created.outgoing_image.json': {
		item: {
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
		item: {
			action: 'send',
			instance: 'acme-sales',
			to: MARIA,
			text: '*Joana Souza:*\nOlá Maria! Seu pedido #4521 foi enviado hoje.\nCódigo de rastreio: *BR123456789BR*',
			attachments: [],
			messageType: 'outgoing',
			chatwoot: { ...JOANA, messageId: 9001 },
		},
	},
	'message_created.private_note.json': { reason: 'private-note' },
	'message_updated.deleted.json': {
		item: {
			action: 'delete',
			instance: 'acme-sales',
			to: MARIA,
			text: '',
			attachments: [],
			target: {
				reason:
					'Chatwoot message 9002 has no known WhatsApp id: it was not sent through the bridge with its send result reported (Report Send Result), or the send failed',
			},
			messageType: 'outgoing',
			chatwoot: { ...JOANA, messageId: 9002 },
		},
	},
};

describe('webhook() on every Chatwoot webhook sample', () => {
	let sb: Sandbox;
	let secret: string;
	let node: FakeTriggerNode;

	beforeAll(async () => {
		sb = await startSandbox();
		// The samples name inbox 7: six other inboxes first, then the instance's API inbox.
		for (let i = 1; i <= 6; i += 1) sb.createInbox({ name: `Other ${i}` });
		const inbox = sb.createInbox({ name: 'WhatsApp Acme', additionalAttributes: integrationAttributes('acme-sales', { sign_msg: true }) });
		expect(inbox.id).toBe(7);
		secret = inbox.secret!;
	});
	afterAll(async () => {
		await sb.close();
	});
	beforeEach(async () => {
		resetTriggerMemory();
		resetInboxSnapshots();
		node = triggerNode(sb, triggerParams(7));
		await node.activate();
	});

	it('every sample has an expectation', () => {
		expect(Object.keys(EXPECTED).sort()).toEqual(WEBHOOK_SAMPLES);
	});

	it.each(WEBHOOK_SAMPLES)('%s: the exact answer and items', async (name) => {
		const call = await node.receive(signedDelivery(secret, rawSample(name)));
		const expected = EXPECTED[name];
		if ('reason' in expected) {
			expect(started(call)).toBe(false);
			expect(call.answer).toEqual({ status: 200, body: { status: 'ignored', reason: expected.reason } });
		} else {
			expect(started(call)).toBe(true);
			expect(call.answer.status).toBe(200);
			expect(outputs(call)).toStrictEqual([[expected.item]]);
		}
	});

	it.each(WEBHOOK_SAMPLES)('%s: ignored when the trigger is bound to another inbox', async (name) => {
		const other = triggerNode(sb, triggerParams(3));
		await other.activate();
		const call = await other.receive(signedDelivery(sb.state.inboxes.find((i) => i.id === 3)!.secret, rawSample(name)));
		expect(started(call)).toBe(false);
		expect(call.answer).toEqual({ status: 200, body: { status: 'ignored', reason: 'other-inbox' } });
	});

	it('the status sample goes to the "Conversation Status" output when that output is on', async () => {
		node.params = triggerParams(7, { statusOutput: true });
		const call = await node.receive(signedDelivery(secret, rawSample('conversation_status_changed.resolved.json')));
		expect(outputs(call)).toStrictEqual([
			[],
			[{ action: 'conversationStatus', instance: 'acme-sales', conversationId: 123, status: 'resolved', inboxId: 7, contact: { jid: MARIA.jid, phone: MARIA.phone } }],
		]);
		// Messages keep the first output.
		const text = await node.receive(signedDelivery(secret, rawSample('message_created.outgoing_text.json')));
		expect(outputs(text).map((items) => items.length)).toEqual([1, 0]);
	});

	it('the status sample on the single output when "Conversation Status Changes" is selected', async () => {
		node.params = triggerParams(7, { events: ['send', 'conversationStatus'] });
		const call = await node.receive(signedDelivery(secret, rawSample('conversation_status_changed.resolved.json')));
		expect(outputs(call)).toStrictEqual([
			[{ action: 'conversationStatus', instance: 'acme-sales', conversationId: 123, status: 'resolved', inboxId: 7, contact: { jid: MARIA.jid, phone: MARIA.phone } }],
		]);
		// Deletions are no longer selected.
		const deleted = await node.receive(signedDelivery(secret, rawSample('message_updated.deleted.json')));
		expect(deleted.answer.body).toEqual({ status: 'ignored', reason: 'not-selected' });
	});

	it('without sign_msg in the stored integration the text has no agent signature', async () => {
		sb.updateInbox(7, { additional_attributes: integrationAttributes('acme-sales', { sign_msg: false }) });
		resetInboxSnapshots();
		const call = await node.receive(signedDelivery(secret, rawSample('message_created.outgoing_text.json')));
		expect((outputs(call)[0][0] as { text: string }).text).toBe(
			'Olá Maria! Seu pedido #4521 foi enviado hoje.\nCódigo de rastreio: *BR123456789BR*',
		);
		sb.updateInbox(7, { additional_attributes: integrationAttributes('acme-sales', { sign_msg: true }) });
	});

	it('a custom sign_delimiter from the stored integration is used', async () => {
		sb.updateInbox(7, { additional_attributes: integrationAttributes('acme-sales', { sign_msg: true, sign_delimiter: ' — ' }) });
		resetInboxSnapshots();
		const call = await node.receive(signedDelivery(secret, rawSample('message_created.outgoing_text.json')));
		expect((outputs(call)[0][0] as { text: string }).text).toBe(
			'*Joana Souza:* — Olá Maria! Seu pedido #4521 foi enviado hoje.\nCódigo de rastreio: *BR123456789BR*',
		);
		sb.updateInbox(7, { additional_attributes: integrationAttributes('acme-sales', { sign_msg: true }) });
	});
});
