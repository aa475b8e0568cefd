/**
 * Issue 8.3, Chatwoot side: mutated Chatwoot webhooks (missing fields, wrong types, huge strings, deep nesting,
 * unknown events) through the trigger's pipeline and through the real webhook(). Every one must become an action, an
 * ignore with a reason, or a clear refusal; nothing may throw out of webhook(). Fixed seeds: failures reproduce.
 */
import { readdirSync } from 'fs';

import { resetInboxSnapshots } from '../../nodes/ChatwootBridgeTrigger/inboxSnapshot';
import { resetTriggerMemory } from '../../nodes/ChatwootBridgeTrigger/memory';
import { toOutboundAction, OutboundMappingError } from '../../nodes/shared/bridge/outbound';
import { classifyChatwootEvent } from '../../nodes/shared/bridge/webhookFilter';
import { ChatwootWebhookParseError, parseChatwootWebhook, type ChatwootMessageEvent } from '../../nodes/shared/chatwoot/webhook/parse';
import { startSandbox, type Sandbox } from '../sandbox';
import { mutate, prng } from '../support/fuzz';
import { sample, WEBHOOK_FIXTURES_DIR } from '../unit/chatwoot-webhook/fixtures';
import { started } from '../nodes/trigger/harness';
import { integrationAttributes, signedDelivery, triggerNode, triggerParams } from '../nodes/trigger/scenario';

const NAMES = readdirSync(WEBHOOK_FIXTURES_DIR).filter((name) => name.endsWith('.json') && !name.startsWith('_'));
const SAMPLES = NAMES.map((name) => sample(name));

function mutated(random: () => number): unknown {
	let body: unknown = JSON.parse(JSON.stringify(SAMPLES[Math.floor(random() * SAMPLES.length)]));
	const rounds = 1 + Math.floor(random() * 4);
	for (let round = 0; round < rounds; round++) body = mutate(body, random, SAMPLES);
	if (random() < 0.02) body = { ...(body as object), content: 'x'.repeat(200_000) };
	if (random() < 0.02) {
		let deep: Record<string, unknown> = { leaf: true };
		for (let i = 0; i < 2000; i++) deep = { deep };
		body = { ...(body as object), content_attributes: deep };
	}
	return body;
}

type Outcome = 'action' | 'ignored' | 'refused';

function throughPipeline(body: unknown): Outcome {
	let event;
	try {
		event = parseChatwootWebhook(body);
	} catch (error) {
		expect(error).toBeInstanceOf(ChatwootWebhookParseError);
		expect((error as ChatwootWebhookParseError).message).toMatch(/\S/);
		return 'refused';
	}
	const decision = classifyChatwootEvent(event, { inboxId: 7, events: ['send', 'delete', 'conversationStatus'] });
	if (decision.decision === 'ignore') {
		expect(decision.reason).toMatch(/^[a-z-]+$/);
		return 'ignored';
	}
	if (decision.kind !== 'send' && decision.kind !== 'delete') return 'action';
	try {
		const action = toOutboundAction(event as ChatwootMessageEvent, { instance: 'fuzz', signMsg: true, signDelimiter: '\n' });
		expect(typeof action.to.jid).toBe('string');
		expect(typeof action.text).toBe('string');
		return 'action';
	} catch (error) {
		expect(error).toBeInstanceOf(OutboundMappingError);
		return 'refused';
	}
}

describe('mutated Chatwoot webhooks', () => {
	it('10 000 through parse → filter → outbound mapping: an action, an ignore with a reason, or a typed error', () => {
		const random = prng(20261122);
		const seen: Record<Outcome, number> = { action: 0, ignored: 0, refused: 0 };
		for (let i = 0; i < 10_000; i++) seen[throughPipeline(mutated(random))]++;
		expect(seen.action).toBeGreaterThan(300);
		expect(seen.ignored).toBeGreaterThan(300);
		expect(seen.refused).toBeGreaterThan(300);
	});

	describe('through the real webhook(), signed', () => {
		let sb: Sandbox;
		let secret: string;
		beforeAll(async () => {
			sb = await startSandbox();
			for (let i = 1; i <= 6; i += 1) sb.createInbox({ name: `Other ${i}` });
			secret = sb.createInbox({ name: 'Fuzz', additionalAttributes: integrationAttributes('fuzz', { sign_msg: true }) }).secret!;
		});
		afterAll(async () => {
			await sb.close();
		});

		it('1 000 mutated deliveries: every answer is 2xx, 400 or 422, none throws, executions only for actions', async () => {
			resetTriggerMemory();
			resetInboxSnapshots();
			const node = triggerNode(sb, triggerParams(7));
			await node.activate();
			const random = prng(42);
			const statuses = new Map<number, number>();
			let executions = 0;
			for (let i = 0; i < 1000; i++) {
				// Mutated copies share message ids: without this the duplicate-event guard would hide most of them.
				resetTriggerMemory();
				const call = await node.receive(signedDelivery(secret, JSON.stringify(mutated(random)) ?? ''));
				statuses.set(call.answer.status, (statuses.get(call.answer.status) ?? 0) + 1);
				expect([200, 400, 422]).toContain(call.answer.status);
				if (started(call)) executions++;
			}
			expect(statuses.get(200)).toBeGreaterThan(100);
			expect(statuses.get(400)).toBeGreaterThan(50);
			expect(executions).toBeGreaterThan(20);
		}, 120_000);
	});
});
