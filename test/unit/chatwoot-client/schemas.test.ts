import {
	contactCreateResultSchema,
	conversationSchema,
	inboxListSchema,
	inboxSchema,
	messageSchema,
	toggleStatusResultSchema,
} from '../../../nodes/shared/chatwoot/schemas';
import * as fixtures from '../../fixtures/chatwoot-api/responses';
import { reply } from '../../support/recordingSend';
import { listInboxes, rejection, setup } from './helpers';

describe('answer shapes', () => {
	it('a mismatch names the path of the first issue', async () => {
		const { http } = setup([reply(200, { payload: [{ id: '7', name: 'x' }] })]);
		const error = await rejection(http(listInboxes, inboxListSchema));
		expect(error).toMatchObject({ kind: 'unexpectedResponse', httpCode: 502, chatwootStatus: 200, retryable: false });
		expect(error.message).toBe(
			'Chatwoot answered GET /api/v1/accounts/1/inboxes with an unexpected shape: payload[0].id expected number, got string',
		);
	});

	it('a login page instead of JSON is an unexpected shape of the whole body', async () => {
		const { http } = setup([reply(200, '<html>Chatwoot login</html>')]);
		const error = await rejection(http(listInboxes, inboxListSchema));
		expect(error.detail).toBe('(body) expected object, got string');
	});

	it('a missing required field is named', async () => {
		const { client } = setup([reply(200, { payload: { success: true, current_status: 'open' } })]);
		const error = await rejection(client.toggleConversationStatus(12, 'open'));
		expect(error.detail).toBe('payload.conversation_id expected number, got undefined');
	});

	it('accepts the fixtures (REST forms) and keeps unknown fields', () => {
		expect(inboxSchema.parse(fixtures.apiInbox)).toMatchObject({ secret: 'whsec-1234567890', hmac_token: 'hmac-abc' });
		expect(contactCreateResultSchema.parse(fixtures.contactCreateResult).payload.contact.contact_inboxes).toHaveLength(1);
		expect(conversationSchema.parse(fixtures.conversation)).toMatchObject({ id: 12, uuid: fixtures.conversation.uuid });
		expect(toggleStatusResultSchema.parse(fixtures.toggleStatusResult).payload.current_status).toBe('resolved');
	});

	it('accepts the webhook forms of message_type and created_at (docs/chatwoot-behaviour.md, Webhook payloads)', () => {
		expect(messageSchema.parse({ ...fixtures.message, message_type: 'incoming', created_at: '2026-06-17T10:00:00.000Z' }))
			.toMatchObject({ message_type: 'incoming' });
		expect(conversationSchema.parse({ ...fixtures.conversation, updated_at: 1760000100.123 })).toBeTruthy();
	});

	it('accepts the nulls Chatwoot sends for an inbox-less contact create and a non-admin inbox', () => {
		const noInbox = { payload: { contact: { ...fixtures.contact, contact_inboxes: [] }, contact_inbox: { inbox: null, source_id: null } } };
		expect(contactCreateResultSchema.parse(noInbox).payload.contact_inbox).toEqual({ inbox: null, source_id: null });
		const agentView: Record<string, unknown> = { ...fixtures.apiInbox };
		delete agentView.secret;
		delete agentView.hmac_token;
		expect(inboxSchema.parse(agentView).secret).toBeUndefined();
		expect(inboxSchema.parse({ ...fixtures.webInbox, additional_attributes: null })).toBeTruthy();
	});
});
