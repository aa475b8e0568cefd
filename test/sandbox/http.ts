/**
 * Replies and the error bodies Chatwoot's controllers render (docs/chatwoot-behaviour.md, Tokens and error answers,
 * "Error bodies").
 */

export interface Reply {
	status: number;
	/** Objects are sent as JSON (Rails encoding), strings and buffers as they are. */
	body?: unknown;
	contentType?: string;
	headers?: Record<string, string>;
}

/** Thrown anywhere in a handler; the server turns it into the reply. */
export class HttpError extends Error {
	constructor(readonly reply: Reply) {
		super(`HTTP ${reply.status}`);
	}
}

export const json = (status: number, body: unknown): Reply => ({ status, body });

/** `head :not_found` and friends: a status with an empty body. */
export const head = (status: number): Reply => ({ status, body: '', contentType: 'text/plain' });

/** `RecordNotFound` rescued by Chatwoot's ApplicationController. */
export const notFound = (): HttpError => new HttpError(json(404, { error: 'Resource could not be found' }));

/** `render_unauthorized(message)`. */
export const unauthorized = (message: string): HttpError => new HttpError(json(401, { error: message }));

/** Pundit refusals (`rescue_from Pundit::NotAuthorizedError`). */
export const notAllowed = (): HttpError => unauthorized('You are not authorized to do this action');

/** `render_could_not_create_error` and other rescued errors: `422 {"error": "..."}`. */
export const unprocessable = (error: string): HttpError => new HttpError(json(422, { error }));

export interface FieldError {
	attribute: string;
	message: string;
}

/** `ActiveRecord::RecordInvalid` from `save!`: messages joined with ", ", attributes listed. */
export function recordInvalid(errors: FieldError[]): HttpError {
	return new HttpError(
		json(422, {
			message: errors.map((e) => e.message).join(', '),
			attributes: [...new Set(errors.map((e) => e.attribute))],
		}),
	);
}

/** What Rails' PublicExceptions renders: JSON when the client asked for JSON first, the static HTML page otherwise. */
export function railsErrorPage(status: 400 | 404 | 500, acceptsJson: boolean): Reply {
	const text = { 400: 'Bad Request', 404: 'Not Found', 500: 'Internal Server Error' }[status];
	if (acceptsJson) return json(status, { status, error: text });
	const title = {
		400: 'The request could not be understood.',
		404: "The page you were looking for doesn't exist.",
		500: "We're sorry, but something went wrong.",
	}[status];
	return {
		status,
		contentType: 'text/html; charset=UTF-8',
		body: `<!DOCTYPE html>\n<html>\n<head><title>${title}</title></head>\n<body><h1>${title}</h1></body>\n</html>\n`,
	};
}

/** A proxy in front of Chatwoot answering for it (502/503/504 faults). */
export function proxyErrorPage(status: number): Reply {
	const title = `${status} ${STATUS_TEXT[status] ?? 'Error'}`;
	return {
		status,
		contentType: 'text/html',
		body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
	};
}

const STATUS_TEXT: Record<number, string> = { 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' };

/** Rack::Attack's throttled response (§4). */
export function throttled(retryAfterSeconds: number): Reply {
	return {
		status: 429,
		contentType: 'text/plain',
		body: 'Retry later\n',
		headers: { 'retry-after': String(retryAfterSeconds) },
	};
}

/**
 * `to_json` in Rails escapes `<`, `>`, `&`, U+2028 and U+2029 (`escape_html_entities_in_json`). The webhook signature
 * covers these exact bytes, so a receiver that re-serialises the body will not verify it (§5.2).
 */
export function railsJson(value: unknown): string {
	return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => {
		return '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
	});
}
