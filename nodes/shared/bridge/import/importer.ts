/**
 * The import: chats in parallel (bounded), each chat strictly in WhatsApp order. Per chat: the contact
 * (contactResolver rules: LID/phone, no duplicates), then — for messages — everything the chat already has in
 * Chatwoot (chatLedger.ts: complete, all its conversations), then each message not there yet, posted with
 * `source_id = WAID:<id>` and `external_created_at` = WhatsApp time into the conversation the live sync would use
 * (conversationResolver rules). A re-run skips what is there, so it resumes and never duplicates.
 *
 * Failures: a message Chatwoot refuses (422) or whose file cannot be had is counted failed and the chat goes on; a
 * request without a usable answer is checked (did the message land?); when Chatwoot cannot be reached the chat
 * stops there, so a re-run continues it in order; a rejected token stops the whole import (thrown).
 */
import type { ChatwootClient, MessageInput } from '../../chatwoot/client';
import { isChatwootError } from '../../chatwoot/errors';
import { isCancellation } from '../../cancellation';
import { settle } from '../../settle';
import type { InboundEvent } from '../../whatsapp/event';
import { findAgentMessageEchoed } from '../agentEcho';
import type { InboxMemory } from '../bridgeMemory';
import { resolveContact, type ResolvedContact } from '../contactResolver';
import { chooseConversation } from '../conversationChoice';
import { resolveConversation, type ConversationTarget } from '../conversationResolver';
import { waSourceId } from '../inboundContent';
import type { SyncSettings } from '../inboundSync';
import { isChatIgnored } from '../integration/config';
import { MediaFailure, PreparedMessage, type LoadedMedia, type MediaFailurePolicy } from '../messagePreparation';
import { recordPosted } from '../messageLedger';
import { ENGLISH_TEXTS, type Texts } from '../texts';
import { emptyLedger, loadChatLedger, readConversation, type ChatLedger } from './chatLedger';
import type { ChatGroup, ChatIndex, IndexedEvent } from './chatIndex';
import type { ConversationPacer } from './pacing';
import { Tally, type ReasonCount } from './tally';

export type ImportWhat = 'contacts' | 'messages' | 'all';

export interface ImportOptions {
	client: ChatwootClient;
	inboxId: number;
	memory: InboxMemory;
	settings: SyncSettings;
	what: ImportWhat;
	/** Unix seconds: messages older than this are not imported. */
	windowFrom: number;
	/** Window length, for the skip reason. */
	days: number;
	chatConcurrency: number;
	conversationPacer: ConversationPacer;
	sleep: (ms: number) => Promise<void>;
	now: () => number;
	loadMedia: (event: InboundEvent, entry: IndexedEvent) => Promise<LoadedMedia>;
	onMediaFailure: MediaFailurePolicy;
	/** The integration's language and templates (`textsFor`); English when not given. */
	texts?: Texts;
	/** Called after every message and every chat; the caller decides when to report. */
	onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
	chats: number;
	chatsDone: number;
	/** Messages the run considers (0 for `contacts`). */
	messages: number;
	messagesDone: number;
	imported: number;
	skipped: number;
	failed: number;
	contactsCreated: number;
}

export interface ChatResult {
	chat: string;
	name: string | null;
	is_group: boolean;
	contact_id: number | null;
	contact_created: boolean;
	/** Where this run's messages went (or, when everything was there already, where the last of them is). */
	conversation_id: number | null;
	conversation_created: boolean;
	imported: number;
	skipped: number;
	failed: number;
	reasons: ReasonCount[];
	/** Why the chat was left out entirely (ignore_groups / ignore_jids). */
	ignored?: string;
	/** Why the chat could not be (fully) imported: contact or conversations unavailable, or where it stopped. */
	error?: string;
}

export interface ImportResult {
	chats: ChatResult[];
	contactsCreated: number;
	contactsFailed: number;
	imported: number;
	skipped: number;
	failed: number;
}

type Outcome =
	| { status: 'imported' }
	| { status: 'skipped'; reason: string }
	/** `stopChat`: the chat's later messages wait for a re-run, which keeps their order. */
	| { status: 'failed'; reason: string; stopChat?: boolean };

/** A rejected token or missing admin scope fails every chat alike: stop the import and fail the node. */
export function isFatal(error: unknown): boolean {
	return isChatwootError(error, 'tokenRejected') || isChatwootError(error, 'forbidden') || isCancellation(error);
}

/** No usable answer to a write: it may have been applied. */
function maybeApplied(error: unknown): boolean {
	return isChatwootError(error, 'unreachable') || isChatwootError(error, 'unexpectedResponse');
}

/** Refused for what the message is: another attempt fails the same way, so the chat goes on without it. */
function refusedForGood(error: unknown): boolean {
	return error instanceof MediaFailure || isChatwootError(error, 'invalidRequest') || isChatwootError(error, 'invalidBody');
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

class Progress {
	readonly state: ImportProgress;

	constructor(
		chats: number,
		messages: number,
		private readonly report?: (progress: ImportProgress) => void,
	) {
		this.state = { chats, chatsDone: 0, messages, messagesDone: 0, imported: 0, skipped: 0, failed: 0, contactsCreated: 0 };
	}

	message(status: 'imported' | 'skipped' | 'failed'): void {
		this.state.messagesDone += 1;
		this.state[status] += 1;
		this.report?.(this.state);
	}

	contactCreated(): void {
		this.state.contactsCreated += 1;
	}

	chat(): void {
		this.state.chatsDone += 1;
		this.report?.(this.state);
	}
}

class ChatImport {
	private readonly tally = new Tally();
	private readonly result: ChatResult;
	private contact?: ResolvedContact;
	private ledger: ChatLedger = emptyLedger();
	private target?: ConversationTarget;
	/** Agent messages already matched to a fromMe message of this chat. */
	private readonly linked = new Set<number>();
	private stopped?: string;

	constructor(
		private readonly run: ImportRun,
		private readonly group: ChatGroup,
	) {
		this.result = {
			chat: group.key,
			name: group.chat.name ?? null,
			is_group: group.chat.isGroup,
			contact_id: null,
			contact_created: false,
			conversation_id: null,
			conversation_created: false,
			imported: 0,
			skipped: 0,
			failed: 0,
			reasons: [],
		};
	}

	private get options(): ImportOptions {
		return this.run.options;
	}

	private count(status: 'imported' | 'skipped' | 'failed', entry: IndexedEvent, reason?: string): void {
		this.tally.add(status, reason, entry.whatsappId);
		this.run.progress.message(status);
	}

	/** Serialized with the live sync of this process (same chat, same mutex). */
	private inChatTurn<T>(work: () => Promise<T>): Promise<T> {
		return this.options.memory.chatMutex.run(this.group.key, work);
	}

	async execute(): Promise<ChatResult> {
		const { what, windowFrom, days } = this.options;
		const ignored = isChatIgnored(this.options.settings, this.group.chat);
		const postable: IndexedEvent[] = [];
		if (what !== 'contacts') {
			const outsideWindow = `older than the ${days}-day import window`;
			for (const entry of this.group.events) {
				if (ignored) this.count('skipped', entry, ignored);
				else if (entry.skip) this.count('skipped', entry, entry.skip);
				else if (entry.timestamp < windowFrom) this.count('skipped', entry, outsideWindow);
				else postable.push(entry);
			}
		}
		if (ignored) {
			this.result.ignored = ignored;
		} else if (what !== 'messages' || postable.length > 0) {
			await this.importChat(postable);
		}
		// Nothing of this chat is needed any more: let its index go.
		this.group.events = [];
		if (this.result.conversation_id !== null) this.options.conversationPacer.forget(this.result.conversation_id);
		return this.finish();
	}

	private async importChat(postable: IndexedEvent[]): Promise<void> {
		const contact = await settle(this.resolveContact());
		if (!contact.ok) {
			if (isFatal(contact.error)) throw contact.error;
			this.result.error = `contact could not be resolved: ${describe(contact.error)}`;
			this.run.contactsFailed += 1;
			for (const entry of postable) this.count('failed', entry, `not attempted: ${this.result.error}`);
			return;
		}
		if (postable.length === 0) return;
		const ledger = await settle(this.loadLedger());
		if (!ledger.ok) {
			if (isFatal(ledger.error)) throw ledger.error;
			this.result.error = `the chat's conversations could not be read: ${describe(ledger.error)}`;
			for (const entry of postable) this.count('failed', entry, `not attempted: ${this.result.error}`);
			return;
		}
		for (const entry of postable) {
			if (!this.stopped && this.run.fatal) this.stopped = 'not attempted: the import stopped (see the node error)';
			if (this.stopped) {
				this.count('failed', entry, this.stopped);
				continue;
			}
			const outcome = await settle(this.importEvent(entry));
			if (!outcome.ok && isFatal(outcome.error)) throw outcome.error;
			// Anything unforeseen: counted, and the chat stops there to keep its order.
			const result: Outcome = outcome.ok ? outcome.value : { status: 'failed', reason: describe(outcome.error), stopChat: true };
			if (result.status === 'imported') this.count('imported', entry);
			else this.count(result.status, entry, result.reason);
			if (result.status === 'failed' && result.stopChat) {
				this.result.error = `stopped at message ${entry.whatsappId}: ${result.reason}`;
				this.stopped = `not attempted: message ${entry.whatsappId} of this chat failed before it; a re-run continues from there in WhatsApp order`;
			}
		}
	}

	private async resolveContact(): Promise<void> {
		const { client, inboxId, memory, settings } = this.options;
		const contact = await this.inChatTurn(
			async () =>
				await resolveContact(
					{ client, inboxId, memory, mergeBrazilContacts: settings.merge_brazil_contacts },
					this.group.chat,
				),
		);
		this.contact = contact;
		this.result.contact_id = contact.contactId;
		this.result.contact_created = contact.created;
		if (contact.created) this.run.progress.contactCreated();
	}

	private async loadLedger(): Promise<void> {
		const contact = this.contact as ResolvedContact;
		if (contact.created) return;
		const { client, inboxId, memory, settings } = this.options;
		this.ledger = await loadChatLedger(client, inboxId, contact.contactId, this.options.now());
		// The list is fresh: a cached conversation an agent resolved since is no longer "the" conversation.
		const key = String(contact.contactId);
		const cached = memory.conversationByContact.get(key);
		const active = (id: number) => this.ledger.conversations.some((c) => c.id === id && c.status !== 'resolved');
		if (cached && !active(cached.id)) memory.conversationByContact.delete(key);
		// The live sync would use an unresolved conversation as it is: tell its resolver, saving it a read.
		const choice = chooseConversation(this.ledger.conversations, inboxId, {
			reopenConversation: settings.reopen_conversation,
			conversationPending: settings.conversation_pending,
		});
		if (choice.action === 'use' && !memory.conversationByContact.get(key)) {
			memory.conversationByContact.set(key, { id: choice.conversationId });
		}
	}

	private remember(sourceId: string, conversationId: number, messageId: number | undefined): void {
		this.ledger.bySourceId.set(sourceId, { conversationId, messageId: messageId ?? 0, deleted: false });
		if (messageId !== undefined && messageId > (this.ledger.lastId.get(conversationId) ?? 0)) {
			this.ledger.lastId.set(conversationId, messageId);
		}
		this.result.conversation_id = conversationId;
		// Keep the live sync's view of this conversation current, if it has one (never create a partial one).
		const { memory } = this.options;
		if (memory.messagesByConversation.get(String(conversationId))) recordPosted(memory, conversationId, sourceId, messageId);
	}

	private async importEvent(entry: IndexedEvent): Promise<Outcome> {
		const event = this.run.index.materialize(entry);
		const prepared = new PreparedMessage(event, this.options.texts ?? ENGLISH_TEXTS);
		const known = this.ledger.bySourceId.get(prepared.sourceId);
		if (known) {
			if (!this.target) this.result.conversation_id = known.conversationId;
			return { status: 'skipped', reason: `already in Chatwoot (conversation ${known.conversationId})` };
		}
		const echoed = findAgentMessageEchoed(event, this.ledger.agentMessages, this.linked);
		if (echoed) {
			this.linked.add(echoed.id);
			return { status: 'skipped', reason: "an agent's reply sent from Chatwoot, already there" };
		}
		if (event.kind === 'delete' && event.targetId) {
			const deleted = this.ledger.bySourceId.get(waSourceId(event.targetId));
			if (deleted?.deleted) return { status: 'skipped', reason: 'the deleted message is deleted in Chatwoot already' };
			if (deleted && deleted.messageId) {
				await this.inChatTurn(async () => await this.options.client.deleteMessage(deleted.conversationId, deleted.messageId));
				deleted.deleted = true;
				return { status: 'imported' };
			}
			// Not in Chatwoot: a notice is posted instead (as the live sync does).
		}

		const { loadMedia, onMediaFailure } = this.options;
		const media = await settle(prepared.attachMedia(async (withMedia) => await loadMedia(withMedia, entry), onMediaFailure));
		if (!media.ok) {
			if (isCancellation(media.error)) throw media.error;
			return { status: 'failed', reason: describe(media.error) };
		}

		if (!this.target) {
			const landed = await this.openConversation(prepared.toPost());
			if (landed) return landed;
		}
		const target = this.target as ConversationTarget;
		// The chat's messages may lie in several conversations: the reply links only within the same one.
		const there = (quoted: string) => this.ledger.bySourceId.get(quoted)?.conversationId === target.conversationId;
		return await this.post(target.conversationId, prepared.toPost(there));
	}

	/**
	 * The conversation this chat's messages go to, chosen like the live sync does; a new one carries the first
	 * message. Returns the outcome when that message was posted with it.
	 */
	private async openConversation(firstMessage: MessageInput): Promise<Outcome | undefined> {
		const { client, inboxId, memory, settings, sleep } = this.options;
		// The chat's conversations were just listed (loadLedger): a usable one is in memory, so neither the contact's
		// pointer nor a status read is needed here.
		const contact: ResolvedContact = { ...(this.contact as ResolvedContact), read: undefined };
		const resolverOptions = {
			client,
			inboxId,
			memory,
			reopenConversation: settings.reopen_conversation,
			conversationPending: settings.conversation_pending,
			sleep,
			needsStatus: false,
		};
		const opened = await settle(
			this.inChatTurn(async () => await resolveConversation(resolverOptions, contact, this.group.key, firstMessage)),
		);
		if (opened.ok) {
			this.target = opened.value;
		} else {
			if (isFatal(opened.error)) throw opened.error;
			if (!maybeApplied(opened.error)) {
				return this.stop(`no conversation: ${describe(opened.error)}`);
			}
			// A conversation (with the message) may exist now: look again, as a re-run would.
			memory.forgetChat(this.group.key);
			const again = await settle(
				this.inChatTurn(
					async () =>
						await resolveConversation(resolverOptions, { ...contact, created: false, lostRace: false }, this.group.key, undefined),
				),
			);
			if (!again.ok) {
				if (isFatal(again.error)) throw again.error;
				return this.stop(`no conversation: ${describe(again.error)}`);
			}
			this.target = again.value;
			if (!this.ledger.lastId.has(again.value.conversationId)) {
				await readConversation(client, this.ledger, again.value.conversationId, this.options.now());
			}
		}
		const target = this.target as ConversationTarget;
		this.result.conversation_id = target.conversationId;
		this.result.conversation_created = this.result.conversation_created || target.created;
		const recent = this.ledger.recent.get(target.conversationId);
		if (recent) this.options.conversationPacer.seed(target.conversationId, recent);
		const sourceId = firstMessage.sourceId as string;
		if (target.messagePosted) {
			this.options.conversationPacer.note(target.conversationId);
			this.remember(sourceId, target.conversationId, target.postedMessageId);
			return { status: 'imported' };
		}
		if (this.ledger.bySourceId.get(sourceId)?.conversationId === target.conversationId) return { status: 'imported' };
		return undefined;
	}

	private stop(reason: string): Outcome {
		return { status: 'failed', reason, stopChat: true };
	}

	private async post(conversationId: number, input: MessageInput): Promise<Outcome> {
		const { client, conversationPacer } = this.options;
		const sourceId = input.sourceId as string;
		await conversationPacer.take(conversationId);
		const posted = await settle(this.inChatTurn(async () => await client.createMessage(conversationId, input)));
		if (posted.ok) {
			this.remember(sourceId, conversationId, posted.value.id);
			return { status: 'imported' };
		}
		const error = posted.error;
		if (isFatal(error)) throw error;
		if (maybeApplied(error) && (await this.landed(conversationId, sourceId))) return { status: 'imported' };
		if (refusedForGood(error)) return { status: 'failed', reason: describe(error) };
		return this.stop(describe(error));
	}

	/** After a post without a usable answer: is the message there? (Reads what came after the last known message.) */
	private async landed(conversationId: number, sourceId: string): Promise<boolean> {
		const { client } = this.options;
		const lastId = this.ledger.lastId.get(conversationId);
		const read = await settle(client.listMessages(conversationId, lastId ? { after: lastId } : {}));
		if (!read.ok) return false;
		const found = read.value.find((message) => message.source_id === sourceId);
		if (!found) return false;
		this.remember(sourceId, conversationId, found.id);
		return true;
	}

	private finish(): ChatResult {
		this.result.imported = this.tally.imported;
		this.result.skipped = this.tally.skipped;
		this.result.failed = this.tally.failed;
		this.result.reasons = this.tally.reasonList();
		this.run.progress.chat();
		return this.result;
	}
}

class ImportRun {
	readonly progress: Progress;
	fatal?: unknown;
	contactsFailed = 0;

	constructor(
		readonly index: ChatIndex,
		readonly options: ImportOptions,
		readonly groups: ChatGroup[],
	) {
		const messages = options.what === 'contacts' ? 0 : groups.reduce((sum, group) => sum + group.events.length, 0);
		this.progress = new Progress(groups.length, messages, options.onProgress);
	}

	async execute(): Promise<ImportResult> {
		const results: ChatResult[] = new Array(this.groups.length);
		// Longest chats first: they bound the run's length (each chat's messages go one after the other).
		const order = this.groups
			.map((group, position) => ({ group, position, size: group.events.length }))
			.sort((a, b) => b.size - a.size || a.position - b.position);
		let next = 0;
		const worker = async (): Promise<void> => {
			while (next < order.length && this.fatal === undefined) {
				const { group, position } = order[next++];
				const done = await settle(new ChatImport(this, group).execute());
				if (done.ok) results[position] = done.value;
				else this.fatal = this.fatal ?? done.error;
			}
		};
		const workers = Math.max(1, Math.min(this.options.chatConcurrency, order.length));
		await Promise.all(Array.from({ length: workers }, worker));
		if (this.fatal !== undefined) throw this.fatal;
		const { state } = this.progress;
		return {
			chats: results,
			contactsCreated: state.contactsCreated,
			contactsFailed: this.contactsFailed,
			imported: state.imported,
			skipped: state.skipped,
			failed: state.failed,
		};
	}
}

/** Runs the import of every chat of the index. Throws only what stops the whole import (token rejected). */
export async function importChats(index: ChatIndex, options: ImportOptions): Promise<ImportResult> {
	return await new ImportRun(index, options, index.groups()).execute();
}
