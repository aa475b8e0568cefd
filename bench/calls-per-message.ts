/**
 * Chatwoot calls per WhatsApp message through the Sync WhatsApp Message node (goals: about 1 call per message in steady
 * state, at most 3 for a new contact): steady state 1:1 averaged over a burst (goal ≤ 1.1), steady state group, first
 * message of a new contact (goal ≤ 3). Run: npx ts-node --transpile-only bench/calls-per-message.ts
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { SyncWhatsAppMessage } from '../nodes/SyncWhatsAppMessage/SyncWhatsAppMessage.node';
import { INTEGRATION_ATTRIBUTE, parseIntegrationSettings } from '../nodes/shared/bridge/integration/config';
import { startSandbox, type Sandbox } from '../test/sandbox';
import { executeContext } from '../test/support/fakeN8n';
import { evolutionText } from './lib/payloads';

const BURST = 150; // below the 200 per conversation per minute flood guard

async function run(sb: Sandbox, bodies: unknown[]): Promise<void> {
	const items: INodeExecutionData[] = bodies.map((body) => ({ json: { body } as never }));
	const ctx = executeContext({
		credentials: { baseUrl: sb.baseUrl, accountId: sb.accountId, apiAccessToken: sb.tokens.admin },
		items,
		parameters: (index) => ({
			operation: 'sync',
			whatsappEvent: (items[index].json as { body: unknown }).body,
			gateway: 'auto',
			instance: 'bench',
			options: {},
		}),
	});
	const [out] = await new SyncWhatsAppMessage().execute.call(ctx as never);
	const failed = out.filter((item) => item.json.status !== 'created');
	if (failed.length) throw new Error(`unexpected outcomes: ${JSON.stringify(failed[0].json)}`);
}

interface Measured {
	perMessage: number;
	/** GET /inboxes: the integration lookup, cached per process, so amortized over the burst. */
	lookupsPerMessage: number;
}

async function measure(sb: Sandbox, bodies: unknown[]): Promise<Measured> {
	sb.resetCounts();
	// One execution per message, as a gateway webhook triggers them.
	for (const body of bodies) await run(sb, [body]);
	const counts = sb.requestCounts as Record<string, number>;
	const lookups = Object.entries(counts)
		.filter(([endpoint]) => /^GET .*\/inboxes$/.test(endpoint))
		.reduce((sum, [, count]) => sum + count, 0);
	return { perMessage: counts.total / bodies.length, lookupsPerMessage: lookups / bodies.length };
}

async function main(): Promise<void> {
	const sb = await startSandbox();
	const record = {
		version: 1,
		instance: 'bench',
		integration_id: 'bench',
		created_at: new Date().toISOString(),
		updated_at: new Date().toISOString(),
		settings: parseIntegrationSettings({ name_inbox: 'Bench' }),
	};
	sb.createInbox({ name: 'Bench', additionalAttributes: { [INTEGRATION_ATTRIBUTE]: record } });

	const newContacts = await measure(
		sb,
		Array.from({ length: 50 }, (_, i) => evolutionText(`NEW${i}`, `55119000${String(i).padStart(5, '0')}@s.whatsapp.net`)),
	);
	const steady = await measure(
		sb,
		Array.from({ length: BURST }, (_, i) => evolutionText(`ONE${i}`, '5511900000001@s.whatsapp.net')),
	);
	await run(sb, [evolutionText('GRPWARM', '120363000000000001@g.us', '5511900000002@s.whatsapp.net')]);
	const group = await measure(
		sb,
		Array.from({ length: BURST }, (_, i) =>
			evolutionText(`GRP${i}`, '120363000000000001@g.us', `55119000000${String(i % 9).padStart(2, '0')}@s.whatsapp.net`),
		),
	);
	await sb.close();

	const rows = [
		['first message of a new contact (50 contacts)', newContacts, 3],
		[`steady state 1:1 (burst of ${BURST})`, steady, 1.1],
		[`steady state group (burst of ${BURST})`, group, 1.1],
	] as const;
	console.log('| case | Chatwoot calls per message | of which integration lookup | goal |\n|---|---|---|---|');
	for (const [name, value, goal] of rows) {
		const verdict = value.perMessage <= goal ? 'met' : value.perMessage - value.lookupsPerMessage <= goal ? 'met without the amortized lookup' : 'MISSED';
		console.log(`| ${name} | ${value.perMessage.toFixed(3)} | ${value.lookupsPerMessage.toFixed(3)} | ≤ ${goal} (${verdict}) |`);
	}
	console.log('\nThe integration lookup (GET /inboxes) is cached for 30 s per process and shared by all chats.');
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
