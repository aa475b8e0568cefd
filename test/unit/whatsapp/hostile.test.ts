import type { InboundEvent, NormalizedItem } from '../../../nodes/shared/whatsapp/event';
import { WhatsAppPayloadError } from '../../../nodes/shared/whatsapp/errors';
import { normalizeWhatsApp } from '../../../nodes/shared/whatsapp/normalize';
import { mutate, prng } from '../../support/fuzz';
import { fixtureNames, loadFixture, type FixtureFolder } from './fixtures';

const FOLDERS: FixtureFolder[] = ['evolution', 'waha', 'cloud-api', 'n8n-whatsapp-trigger'];
const SAMPLES = FOLDERS.flatMap((folder) => fixtureNames(folder).map((name) => loadFixture(folder, name)));
const GATEWAYS = [undefined, 'evolution', 'waha', 'cloud', 'n8nWhatsAppTrigger'] as const;

/** What every event must satisfy, whatever the input (the identity rule included: a phone only from a phone JID). */
function checkEvent(event: InboundEvent): void {
	expect(['evolution', 'waha', 'cloud', 'n8nWhatsAppTrigger']).toContain(event.gateway);
	expect(['message', 'edit', 'delete', 'reaction', 'ack']).toContain(event.kind);
	expect(typeof event.whatsappId).toBe('string');
	expect(event.whatsappId.length).toBeGreaterThan(0);
	expect(typeof event.chat.jid).toBe('string');
	expect(typeof event.chat.isGroup).toBe('boolean');
	expect(typeof event.fromMe).toBe('boolean');
	expect(Number.isFinite(event.timestamp) && event.timestamp > 0).toBe(true);
	for (const party of [event.chat, event.sender]) {
		if (party.phone !== undefined) {
			expect(party.phone).toMatch(/^\+\d+$/);
			expect(party.jid).toBe(`${party.phone.slice(1)}@s.whatsapp.net`);
		}
		if (party.jid?.endsWith('@lid')) expect(party.phone).toBeUndefined();
	}
	if (event.media) expect(typeof event.media.mimeType).toBe('string');
	if (event.kind === 'reaction') expect(typeof event.reaction?.emoji).toBe('string');
	if (event.kind === 'edit' || event.kind === 'delete') expect(typeof event.targetId).toBe('string');
}

function checkOutcome(run: () => NormalizedItem[]): 'items' | 'error' {
	let items: NormalizedItem[];
	try {
		items = run();
	} catch (error) {
		expect(error).toBeInstanceOf(WhatsAppPayloadError);
		expect(typeof (error as WhatsAppPayloadError).field).toBe('string');
		expect((error as WhatsAppPayloadError).message.length).toBeGreaterThan(0);
		return 'error';
	}
	expect(Array.isArray(items)).toBe(true);
	for (const item of items) {
		if (item.type === 'ignore') expect(typeof item.reason).toBe('string');
		else {
			expect(item.type).toBe('event');
			checkEvent(item.event);
		}
	}
	return 'items';
}

describe('hostile input', () => {
	it('10 000 mutated samples: only NormalizedItem[] or WhatsAppPayloadError, never a TypeError', () => {
		const random = prng(20260101);
		const seen = { items: 0, error: 0 };
		for (let i = 0; i < 10_000; i++) {
			const sample = SAMPLES[Math.floor(random() * SAMPLES.length)];
			let body: unknown = JSON.parse(JSON.stringify(sample));
			const rounds = 1 + Math.floor(random() * 4);
			for (let r = 0; r < rounds; r++) body = mutate(body, random, SAMPLES);
			const gateway = GATEWAYS[Math.floor(random() * GATEWAYS.length)];
			seen[checkOutcome(() => normalizeWhatsApp(body, gateway))]++;
		}
		// Both outcomes are exercised, so the loop tests something.
		expect(seen.items).toBeGreaterThan(1000);
		expect(seen.error).toBeGreaterThan(100);
	});

	it.each([null, undefined, 0, 1, NaN, '', 'x', '{"event":', '[]', [], [{}], true, {}, Object.create(null)])('%p', (body) => {
		expect(checkOutcome(() => normalizeWhatsApp(body))).toBe('error');
	});

	it('deeply nested wrappers and huge values do not blow the stack', () => {
		let message: Record<string, unknown> = { conversation: 'deep' };
		for (let i = 0; i < 5000; i++) message = { ephemeralMessage: { message } };
		const body = loadFixture('evolution', 'text');
		body.data.message = message;
		expect(checkOutcome(() => normalizeWhatsApp(body))).toBe('items');
		body.data.message = { conversation: 'x'.repeat(1_000_000) };
		expect(checkOutcome(() => normalizeWhatsApp(body))).toBe('items');
	});

	it('__proto__ keys from JSON.parse are plain data', () => {
		const body = JSON.parse(
			'{"event":"messages.upsert","instance":"v","data":{"__proto__":{"key":{"id":"P","remoteJid":"1@s.whatsapp.net"}}}}',
		);
		expect(checkOutcome(() => normalizeWhatsApp(body))).toBe('error');
		expect(({} as Record<string, unknown>).key).toBeUndefined();
	});
});
