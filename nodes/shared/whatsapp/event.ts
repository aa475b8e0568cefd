/**
 * The canonical inbound event: what every gateway normalizer produces and what the planner consumes.
 * Field names are part of the node's output, so keep them stable.
 */

export type Gateway = 'evolution' | 'waha' | 'cloud' | 'n8nWhatsAppTrigger';

export type EventKind = 'message' | 'edit' | 'delete' | 'reaction' | 'ack';

export type MediaKind = 'image' | 'video' | 'audio' | 'voice' | 'document' | 'sticker';

export interface ChatRef {
	/** The chat's JID: `5511…@s.whatsapp.net`, `…@g.us`, or `…@lid` when no phone is known. Cloud API group ids are kept as given. */
	jid: string;
	/** E.164 with `+`, only when the payload really carries the phone (never LID digits). */
	phone?: string;
	isGroup: boolean;
	/** Push name of a 1:1 contact, or the group subject when the payload has it. */
	name?: string;
	/** The chat's LID when the payload also named one (kept so a later `@lid`-only event maps to the same contact). */
	lid?: string;
}

export interface SenderRef {
	jid?: string;
	phone?: string;
	name?: string;
	/** The sender's LID when the payload also named one (same reason as `ChatRef.lid`: group participants change addressing). */
	lid?: string;
}

export interface Media {
	kind: MediaKind;
	mimeType: string;
	fileName?: string;
	/** Where to download it. `headers` carry what the gateway needs (e.g. WAHA's X-Api-Key is the builder's to add). */
	url?: string;
	base64?: string;
	/** Gateway media id that needs a second call to resolve (Cloud API), when neither url nor base64 is present. */
	mediaId?: string;
	sizeBytes?: number;
}

export interface Location {
	latitude: number;
	longitude: number;
	name?: string;
	address?: string;
	live?: boolean;
}

export interface SharedContact {
	name: string;
	phones: string[];
}

export type AckStatus = 'sent' | 'delivered' | 'read' | 'played' | 'failed';

export interface InboundEvent {
	gateway: Gateway;
	kind: EventKind;
	/** The gateway's connected account (Evolution instance, WAHA session, Cloud phone_number_id). */
	instance?: string;
	/** Bare WhatsApp message id of this event (for edit/delete/reaction/ack: the id of the event itself when it has one). */
	whatsappId: string;
	chat: ChatRef;
	fromMe: boolean;
	/** True when the gateway says the message was sent through its API (Evolution `send.message`, WAHA `source: "api"`). */
	viaApi?: boolean;
	/**
	 * True when this is the second of two announcements a gateway makes of one message (WAHA sends an incoming
	 * message as `message` and again as `message.any`): this copy waits for the first and checks Chatwoot.
	 */
	alsoAnnounced?: boolean;
	sender: SenderRef;
	/** Unix seconds. */
	timestamp: number;
	text?: string;
	media?: Media;
	replyTo?: { whatsappId: string; quotedText?: string };
	location?: Location;
	contacts?: SharedContact[];
	/** For `reaction`: the emoji (empty string = reaction removed) and the reacted message. */
	reaction?: { emoji: string; targetId: string };
	/** For `edit`: the edited message and its new text (in `text`). For `delete`: the deleted message. */
	targetId?: string;
	ack?: { status: AckStatus; error?: string };
	/** Set when the WhatsApp type is not understood: the original type name, shown in a readable placeholder. */
	unsupportedType?: string;
}

/** What a normalizer returns for one gateway item: events (a Cloud change can hold several), or ignores with reasons. */
export type NormalizedItem =
	| { type: 'event'; event: InboundEvent }
	| { type: 'ignore'; reason: string; whatsappId?: string };
