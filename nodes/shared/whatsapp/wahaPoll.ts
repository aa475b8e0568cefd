/**
 * WAHA polls (docs/gateway-polls.md): a poll inside a `message` / `message.any` payload (NOWEB and GOWS keep the
 * protobuf `pollCreationMessage*` in `_data`, WEBJS writes `_data.pollName` / `_data.pollOptions`), and the
 * `poll.vote` event with the voter's selection in plain text. Wraps the WAHA normalizer so polls keep their question
 * and options instead of becoming an "unsupported type" placeholder.
 */
import { eventItem, ignoreItem } from './build';
import { unwrapMessage } from './content';
import { WhatsAppPayloadError } from './errors';
import type { NormalizedItem } from './event';
import { resolveChat, resolveParty, senderFromChat } from './identity';
import { bareWahaId, isBroadcastJid } from './jid';
import { POLL_CREATION_KEYS, pollFromCreation, pollFromWebjs, voteFromWahaPayload, type Poll, type PollEvent } from './poll';
import { bool, field, obj, read, text, unixSeconds, type Obj } from './read';

/** The poll a WAHA message payload carries in its engine data, if any. */
export function pollOfWahaPayload(payload: Obj): Poll | undefined {
	const data = obj(payload._data);
	if (!data) return undefined;
	const message = obj(field(data, 'Message')) ?? obj(field(data, 'message'));
	const inner = message ? unwrapMessage(message) : undefined;
	for (const key of POLL_CREATION_KEYS) {
		const poll = inner ? pollFromCreation(field(inner, key)) : undefined;
		if (poll) return poll;
	}
	return pollFromWebjs(data);
}

/** `me` and `@c.us`-style ids of the connected account, which never name the other party. */
function ownIds(root: Obj): unknown[] {
	const me = obj(root.me);
	return me ? [me.id, me.lid, me.jid] : [];
}

/** WAHA writes "me" for the connected account in `poll.vote` references. */
function party(value: unknown): string | undefined {
	const id = text(value)?.trim();
	return id && id !== 'me' ? id : undefined;
}

/** `poll.vote`: the voter's selection as a message answering the poll (a `poll.vote.failed` has nothing readable). */
function pollVoteItems(root: Obj): NormalizedItem[] {
	const payload = obj(root.payload);
	if (!payload) throw new WhatsAppPayloadError('body.payload', 'WAHA webhook: body.payload should be an object.');
	if (text(root.event)?.trim().toLowerCase() === 'poll.vote.failed') {
		return [ignoreItem('poll.vote.failed: WAHA could not decrypt the vote, so the choice is unknown')];
	}
	const parsed = voteFromWahaPayload(payload);
	if (!parsed) throw new WhatsAppPayloadError('body.payload.poll.id', 'WAHA webhook: body.payload.poll.id is missing; expected the id of the poll voted on.');
	const vote = obj(payload.vote) as Obj;
	const pollId = bareWahaId(parsed.vote.pollId);
	const whatsappId = parsed.voteId ? bareWahaId(parsed.voteId) : `${pollId}-vote-${parsed.timestamp ?? ''}`;
	const fromMe = bool(vote.fromMe) ?? parsed.voteId?.startsWith('true_') ?? false;
	const own = ownIds(root);
	const chatId = (fromMe ? party(vote.to) : party(vote.from)) ?? party(read(payload, fromMe ? 'poll.to' : 'poll.from'));
	if (!chatId) throw new WhatsAppPayloadError('body.payload.vote.from', 'WAHA webhook: body.payload.vote.from is missing; expected the chat id.');
	if (isBroadcastJid(chatId)) return [ignoreItem(`${chatId}: status updates, broadcast lists and channels are not chats`, whatsappId)];
	const chat = resolveChat(chatId, [], undefined, own);
	if (!chat) throw new WhatsAppPayloadError('body.payload.vote.from', 'WAHA webhook: body.payload.vote.from is not a WhatsApp chat id.');
	const me = obj(root.me);
	const sender = fromMe
		? resolveParty(me?.id, [me?.lid], me?.pushName)
		: chat.isGroup
			? resolveParty(vote.participant ?? vote.author, [], undefined, own)
			: senderFromChat(chat);
	const timestamp = parsed.timestamp ?? unixSeconds(root.timestamp);
	if (timestamp === undefined) throw new WhatsAppPayloadError('body.payload.vote.timestamp', 'WAHA webhook: body.payload.vote.timestamp is missing.');
	const event: PollEvent = {
		gateway: 'waha',
		instance: text(root.session),
		kind: 'message',
		whatsappId,
		chat,
		fromMe,
		sender,
		timestamp,
		replyTo: { whatsappId: pollId },
		pollVote: { pollId, options: parsed.vote.options },
	};
	return [eventItem(event)];
}

/** A message event of a poll: the poll instead of the placeholder (WEBJS may repeat the question as `body`). */
function withPoll(item: NormalizedItem, poll: Poll): NormalizedItem {
	if (item.type !== 'event' || item.event.kind !== 'message') return item;
	const event: PollEvent = { ...item.event, poll };
	delete event.unsupportedType;
	if (event.text?.trim() === poll.question) delete event.text;
	return eventItem(event);
}

/** Runs the WAHA normalizer with polls understood: `poll.vote` events and polls inside message payloads. */
export function normalizeWahaWithPolls(input: unknown, normalizeWaha: (body: unknown) => NormalizedItem[]): NormalizedItem[] {
	const root = obj(input);
	const name = text(root?.event)?.trim().toLowerCase();
	if (root && (name === 'poll.vote' || name === 'poll.vote.failed')) return pollVoteItems(root);
	const items = normalizeWaha(input);
	const payload = obj(root?.payload);
	const poll = payload && (name === 'message' || name === 'message.any') ? pollOfWahaPayload(payload) : undefined;
	return poll ? items.map((item) => withPoll(item, poll)) : items;
}
