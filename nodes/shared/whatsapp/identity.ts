/**
 * Who a chat and a sender are. The rule that prevents duplicate contacts (docs/gateways.md and docs/peers.md, LID
 * addressing): use the phone JID whenever the payload names one (`remoteJidAlt`, `participantAlt`, `SenderAlt`, …),
 * keep the LID beside it, and when only a LID is known, address by the LID without inventing a phone.
 */
import type { ChatRef, SenderRef } from './event';
import { isGroupJid, isLidJid, isPhoneJid, normalizeJid, phoneFromJid } from './jid';
import { text } from './read';

function candidates(primary: unknown, alternates: unknown[], own: unknown[]): string[] {
	const excluded = new Set(own.map(normalizeJid).filter((jid): jid is string => !!jid));
	const alts = alternates.map(normalizeJid).filter((jid): jid is string => !!jid && !excluded.has(jid));
	const first = normalizeJid(primary);
	return first ? [first, ...alts] : alts;
}

/**
 * A person's address from the JID the gateway used plus every alternate it gave. `own` lists the connected account's
 * JIDs: an alternate equal to them is never taken for someone else (a fromMe `senderPn` is our own number).
 */
export function resolveParty(primary: unknown, alternates: unknown[], name?: unknown, own: unknown[] = []): SenderRef {
	const all = candidates(primary, alternates, own);
	const phoneJid = all.find(isPhoneJid);
	const lid = all.find(isLidJid);
	return {
		jid: phoneJid ?? lid ?? all[0],
		phone: phoneJid ? phoneFromJid(phoneJid) : undefined,
		name: text(name)?.trim(),
		lid,
	};
}

/** A chat: groups keep their JID; 1:1 chats are resolved like a person. `undefined` when no address is known. */
export function resolveChat(primary: unknown, alternates: unknown[], name?: unknown, own: unknown[] = []): ChatRef | undefined {
	const chatName = text(name)?.trim();
	const group = normalizeJid(primary);
	if (group && isGroupJid(group)) return { jid: group, isGroup: true, name: chatName };
	const party = resolveParty(primary, alternates, chatName, own);
	if (!party.jid) return undefined;
	return { jid: party.jid, phone: party.phone, isGroup: false, name: party.name, lid: party.lid };
}

/** In a 1:1 chat the other party is the chat itself. */
export function senderFromChat(chat: ChatRef): SenderRef {
	return { jid: chat.jid, phone: chat.phone, name: chat.name, lid: chat.lid };
}
