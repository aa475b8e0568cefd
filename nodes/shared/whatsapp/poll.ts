/**
 * WhatsApp polls: the question and its options, and the votes a gateway could decrypt. The canonical event carries
 * them in `poll` / `pollVote` (see `PollFields`); the Chatwoot text is rendered from them in the chosen language.
 *
 * Shapes (docs/gateway-polls.md): Baileys and whatsmeow serialize `pollCreationMessage` (V2, V3, V5 are the same
 * message with other encryption / single-choice flags) as `{name, options: [{optionName}], selectableOptionsCount}`;
 * a vote is `pollUpdateMessage` whose `vote` is encrypted unless the gateway decrypted it into `selectedOptions`.
 * WAHA WEBJS writes `_data.pollName` / `_data.pollOptions[{name}]`, and WAHA's `poll.vote` event carries
 * `{vote: {id, from, to, fromMe, selectedOptions: [text], timestamp}, poll: {id, from, to, fromMe}}`.
 */
import type { InboundEvent } from './event';
import { arr, count, field, obj, read, text, unixSeconds, type Obj } from './read';

export interface Poll {
	question: string;
	options: string[];
	/** True when the voter may tick more than one option (`selectableOptionsCount` 0 or > 1). */
	multipleAnswers?: boolean;
}

export interface PollVote {
	/** Bare WhatsApp id of the poll voted on. */
	pollId: string;
	/** The voter's whole current selection: an empty list means the vote was withdrawn. */
	options: string[];
}

/** Optional fields of the canonical event for polls (merged into `InboundEvent` by the event type's owner). */
export interface PollFields {
	poll?: Poll;
	pollVote?: PollVote;
}

export type PollEvent = InboundEvent & PollFields;

/** Message keys that hold a poll's creation (WhatsApp added V2, V3 and V5 over time; the content is the same). */
export const POLL_CREATION_KEYS = ['pollCreationMessage', 'pollCreationMessageV2', 'pollCreationMessageV3', 'pollCreationMessageV5'];

function optionName(option: unknown): string | undefined {
	return text(option)?.trim() ?? text(field(option, 'optionName'))?.trim() ?? text(field(option, 'name'))?.trim();
}

function optionList(value: unknown): string[] {
	return (arr(value) ?? []).map(optionName).filter((name): name is string => !!name);
}

/** `pollCreationMessage*` content → a poll; undefined when it has no question. */
export function pollFromCreation(content: unknown): Poll | undefined {
	const question = text(field(content, 'name'))?.trim();
	if (!question) return undefined;
	const selectable = count(field(content, 'selectableOptionsCount'));
	return {
		question,
		options: optionList(field(content, 'options')),
		multipleAnswers: selectable === undefined ? undefined : selectable !== 1,
	};
}

/** WAHA WEBJS `_data` of a `poll_creation` message → a poll. */
export function pollFromWebjs(data: Obj | undefined): Poll | undefined {
	if (!data || text(data.type) !== 'poll_creation') return undefined;
	const question = text(data.pollName)?.trim();
	if (!question) return undefined;
	const selectable = count(data.pollSelectableOptionsCount);
	return {
		question,
		options: optionList(data.pollOptions),
		multipleAnswers: selectable === undefined ? undefined : selectable !== 1,
	};
}

/**
 * `pollUpdateMessage` content → a vote when the gateway decrypted it (`vote.selectedOptions` as names or as
 * `{name}` objects); undefined for the encrypted form (`vote.encPayload` only), which carries no readable choice.
 */
export function voteFromUpdate(content: unknown): PollVote | undefined {
	const pollId = text(read(content, 'pollCreationMessageKey.id'))?.trim();
	const selected = read(content, 'vote.selectedOptions');
	if (!pollId || !Array.isArray(selected)) return undefined;
	return { pollId, options: optionList(selected) };
}

/** WAHA `poll.vote` payload → the vote and the ids needed to place it. */
export function voteFromWahaPayload(payload: Obj): { vote: PollVote; voteId?: string; timestamp?: number } | undefined {
	const vote = obj(payload.vote);
	const pollId = text(read(payload, 'poll.id'))?.trim();
	if (!vote || !pollId) return undefined;
	return {
		vote: { pollId, options: optionList(vote.selectedOptions) },
		voteId: text(vote.id)?.trim(),
		timestamp: unixSeconds(vote.timestamp),
	};
}
