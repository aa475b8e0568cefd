import {
	chooseConversation,
	type ConversationChoice,
	type ConversationStatus,
	type ConversationSummary,
} from '../../../nodes/shared/bridge/conversationChoice';
import { renderTruthTable, type TruthTableRow } from './truthTable';

const INBOX = 7;
const OTHER_INBOX = 8;

function conv(id: number, status: ConversationStatus, lastActivityAt = 1_000 + id, inboxId = INBOX): ConversationSummary {
	return { id, status, inboxId, lastActivityAt };
}

/** Each situation: what Chatwoot lists for the contact (newest activity first, as `GET /contacts/{id}/conversations`). */
const situations: Record<string, ConversationSummary[]> = {
	'no conversation': [],
	'one open (#10)': [conv(10, 'open')],
	'one pending (#10)': [conv(10, 'pending')],
	'one snoozed (#10)': [conv(10, 'snoozed')],
	'only resolved: #11, and #10 with the latest activity': [conv(10, 'resolved', 3_000), conv(11, 'resolved', 2_000)],
	'several unresolved (#12 open, #11 pending, #13 snoozed) and a more recent resolved #14': [
		conv(14, 'resolved', 9_000),
		conv(13, 'snoozed', 8_000),
		conv(12, 'open', 7_000),
		conv(11, 'pending', 6_000),
	],
	'conversations in another inbox only (#20 open, #21 resolved)': [
		conv(20, 'open', 5_000, OTHER_INBOX),
		conv(21, 'resolved', 6_000, OTHER_INBOX),
	],
};

function expectedFor(situation: string, reopen: boolean, pending: boolean): ConversationChoice {
	const status = pending ? 'pending' : 'open';
	if (situation.startsWith('one ')) return { action: 'use', conversationId: 10 };
	// The oldest unresolved one wins, so workers that raced into two conversations converge on the same one.
	if (situation.startsWith('several unresolved')) return { action: 'use', conversationId: 11 };
	if (situation.startsWith('only resolved')) {
		return reopen ? { action: 'reopen', conversationId: 10, status } : { action: 'create', status };
	}
	return { action: 'create', status };
}

export const truthTableRows: TruthTableRow[] = Object.keys(situations).flatMap((situation) =>
	[true, false].flatMap((reopen) =>
		[false, true].map((pending) => ({ situation, reopen, pending, expected: expectedFor(situation, reopen, pending) })),
	),
);

describe('chooseConversation: the truth table', () => {
	it.each(truthTableRows)('$situation, reopen=$reopen, pending=$pending', ({ situation, reopen, pending, expected }) => {
		expect(
			chooseConversation(situations[situation], INBOX, { reopenConversation: reopen, conversationPending: pending }),
		).toEqual(expected);
	});

	it('covers every situation with every combination of the two settings', () => {
		expect(truthTableRows).toHaveLength(Object.keys(situations).length * 4);
		const keys = new Set(truthTableRows.map((row) => `${row.situation}|${row.reopen}|${row.pending}`));
		expect(keys.size).toBe(truthTableRows.length);
	});
});

describe('chooseConversation: stable choices', () => {
	const options = { reopenConversation: true, conversationPending: false };

	it('picks the same unresolved conversation whatever order Chatwoot lists them in', () => {
		const list = situations['several unresolved (#12 open, #11 pending, #13 snoozed) and a more recent resolved #14'];
		const orders = [list, [...list].reverse(), [list[2], list[0], list[3], list[1]]];
		for (const order of orders) {
			expect(chooseConversation(order, INBOX, options)).toEqual({ action: 'use', conversationId: 11 });
		}
	});

	it('prefers an unresolved conversation over reopening a resolved one', () => {
		const list = [conv(30, 'resolved', 9_999), conv(31, 'open', 1)];
		expect(chooseConversation(list, INBOX, options)).toEqual({ action: 'use', conversationId: 31 });
	});

	it('reopens the resolved conversation with the latest activity (id breaks a tie)', () => {
		const tie = [conv(40, 'resolved', 5_000), conv(41, 'resolved', 5_000), conv(39, 'resolved', 4_000)];
		expect(chooseConversation(tie, INBOX, options)).toEqual({ action: 'reopen', conversationId: 41, status: 'open' });
	});

	it("never uses or reopens another inbox's conversation, even next to a resolved one of its own", () => {
		const list = [conv(50, 'open', 9_000, OTHER_INBOX), conv(51, 'resolved', 1_000)];
		expect(chooseConversation(list, INBOX, options)).toEqual({ action: 'reopen', conversationId: 51, status: 'open' });
		expect(chooseConversation(list, INBOX, { ...options, reopenConversation: false })).toEqual({
			action: 'create',
			status: 'open',
		});
	});

	it('leaves the list it was given untouched', () => {
		const list = [conv(3, 'resolved', 1), conv(2, 'open', 2), conv(1, 'pending', 3)];
		const copy = JSON.parse(JSON.stringify(list));
		chooseConversation(list, INBOX, options);
		expect(list).toEqual(copy);
	});
});

describe('renderTruthTable', () => {
	const markdown = renderTruthTable(truthTableRows);
	const lines = markdown.trimEnd().split('\n');

	it('has a header, a separator and one row per case', () => {
		expect(lines).toHaveLength(2 + truthTableRows.length);
		expect(lines[0]).toMatch(/^\| .* \| `reopen_conversation` \| `conversation_pending` \| .* \|$/);
		expect(lines[1]).toBe('|---|---|---|---|');
		for (const line of lines.slice(2)) expect(line.split(' | ')).toHaveLength(4);
	});

	it('states every case in words', () => {
		truthTableRows.forEach((row, index) => {
			expect(lines[index + 2]).toContain(row.situation);
			expect(lines[index + 2]).toContain(`| ${row.reopen} | ${row.pending} |`);
		});
		expect(markdown).toContain('| no conversation | true | true | create a new conversation, `pending` |');
		expect(markdown).toContain('| true | false | reopen #10 as `open` |');
		expect(markdown).toContain('| false | true | use #11 as it is |');
	});
});
