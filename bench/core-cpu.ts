/**
 * Core CPU per message (row 3 of `npm run bench`): the pure bridge core that runs for every gateway event, without I/O
 * — `normalizeWhatsApp` (gateway detection + normalization) and `draftInboundMessage` (what the Chatwoot message says),
 * plus the decisions taken on the way (`isChatIgnored`, `chooseConversation`). Input: every gateway fixture under
 * test/fixtures/whatsapp-payloads, round-robin, each copy with its own WhatsApp id. Timed with process.hrtime.bigint
 * over batches (built outside the timed region); reported: the median batch's time per message.
 *
 * Run alone: npx ts-node --transpile-only bench/core-cpu.ts [messages]
 */
import * as fs from 'fs';
import * as path from 'path';

import { chooseConversation, type ConversationSummary } from '../nodes/shared/bridge/conversationChoice';
import { draftInboundMessage } from '../nodes/shared/bridge/inboundContent';
import { isChatIgnored, parseIntegrationSettings } from '../nodes/shared/bridge/integration/config';
import { normalizeWhatsApp } from '../nodes/shared/whatsapp/normalize';
import { progress } from './lib/progress';

const FIXTURES = path.resolve(__dirname, '..', 'test', 'fixtures', 'whatsapp-payloads');

interface Template {
	name: string;
	/** The fixture's JSON with its WhatsApp id replaced by a marker, so each copy gets its own id. */
	text: string;
	marker: boolean;
}

function templates(): Template[] {
	const out: Template[] = [];
	for (const gateway of fs.readdirSync(FIXTURES).sort()) {
		const dir = path.join(FIXTURES, gateway);
		if (!fs.statSync(dir).isDirectory()) continue;
		for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.json')).sort()) {
			const text = fs.readFileSync(path.join(dir, file), 'utf8');
			const items = normalizeWhatsApp(JSON.parse(text));
			const first = items.find((item) => item.type === 'event');
			const id = first?.type === 'event' ? first.event.whatsappId : items[0]?.type === 'ignore' ? items[0].whatsappId : undefined;
			const marker = Boolean(id && text.includes(JSON.stringify(id)));
			out.push({ name: `${gateway}/${file}`, text: marker ? text.split(JSON.stringify(id)).join('"@@ID@@"') : text, marker });
		}
	}
	return out;
}

export interface CoreCpuResult {
	messages: number;
	fixtures: number;
	/** Kinds seen, e.g. { message: 70000, ack: 8000, ignore: 3000, … }. */
	kinds: Record<string, number>;
	batchSize: number;
	medianMicros: number;
	p90Micros: number;
	meanMicros: number;
}

export function measureCoreCpu(messages = 100_000, batchSize = 1_000): CoreCpuResult {
	const all = templates();
	const settings = parseIntegrationSettings({
		name_inbox: 'Bench',
		ignore_jids: ['5511000000000@s.whatsapp.net', '120363999999999999@g.us', '@broadcast'],
	});
	const conversations: ConversationSummary[] = [
		{ id: 11, status: 'resolved', inboxId: 1, lastActivityAt: 1_767_000_000 },
		{ id: 12, status: 'open', inboxId: 1, lastActivityAt: 1_767_100_000 },
		{ id: 13, status: 'open', inboxId: 2, lastActivityAt: 1_767_200_000 },
	];
	const options = { reopenConversation: true, conversationPending: false };
	const kinds: Record<string, number> = {};
	const perMessage: number[] = [];
	let sink = 0;
	let serial = 0;
	const batches = Math.ceil(messages / batchSize);
	for (let batch = 0; batch < batches; batch++) {
		// Built outside the timed region: parsing the webhook JSON is n8n's work, not ours.
		const bodies: unknown[] = [];
		for (let i = 0; i < batchSize; i++, serial++) {
			const template = all[serial % all.length];
			const id = `BENCH${serial.toString(16).toUpperCase().padStart(10, '0')}`;
			bodies.push(JSON.parse(template.marker ? template.text.split('"@@ID@@"').join(JSON.stringify(id)) : template.text));
		}
		const started = process.hrtime.bigint();
		for (const body of bodies) {
			for (const item of normalizeWhatsApp(body)) {
				if (item.type !== 'event') {
					kinds.ignore = (kinds.ignore ?? 0) + 1;
					continue;
				}
				const event = item.event;
				kinds[event.kind] = (kinds[event.kind] ?? 0) + 1;
				if (isChatIgnored(settings, event.chat)) continue;
				const choice = chooseConversation(conversations, 1, options);
				sink += choice.action.length;
				if (event.kind === 'ack') continue; // acks update a status; no message is drafted
				sink += draftInboundMessage(event).content.length;
			}
		}
		const elapsed = Number(process.hrtime.bigint() - started);
		perMessage.push(elapsed / batchSize / 1_000);
		if (batch % 20 === 19) progress(`core CPU: ${(batch + 1) * batchSize} / ${batches * batchSize} messages`);
	}
	if (sink < 0) throw new Error('unreachable');
	const sorted = [...perMessage].sort((a, b) => a - b);
	return {
		messages: batches * batchSize,
		fixtures: all.length,
		kinds,
		batchSize,
		medianMicros: sorted[Math.floor(sorted.length / 2)],
		p90Micros: sorted[Math.floor(sorted.length * 0.9)],
		meanMicros: perMessage.reduce((sum, value) => sum + value, 0) / perMessage.length,
	};
}

if (require.main === module) {
	const result = measureCoreCpu(Number(process.argv[2]) || 100_000);
	console.log(JSON.stringify(result, null, 2));
}
