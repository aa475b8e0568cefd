/**
 * Chatwoot Bridge Integration → Import, against the sandbox Chatwoot: history records of Evolution and
 * WAHA land in the right conversations, in WhatsApp order, with their WhatsApp time, media and quotes; a re-run skips
 * everything; an interrupted run resumes without duplicates; contacts-only makes no conversations.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { ChatwootBridgeIntegration } from '../../../nodes/ChatwootBridgeIntegration/ChatwootBridgeIntegration.node';
import type { MessageRecord, Sandbox } from '../../sandbox';
import { capture } from '../../support/capture';
import { executeContext, runNodeExecute } from '../../support/fakeN8n';
import { INSTANCE, startHarness, type Harness } from './harness';

const NOW = Math.floor(Date.now() / 1000);
const HOUR = 3600;
const DAY = 24 * HOUR;
const JPEG =
	'/9j/4AAQSkZJRgABAQEAYABgAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==';

const MARIA = '5511999990001@s.whatsapp.net';
const GROUP = '120363041234567890@g.us';
const JOAO = '5511999990002@s.whatsapp.net';
const ANA_LID = '123456789012345@lid';
const ANA = '5511999990003@s.whatsapp.net';
const IMPORT_ON = { import_contacts: true, import_messages: true };

type Params = Record<string, unknown>;

interface Imported {
	summary: IDataObject;
	output: INodeExecutionData[];
	lines: string[];
}

/** Runs Import with one input item per entry; `records` defaults to the item itself (the editor's `{{ $json }}`). */
async function runImport(
	h: Harness,
	inputs: unknown[],
	parameters: Params = {},
	continueOnFail = false,
	/** The Records expression, evaluated per item (default `{{ $json }}`, which n8n saves as the text below). */
	records?: (json: IDataObject) => unknown,
): Promise<Imported> {
	const items: INodeExecutionData[] = inputs.map((input) => ({ json: input as IDataObject }));
	const lines: string[] = [];
	const ctx = executeContext({
		credentials: h.credentials,
		items,
		continueOnFail,
		log: h.requests,
		nodeParameters: { records: records ? '={{ $json.records }}' : '={{ $json }}' },
		parameters: (index) => ({
			operation: 'import',
			instance: INSTANCE,
			what: 'all',
			records: records ? records(items[index].json) : items[index].json,
			gateway: 'auto',
			days: 0,
			requestsPerMinute: 0,
			options: {},
			...parameters,
		}),
	});
	const log = (line: string) => {
		lines.push(line);
		capture('log', line, 'chatwootBridgeIntegration import');
	};
	Object.assign(ctx, { logger: { info: log, debug: log, warn: log, error: log }, sendMessageToUI: log });
	const output = await runNodeExecute(new ChatwootBridgeIntegration(), ctx, 'chatwootBridgeIntegration import');
	return { summary: output[0].json, output, lines };
}

function evolutionRecord(
	id: string,
	remoteJid: string,
	at: number,
	message: Record<string, unknown>,
	extra: { fromMe?: boolean; pushName?: string; key?: Record<string, unknown>; contextInfo?: Record<string, unknown> } = {},
) {
	return {
		id: `db-${id}`,
		key: { remoteJid, fromMe: extra.fromMe ?? false, id, ...extra.key },
		pushName: extra.pushName ?? 'Maria Souza',
		message,
		messageType: Object.keys(message)[0],
		messageTimestamp: at,
		instanceId: 'inst-1',
		source: 'android',
		...(extra.contextInfo ? { contextInfo: extra.contextInfo } : {}),
	};
}

const text = (body: string) => ({ conversation: body });

/** Evolution findMessages records of three chats (1:1, group, LID with phone alt), in no particular order. */
function evolutionHistory() {
	return [
		evolutionRecord('M3', MARIA, NOW - 3 * HOUR, text('Pode ser amanhã?'), {
			contextInfo: { stanzaId: 'M2', participant: '5511999990000@s.whatsapp.net', quotedMessage: { conversation: 'Qual horário?' } },
		}),
		evolutionRecord('M1', MARIA, NOW - 5 * HOUR, text('Olá! Vocês entregam no sábado?')),
		evolutionRecord('M0', MARIA, NOW - 30 * DAY, text('mensagem antiga')),
		evolutionRecord(
			'M4',
			MARIA,
			NOW - 2 * HOUR,
			{ imageMessage: { mimetype: 'image/jpeg', caption: 'Esse modelo tem em azul?' }, base64: JPEG },
		),
		evolutionRecord('M2', MARIA, NOW - 4 * HOUR, text('Qual horário?'), { fromMe: true, pushName: 'Você' }),
		evolutionRecord('G2', GROUP, NOW - 90 * 60, text('Sim, às 15h.'), {
			pushName: 'Ana',
			key: { participant: ANA_LID, participantAlt: ANA },
		}),
		evolutionRecord('G1', GROUP, NOW - 100 * 60, text('A reunião continua às 15h?'), {
			pushName: 'João Lima',
			key: { participant: '98765432109876@lid', participantAlt: JOAO },
		}),
		evolutionRecord('L2', ANA_LID, NOW - 50 * 60, text('Segunda mensagem, só com LID'), { pushName: 'Ana Costa' }),
		evolutionRecord('L1', ANA_LID, NOW - 60 * 60, text('Oi, é a Ana (LID)'), { pushName: 'Ana Costa', key: { remoteJidAlt: ANA } }),
	];
}

function wahaRecord(id: string, chat: string, at: number, body: string, extra: Record<string, unknown> = {}) {
	const chatCus = chat.replace('@s.whatsapp.net', '@c.us');
	const fromMe = extra.fromMe === true;
	return {
		id: `${fromMe}_${chatCus}_${id}`,
		timestamp: at,
		from: chatCus,
		fromMe,
		to: '5511999990000@c.us',
		body,
		hasMedia: false,
		media: null,
		ack: 2,
		replyTo: null,
		...extra,
	};
}

function state(sb: Sandbox) {
	const snapshot = sb.state;
	const conversationOf = (jid: string) => {
		const contactInbox = snapshot.contactInboxes.find((row) => row.source_id === jid);
		return snapshot.conversations.filter((conversation) => conversation.contact_id === contactInbox?.contact_id);
	};
	const messagesIn = (conversationId: number): MessageRecord[] =>
		snapshot.messages.filter((message) => message.conversation_id === conversationId).sort((a, b) => a.id - b.id);
	return { snapshot, conversationOf, messagesIn };
}

function chatOf(summary: IDataObject, jid: string): IDataObject {
	const chat = (summary.chats as IDataObject[]).find((entry) => entry.chat === jid);
	if (!chat) throw new Error(`no summary entry for ${jid}`);
	return chat;
}

describe('Chatwoot Bridge Integration: import', () => {
	let h: Harness;
	beforeEach(async () => {
		h = await startHarness();
		await h.run('set', { additionalFields: { days_limit_import_messages: 7, ...IMPORT_ON } });
	});
	afterEach(async () => {
		await h.close();
	});

	it('imports Evolution history records into the right conversations, in WhatsApp order, with time, media and quotes', async () => {
		const { summary, output, lines } = await runImport(h, evolutionHistory());

		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual(evolutionHistory().map((_record, index) => ({ item: index })));
		expect(summary).toMatchObject({
			instance: INSTANCE,
			status: 'complete',
			what: 'all',
			days: 7,
			totals: { chats: 3, contacts_created: 3, contacts_failed: 0, imported: 8, skipped: 1, failed: 0 },
			input: { items: 9, records: 9, events: 9, contact_records: 0, empty_items: 0 },
			unassigned: { skipped: 0, failed: 0, reasons: [] },
		});
		expect(summary.note).toMatch(/POST \/upload .* not used/);
		expect(summary.warnings).toEqual([]);
		expect(new Date((summary.window as IDataObject).from as string).getTime() / 1000).toBeCloseTo(NOW - 7 * DAY, -1);

		const { snapshot, conversationOf, messagesIn } = state(h.sb);
		// 1:1: the old message is outside the 7-day window; the rest in WhatsApp order with their WhatsApp time.
		const [maria] = conversationOf(MARIA);
		expect(conversationOf(MARIA)).toHaveLength(1);
		const mariaMessages = messagesIn(maria.id);
		expect(mariaMessages.map((message) => message.source_id)).toEqual(['WAID:M1', 'WAID:M2', 'WAID:M3', 'WAID:M4']);
		expect(mariaMessages.map((message) => Number(message.content_attributes.external_created_at))).toEqual([
			NOW - 5 * HOUR,
			NOW - 4 * HOUR,
			NOW - 3 * HOUR,
			NOW - 2 * HOUR,
		]);
		expect(mariaMessages.map((message) => message.message_type)).toEqual(['incoming', 'outgoing', 'incoming', 'incoming']);
		expect(mariaMessages[1].content_attributes.external_echo).toBe(true);
		// The reply is linked to the message imported just before it (same run, same conversation).
		expect(mariaMessages[2].content_attributes).toMatchObject({ in_reply_to: mariaMessages[1].id, in_reply_to_external_id: 'WAID:M2' });
		expect(mariaMessages[2].content).toBe('Pode ser amanhã?');
		// The image arrives as an attachment with its caption.
		expect(mariaMessages[3].content).toBe('Esse modelo tem em azul?');
		expect(snapshot.attachments.filter((attachment) => attachment.message_id === mariaMessages[3].id)).toEqual([
			expect.objectContaining({ file_type: 'image' }),
		]);
		expect(snapshot.messages.some((message) => message.source_id === 'WAID:M0')).toBe(false);

		// Group: one contact for the group, each message names its author.
		const [group] = conversationOf(GROUP);
		const groupMessages = messagesIn(group.id);
		expect(groupMessages.map((message) => message.source_id)).toEqual(['WAID:G1', 'WAID:G2']);
		expect(groupMessages[0].content).toBe('**João Lima** (+5511999990002):\nA reunião continua às 15h?');

		// LID chat with phone alt: LID-only records join the phone chat; one contact, one conversation.
		const [ana] = conversationOf(ANA);
		expect(conversationOf(ANA_LID).map((conversation) => conversation.id)).toEqual([ana.id]);
		expect(messagesIn(ana.id).map((message) => message.source_id)).toEqual(['WAID:L1', 'WAID:L2']);
		const anaContact = snapshot.contacts.find((contact) => contact.id === ana.contact_id)!;
		expect(anaContact).toMatchObject({ name: 'Ana Costa', phone_number: '+5511999990003', identifier: ANA });
		expect(
			snapshot.contactInboxes.filter((row) => row.contact_id === ana.contact_id).map((row) => row.source_id).sort(),
		).toEqual([ANA_LID, ANA].sort());
		expect(snapshot.contacts).toHaveLength(3);
		expect(snapshot.conversations).toHaveLength(3);

		expect(chatOf(summary, MARIA)).toMatchObject({
			contact_created: true,
			conversation_id: maria.display_id,
			conversation_created: true,
			imported: 4,
			skipped: 1,
			failed: 0,
			reasons: [{ status: 'skipped', reason: 'older than the 7-day import window', count: 1, whatsapp_ids: ['M0'] }],
		});
		expect(chatOf(summary, GROUP)).toMatchObject({ is_group: true, imported: 2, skipped: 0, failed: 0, reasons: [] });
		expect(chatOf(summary, ANA)).toMatchObject({ name: 'Ana Costa', imported: 2, skipped: 0, failed: 0 });
		expect(summary.rate).toMatchObject({ throttled: 0, requests_per_minute_limit: 0 });
		expect((summary.rate as IDataObject).requests).toBeGreaterThan(0);
		expect(lines.at(-1)).toMatch(/^Chatwoot import "vendas": 9\/9 messages \(8 imported, 1 skipped, 0 failed\), 3\/3 chats/);

		// A re-run imports nothing and skips everything: the summary says where each message already is.
		h.sb.resetCounts();
		const again = await runImport(h, evolutionHistory());
		expect(again.summary.totals).toEqual({ chats: 3, contacts_created: 0, contacts_failed: 0, imported: 0, skipped: 9, failed: 0 });
		expect(chatOf(again.summary, MARIA).reasons).toEqual([
			{ status: 'skipped', reason: 'older than the 7-day import window', count: 1, whatsapp_ids: ['M0'] },
			{ status: 'skipped', reason: `already in Chatwoot (conversation ${maria.display_id})`, count: 4, whatsapp_ids: ['M1', 'M2', 'M3', 'M4'] },
		]);
		expect(h.sb.state.messages).toHaveLength(snapshot.messages.length);
		expect(h.writes()).toBe(0);
	});

	it('imports WAHA history records of three chats (1:1, group, LID with phone), whatsapp-web.js fromMe included', async () => {
		const records = [
			wahaRecord('W2', MARIA, NOW - 2 * HOUR, 'Pode ser às 10h?', {
				replyTo: { id: 'W1', participant: '5511999990000@c.us', body: 'Qual o melhor horário?' },
			}),
			// whatsapp-web.js: a fromMe message names us in `from` and the chat in `to`.
			{ ...wahaRecord('W1', MARIA, NOW - 3 * HOUR, 'Qual o melhor horário?', { fromMe: true }), from: '5511999990000@c.us', to: '5511999990001@c.us' },
			wahaRecord('W3', MARIA, NOW - HOUR, '', {
				hasMedia: true,
				body: '',
				media: { url: 'http://127.0.0.1:1/files/W3.jpg', mimetype: 'image/jpeg', filename: null, error: null },
			}),
			wahaRecord('WG1', GROUP, NOW - 2 * HOUR, 'Bom dia, pessoal!', { participant: '5511999990002@c.us' }),
			wahaRecord('W0', MARIA, NOW - 8 * DAY, 'antiga'),
			// GOWS, LID-addressed: the phone is in the engine data; a later record knows only the LID.
			wahaRecord('WL2', ANA_LID, NOW - 20 * 60, 'Segunda, só LID'),
			wahaRecord('WL1', ANA_LID, NOW - 30 * 60, 'Oi, Ana aqui', {
				_data: { Info: { Chat: ANA_LID, Sender: ANA_LID, SenderAlt: ANA, PushName: 'Ana Costa', ID: 'WL1' } },
			}),
		];
		const { summary } = await runImport(h, records, { gateway: 'waha' });
		expect(summary.totals).toEqual({ chats: 3, contacts_created: 3, contacts_failed: 0, imported: 6, skipped: 1, failed: 0 });
		expect(chatOf(summary, ANA)).toMatchObject({ name: 'Ana Costa', imported: 2 });

		const { conversationOf, messagesIn } = state(h.sb);
		const [maria] = conversationOf(MARIA);
		const messages = messagesIn(maria.id);
		expect(messages.map((message) => [message.source_id, message.message_type])).toEqual([
			['WAID:W1', 'outgoing'],
			['WAID:W2', 'incoming'],
			['WAID:W3', 'incoming'],
		]);
		expect(messages.map((message) => Number(message.content_attributes.external_created_at))).toEqual([
			NOW - 3 * HOUR,
			NOW - 2 * HOUR,
			NOW - HOUR,
		]);
		expect(messages[1].content_attributes).toMatchObject({ in_reply_to: messages[0].id });
		// The file link names loopback, which no credential allows here: a placeholder says so, nothing is lost.
		expect(messages[2].content).toMatch(/^\[Image could not be attached: the media link was refused: 127\.0\.0\.1 is a loopback address/);
		const [group] = conversationOf(GROUP);
		expect(messagesIn(group.id).map((message) => message.source_id)).toEqual(['WAID:WG1']);
		const [ana] = conversationOf(ANA);
		expect(conversationOf(ANA_LID).map((conversation) => conversation.id)).toEqual([ana.id]);
		expect(messagesIn(ana.id).map((message) => message.source_id)).toEqual(['WAID:WL1', 'WAID:WL2']);

		const again = await runImport(h, records, { gateway: 'waha' });
		expect(again.summary.totals).toMatchObject({ imported: 0, skipped: 7, failed: 0 });
	});

	it('reads a whole Evolution findMessages answer and a list of records in one item', async () => {
		const history = evolutionHistory();
		const inputs = [{ messages: { total: 5, pages: 1, currentPage: 1, records: history.slice(0, 5) } }, { list: history.slice(5) }];
		// With the default `{{ $json }}`, the second item's list is one record nobody can read: counted, not lost.
		const { summary } = await runImport(h, inputs);
		expect(summary.input).toEqual({ items: 2, records: 6, events: 5, contact_records: 0, empty_items: 0 });
		expect(summary.totals).toMatchObject({ chats: 1, imported: 4, skipped: 1, failed: 1 });
		expect((summary.unassigned as IDataObject).reasons).toEqual([
			expect.objectContaining({ status: 'failed', count: 1, reason: expect.stringMatching(/^record not readable: expected a gateway webhook body/) }),
		]);
		expect(summary.warnings).toEqual(['1 record(s) could not be read: see unassigned.reasons']);

		// `{{ $json.messages?.records ?? $json.list ?? $json }}`: both lists are read; `{}` holds nothing, `{other}` is unreadable.
		const second = await runImport(h, [...inputs, { other: true }, {}], {}, false, (json) => (json.messages as IDataObject)?.records ?? json.list ?? json);
		expect(second.summary.input).toEqual({ items: 4, records: 10, events: 9, contact_records: 0, empty_items: 1 });
		expect((second.summary.unassigned as IDataObject).failed).toBe(1);
		expect(second.summary.totals).toMatchObject({ chats: 3, imported: 4, skipped: 5, failed: 1 });
	});

	it('resumes an interrupted run: nothing lost, nothing doubled, numbers exact', async () => {
		const chats = ['5511988880001@s.whatsapp.net', '5511988880002@s.whatsapp.net', '5511988880003@s.whatsapp.net'];
		const records = chats.flatMap((chat, c) =>
			Array.from({ length: 12 }, (_, i) => evolutionRecord(`C${c}M${String(i).padStart(2, '0')}`, chat, NOW - 3 * HOUR + i * 60, text(`mensagem ${i}`))),
		);
		// Mid-way: one post is applied but its answer lost, one is refused by a proxy, one never arrives.
		let posts = 0;
		h.sb.setFaults((info) => {
			if (info.method !== 'POST' || !/\/messages$/.test(info.path)) return null;
			posts += 1;
			if (posts === 5) return { kind: 'drop_after_commit' };
			if (posts === 12) return { kind: '5xx', status: 502 };
			if (posts === 20) return { kind: 'drop' };
			return null;
		});
		const first = await runImport(h, records, { options: { chatConcurrency: 1 } });
		h.sb.clearFaults();
		// Chat 0: the answer of its 5th post was lost, the message is found there: imported. Chat 1: its first post
		// (the 12th) gets a 502, the chat stops there. Chat 2: its 8th post never arrives, the chat stops there.
		expect(first.summary).toMatchObject({
			status: 'partial',
			totals: { chats: 3, contacts_created: 3, imported: 21, skipped: 0, failed: 15 },
		});
		expect((first.summary.chats as IDataObject[]).map((chat) => [chat.imported, chat.failed])).toEqual([
			[12, 0],
			[1, 11],
			[8, 4],
		]);
		expect(chatOf(first.summary, chats[2]).reasons).toEqual([
			expect.objectContaining({ status: 'failed', count: 1, whatsapp_ids: ['C2M08'], reason: expect.stringMatching(/^Chatwoot is unreachable .* ECONNRESET/) }),
			{
				status: 'failed',
				count: 3,
				whatsapp_ids: ['C2M09', 'C2M10', 'C2M11'],
				reason: 'not attempted: message C2M08 of this chat failed before it; a re-run continues from there in WhatsApp order',
			},
		]);
		expect(chatOf(first.summary, chats[2]).error).toMatch(/^stopped at message C2M08: Chatwoot is unreachable/);
		expect(chatOf(first.summary, chats[0]).error).toBeUndefined();
		expect(h.sb.state.messages).toHaveLength(21);

		const second = await runImport(h, records);
		expect(second.summary).toMatchObject({ status: 'complete', totals: { contacts_created: 0, imported: 15, skipped: 21, failed: 0 } });
		const messages = h.sb.state.messages;
		expect(messages).toHaveLength(36);
		expect(new Set(messages.map((message) => message.source_id)).size).toBe(36);
		// Each chat in WhatsApp order: the resumed part continues where the first run stopped.
		const { conversationOf, messagesIn } = state(h.sb);
		for (const [c, chat] of chats.entries()) {
			const [conversation] = conversationOf(chat);
			expect(messagesIn(conversation.id).map((message) => message.source_id)).toEqual(
				Array.from({ length: 12 }, (_, i) => `WAID:C${c}M${String(i).padStart(2, '0')}`),
			);
		}
	});

	it('recovers a new conversation whose answer was lost (failNext mid-way), without a second one', async () => {
		const records = evolutionHistory().filter((record) => record.key.remoteJid === MARIA);
		// The chat's opening request (new conversation + first message) is applied, but its answer never arrives.
		h.sb.failNext(1, 'drop_after_commit', { match: { method: 'POST', path: '/api/v1/accounts/:account_id/conversations' } });
		const { summary } = await runImport(h, records);
		expect(h.sb.injectedFaults).toHaveLength(1);
		expect(summary.totals).toMatchObject({ chats: 1, imported: 4, skipped: 1, failed: 0 });
		const { conversationOf, messagesIn } = state(h.sb);
		expect(conversationOf(MARIA)).toHaveLength(1);
		expect(messagesIn(conversationOf(MARIA)[0].id).map((message) => message.source_id)).toEqual(['WAID:M1', 'WAID:M2', 'WAID:M3', 'WAID:M4']);
	});

	it('skips what is in any conversation of the chat: resolved ones, and messages the live sync posted', async () => {
		await h.run('set', { reopen_conversation: false, additionalFields: { days_limit_import_messages: 7, ...IMPORT_ON } });
		const records = evolutionHistory().filter((record) => record.key.remoteJid === MARIA);
		// The live sync posted M1 already (a webhook), then the import of everything.
		const live = { event: 'messages.upsert', instance: INSTANCE, data: records.find((record) => record.key.id === 'M1') };
		await h.sync(live);
		const first = await runImport(h, records);
		expect(first.summary.totals).toMatchObject({ imported: 3, skipped: 2, failed: 0 });
		// An agent resolves the conversation; with reopen off, new messages would open a new one: nothing is new.
		const [conversation] = state(h.sb).conversationOf(MARIA);
		h.sb.resolveConversation(conversation.display_id);
		const again = await runImport(h, records);
		expect(again.summary.totals).toMatchObject({ imported: 0, skipped: 5, failed: 0 });
		expect(state(h.sb).conversationOf(MARIA)).toHaveLength(1);
		// A message that is new goes where the live sync would put it: a new conversation.
		const next = await runImport(h, [...records, evolutionRecord('M5', MARIA, NOW - 60, text('Oi de novo'))]);
		expect(next.summary.totals).toMatchObject({ imported: 1, skipped: 5 });
		expect(chatOf(next.summary, MARIA)).toMatchObject({ conversation_created: true });
		expect(state(h.sb).conversationOf(MARIA)).toHaveLength(2);
	});

	it('reports progress every N messages, and takes media from binary data of one-record items', async () => {
		const records = Array.from({ length: 12 }, (_, i) => evolutionRecord(`P${i}`, MARIA, NOW - 3600 + i, text(`mensagem ${i}`)));
		const media = wahaRecord('PHOTO', MARIA, NOW - 30, 'foto', { hasMedia: true, media: { url: null, mimetype: 'image/jpeg' } });
		const items: INodeExecutionData[] = [
			...records.map((record) => ({ json: record as unknown as IDataObject })),
			{ json: media as unknown as IDataObject, binary: { data: { data: JPEG, mimeType: 'image/jpeg', fileName: 'foto.jpg' } } },
		];
		const lines: string[] = [];
		const ctx = executeContext({
			credentials: h.credentials,
			items,
			parameters: (index) => ({
				operation: 'import',
				instance: INSTANCE,
				what: 'messages',
				records: items[index].json,
				gateway: 'auto',
				days: 0,
				requestsPerMinute: 0,
				options: { progressEvery: 5 },
			}),
		});
		Object.assign(ctx, {
			logger: { info: (line: string) => (lines.push(line), capture('log', line, 'import progress')) },
		});
		const [summary] = await runNodeExecute(new ChatwootBridgeIntegration(), ctx, 'chatwootBridgeIntegration import');
		expect(summary.json.totals).toMatchObject({ imported: 13, failed: 0 });
		expect(lines.map((line) => line.replace(/, [\d.]+ messages\/s, \d+ requests$/, ''))).toEqual([
			'Chatwoot import "vendas": 5/13 messages (5 imported, 0 skipped, 0 failed), 0/1 chats, 1 contacts created',
			'Chatwoot import "vendas": 10/13 messages (10 imported, 0 skipped, 0 failed), 0/1 chats, 1 contacts created',
			'Chatwoot import "vendas": 13/13 messages (13 imported, 0 skipped, 0 failed), 1/1 chats, 1 contacts created',
		]);
		const photo = h.sb.state.messages.find((message) => message.source_id === 'WAID:PHOTO')!;
		expect(h.sb.state.attachments.filter((attachment) => attachment.message_id === photo.id)).toHaveLength(1);
		expect(h.sb.state.blobs.find((blob) => blob.filename === 'foto.jpg')).toBeDefined();
	});

	it('contacts only: a contact per chat (contact records and message records), no conversations', async () => {
		const inputs = [
			{ id: 'c1', remoteJid: MARIA, pushName: 'Maria Souza' },
			{ id: 'c2', remoteJid: GROUP, pushName: 'Equipe Loja' },
			{ id: '5511999990004@c.us', name: 'Pedro (WAHA)', pushname: 'Pedro' },
			{ id: 'c3', remoteJid: 'status@broadcast' },
			...evolutionHistory(),
		];
		const { summary } = await runImport(h, inputs, { what: 'contacts' });
		expect(summary.totals).toEqual({ chats: 4, contacts_created: 4, contacts_failed: 0, imported: 0, skipped: 1, failed: 0 });
		expect(summary.input).toMatchObject({ contact_records: 3, events: 9 });
		const snapshot = h.sb.state;
		expect(snapshot.conversations).toHaveLength(0);
		expect(snapshot.messages).toHaveLength(0);
		expect(snapshot.contacts.map((contact) => [contact.identifier, contact.name]).sort()).toEqual(
			[
				[GROUP, 'Equipe Loja'],
				[MARIA, 'Maria Souza'],
				[ANA, 'Ana Costa'],
				['5511999990004@s.whatsapp.net', 'Pedro (WAHA)'],
			].sort(),
		);
		expect(chatOf(summary, GROUP)).toMatchObject({ contact_created: true, conversation_id: null, imported: 0, skipped: 0, failed: 0 });

		// Then the messages: the same contacts, no new ones.
		const messages = await runImport(h, evolutionHistory(), { what: 'messages' });
		expect(messages.summary.totals).toMatchObject({ contacts_created: 0, imported: 8, skipped: 1 });
		expect(h.sb.state.contacts).toHaveLength(4);
	});

	it('messages only: chats without messages in the window make no contact', async () => {
		const { summary } = await runImport(h, [evolutionRecord('OLD', MARIA, NOW - 20 * DAY, text('antiga')), { remoteJid: GROUP, pushName: 'Equipe' }], {
			what: 'messages',
		});
		expect(summary.totals).toEqual({ chats: 2, contacts_created: 0, contacts_failed: 0, imported: 0, skipped: 1, failed: 0 });
		expect(h.sb.state.contacts).toHaveLength(0);
	});

	it('honours the days override and the integration\'s ignore rules; runs (with a warning) when paused', async () => {
		await h.run('set', { ignore_groups: true, enabled: false, additionalFields: { days_limit_import_messages: 7, ...IMPORT_ON } });
		const { summary } = await runImport(h, evolutionHistory(), { days: 60 });
		expect(summary.warnings).toEqual(['the integration of "vendas" is paused (enabled: false); the import ran anyway']);
		expect(summary).toMatchObject({ days: 60, totals: { chats: 3, imported: 7, skipped: 2, failed: 0 } });
		expect(chatOf(summary, GROUP)).toMatchObject({
			ignored: 'ignored: group chats are excluded (ignore_groups)',
			contact_id: null,
			skipped: 2,
		});
		expect(chatOf(summary, MARIA)).toMatchObject({ imported: 5, skipped: 0 });
	});

	it('skips agent replies already in Chatwoot when they come back as fromMe history', async () => {
		await runImport(h, [evolutionRecord('A1', MARIA, NOW - 120, text('Oi, preciso de ajuda'))]);
		const [conversation] = state(h.sb).conversationOf(MARIA);
		h.sb.agentReply(conversation.display_id, { content: 'Claro, **como** posso ajudar?' });
		const echo = evolutionRecord('A2', MARIA, NOW - 60, text('Claro, *como* posso ajudar?'), { fromMe: true, pushName: 'Você' });
		const { summary } = await runImport(h, [echo]);
		expect(summary.totals).toMatchObject({ imported: 0, skipped: 1 });
		expect(chatOf(summary, MARIA).reasons).toEqual([expect.objectContaining({ reason: "an agent's reply sent from Chatwoot, already there" })]);
	});

	it('fails the node on a fatal error, or gives an error item under continue-on-fail', async () => {
		await expect(runImport(h, evolutionHistory(), { instance: 'nope' })).rejects.toThrow('instance not found');
		const { output } = await runImport(h, evolutionHistory(), { instance: 'nope' }, true);
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ status: 'failed', httpCode: 404, error: expect.stringContaining('instance not found') });
		expect(output[0].pairedItem).toHaveLength(9);

		const rejected = { ...h.credentials, apiAccessToken: 'wrong-token' };
		const ctx = executeContext({
			credentials: rejected,
			items: [{ json: {} }],
			parameters: { operation: 'import', instance: INSTANCE, what: 'all', records: evolutionHistory(), gateway: 'auto', days: 0, requestsPerMinute: 0, options: {} },
		});
		await expect(runNodeExecute(new ChatwootBridgeIntegration(), ctx, 'chatwootBridgeIntegration import')).rejects.toThrow(
			'Chatwoot rejected the API token',
		);
	});
});

describe('Chatwoot Bridge Integration: import under the integration\'s flags, bounds and language', () => {
	let h: Harness;
	beforeEach(async () => {
		h = await startHarness();
	});
	afterEach(async () => {
		await h.close();
	});

	/** Contacts, conversations and messages of the account: what an agent would notice changing. */
	const chatwootState = () => {
		const { contacts, conversations, messages } = h.sb.state;
		return { contacts: contacts.length, conversations: conversations.length, messages: messages.length };
	};

	it('both flags off (the defaults): What = All imports nothing, writes nothing, and says which flags to turn on', async () => {
		await h.run('set', { additionalFields: { days_limit_import_messages: 7 } });
		h.sb.resetCounts();
		const { summary } = await runImport(h, evolutionHistory());
		expect(summary).toMatchObject({
			status: 'refused',
			what: 'all',
			refused: expect.stringMatching(/import_contacts is off.*import_messages is off/),
			totals: { chats: 0, contacts_created: 0, imported: 0, skipped: 0, failed: 0 },
		});
		expect(chatwootState()).toEqual({ contacts: 0, conversations: 0, messages: 0 });
		expect(h.writes()).toBe(0);
	});

	it('import_messages off: What = All brings the contacts only and reports the messages refused', async () => {
		await h.run('set', { additionalFields: { days_limit_import_messages: 7, import_contacts: true } });
		const { summary } = await runImport(h, evolutionHistory());
		expect(summary).toMatchObject({
			status: 'complete',
			what: 'all',
			imported_as: 'contacts',
			refused: expect.stringContaining('messages were not imported: import_messages is off'),
			totals: { chats: 3, contacts_created: 3, imported: 0 },
		});
		expect(summary.warnings).toEqual([expect.stringContaining('import_messages is off')]);
		expect(chatwootState()).toEqual({ contacts: 3, conversations: 0, messages: 0 });
		// Asking for the messages alone is refused outright.
		const messages = await runImport(h, evolutionHistory(), { what: 'messages' });
		expect(messages.summary).toMatchObject({ status: 'refused', refused: expect.stringContaining('import_messages is off') });
		expect(chatwootState()).toEqual({ contacts: 3, conversations: 0, messages: 0 });
	});

	it('import_contacts off: Contacts is refused; All brings only the chats with messages in the window', async () => {
		await h.run('set', { additionalFields: { days_limit_import_messages: 7, import_messages: true } });
		const contacts = await runImport(h, [{ id: 'c1', remoteJid: MARIA, pushName: 'Maria Souza' }], { what: 'contacts' });
		expect(contacts.summary).toMatchObject({ status: 'refused', refused: expect.stringContaining('import_contacts is off') });
		expect(chatwootState().contacts).toBe(0);

		const inputs = [{ id: 'c2', remoteJid: '5511999990004@s.whatsapp.net', pushName: 'Pedro' }, ...evolutionHistory()];
		const { summary } = await runImport(h, inputs);
		expect(summary).toMatchObject({ imported_as: 'messages', refused: expect.stringContaining('import_contacts is off') });
		expect(summary.totals).toMatchObject({ contacts_created: 3, imported: 8 });
		expect(h.sb.state.contacts.map((contact) => contact.identifier)).not.toContain('5511999990004@s.whatsapp.net');
	});

	it('days: 1 to 3650 (0 = the integration\'s window); beyond is a 400 naming the field, before any Chatwoot request', async () => {
		await h.run('set', { additionalFields: { days_limit_import_messages: 7, ...IMPORT_ON } });
		h.sb.resetCounts();
		for (const days of [1e12, 3651, -1, 2.5]) {
			await expect(runImport(h, evolutionHistory(), { days })).rejects.toThrow(
				/^invalid body: days: expected a whole number from 0 to 3650/,
			);
		}
		expect(h.writes()).toBe(0);
		const { summary } = await runImport(h, evolutionHistory(), { days: 3650 });
		expect(summary).toMatchObject({ days: 3650, totals: { imported: 9 } });
	});

	it('days_limit_import_messages above 3650 is refused by Set, so no later Import meets an impossible date', async () => {
		for (const days of [1e20, 3651]) {
			const error = await h.fail('set', { additionalFields: { days_limit_import_messages: days } });
			expect(error.message).toBe('invalid body: days_limit_import_messages: must be at most 3650 (ten years)');
		}
		await h.run('set', { additionalFields: { days_limit_import_messages: 3650 } });
	});

	it('the other numeric parameters have upper bounds too', async () => {
		await h.run('set', { additionalFields: { ...IMPORT_ON } });
		const cases: Array<[Params, RegExp]> = [
			[{ requestsPerMinute: 1e9 }, /^invalid body: requestsPerMinute: expected a whole number from 0 to 1000000/],
			[{ options: { chatConcurrency: 65 } }, /^invalid body: options\.chatConcurrency: expected a whole number from 1 to 64/],
			[{ options: { messagesPerConversationPerMinute: 1e6 } }, /^invalid body: options\.messagesPerConversationPerMinute: expected a whole number from 1 to 10000/],
			[{ options: { progressEvery: 1e7 } }, /^invalid body: options\.progressEvery: expected a whole number from 1 to 1000000/],
		];
		for (const [parameters, message] of cases) await expect(runImport(h, evolutionHistory(), parameters)).rejects.toThrow(message);
	});

	it('writes its texts in the integration\'s language, with its template overrides', async () => {
		await h.run('set', {
			additionalFields: {
				...IMPORT_ON,
				language: 'pt-BR',
				templates: JSON.stringify({ location_named: '📌 **Endereço: {name}**' }),
			},
		});
		const place = { degreesLatitude: -23.5613, degreesLongitude: -46.6565, name: 'Loja Paulista', address: 'Av. Paulista, 1000' };
		const { summary } = await runImport(h, [
			evolutionRecord('P1', MARIA, NOW - HOUR, { locationMessage: place }),
			evolutionRecord('P2', MARIA, NOW - HOUR + 60, { locationMessage: { ...place, name: undefined } }),
			evolutionRecord('P3', MARIA, NOW - HOUR + 120, { imageMessage: { mimetype: 'image/jpeg' } }),
		]);
		expect(summary.totals).toMatchObject({ imported: 3, failed: 0 });
		const contents = h.sb.state.messages.sort((a, b) => a.id - b.id).map((message) => message.content);
		expect(contents[0]).toMatch(/^📌 \*\*Endereço: Loja Paulista\*\*\nAv\. Paulista, 1000\n/);
		expect(contents[1]).toMatch(/^📍 \*\*Localização\*\*\n/);
		expect(contents[2]).toMatch(/^\[Imagem: não foi possível anexar \(.+\)\]$/);
	});
});
