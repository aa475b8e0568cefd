/**
 * Renders the conversation-choice truth table (the rows the unit test checks) as Markdown for the README, so the
 * documentation and the tested behaviour cannot drift.
 */
import type { ConversationChoice } from '../../../nodes/shared/bridge/conversationChoice';

export interface TruthTableRow {
	/** What the contact already has in the instance's inbox, in words (conversation ids in `#n`). */
	situation: string;
	/** `reopen_conversation` */
	reopen: boolean;
	/** `conversation_pending` */
	pending: boolean;
	expected: ConversationChoice;
}

export function describeChoice(choice: ConversationChoice): string {
	switch (choice.action) {
		case 'use':
			return `use #${choice.conversationId} as it is`;
		case 'reopen':
			return `reopen #${choice.conversationId} as \`${choice.status}\``;
		case 'create':
			return `create a new conversation, \`${choice.status}\``;
	}
}

function cell(text: string): string {
	return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderTruthTable(rows: readonly TruthTableRow[]): string {
	const lines = [
		'| the contact has, in this inbox | `reopen_conversation` | `conversation_pending` | the message goes to |',
		'|---|---|---|---|',
		...rows.map(
			(row) => `| ${cell(row.situation)} | ${row.reopen} | ${row.pending} | ${cell(describeChoice(row.expected))} |`,
		),
	];
	return `${lines.join('\n')}\n`;
}
