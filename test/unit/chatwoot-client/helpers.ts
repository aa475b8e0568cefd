import { ChatwootClient } from '../../../nodes/shared/chatwoot/client';
import { ChatwootError } from '../../../nodes/shared/chatwoot/errors';
import type { ChatwootRequest } from '../../../nodes/shared/chatwoot/request';
import { createChatwootHttp, type ChatwootHttpOptions } from '../../../nodes/shared/chatwoot/retry';
import { TOKEN } from '../../fixtures/chatwoot-api/responses';
import { createRecordingSend, fakeSleep, type Answer } from '../../support/recordingSend';

export const BASE_URL = 'https://chatwoot.example.com';
export { TOKEN };

export function setup(script: Answer[], options: Partial<ChatwootHttpOptions> = {}) {
	const send = createRecordingSend(...script);
	const sleep = fakeSleep();
	const http = createChatwootHttp(send, {
		baseUrl: BASE_URL,
		accountId: 1,
		sleep,
		random: () => 0.5,
		secrets: [TOKEN],
		...options,
	});
	const client = new ChatwootClient({ http, accountId: 1 });
	return { send, sleep, http, client };
}

export const listInboxes: ChatwootRequest = { method: 'GET', path: '/api/v1/accounts/1/inboxes', idempotent: true };
export const postMessage: ChatwootRequest = {
	method: 'POST',
	path: '/api/v1/accounts/1/conversations/12/messages',
	idempotent: false,
	body: { content: 'hi', message_type: 'incoming' },
};

/** The ChatwootError a promise rejects with (fails the test when it resolves or rejects with something else). */
export async function rejection(promise: Promise<unknown>): Promise<ChatwootError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof ChatwootError) return error;
		throw error;
	}
	throw new Error('expected a ChatwootError, but the call succeeded');
}
