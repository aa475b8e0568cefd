/**
 * The agent signature on messages sent to WhatsApp: `*Agent Name:*` + delimiter + text, as Evolution's `signMsg` /
 * `signDelimiter` do (docs/peers.md, Evolution API's built-in integration), without WAHA's `**:` for bot messages
 * (docs/peers.md, WAHA's ChatWoot App).
 */

export const DEFAULT_SIGN_DELIMITER = '\n';

export interface AgentSignatureOptions {
	signMsg: boolean;
	/** Placed between the signature and the text; `\n` typed literally in a text field counts as a newline. */
	signDelimiter?: string;
	agentName?: string | null;
	/**
	 * The webhook's `sender.type`: only `user` is a human agent (docs/chatwoot-behaviour.md, Webhook payloads); bots,
	 * Captain and automations (no sender) are not.
	 */
	senderType?: string | null;
}

/** `*Name:*` for a human agent with a usable name, otherwise undefined. */
export function agentSignature(options: Pick<AgentSignatureOptions, 'agentName' | 'senderType'>): string | undefined {
	if (options.senderType !== 'user') return undefined;
	// A `*` in the name would end WhatsApp's bold early.
	const name = (options.agentName ?? '').replace(/\*/g, '').replace(/\s+/g, ' ').trim();
	return name ? `*${name}:*` : undefined;
}

/**
 * Text with the signature applied. An empty text (a message with attachments only) gets the signature alone, so
 * that the media's caption still says who sent it, without a dangling delimiter. The caller sends no message at all
 * when there is neither text nor attachment.
 */
export function applyAgentSignature(text: string, options: AgentSignatureOptions): string {
	if (!options.signMsg) return text;
	const signature = agentSignature(options);
	if (!signature) return text;
	if (!text) return signature;
	const delimiter = (options.signDelimiter ?? DEFAULT_SIGN_DELIMITER).replace(/\\n/g, '\n');
	return `${signature}${delimiter}${text}`;
}
