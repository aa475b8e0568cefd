/** A fake SendRequest that records every request and answers from a script or from Chatwoot-shaped fixtures. */
import type { ChatwootRequest, ChatwootResponse, SendRequest } from '../../nodes/shared/chatwoot/request';
import * as fixtures from '../fixtures/chatwoot-api/responses';

export type Answer = ChatwootResponse | Error | ((request: ChatwootRequest) => ChatwootResponse | Error);

export interface RecordingSend extends SendRequest {
	requests: ChatwootRequest[];
}

export function reply(status: number, body?: unknown, headers: Record<string, string> = {}): ChatwootResponse {
	const contentType = body === undefined ? {} : { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json; charset=utf-8' };
	return { status, headers: { ...contentType, ...headers }, body };
}

/** What a transport rejects with when no answer came: an error with a `code`. */
export function noAnswer(code: string, message = 'No answer from Chatwoot'): Error {
	return Object.assign(new Error(message), { code });
}

const ROUTES: Array<[string, RegExp, unknown]> = [
	['GET', /^\/api\/v1\/profile$/, fixtures.profile],
	['GET', /\/inboxes$/, { payload: [fixtures.webInbox, fixtures.apiInbox] }],
	['GET', /\/inboxes\/\d+$/, fixtures.apiInbox],
	['POST', /\/inboxes$/, fixtures.apiInbox],
	['PATCH', /\/inboxes\/\d+$/, fixtures.apiInbox],
	['POST', /\/inboxes\/\d+\/reset_secret$/, fixtures.apiInbox],
	['DELETE', /\/inboxes\/\d+$/, { message: 'Your inbox deletion request will be processed in some time.' }],
	['POST', /\/contact_inboxes\/filter$/, fixtures.contact],
	['POST', /\/contacts\/filter$/, fixtures.contactList],
	['GET', /\/contacts\/search$/, fixtures.contactList],
	['POST', /\/contacts$/, fixtures.contactCreateResult],
	['PUT', /\/contacts\/\d+$/, { payload: fixtures.contact }],
	['POST', /\/contacts\/\d+\/contact_inboxes$/, fixtures.contact.contact_inboxes[0]],
	['GET', /\/contacts\/\d+\/conversations$/, { payload: [fixtures.conversation] }],
	['GET', /\/conversations\/\d+$/, fixtures.conversation],
	['POST', /\/conversations$/, fixtures.conversation],
	['POST', /\/conversations\/\d+\/toggle_status$/, fixtures.toggleStatusResult],
	['GET', /\/conversations\/\d+\/messages$/, fixtures.messageList],
	['POST', /\/conversations\/\d+\/messages$/, fixtures.message],
	['PATCH', /\/conversations\/\d+\/messages\/\d+$/, fixtures.message],
	['DELETE', /\/conversations\/\d+\/messages\/\d+$/, fixtures.message],
];

/** A 200 with the fixture for the route, or a JSON 404 like Chatwoot's for anything unknown. */
export function fixtureAnswer(request: ChatwootRequest): ChatwootResponse {
	const route = ROUTES.find(([method, pattern]) => method === request.method && pattern.test(request.path));
	return route ? reply(200, route[2]) : reply(404, { error: 'Resource could not be found' });
}

/**
 * Answers from `script` in order (the last one repeats); with no script, from the fixtures. A function answer is
 * called with the request; an Error answer is rejected (no answer).
 */
export function createRecordingSend(...script: Answer[]): RecordingSend {
	const requests: ChatwootRequest[] = [];
	const send = (async (request: ChatwootRequest) => {
		requests.push(request);
		const next = script.length === 0 ? fixtureAnswer : script[Math.min(requests.length, script.length) - 1];
		const answer = typeof next === 'function' ? next(request) : next;
		if (answer instanceof Error) throw answer;
		return answer;
	}) as RecordingSend;
	send.requests = requests;
	return send;
}

/** A fake sleep that records what it was asked to wait and returns at once. */
export function fakeSleep(): ((ms: number) => Promise<void>) & { waits: number[] } {
	const waits: number[] = [];
	const sleep = (async (ms: number) => {
		waits.push(ms);
	}) as ((ms: number) => Promise<void>) & { waits: number[] };
	sleep.waits = waits;
	return sleep;
}
