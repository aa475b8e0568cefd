/**
 * Times as Chatwoot answers them: REST gives unix seconds, webhooks ISO text, and a proxy or another build may give
 * milliseconds or a numeric string (docs/chatwoot-behaviour.md, Webhook payloads). One reader for every decision the
 * bridge takes on a Chatwoot time: the duplicate check's coverage, an agent echo's window, the import's pacing and
 * which conversation is the latest.
 */

/**
 * A time Chatwoot answers (unix seconds, milliseconds, a numeric string or ISO text) in unix seconds; `undefined`
 * when it is missing or not a time, so each caller decides what an unknown time means for it.
 */
export function chatwootSeconds(value: unknown): number | undefined {
	const number = typeof value === 'string' && Number.isNaN(Number(value)) ? Date.parse(value) / 1000 : Number(value);
	if (!Number.isFinite(number) || number <= 0) return undefined;
	return number > 1e12 ? number / 1000 : number;
}
