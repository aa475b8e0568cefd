/**
 * WhatsApp chat → Chatwoot contact, without ever making two contacts for one chat.
 * Identity (docs/architecture.md): contact inbox `source_id` = chat JID, contact `identifier` = the same JID, phone in
 * E.164 only when the JID carries one. The unique `(inbox_id, source_id)` index arbitrates races between processes.
 * The look-up by chat also answers what the contact carries: its conversation pointer and its last activity.
 */
import type { ChatwootClient } from '../chatwoot/client';
import { isChatwootError } from '../chatwoot/errors';
import type { Contact } from '../chatwoot/schemas';
import type { ChatRef } from '../whatsapp/event';
import { brazilNinthDigitVariants } from '../whatsapp/jid';
import { settle } from '../settle';
import type { InboxMemory } from './bridgeMemory';
import { conversationPointerOf } from './conversationPointer';
import { chatwootSeconds } from './chatwootTime';

export interface ResolvedContact {
	contactId: number;
	/** True when this call created the contact: nobody else can have a conversation for it yet. */
	created: boolean;
	/** True when another worker created it at the same moment (we lost the race on the unique index). */
	lostRace: boolean;
	/** What Chatwoot answered about the contact, when this call read it (not when it came from memory). */
	read?: ContactFacts;
}

/** What one contact read establishes. */
export interface ContactFacts {
	/** The conversation the contact's pointer names in this inbox. */
	conversationPointer?: number;
	/** Chatwoot's time (unix s) of the contact's last incoming message, in any conversation. */
	lastActivityAt?: number;
	additionalAttributes?: Record<string, unknown>;
}

function factsOf(contact: Contact, inboxId: number): ContactFacts {
	return {
		conversationPointer: conversationPointerOf(contact, inboxId),
		lastActivityAt: chatwootSeconds((contact as { last_activity_at?: unknown }).last_activity_at),
		additionalAttributes: (contact.additional_attributes ?? undefined) as Record<string, unknown> | undefined,
	};
}

export interface ContactResolverOptions {
	client: ChatwootClient;
	inboxId: number;
	memory: InboxMemory;
	mergeBrazilContacts: boolean;
}

function contactName(chat: ChatRef): string {
	if (chat.name?.trim()) return chat.name.trim();
	return chat.phone ?? chat.jid;
}

async function findByChat(options: ContactResolverOptions, sourceId: string): Promise<number | undefined> {
	const contact = await options.client.findContactByChat(options.inboxId, sourceId);
	return contact?.id;
}

/** Attaches one more chat id (a LID, or the phone JID of a LID-first contact) to a contact. */
async function attach(options: ContactResolverOptions, contactId: number, sourceId: string): Promise<void> {
	const attached = await settle(options.client.createContactInbox(contactId, options.inboxId, sourceId));
	if (attached.ok) return;
	// Another worker attached it to the same contact a moment ago; anything else is a real failure.
	if (isChatwootError(attached.error, 'conflict') && (await findByChat(options, sourceId)) === contactId) return;
	throw attached.error;
}

/** A contact that already has this phone (made by hand, by another inbox, or the other Brazilian form). */
async function findByPhone(options: ContactResolverOptions, phone: string): Promise<number | undefined> {
	const phones = options.mergeBrazilContacts ? brazilNinthDigitVariants(phone) : [phone];
	for (const candidate of phones) {
		const [match] = await options.client.filterContacts({ phone: candidate });
		if (match) return match.id;
	}
	return undefined;
}

async function createContact(options: ContactResolverOptions, chat: ChatRef): Promise<ResolvedContact> {
	const created = await settle(
		options.client.createContact({
			inboxId: options.inboxId,
			sourceId: chat.jid,
			name: contactName(chat),
			identifier: chat.jid,
			phone: chat.phone,
			additionalAttributes: chat.lid ? { whatsapp_lid: chat.lid } : undefined,
		}),
	);
	if (created.ok) return { contactId: created.value.contact.id, created: true, lostRace: false };
	const error = created.error;
	// 500: the unique index caught a concurrent create of this chat; 422 on the identifier: same, seen later.
	const raced =
		isChatwootError(error, 'conflict') ||
		(isChatwootError(error, 'invalidRequest') && error.chatwootAttributes?.includes('identifier'));
	if (raced) {
		const winner = await findByChat(options, chat.jid);
		if (winner !== undefined) return { contactId: winner, created: false, lostRace: true };
		// The identifier (the chat JID) belongs to a contact of another inbox of the account: the same chat, met there
		// first. Attach this inbox's contact inbox to it instead of failing.
		const [owner] = isChatwootError(error, 'invalidRequest') ? await options.client.filterContacts({ identifier: chat.jid }) : [];
		if (owner) {
			await attach(options, owner.id, chat.jid);
			return { contactId: owner.id, created: false, lostRace: false };
		}
	}
	// 422 on the phone: a contact with this number exists outside this chat; attach the chat to it.
	const phoneTaken = isChatwootError(error, 'invalidRequest') && error.chatwootAttributes?.includes('phone_number');
	if (phoneTaken && chat.phone) {
		const owner = await findByPhone({ ...options, mergeBrazilContacts: false }, chat.phone);
		if (owner !== undefined) {
			await attach(options, owner, chat.jid);
			return { contactId: owner, created: false, lostRace: false };
		}
	}
	throw error;
}

/**
 * A contact known by its phone JID meets its LID (gateways switched to LID addressing): attach the LID too, so a
 * later LID-only event finds the same person. Costs a lookup once per LID and process.
 */
async function ensureLidAttached(options: ContactResolverOptions, contactId: number, chat: ChatRef): Promise<void> {
	const lid = chat.lid;
	if (!lid || lid === chat.jid || options.memory.contactByChat.get(lid) !== undefined) return;
	const owner = await findByChat(options, lid);
	if (owner === undefined) await attach(options, contactId, lid);
	// Owned by another contact already (made before the phone was known): leave both; merging is the agent's call.
	options.memory.contactByChat.set(lid, owner ?? contactId);
}

export async function resolveContact(options: ContactResolverOptions, chat: ChatRef): Promise<ResolvedContact> {
	const cached = options.memory.contactByChat.get(chat.jid);
	if (cached !== undefined) {
		await ensureLidAttached(options, cached, chat);
		return { contactId: cached, created: false, lostRace: false };
	}

	let resolved: ResolvedContact | undefined;
	const byJid = await options.client.findContactByChat(options.inboxId, chat.jid);
	if (byJid !== undefined) {
		resolved = { contactId: byJid.id, created: false, lostRace: false, read: factsOf(byJid, options.inboxId) };
	}

	// A LID-first contact learns its phone JID: attach it, never split the person in two (docs/peers.md, LID addressing).
	if (!resolved && chat.lid && chat.lid !== chat.jid) {
		const byLid = await findByChat(options, chat.lid);
		if (byLid !== undefined) {
			await attach(options, byLid, chat.jid);
			resolved = { contactId: byLid, created: false, lostRace: false };
			options.memory.contactByChat.set(chat.lid, byLid);
		}
	}
	if (!resolved && options.mergeBrazilContacts && chat.phone?.startsWith('+55') && !chat.isGroup) {
		const owner = await findByPhone(options, chat.phone);
		if (owner !== undefined) {
			await attach(options, owner, chat.jid);
			resolved = { contactId: owner, created: false, lostRace: false };
		}
	}
	if (!resolved) resolved = await createContact(options, chat);
	options.memory.contactByChat.set(chat.jid, resolved.contactId);
	await ensureLidAttached(options, resolved.contactId, chat);
	return resolved;
}
