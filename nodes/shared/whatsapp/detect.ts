/** Which gateway sent a webhook body, from the envelope shape alone (README "Field paths"). */
import type { Gateway } from './event';
import { isEvolutionGoBody } from './evolutionGo';
import { arr, obj, text, type Obj } from './read';

/**
 * What the node may be handed: the body itself, a JSON string of it, or a whole n8n Webhook node item
 * `{headers, params, query, body}` when the builder mapped `$json` instead of `$json.body`.
 */
export function unwrapWebhookBody(input: unknown): unknown {
	let value = input;
	if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
		try {
			value = JSON.parse(value) as unknown;
		} catch {
			return input;
		}
	}
	const item = obj(value);
	if (item && obj(item.body) && obj(item.headers) && !detectShape(item)) return item.body;
	return value;
}

function detectShape(b: Obj): Gateway | undefined {
	if (b.object === 'whatsapp_business_account' && arr(b.entry)) return 'cloud';
	if (text(b.field) && (b.messaging_product === 'whatsapp' || obj(b.metadata))) return 'n8nWhatsAppTrigger';
	if (text(b.event) && text(b.session) && obj(b.payload)) return 'waha';
	// Evolution Go (whatsmeow `data.Info`) is normalized by the Evolution normalizer (docs/gateways.md, Evolution Go).
	if (isEvolutionGoBody(b)) return 'evolution';
	if (text(b.event) && (text(b.instance) || obj(b.instance)) && b.data !== undefined && b.data !== null) return 'evolution';
	return undefined;
}

/**
 * Evolution: `event` + `instance` + `data` (Evolution Go: `event` + `data.Info`). WAHA: `event` + `session` +
 * `payload`. Cloud API: `object: "whatsapp_business_account"` + `entry[]`. n8n WhatsApp Trigger item: a change value
 * (`messaging_product`/`metadata`) with `field` at the top level. `undefined` when none matches.
 */
export function detectGateway(body: unknown): Gateway | undefined {
	const b = obj(unwrapWebhookBody(body));
	return b ? detectShape(b) : undefined;
}

/** The first envelope field that is missing, for the error of an undetectable body. */
export function missingEnvelopeField(body: unknown): string {
	const b = obj(body);
	if (!b) return 'body';
	if (b.object !== undefined) return 'body.entry';
	if (b.field !== undefined) return 'body.metadata';
	if (b.event === undefined) return 'body.event';
	if (b.session !== undefined) return 'body.payload';
	if (b.payload !== undefined) return 'body.session';
	if (b.instance !== undefined) return 'body.data';
	return 'body.instance';
}
