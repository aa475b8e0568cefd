import { agentSignature, applyAgentSignature, DEFAULT_SIGN_DELIMITER } from '../../../nodes/shared/bridge/signature';

const ON = { signMsg: true, signDelimiter: '\n' };

describe('applyAgentSignature', () => {
	it.each([
		['a human agent', { ...ON, agentName: 'Joana Souza', senderType: 'user' }, 'Oi', '*Joana Souza:*\nOi'],
		['the default delimiter', { signMsg: true, agentName: 'Joana', senderType: 'user' }, 'Oi', '*Joana:*\nOi'],
		['a custom delimiter', { signMsg: true, signDelimiter: ' — ', agentName: 'Joana', senderType: 'user' }, 'Oi', '*Joana:* — Oi'],
		['a blank-line delimiter', { signMsg: true, signDelimiter: '\n\n', agentName: 'Joana', senderType: 'user' }, 'Oi', '*Joana:*\n\nOi'],
		['a literal "\\n" typed in a text field', { signMsg: true, signDelimiter: '\\n', agentName: 'Joana', senderType: 'user' }, 'Oi', '*Joana:*\nOi'],
		['signing off', { signMsg: false, signDelimiter: '\n', agentName: 'Joana', senderType: 'user' }, 'Oi', 'Oi'],
		['an agent bot', { ...ON, agentName: 'Atendente Virtual', senderType: 'agent_bot' }, 'Oi', 'Oi'],
		['Captain', { ...ON, agentName: 'Captain', senderType: 'captain_assistant' }, 'Oi', 'Oi'],
		['an automation (sender null)', { ...ON, agentName: undefined, senderType: null }, 'Oi', 'Oi'],
		['a contact', { ...ON, agentName: 'Maria', senderType: undefined }, 'Oi', 'Oi'],
		['an empty name (never "**:")', { ...ON, agentName: '', senderType: 'user' }, 'Oi', 'Oi'],
		['a blank name', { ...ON, agentName: '   ', senderType: 'user' }, 'Oi', 'Oi'],
		['a name of stars only', { ...ON, agentName: '**', senderType: 'user' }, 'Oi', 'Oi'],
		['stars and spaces in a name', { ...ON, agentName: ' Joana  *VIP* ', senderType: 'user' }, 'Oi', '*Joana VIP:*\nOi'],
		['an attachment-only message: the signature alone', { ...ON, agentName: 'Joana', senderType: 'user' }, '', '*Joana:*'],
		['an attachment-only bot message', { ...ON, agentName: 'Bot', senderType: 'agent_bot' }, '', ''],
	])('%s', (_, options, text, expected) => {
		expect(applyAgentSignature(text, options)).toBe(expected);
	});

	it('defaults to a newline', () => {
		expect(DEFAULT_SIGN_DELIMITER).toBe('\n');
		expect(agentSignature({ agentName: 'Joana', senderType: 'user' })).toBe('*Joana:*');
		expect(agentSignature({ agentName: 'Joana', senderType: 'agent_bot' })).toBeUndefined();
	});
});
