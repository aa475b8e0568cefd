/**
 * The contract between the Chatwoot client and whatever carries its HTTP: n8n's request helpers in production
 * (transport/), a plain Node HTTP client in tests and benchmarks. No n8n imports here.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface MultipartField {
	name: string;
	value: string;
}

export interface MultipartFile {
	name: string;
	fileName: string;
	contentType: string;
	data: Buffer;
}

export interface ChatwootRequest {
	method: HttpMethod;
	/** Path under the credential's base URL, e.g. `/api/v1/accounts/3/inboxes`. */
	path: string;
	query?: Record<string, string | number | boolean | undefined>;
	/** JSON body. Mutually exclusive with `multipart`. */
	body?: unknown;
	multipart?: { fields: MultipartField[]; files: MultipartFile[] };
	/** True when sending the request again cannot create a second effect (reads, lookups, PATCH of a status). */
	idempotent: boolean;
	/** Per-attempt timeout; the sender applies a default when absent. */
	timeoutMs?: number;
}

export interface ChatwootResponse {
	status: number;
	headers: Record<string, string | undefined>;
	/** Parsed JSON when the answer was JSON, the raw text otherwise, `undefined` when empty. */
	body: unknown;
}

/**
 * One HTTP exchange, no retries. Resolves for every HTTP status (4xx and 5xx included); rejects only when no answer
 * arrived, with an error whose `code` names the cause (`ECONNREFUSED`, `ENOTFOUND`, `ETIMEDOUT`, `ECONNRESET`, …).
 */
export type SendRequest = (request: ChatwootRequest) => Promise<ChatwootResponse>;
