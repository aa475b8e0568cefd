/**
 * The first pass of an import: every record is read once and reduced to a small index entry per event (time, id,
 * where it came from), grouped per chat. The events themselves are not kept: they are normalized again from the
 * record, one at a time, when their chat is imported (`materialize`). Records are referenced, never copied, so
 * the import adds only the index to what n8n already holds (the input items).
 *
 * Chats: a LID-addressed chat whose phone JID some record names (`remoteJidAlt`, `SenderAlt`…) is the same chat as
 * that phone JID: its events join the phone chat, so one contact and one conversation get them all (docs/peers.md, LID
 * addressing).
 */
import type { ChatRef, EventKind, InboundEvent } from '../../whatsapp/event';
import { readRecord, recordsOf, type ImportGateway } from './records';
import { Tally } from './tally';

export interface IndexedEvent {
	/** The record the event came from (a reference into the input item). */
	record: unknown;
	/** Which of the record's normalized items (a Cloud API body can hold several messages). */
	sub: number;
	/** Input item, for binary data when the item holds this one record only; -1 otherwise. */
	item: number;
	/** Unix seconds (WhatsApp time). */
	timestamp: number;
	whatsappId: string;
	kind: EventKind;
	/** Input order: the tie-break that keeps the sort stable. */
	seq: number;
	/** Why the event is skipped whatever Chatwoot holds (a delivery status, an API send not mirrored). */
	skip?: string;
}

export interface ChatGroup {
	/** The chat's JID (the phone JID when any record named it). */
	key: string;
	chat: ChatRef;
	/** In WhatsApp order: by time, then input order. */
	events: IndexedEvent[];
	/** Seen in a contact record (findContacts / chats list). */
	listedAsContact: boolean;
	/** First appearance in the input: the order of the summary. */
	firstSeen: number;
}

export interface InputCounts {
	items: number;
	/** Items whose Records value held nothing (e.g. an expression that found no list). */
	empty_items: number;
	records: number;
	events: number;
	contact_records: number;
}

export interface ChatIndexOptions {
	gateway: ImportGateway;
	instance: string;
	mirrorApiSends: boolean;
}

const API_SEND_REASON =
	'sent through the gateway API (an agent reply from Chatwoot); enable "Mirror API Sends" to add such messages';

interface MutableGroup extends ChatGroup {
	/** Timestamp of the event that gave `chat.name`, so the newest push name wins. */
	nameAt: number;
	contactName?: string;
}

export class ChatIndex {
	readonly input: InputCounts = { items: 0, empty_items: 0, records: 0, events: 0, contact_records: 0 };
	/** Records and ignored events that belong to no chat. */
	readonly unassigned = new Tally();
	private readonly chats = new Map<string, MutableGroup>();
	/** LID → phone JID of the same chat. */
	private readonly aliases = new Map<string, string>();
	private seq = 0;

	constructor(private readonly options: ChatIndexOptions) {}

	/** Reads the Records value of one input item. */
	add(value: unknown, itemIndex: number): void {
		this.input.items += 1;
		const records = recordsOf(value);
		if (records.length === 0) this.input.empty_items += 1;
		for (const record of records) {
			this.input.records += 1;
			this.addRecord(record, records.length === 1 ? itemIndex : -1);
		}
	}

	private group(chat: ChatRef): MutableGroup {
		let group = this.chats.get(chat.jid);
		if (!group) {
			group = { key: chat.jid, chat: { jid: chat.jid, isGroup: chat.isGroup }, events: [], listedAsContact: false, firstSeen: this.seq, nameAt: -Infinity };
			this.chats.set(chat.jid, group);
		}
		if (chat.phone && !group.chat.phone) group.chat.phone = chat.phone;
		if (chat.lid && chat.lid !== chat.jid) {
			group.chat.lid = group.chat.lid ?? chat.lid;
			if (!this.aliases.has(chat.lid)) this.aliases.set(chat.lid, chat.jid);
		}
		return group;
	}

	private addRecord(record: unknown, item: number): void {
		const read = readRecord(record, this.options.gateway, this.options.instance);
		if (read.type === 'unreadable') {
			this.unassigned.add('failed', `record not readable: ${read.reason}`);
			return;
		}
		if (read.type === 'skip') {
			this.unassigned.add('skipped', read.reason);
			return;
		}
		if (read.type === 'contact') {
			this.input.contact_records += 1;
			const group = this.group(read.chat);
			group.listedAsContact = true;
			if (read.chat.name) group.contactName = read.chat.name;
			this.seq += 1;
			return;
		}
		read.items.forEach((normalized, sub) => {
			this.seq += 1;
			if (normalized.type === 'ignore') {
				this.unassigned.add('skipped', normalized.reason, normalized.whatsappId);
				return;
			}
			const event = normalized.event;
			this.input.events += 1;
			const group = this.group(event.chat);
			if (event.chat.name && event.timestamp >= group.nameAt) {
				group.chat.name = event.chat.name;
				group.nameAt = event.timestamp;
			}
			group.events.push({
				record,
				sub,
				item,
				timestamp: event.timestamp,
				whatsappId: event.whatsappId,
				kind: event.kind,
				seq: this.seq,
				skip: skipReason(event, this.options.mirrorApiSends),
			});
		});
	}

	/** The chats, LID chats folded into their phone chat, each in WhatsApp order; in order of first appearance. */
	groups(): ChatGroup[] {
		for (const [lid, phoneJid] of this.aliases) {
			const lidGroup = this.chats.get(lid);
			const target = this.chats.get(phoneJid);
			if (!lidGroup || !target || lidGroup === target) continue;
			target.events.push(...lidGroup.events);
			target.listedAsContact = target.listedAsContact || lidGroup.listedAsContact;
			target.firstSeen = Math.min(target.firstSeen, lidGroup.firstSeen);
			if (lidGroup.nameAt > target.nameAt && lidGroup.chat.name) {
				target.chat.name = lidGroup.chat.name;
				target.nameAt = lidGroup.nameAt;
			}
			target.contactName = target.contactName ?? lidGroup.contactName;
			this.chats.delete(lid);
		}
		const groups = [...this.chats.values()];
		for (const group of groups) {
			group.events.sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq);
			// The address book's name (or a group's subject) beats a push name.
			if (group.contactName) group.chat.name = group.contactName;
		}
		return groups.sort((a, b) => a.firstSeen - b.firstSeen);
	}

	/** The event an index entry stands for, normalized again from its record (pure, so identical to the first pass). */
	materialize(entry: IndexedEvent): InboundEvent {
		const read = readRecord(entry.record, this.options.gateway, this.options.instance);
		const normalized = read.type === 'events' ? read.items[entry.sub] : undefined;
		if (normalized?.type !== 'event') throw new Error(`record of WhatsApp message ${entry.whatsappId} changed during the import`);
		return normalized.event;
	}
}

function skipReason(event: InboundEvent, mirrorApiSends: boolean): string | undefined {
	if (event.kind === 'ack') return 'a delivery status, not a message';
	if (event.fromMe && event.viaApi && event.kind === 'message' && !mirrorApiSends) return API_SEND_REASON;
	return undefined;
}
