/**
 * webhook() as a gate: signatures (good, bad, missing, stale, unsigned when allowed), replayed delivery ids,
 * duplicate logical events, bodies that are not Chatwoot webhooks, and Chatwoot being unreachable. Every refusal is
 * an HTTP answer written by the node with no execution; nothing throws.
 */
import { createServer, type AddressInfo, type Socket } from 'net';

import { resetInboxSnapshots } from '../../../nodes/ChatwootBridgeTrigger/inboxSnapshot';
import { EVENT_DEDUPE_TTL_MS, logicalEventKey, memoryClock, resetTriggerMemory } from '../../../nodes/ChatwootBridgeTrigger/memory';
import { parseChatwootWebhook, type ChatwootMessageEvent } from '../../../nodes/shared/chatwoot/webhook/parse';
import { startSandbox, type Sandbox } from '../../sandbox';
import { rawSample, sample } from '../../unit/chatwoot-webhook/fixtures';
import { FakeTriggerNode, outputs, started, type WebhookCall } from './harness';
import { integrationAttributes, signedDelivery, triggerNode, triggerParams } from './scenario';

const TEXT = 'message_created.outgoing_text.json';
const NOW = () => Math.floor(memoryClock.now() / 1000);

function refused(call: WebhookCall, status: number, error: string): void {
	expect(started(call)).toBe(false);
	expect(call.result).toEqual({ noWebhookResponse: true });
	expect(call.answer.status).toBe(status);
	expect(call.answer.body).toEqual({ error, message: expect.any(String) });
}

function accepted(call: WebhookCall): void {
	expect(call.answer.status).toBe(200);
	expect(started(call)).toBe(true);
}

describe('webhook() as a gate', () => {
	let sb: Sandbox;
	let secret: string;
	let node: FakeTriggerNode;
	const realNow = memoryClock.now;

	beforeAll(async () => {
		sb = await startSandbox();
		for (let i = 1; i <= 6; i += 1) sb.createInbox({ name: `Other ${i}` });
		secret = sb.createInbox({ name: 'WhatsApp Acme', additionalAttributes: integrationAttributes('acme-sales', { sign_msg: true }) }).secret!;
	});
	afterAll(async () => {
		await sb.close();
	});
	beforeEach(async () => {
		memoryClock.now = realNow;
		resetTriggerMemory();
		resetInboxSnapshots();
		node = triggerNode(sb, triggerParams(7));
		await node.activate();
	});
	afterEach(() => {
		memoryClock.now = realNow;
	});

	describe('signature (X-Chatwoot-Signature over "<timestamp>.<raw body>")', () => {
		it('a good signature is accepted', async () => {
			accepted(await node.receive(signedDelivery(secret, rawSample(TEXT))));
		});

		it('another secret is refused with 401', async () => {
			refused(await node.receive(signedDelivery('not-the-secret', rawSample(TEXT))), 401, 'bad-signature');
		});

		it('the same JSON re-serialised (other bytes) is refused: the raw body is what counts', async () => {
			const delivery = signedDelivery(secret, rawSample(TEXT));
			const reencoded = { ...delivery, rawBody: Buffer.from(JSON.stringify(JSON.parse(rawSample(TEXT).toString()))) };
			refused(await node.receive(reencoded), 401, 'bad-signature');
		});

		it('a changed body under a copied signature is refused', async () => {
			const delivery = signedDelivery(secret, rawSample(TEXT));
			const tampered = Buffer.from(rawSample(TEXT).toString().replace('Olá Maria', 'Olá Pedro'));
			refused(await node.receive({ ...delivery, rawBody: tampered }), 401, 'bad-signature');
		});

		it('a missing signature is refused while a secret is known, even with "Allow Unsigned Deliveries"', async () => {
			refused(await node.receive(signedDelivery(secret, rawSample(TEXT), { signature: null })), 401, 'missing-signature');
			node.params = triggerParams(7, { options: { allowUnsigned: true } });
			refused(await node.receive(signedDelivery(null, rawSample(TEXT))), 401, 'missing-signature');
		});

		it('a malformed signature or a missing timestamp is refused', async () => {
			refused(await node.receive(signedDelivery(secret, rawSample(TEXT), { signature: 'md5=abc' })), 401, 'malformed-signature');
			const noTimestamp = signedDelivery(secret, rawSample(TEXT));
			delete noTimestamp.headers['x-chatwoot-timestamp'];
			refused(await node.receive(noTimestamp), 401, 'missing-timestamp');
		});

		it('stale or future timestamps outside the 300 s window are refused; inside it they pass', async () => {
			refused(await node.receive(signedDelivery(secret, rawSample(TEXT), { timestamp: NOW() - 301 })), 401, 'stale-timestamp');
			refused(await node.receive(signedDelivery(secret, rawSample(TEXT), { timestamp: NOW() + 301 })), 401, 'stale-timestamp');
			accepted(await node.receive(signedDelivery(secret, rawSample(TEXT), { timestamp: NOW() - 295 })));
		});

		it('the "Replay Window (Seconds)" option narrows the window', async () => {
			node.params = triggerParams(7, { options: { replayWindowSeconds: 60 } });
			refused(await node.receive(signedDelivery(secret, rawSample(TEXT), { timestamp: NOW() - 65 })), 401, 'stale-timestamp');
			accepted(await node.receive(signedDelivery(secret, rawSample(TEXT), { timestamp: NOW() - 55 })));
		});

		it('headers arrive lower-case from Node; the answer to a refusal is the node\'s own, so n8n adds nothing', async () => {
			const call = await node.receive(signedDelivery('wrong', rawSample(TEXT)));
			expect(call.result.workflowData).toBeUndefined();
			expect(node.logs.some((l) => l.level === 'warn' && /refused a delivery \(401 bad-signature\)/.test(l.message))).toBe(true);
		});
	});

	describe('Chatwoot before 4.13 (the inbox has no secret)', () => {
		beforeEach(async () => {
			sb.updateInbox(7, { secret: null });
			resetInboxSnapshots();
			node = triggerNode(sb, triggerParams(7, { options: { allowUnsigned: true } }));
			await node.activate();
		});
		afterEach(() => {
			sb.updateInbox(7, { secret });
		});

		it('unsigned deliveries pass only with "Allow Unsigned Deliveries"', async () => {
			accepted(await node.receive(signedDelivery(null, rawSample(TEXT))));
			node.params = triggerParams(7);
			refused(await node.receive(signedDelivery(null, rawSample('message_updated.deleted.json'))), 401, 'missing-signature');
		});

		it('a signed delivery cannot be checked without a secret and is refused', async () => {
			refused(await node.receive(signedDelivery('some-secret', rawSample(TEXT))), 401, 'missing-secret');
		});

		it('once the inbox gets a secret (Chatwoot upgraded), unsigned deliveries stop passing', async () => {
			sb.updateInbox(7, { secret });
			resetInboxSnapshots();
			refused(await node.receive(signedDelivery(null, rawSample(TEXT))), 401, 'missing-signature');
			accepted(await node.receive(signedDelivery(secret, rawSample(TEXT))));
		});
	});

	describe('replays and duplicates (per n8n process)', () => {
		it('the same X-Chatwoot-Delivery again is refused with 409 and starts nothing', async () => {
			const delivery = signedDelivery(secret, rawSample(TEXT));
			accepted(await node.receive(delivery));
			refused(await node.receive(delivery), 409, 'replayed-delivery');
			const otherBodySameId = signedDelivery(secret, rawSample('message_created.outgoing_image.json'), {
				deliveryId: delivery.headers['x-chatwoot-delivery'] as string,
			});
			refused(await node.receive(otherBodySameId), 409, 'replayed-delivery');
		});

		it('a second delivery of the same logical event is answered 200 and starts nothing', async () => {
			accepted(await node.receive(signedDelivery(secret, rawSample(TEXT))));
			const again = await node.receive(signedDelivery(secret, rawSample(TEXT)));
			expect(started(again)).toBe(false);
			expect(again.answer).toEqual({ status: 200, body: { status: 'ignored', reason: 'duplicate-event' } });
		});

		it('entries expire: delivery ids after twice the window, logical events after 5 minutes', async () => {
			const delivery = signedDelivery(secret, rawSample(TEXT));
			accepted(await node.receive(delivery));
			const start = Date.now();
			memoryClock.now = () => start + EVENT_DEDUPE_TTL_MS + 1000;
			accepted(await node.receive(signedDelivery(secret, rawSample(TEXT), { timestamp: NOW() })));
			memoryClock.now = () => start + 2 * 300_000 + 1000;
			const sameId = signedDelivery(secret, rawSample(TEXT), { timestamp: NOW(), deliveryId: delivery.headers['x-chatwoot-delivery'] as string });
			accepted(await node.receive(sameId));
		});

		it('a delete and a later update of the same message are different events', () => {
			const deleted = parseChatwootWebhook(rawSample('message_updated.deleted.json')) as ChatwootMessageEvent;
			const body = sample('message_updated.deleted.json');
			body.content_attributes = { deleted: true, translations: { en: 'This message was deleted' } };
			const translated = parseChatwootWebhook(body) as ChatwootMessageEvent;
			const reordered = parseChatwootWebhook({ ...sample('message_updated.deleted.json'), content_attributes: { deleted: true } }) as ChatwootMessageEvent;
			expect(logicalEventKey(deleted)).toMatch(/^message_updated:9002:[0-9a-f]{16}$/);
			expect(logicalEventKey(translated)).not.toBe(logicalEventKey(deleted));
			expect(logicalEventKey(reordered)).toBe(logicalEventKey(deleted));
			expect(logicalEventKey(parseChatwootWebhook(rawSample(TEXT)) as ChatwootMessageEvent)).toBe('message_created:9001');
		});

		it('two trigger nodes keep separate memories', async () => {
			const delivery = signedDelivery(secret, rawSample(TEXT));
			accepted(await node.receive(delivery));
			const second = new FakeTriggerNode({ credentials: node.credentials, params: node.params, nodeId: 'another-node' });
			await second.activate();
			accepted(await second.receive(delivery));
		});
	});

	describe('bodies that are not Chatwoot webhooks', () => {
		it('not JSON: 400 with a short reason', async () => {
			const call = await node.receive(signedDelivery(secret, 'event=message_created'));
			refused(call, 400, 'malformed-body');
			expect((call.answer.body as { message: string }).message).toMatch(/^invalid Chatwoot webhook: body: not JSON/);
		});

		it('JSON without an event, or a message without its conversation: 400 naming the field', async () => {
			const noEvent = await node.receive(signedDelivery(secret, '{"id": 1}'));
			refused(noEvent, 400, 'malformed-body');
			expect((noEvent.answer.body as { message: string }).message).toBe('invalid Chatwoot webhook: event: expected an event name, got nothing (missing)');
			const body = sample(TEXT);
			delete body.conversation;
			const noConversation = await node.receive(signedDelivery(secret, JSON.stringify(body)));
			refused(noConversation, 400, 'malformed-body');
			expect((noConversation.answer.body as { message: string }).message).toMatch(/conversation/);
		});

		it('an event the bridge has no model for is answered 200 and starts nothing', async () => {
			const call = await node.receive(signedDelivery(secret, '{"event":"webwidget_triggered","id":5}'));
			expect(call.answer).toEqual({ status: 200, body: { status: 'ignored', reason: 'unsupported-event' } });
		});

		it('an agent message in a conversation that names no WhatsApp chat: 422, so Chatwoot marks it failed', async () => {
			const body = sample(TEXT);
			body.conversation.contact_inbox.source_id = '0b8f3c1e-6a5d-4c1f-9b2e-7d4a1c9e8f00';
			body.conversation.meta.sender.identifier = null;
			body.conversation.meta.sender.phone_number = null;
			const call = await node.receive(signedDelivery(secret, JSON.stringify(body)));
			refused(call, 422, 'no-whatsapp-chat');
			expect((call.answer.body as { message: string }).message).toMatch(/^Cannot tell the WhatsApp chat of conversation 123/);
		});
	});

	describe('Chatwoot unreachable while a delivery arrives', () => {
		it('the delivery is checked with the stored secret and emitted with the settings seen at activation', async () => {
			node.credentials = { ...node.credentials, baseUrl: 'http://127.0.0.1:9' };
			const started_ = Date.now();
			const call = await node.receive(signedDelivery(secret, rawSample(TEXT)));
			expect(Date.now() - started_).toBeLessThan(2500);
			accepted(call);
			expect(outputs(call)[0][0]).toMatchObject({ instance: 'acme-sales', text: expect.stringMatching(/^\*Joana Souza:\*\n/) });
			expect(node.logs.some((l) => l.level === 'warn' && /could not read inbox 7/.test(l.message))).toBe(true);
		});

		it('a Chatwoot that does not answer costs one 2.5 s read; the next deliveries do not wait again (10 s)', async () => {
			// Accepts connections and never answers: the read can only end by its timeout.
			const sockets: Socket[] = [];
			const silent = createServer((socket) => sockets.push(socket));
			await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
			node.credentials = { ...node.credentials, baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}` };
			try {
				const first = Date.now();
				accepted(await node.receive(signedDelivery(secret, rawSample(TEXT))));
				expect(Date.now() - first).toBeGreaterThanOrEqual(2400);
				expect(Date.now() - first).toBeLessThan(4000);
				const second = Date.now();
				accepted(await node.receive(signedDelivery(secret, rawSample('message_created.outgoing_image.json'))));
				expect(Date.now() - second).toBeLessThan(200);
			} finally {
				sockets.forEach((socket) => socket.destroy());
				await new Promise<void>((resolve) => silent.close(() => resolve()));
			}
		}, 15_000);
	});

	describe('without activation data (a test run, or static data lost)', () => {
		it('bound by id: the secret and the instance are read from Chatwoot', async () => {
			const fresh = triggerNode(sb, triggerParams(7));
			const call = await fresh.receive(signedDelivery(secret, rawSample(TEXT)));
			accepted(call);
			expect(outputs(call)[0][0]).toMatchObject({ instance: 'acme-sales', action: 'send' });
		});

		it('bound by instance name: the inbox is looked up', async () => {
			const fresh = triggerNode(sb, triggerParams(0, { inbox: { __rl: true, mode: 'instance', value: 'acme-sales' } }));
			accepted(await fresh.receive(signedDelivery(secret, rawSample(TEXT))));
			const elsewhere = triggerNode(sb, triggerParams(0, { inbox: { __rl: true, mode: 'instance', value: 'nobody' } }));
			// No inbox known: no secret either, so a signed delivery cannot be checked.
			refused(await elsewhere.receive(signedDelivery(secret, rawSample('message_created.outgoing_image.json'))), 401, 'missing-secret');
		});
	});
});
