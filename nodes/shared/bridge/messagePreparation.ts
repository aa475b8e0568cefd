/**
 * One WhatsApp event as the Chatwoot message that the live sync and the import both post: the draft (content,
 * direction, `WAID:` source id, reply link, WhatsApp time), the media attached once the caller knows the event is new
 * (or a placeholder saying why it is not), and the quoted text shown where Chatwoot cannot link the reply. Where the
 * message goes and whether it is already there stay with the callers.
 */
import type { MessageInput } from '../chatwoot/client';
import { isCancellation } from '../cancellation';
import { settle } from '../settle';
import type { InboundEvent } from '../whatsapp/event';
import { draftInboundMessage, renderMediaPlaceholder, withQuotedFallback, type InboundMessageDraft } from './inboundContent';
import type { Texts } from './texts';

export interface LoadedMedia {
	data: Buffer;
	contentType: string;
	fileName: string;
}

/** Downloads or decodes the event's media; throws an Error whose message says why it could not. */
export type MediaLoader = (event: InboundEvent) => Promise<LoadedMedia>;

/** `placeholder`: post a readable placeholder and report the reason; `fail`: post nothing and throw MediaFailure. */
export type MediaFailurePolicy = 'placeholder' | 'fail';

export class MediaFailure extends Error {
	constructor(readonly event: InboundEvent, reason: string) {
		super(`WhatsApp message ${event.whatsappId}: media could not be attached: ${reason}`);
		this.name = 'MediaFailure';
	}
}

export class PreparedMessage {
	readonly draft: InboundMessageDraft;
	private readonly input: MessageInput;

	/** `texts`: the integration's language and templates (`textsFor`). */
	constructor(
		readonly event: InboundEvent,
		private readonly texts: Texts,
	) {
		this.draft = draftInboundMessage(event, texts);
		this.input = {
			content: this.draft.content,
			messageType: this.draft.messageType,
			sourceId: this.draft.sourceId,
			contentAttributes: this.draft.contentAttributes,
			externalCreatedAt: this.draft.externalCreatedAt,
		};
	}

	get sourceId(): string {
		return this.draft.sourceId;
	}

	/**
	 * Loads the event's media and attaches it; when it cannot be had, `placeholder` adds a line saying what and why to
	 * the content and returns that reason, `fail` throws MediaFailure. Called only once the event is known to be new,
	 * so a replay never downloads. A cancelled execution is thrown as it is: no placeholder for a Stop.
	 */
	async attachMedia(loadMedia: MediaLoader, onFailure: MediaFailurePolicy): Promise<string | undefined> {
		const { event, input } = this;
		if (event.kind !== 'message' || !event.media) return undefined;
		const loaded = await settle(loadMedia(event));
		if (loaded.ok) {
			const media = loaded.value;
			input.attachments = [{ fileName: media.fileName, contentType: media.contentType, data: media.data }];
			if (event.media.kind === 'voice') input.isVoiceMessage = true;
			return undefined;
		}
		if (isCancellation(loaded.error)) throw loaded.error;
		const reason = loaded.error instanceof Error ? loaded.error.message : String(loaded.error);
		if (onFailure === 'fail') throw new MediaFailure(event, reason);
		const placeholder = renderMediaPlaceholder(event, reason, this.texts);
		input.content = input.content ? `${input.content}\n\n${placeholder}` : placeholder;
		return reason;
	}

	/**
	 * The message for a conversation; `holds` says whether it holds a message (by source id). Where it holds the
	 * quoted message, Chatwoot links the reply; elsewhere Chatwoot drops the link, so the quoted text is shown above
	 * the content instead of losing the context. Without `holds`: a new conversation, which holds nothing yet.
	 */
	toPost(holds: (sourceId: string) => boolean = () => false): MessageInput {
		const { inReplyToSourceId, quotedTextFallback } = this.draft;
		if (!inReplyToSourceId || !quotedTextFallback || holds(inReplyToSourceId)) return { ...this.input };
		return { ...this.input, content: withQuotedFallback(this.input.content ?? '', quotedTextFallback) };
	}
}
