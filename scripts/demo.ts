/**
 * `npm run demo`: the bridge end to end on one machine, no real Chatwoot or WhatsApp needed. Starts the sandbox
 * Chatwoot (port 3999), a fake Evolution/WAHA send API and a real n8n at http://127.0.0.1:5678 with the example
 * workflows active (the e2e suite's setup, test/e2e/world.ts), plays one conversation, then keeps everything running
 * so the executions can be inspected in n8n until Ctrl-C. Data lives in `.e2e/demo-home` and is reset on each run.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { EVOLUTION_WEBHOOK_SECRET, post as postSigned } from '../test/e2e/helpers';
import { OWNER } from '../test/e2e/n8nApi';
import { startWorld, WF } from '../test/e2e/world';
import { REPO_ROOT } from './n8n-home';

const say = (line: string) => console.log(`\n▶ ${line}`);

function fixture(name: string): any {
	return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/whatsapp-payloads', `${name}.json`), 'utf8'));
}

async function until<T>(probe: () => T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

async function main(): Promise<void> {
	const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
	if (build.status !== 0) throw new Error('npm run build failed');
	const w = await startWorld({
		userFolder: path.join(REPO_ROOT, '.e2e', 'demo-home'),
		port: Number(process.env.N8N_PORT ?? 5678),
		sandboxPort: Number(process.env.SANDBOX_PORT ?? 3999),
	});
	// Signed as each gateway signs (the example workflows check it).
	const post = (workflowId: string, body: unknown) => postSigned(w.webhookUrl(workflowId), body);
	const now = Math.floor(Date.now() / 1000);

	say('Maria writes on WhatsApp; Evolution API posts messages.upsert to the "Evolution API → Chatwoot" workflow');
	const text = fixture('evolution/text');
	text.data.messageTimestamp = now;
	await post(WF.evolutionIn, text);
	const incoming = await until(() => w.sb.state.messages.find((row) => row.source_id === 'WAID:3A5F1C2B9D8E7A6B5C4D'), 'the message in Chatwoot');
	const conversation = w.sb.state.conversations.find((row) => row.id === incoming.conversation_id)!;
	const contact = w.sb.state.contacts.find((row) => row.id === conversation.contact_id)!;
	console.log(`  Chatwoot: contact "${contact.name}" ${contact.phone_number}, conversation ${conversation.display_id}, message "${incoming.content}"`);

	say('An agent answers in Chatwoot; Chatwoot\'s signed webhook starts "Chatwoot → Evolution API"');
	const before = w.gateway.requests.length;
	const agent = w.sb.agentReply(conversation.display_id, { content: 'Oi Maria! Entregamos sim, **sábado** até as 14h.' });
	const send = await until(() => w.gateway.requests[before], 'the send');
	console.log(`  Evolution API got ${send.method} ${send.path} ${JSON.stringify(send.body)}`);
	await until(() => w.sb.state.messages.find((row) => row.id === agent.id && row.status === 'sent'), 'the send result');
	console.log(`  Report Send Result: Chatwoot message ${agent.id} is "sent" (WhatsApp id ${send.response.key.id})`);

	say('Evolution reports the send (send.message) and the delivery ack');
	const echo = fixture('evolution/send-message');
	echo.data.key.id = send.response.key.id;
	echo.data.message = { conversation: send.body.text };
	echo.data.messageTimestamp = now;
	await post(WF.evolutionIn, echo);
	const ack = fixture('evolution/messages-update');
	ack.data = { ...ack.data, keyId: send.response.key.id, status: 'DELIVERY_ACK' };
	await post(WF.evolutionIn, ack);
	await until(() => w.sb.state.messages.find((row) => row.id === agent.id && row.status === 'delivered'), 'the ack');
	const count = w.sb.state.messages.filter((row) => row.conversation_id === conversation.id).length;
	console.log(`  Chatwoot: the agent message is "delivered"; the conversation still holds ${count} messages (no echo copies)`);

	console.log(
		[
			'',
			`n8n:      ${w.n8n.baseUrl}  (log in as ${OWNER.email} / ${OWNER.password}, then open Executions)`,
			`Chatwoot: ${w.sb.baseUrl}  (sandbox; token ${w.sb.tokens.admin}, account ${w.sb.accountId})`,
			`Send another WhatsApp message:`,
			`  curl -X POST -H 'content-type: application/json' -H 'x-bridge-secret: ${EVOLUTION_WEBHOOK_SECRET}' --data @test/fixtures/whatsapp-payloads/evolution/image-caption.json ${w.webhookUrl(WF.evolutionIn)}`,
			'Ctrl-C stops everything.',
		].join('\n'),
	);
	await new Promise(() => undefined); // until Ctrl-C (startWorld registered the shutdown)
}

main().catch((error: Error) => {
	console.error(`[demo] ${error.message}`);
	process.exit(1);
});
