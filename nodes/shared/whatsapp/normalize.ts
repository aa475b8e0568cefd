/**
 * Entry point: one gateway webhook body → canonical events and ignores (docs/architecture.md, The canonical models).
 * Pure: no I/O, no n8n.
 */
import { normalizeCloudBody, normalizeTriggerItem } from './cloud';
import { detectGateway, missingEnvelopeField, unwrapWebhookBody } from './detect';
import { WhatsAppPayloadError, describeValue } from './errors';
import type { Gateway, NormalizedItem } from './event';
import { normalizeEvolution } from './evolution';
import { obj } from './read';
import { normalizeWaha } from './waha';
import { normalizeWahaWithPolls } from './wahaPoll';

const EXPECTED =
	'expected an Evolution API body {event, instance, data}, a WAHA body {event, session, payload}, a WhatsApp Cloud API ' +
	'body {object: "whatsapp_business_account", entry} or an n8n WhatsApp Trigger item {messaging_product, metadata, field}';

/**
 * Normalizes one webhook body. `gateway` forces the reader; without it the gateway is detected. Throws only
 * `WhatsAppPayloadError` (with the offending `field`), never a TypeError, whatever the input.
 */
export function normalizeWhatsApp(body: unknown, gateway?: Gateway): NormalizedItem[] {
	const input = unwrapWebhookBody(body);
	const chosen = gateway ?? detectGateway(input);
	switch (chosen) {
		case 'evolution':
			return normalizeEvolution(input);
		case 'waha':
			return normalizeWahaWithPolls(input, normalizeWaha);
		case 'cloud':
		case 'n8nWhatsAppTrigger':
			// Labelled by what arrived: a raw body is `cloud`, a single change item is the n8n trigger's.
			return obj(input)?.object !== undefined ? normalizeCloudBody(input) : normalizeTriggerItem(input);
		case undefined:
			throw new WhatsAppPayloadError(
				missingEnvelopeField(input),
				`Unrecognized WhatsApp webhook body: ${EXPECTED}; got ${describeValue(input)}.`,
			);
		default:
			throw new WhatsAppPayloadError(
				'gateway',
				`Unknown gateway "${String(chosen)}"; expected evolution, waha, cloud or n8nWhatsAppTrigger.`,
			);
	}
}
