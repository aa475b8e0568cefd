/**
 * Message bodies for `POST /conversations/{id}/messages` and the `message` of `POST /conversations`: one builder for
 * JSON, one for multipart (attachments), sharing one validation of Chatwoot's limits (docs/chatwoot-behaviour.md,
 * Messages and Limits).
 */
import { compact } from './compact';
import { invalidBody } from './errors';
import type { MultipartField, MultipartFile } from './request';

/** The two types Chatwoot accepts on create; `incoming` only in API inboxes (docs/chatwoot-behaviour.md, Messages). */
export type MessageType = 'incoming' | 'outgoing';

export interface MessageAttachment {
	fileName: string;
	contentType: string;
	data: Buffer;
}

export interface MessageInput {
	content?: string;
	messageType: MessageType;
	private?: boolean;
	/**
	 * `WAID:<whatsapp id>` for messages from WhatsApp; stored verbatim, not unique (docs/chatwoot-behaviour.md, Identity
	 * and uniqueness).
	 */
	sourceId?: string;
	/** e.g. `in_reply_to_external_id`, `external_echo` (docs/chatwoot-behaviour.md, Messages). */
	contentAttributes?: Record<string, unknown>;
	/** Unix seconds; Chatwoot copies it into `content_attributes.external_created_at` (display only). */
	externalCreatedAt?: number;
	/**
	 * Tags the audio attachments as voice notes. Chatwoot v4 reads `is_voice_message` (a boolean, cast from the form
	 * string) and marks every audio attachment `meta.is_voice_message`; earlier builds read `is_recorded_audio` (a list
	 * of file names) and mark `meta.is_recorded_audio`. Both are sent: each build ignores the other (docs/voice-notes.md).
	 */
	isVoiceMessage?: boolean;
	attachments?: MessageAttachment[];
}

export const MAX_CONTENT_CHARS = 150_000;
export const MAX_ATTACHMENTS = 15;

function characterCount(text: string): number {
	// Chatwoot counts characters (code points), JS counts UTF-16 units: only count exactly when it can matter.
	return text.length <= MAX_CONTENT_CHARS ? text.length : Array.from(text).length;
}

function validate(input: MessageInput): void {
	if (input.messageType !== 'incoming' && input.messageType !== 'outgoing') {
		throw invalidBody('message_type', `expected incoming or outgoing (got "${String(input.messageType)}")`);
	}
	const attachments = input.attachments ?? [];
	const hasContent = input.content !== undefined && input.content !== '';
	if (!hasContent && attachments.length === 0) {
		throw invalidBody('content', 'required when the message has no attachments');
	}
	if (input.content !== undefined && characterCount(input.content) > MAX_CONTENT_CHARS) {
		throw invalidBody('content', `at most ${MAX_CONTENT_CHARS} characters (got ${characterCount(input.content)})`);
	}
	// Chatwoot checks this in an association callback, so the failure is not a clean 422 (docs/chatwoot-behaviour.md,
	// Limits): check first.
	if (attachments.length > MAX_ATTACHMENTS) {
		throw invalidBody('attachments', `at most ${MAX_ATTACHMENTS} per message (got ${attachments.length}); split them`);
	}
	attachments.forEach((file, index) => {
		if (!file.fileName) throw invalidBody(`attachments[${index}].fileName`, 'must not be empty');
		if (!Buffer.isBuffer(file.data)) throw invalidBody(`attachments[${index}].data`, 'expected a Buffer');
	});
}

/** The file names Chatwoot builds reading `is_recorded_audio` mark as recordings: the audio ones. */
function recordedAudio(input: MessageInput): string[] | undefined {
	if (!input.isVoiceMessage) return undefined;
	const names = (input.attachments ?? []).filter((file) => /^audio\//i.test(file.contentType)).map((file) => file.fileName);
	return names.length ? names : undefined;
}

/** Snake-case parameters, undefined ones left out. */
function parameters(input: MessageInput): Record<string, unknown> {
	return compact({
		content: input.content,
		message_type: input.messageType,
		private: input.private,
		source_id: input.sourceId,
		content_attributes: input.contentAttributes,
		external_created_at: input.externalCreatedAt,
		is_voice_message: input.isVoiceMessage,
		is_recorded_audio: recordedAudio(input),
	});
}

export function messageJson(input: MessageInput): Record<string, unknown> {
	validate(input);
	if (input.attachments?.length) throw invalidBody('attachments', 'files need a multipart body');
	return parameters(input);
}

/**
 * Form fields are strings: booleans as `true`/`false`, `content_attributes` as a JSON string
 * (docs/chatwoot-behaviour.md, Messages).
 */
export function messageMultipart(input: MessageInput): { fields: MultipartField[]; files: MultipartFile[] } {
	validate(input);
	const fields = Object.entries(parameters(input)).map(([name, value]) => ({
		name,
		value: typeof value === 'object' ? JSON.stringify(value) : String(value),
	}));
	const files = (input.attachments ?? []).map((file) => ({
		name: 'attachments[]',
		fileName: file.fileName,
		contentType: file.contentType,
		data: file.data,
	}));
	return { fields, files };
}
