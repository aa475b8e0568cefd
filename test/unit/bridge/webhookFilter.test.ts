import { parseChatwootWebhook, type ChatwootWebhookEvent } from '../../../nodes/shared/chatwoot/webhook/parse';
import {
	classifyChatwootEvent,
	DEFAULT_SELECTED_EVENTS,
	OUTBOUND_KINDS,
	parseBridgeSourceId,
	type SelectedEvents,
} from '../../../nodes/shared/bridge/webhookFilter';
import { sample } from '../chatwoot-webhook/fixtures';

type Body = Record<string, any>;

const message = (changes: Body = {}, attributes?: Body): Body => {
	const body = { ...sample('message_created.outgoing_text.json'), ...changes };
	if (attributes) body.content_attributes = attributes;
	return body;
};
const updated = (changes: Body = {}, attributes: Body = {}): Body => message({ event: 'message_updated', ...changes }, attributes);
const deleted = (changes: Body = {}): Body => updated({ content: 'This message was deleted', ...changes }, { deleted: true });
const conversation = (changes: Body = {}): Body => ({ ...sample('conversation_status_changed.resolved.json'), ...changes });
const typing = (changes: Body = {}): Body => ({
	event: 'conversation_typing_on',
	user: { id: 3, name: 'Joana Souza', type: 'user' },
	conversation: sample('conversation_status_changed.resolved.json'),
	is_private: false,
	...changes,
});

function classify(body: Body, events: SelectedEvents = OUTBOUND_KINDS, inboxId: number | undefined = 7) {
	const event: ChatwootWebhookEvent = parseChatwootWebhook(body);
	const result = classifyChatwootEvent(event, { inboxId, events });
	return result.decision === 'emit' ? `emit:${result.kind}` : `ignore:${result.reason}`;
}

describe('classifyChatwootEvent: message_created (docs/chatwoot-behaviour.md, Sorting an arriving webhook, step 2)', () => {
	it.each([
		['an agent reply', message(), 'emit:send'],
		['a template (greeting, CSAT)', message({ message_type: 'template', sender: null }), 'emit:send'],
		['a bot reply', message({ sender: { id: 2, name: 'Bot', type: 'agent_bot' } }), 'emit:send'],
		['integer message_type 1', message({ message_type: 1 }), 'emit:send'],
		['attachments without text', { ...sample('message_created.outgoing_image.json'), content: null }, 'emit:send'],
		['a private note', message({ private: true }), 'ignore:private-note'],
		['a private note with a WAID source', message({ private: true, source_id: 'WAID:X' }), 'ignore:private-note'],
		['an incoming message', message({ message_type: 'incoming' }), 'ignore:incoming-message'],
		['an incoming message as integer 0', message({ message_type: 0 }), 'ignore:incoming-message'],
		['an activity message', message({ message_type: 2 }), 'ignore:activity-message'],
		['a phone-typed mirror (WAID:, external_echo)', message({ source_id: 'WAID:3EB0F1' }, { external_echo: true }), 'ignore:bridge-echo'],
		['an imported outgoing message (WAID:)', message({ source_id: 'WAID:3EB0F1' }), 'ignore:bridge-echo'],
		['a derived notice (WAID:<id>#edit@…)', message({ source_id: 'WAID:3EB0F1#edit@1781791407' }), 'ignore:bridge-echo'],
		['a template with a WAID source', message({ message_type: 'template', source_id: 'WAID:Y' }), 'ignore:bridge-echo'],
		['external_echo without WAID (another tool)', message({}, { external_echo: true }), 'ignore:external-echo'],
		['an empty message', message({ content: '  \n' }), 'ignore:empty-message'],
		['a null content without attachments', message({ content: null }), 'ignore:empty-message'],
		['a source id that only contains WAID', message({ source_id: 'xWAID:1' }), 'emit:send'],
	])('%s → %s', (_, body, expected) => {
		expect(classify(body)).toBe(expected);
	});
});

describe('classifyChatwootEvent: message_updated (§7.1 step 3)', () => {
	it.each([
		['a status PATCH echo', updated(), 'ignore:status-echo'],
		['a status echo of a mirrored message', updated({ source_id: 'WAID:3EB0F1' }), 'ignore:status-echo'],
		['a failed delivery', updated({}, { external_error: '500 Internal Server Error' }), 'ignore:failure-echo'],
		['a failed delivery of the delete itself', updated({}, { deleted: true, external_error: 'timeout' }), 'ignore:failure-echo'],
		['an update of an incoming message', updated({ message_type: 'incoming' }), 'ignore:incoming-message'],
		['an update of a private note', updated({ private: true }, { external_error: 'x' }), 'ignore:private-note'],
	])('%s → %s', (_, body, expected) => {
		expect(classify(body)).toBe(expected);
	});
});

describe('classifyChatwootEvent: deletions', () => {
	// The rule: revoke only what WhatsApp shows as sent by us. An agent/bot/template message, or a phone-typed mirror
	// (outgoing with WAID:<id>), may be revoked; the contact's message (incoming) is never ours to revoke; a derived
	// notice (WAID:<id>#kind@time) is not a WhatsApp message; a private note never left Chatwoot.
	it.each([
		['the sample (agent message)', sample('message_updated.deleted.json'), 'emit:delete'],
		['an agent message', deleted(), 'emit:delete'],
		['a bot message', deleted({ sender: { id: 2, name: 'Bot', type: 'agent_bot' } }), 'emit:delete'],
		['a template message', deleted({ message_type: 'template', sender: null }), 'emit:delete'],
		['a phone-typed mirror (outgoing, WAID:)', deleted({ source_id: 'WAID:3EB0F1' }), 'emit:delete'],
		['a contact message from WhatsApp (incoming, WAID:)', deleted({ message_type: 'incoming', source_id: 'WAID:ABC' }), 'ignore:incoming-message'],
		['an incoming message without source id', deleted({ message_type: 'incoming' }), 'ignore:incoming-message'],
		['a derived edit notice', deleted({ source_id: 'WAID:3EB0F1#edit@1781791407' }), 'ignore:derived-notice'],
		['a private note', deleted({ private: true }), 'ignore:private-note'],
		['an activity message', deleted({ message_type: 'activity' }), 'ignore:activity-message'],
	])('%s → %s', (_, body, expected) => {
		expect(classify(body)).toBe(expected);
	});

	it('is not emitted when the builder did not select deletes', () => {
		expect(classify(deleted(), ['send'])).toBe('ignore:not-selected');
	});
});

describe('classifyChatwootEvent: selection and inbox', () => {
	it('defaults to messages and deletes only', () => {
		expect(DEFAULT_SELECTED_EVENTS).toEqual(['send', 'delete']);
		expect(classify(message(), DEFAULT_SELECTED_EVENTS)).toBe('emit:send');
		expect(classify(conversation(), DEFAULT_SELECTED_EVENTS)).toBe('ignore:not-selected');
		expect(classify(typing(), DEFAULT_SELECTED_EVENTS)).toBe('ignore:not-selected');
	});

	it('names the echo reason before "not-selected"', () => {
		expect(classify(message({ private: true }), [])).toBe('ignore:private-note');
		expect(classify(message(), [])).toBe('ignore:not-selected');
	});

	it('filters by inbox only when one is configured', () => {
		expect(classify(message(), OUTBOUND_KINDS, 8)).toBe('ignore:other-inbox');
		expect(classify(message(), OUTBOUND_KINDS, undefined)).toBe('emit:send');
		expect(classify(conversation(), OUTBOUND_KINDS, 8)).toBe('ignore:other-inbox');
		expect(classify(typing(), OUTBOUND_KINDS, 8)).toBe('ignore:other-inbox');
		expect(classify({ event: 'webwidget_triggered' }, OUTBOUND_KINDS, 8)).toBe('ignore:unsupported-event');
	});

	it('uses the message inbox over the conversation inbox', () => {
		expect(classify(message({ inbox: { id: 8, name: 'Other' } }))).toBe('ignore:other-inbox');
	});
});

describe('classifyChatwootEvent: conversation and typing events (§7.1 step 4)', () => {
	it.each([
		['conversation_status_changed', conversation(), 'emit:conversationStatus'],
		['conversation_updated', conversation({ event: 'conversation_updated', changed_attributes: [] }), 'emit:conversationUpdate'],
		['conversation_created', conversation({ event: 'conversation_created' }), 'emit:conversationUpdate'],
		['an agent typing', typing(), 'emit:typing'],
		['an agent stopping', typing({ event: 'conversation_typing_off' }), 'emit:typing'],
		['an agent typing a note', typing({ is_private: true }), 'ignore:private-typing'],
		['the contact typing', typing({ user: { id: 42, name: 'Maria Silva', type: 'contact' } }), 'ignore:contact-typing'],
		['an unknown event', { event: 'webwidget_triggered' }, 'ignore:unsupported-event'],
	])('%s → %s', (_, body, expected) => {
		expect(classify(body)).toBe(expected);
	});

	it.each([
		['conversation_status_changed', conversation(), ['send', 'delete', 'conversationUpdate', 'typing']],
		['conversation_updated', conversation({ event: 'conversation_updated' }), ['send', 'delete', 'conversationStatus', 'typing']],
		['typing', typing(), ['send', 'delete', 'conversationStatus', 'conversationUpdate']],
	] as const)('%s is ignored unless selected', (_, body, events) => {
		expect(classify(body, events)).toBe('ignore:not-selected');
	});
});

describe('parseBridgeSourceId', () => {
	it.each([
		['WAID:3EB0F1', { whatsappId: '3EB0F1', derived: false }],
		['WAID:wamid.HBgMNTUxMTk4NzY1NDMyMRUCABIYFjNFQjA=', { whatsappId: 'wamid.HBgMNTUxMTk4NzY1NDMyMRUCABIYFjNFQjA=', derived: false }],
		['WAID:3EB0F1#edit@1781791407', { whatsappId: '3EB0F1', derived: true }],
		['WAID:', undefined],
		['WAID:#delete@1', undefined],
		['waid:3EB0F1', undefined],
		['3EB0F1', undefined],
		[null, undefined],
		[undefined, undefined],
	])('%p → %p', (sourceId, expected) => {
		expect(parseBridgeSourceId(sourceId)).toEqual(expected);
	});
});
