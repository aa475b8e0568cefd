/**
 * The sandbox's tables, id sequences and unique indexes. Only committed rows live in these maps; uncommitted work
 * is held by a `Txn` (see db.ts) until it commits.
 */
import { randomBytes } from 'crypto';
import { UniqueIndex } from './db';
import type {
	AccountRecord,
	AccountSeed,
	AccountUserRecord,
	AgentBotRecord,
	AttachmentRecord,
	BlobRecord,
	ContactInboxRecord,
	ContactRecord,
	ConversationRecord,
	InboxRecord,
	MessageRecord,
	SandboxState,
	UserRecord,
	UserSeed,
} from './types';

export const DEFAULT_ACCOUNTS: AccountSeed[] = [
	{
		id: 1,
		name: 'Sandbox Account',
		users: [
			{ id: 1, name: 'Sandbox Admin', email: 'admin@sandbox.test', role: 'administrator', token: 'test-admin-token' },
			{ id: 2, name: 'Sandbox Agent', email: 'agent@sandbox.test', role: 'agent', token: 'test-agent-token' },
		],
		agentBots: [{ id: 1, name: 'Sandbox Bot', token: 'test-bot-token' }],
	},
];

export function randomToken(bytes = 12): string {
	return randomBytes(bytes).toString('base64url');
}

export class Store {
	readonly accounts = new Map<number, AccountRecord>();
	readonly users = new Map<number, UserRecord>();
	accountUsers: AccountUserRecord[] = [];
	readonly agentBots = new Map<number, AgentBotRecord>();
	readonly inboxes = new Map<number, InboxRecord>();
	readonly contacts = new Map<number, ContactRecord>();
	readonly contactInboxes = new Map<number, ContactInboxRecord>();
	readonly conversations = new Map<number, ConversationRecord>();
	readonly messages = new Map<number, MessageRecord>();
	readonly attachments = new Map<number, AttachmentRecord>();
	readonly blobs = new Map<number, BlobRecord>();
	readonly blobData = new Map<number, Buffer>();

	/** The only two unique keys of Chatwoot's schema that matter to a client (§1.4). */
	readonly contactIdentifierIndex = new UniqueIndex('index_contacts_on_identifier_and_account_id');
	readonly contactInboxSourceIndex = new UniqueIndex('index_contact_inboxes_on_inbox_id_and_source_id');

	/** Incremented by reset(): background work from before a reset must not touch the new data. */
	epoch = 0;

	private readonly conversationsByDisplayId = new Map<string, ConversationRecord>();
	private readonly contactInboxesBySource = new Map<string, ContactInboxRecord>();
	private readonly messagesByConversation = new Map<number, MessageRecord[]>();
	private readonly attachmentsByMessage = new Map<number, AttachmentRecord[]>();
	private readonly sequences = new Map<string, number>();
	private readonly displayIdSequences = new Map<number, number>();

	constructor(private seeds: AccountSeed[]) {
		this.seed(seeds);
	}

	/** Like a PostgreSQL sequence: an id taken by a rolled-back transaction is never reused. */
	nextId(table: string): number {
		const next = (this.sequences.get(table) ?? 0) + 1;
		this.sequences.set(table, next);
		return next;
	}

	/** Conversation display ids are numbered per account (a database trigger in Chatwoot). */
	nextDisplayId(accountId: number): number {
		const next = (this.displayIdSequences.get(accountId) ?? 0) + 1;
		this.displayIdSequences.set(accountId, next);
		return next;
	}

	reset(seeds: AccountSeed[] = this.seeds): void {
		for (const table of [
			this.accounts,
			this.users,
			this.agentBots,
			this.inboxes,
			this.contacts,
			this.contactInboxes,
			this.conversations,
			this.messages,
			this.attachments,
			this.blobs,
			this.blobData,
		]) {
			table.clear();
		}
		this.accountUsers = [];
		this.conversationsByDisplayId.clear();
		this.contactInboxesBySource.clear();
		this.messagesByConversation.clear();
		this.attachmentsByMessage.clear();
		this.epoch++;
		this.sequences.clear();
		this.displayIdSequences.clear();
		this.contactIdentifierIndex.clear();
		this.contactInboxSourceIndex.clear();
		this.seeds = seeds;
		this.seed(seeds);
	}

	private seed(seeds: AccountSeed[]): void {
		const now = Date.now();
		for (const seed of seeds) {
			this.accounts.set(seed.id, {
				id: seed.id,
				name: seed.name ?? `Account ${seed.id}`,
				locale: seed.locale ?? 'en',
				status: seed.status ?? 'active',
				created_at: now,
			});
			this.bumpSequence('accounts', seed.id);
			for (const userSeed of seed.users ?? []) {
				const existing = [...this.users.values()].find((u) => u.access_token === userSeed.token);
				const user = existing ?? this.addUser(userSeed, now);
				this.accountUsers.push({ account_id: seed.id, user_id: user.id, role: userSeed.role });
			}
			for (const botSeed of seed.agentBots ?? []) {
				const id = botSeed.id ?? this.nextId('agent_bots');
				this.bumpSequence('agent_bots', id);
				this.agentBots.set(id, {
					id,
					name: botSeed.name ?? `Bot ${id}`,
					access_token: botSeed.token,
					account_id: seed.id,
				});
			}
		}
	}

	private addUser(seed: UserSeed, now: number): UserRecord {
		const id = seed.id ?? this.nextId('users');
		this.bumpSequence('users', id);
		const user: UserRecord = {
			id,
			name: seed.name ?? `User ${id}`,
			email: seed.email ?? `user${id}@sandbox.test`,
			access_token: seed.token,
			pubsub_token: randomToken(),
			created_at: now,
		};
		this.users.set(id, user);
		return user;
	}

	private bumpSequence(table: string, id: number): void {
		if ((this.sequences.get(table) ?? 0) < id) this.sequences.set(table, id);
	}

	// ---- lookups -------------------------------------------------------------------------------------------

	userByToken(token: string): UserRecord | undefined {
		return [...this.users.values()].find((u) => u.access_token === token);
	}

	botByToken(token: string): AgentBotRecord | undefined {
		return [...this.agentBots.values()].find((b) => b.access_token === token);
	}

	accountUser(accountId: number, userId: number): AccountUserRecord | undefined {
		return this.accountUsers.find((au) => au.account_id === accountId && au.user_id === userId);
	}

	conversationByDisplayId(accountId: number, displayId: number): ConversationRecord | undefined {
		return this.conversationsByDisplayId.get(`${accountId}:${displayId}`);
	}

	/** Adds a committed contact inbox and releases nothing: the unique index entry was taken at INSERT. */
	addContactInbox(row: ContactInboxRecord): void {
		this.contactInboxes.set(row.id, row);
		this.contactInboxesBySource.set(`${row.inbox_id}|${row.source_id}`, row);
	}

	/** Deletes a contact inbox and frees its `(inbox_id, source_id)` index entry. */
	removeContactInbox(row: ContactInboxRecord): void {
		const key = `${row.inbox_id}|${row.source_id}`;
		this.contactInboxSourceIndex.release(key);
		this.contactInboxesBySource.delete(key);
		this.contactInboxes.delete(row.id);
	}

	addConversation(conversation: ConversationRecord): void {
		this.conversations.set(conversation.id, conversation);
		this.conversationsByDisplayId.set(`${conversation.account_id}:${conversation.display_id}`, conversation);
	}

	addMessage(message: MessageRecord): void {
		this.messages.set(message.id, message);
		const list = this.messagesByConversation.get(message.conversation_id);
		if (list) list.push(message);
		else this.messagesByConversation.set(message.conversation_id, [message]);
	}

	addAttachment(attachment: AttachmentRecord): void {
		this.attachments.set(attachment.id, attachment);
		const list = this.attachmentsByMessage.get(attachment.message_id);
		if (list) list.push(attachment);
		else this.attachmentsByMessage.set(attachment.message_id, [attachment]);
	}

	removeAttachments(messageId: number): void {
		for (const attachment of this.attachmentsByMessage.get(messageId) ?? []) this.attachments.delete(attachment.id);
		this.attachmentsByMessage.delete(messageId);
	}

	/** Deletes a conversation with its messages and their attachments. */
	removeConversation(conversationId: number): void {
		for (const message of this.messagesByConversation.get(conversationId) ?? []) {
			this.removeAttachments(message.id);
			this.messages.delete(message.id);
		}
		this.messagesByConversation.delete(conversationId);
		const conversation = this.conversations.get(conversationId);
		if (conversation) this.conversationsByDisplayId.delete(`${conversation.account_id}:${conversation.display_id}`);
		this.conversations.delete(conversationId);
	}

	/** Messages of a conversation in id (= created_at) order; a copy. */
	messagesOf(conversationId: number): MessageRecord[] {
		return [...(this.messagesByConversation.get(conversationId) ?? [])];
	}

	attachmentsOf(messageId: number): AttachmentRecord[] {
		return [...(this.attachmentsByMessage.get(messageId) ?? [])];
	}

	contactInboxesOf(contactId: number): ContactInboxRecord[] {
		return [...this.contactInboxes.values()].filter((ci) => ci.contact_id === contactId);
	}

	findContactInbox(inboxId: number, sourceId: string): ContactInboxRecord | undefined {
		return this.contactInboxesBySource.get(`${inboxId}|${sourceId}`);
	}

	snapshot(): SandboxState {
		const copy = <T>(rows: Iterable<T>): T[] => structuredClone([...rows]);
		return {
			accounts: copy(this.accounts.values()),
			users: [...this.users.values()].map((u) => ({
				...structuredClone(u),
				accounts: this.accountUsers
					.filter((au) => au.user_id === u.id)
					.map((au) => ({ id: au.account_id, role: au.role })),
			})),
			agentBots: copy(this.agentBots.values()),
			inboxes: copy(this.inboxes.values()),
			contacts: copy(this.contacts.values()),
			contactInboxes: copy(this.contactInboxes.values()),
			conversations: copy(this.conversations.values()),
			messages: copy(this.messages.values()),
			attachments: copy(this.attachments.values()),
			blobs: copy(this.blobs.values()),
		};
	}
}
