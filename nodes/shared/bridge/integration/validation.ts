/**
 * Builder input of the Chatwoot Bridge Integration node checked before anything reaches Chatwoot: the settings, the
 * instance name and the webhook URL. Every problem is a 400 `invalid body: <field>: <reason>` (README, Errors).
 */
import { invalidBody } from '../../chatwoot/errors';
import { InvalidSettingsError, parseIntegrationSettings, type IntegrationSettings } from './config';

const WEBHOOK_URL_MAX = 2048;
const HTTP_URL = /^https?:\/\/[^/\s?#]+/i;

/** The settings as zod reads them, as a 400 ChatwootError naming the field when they are not valid. */
export function validateSettings(input: Record<string, unknown>): IntegrationSettings {
	const outcome = parseSettings(input);
	if (outcome instanceof InvalidSettingsError) throw invalidBody(outcome.field, outcome.reason);
	return outcome;
}

/** parseIntegrationSettings with its (only) failure as a value. */
function parseSettings(input: Record<string, unknown>): IntegrationSettings | InvalidSettingsError {
	try {
		return parseIntegrationSettings(input);
	} catch (error) {
		return error instanceof InvalidSettingsError
			? error
			: new InvalidSettingsError('body', error instanceof Error ? error.message : String(error));
	}
}

/**
 * `''` → undefined; otherwise an http(s) URL Chatwoot accepts (at most 2048 characters, docs/chatwoot-behaviour.md,
 * Limits).
 */
export function validateWebhookUrl(field: string, value: unknown): string | undefined {
	const url = typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : undefined;
	if (url === undefined) throw invalidBody(field, 'expected a URL as text');
	if (url === '') return undefined;
	if (!HTTP_URL.test(url)) throw invalidBody(field, 'expected an http(s) URL, e.g. the Chatwoot Bridge Trigger\'s production URL');
	if (url.length > WEBHOOK_URL_MAX) throw invalidBody(field, `at most ${WEBHOOK_URL_MAX} characters (got ${url.length})`);
	return url;
}

/** An instance name: trimmed, not empty. */
export function validateInstance(value: unknown): string {
	const instance = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	if (instance === '') throw invalidBody('instance', 'must not be empty');
	if (instance.length > 255) throw invalidBody('instance', 'at most 255 characters');
	return instance;
}

/**
 * `ignore_jids` as a builder types it: a JSON array, or JIDs separated by commas, semicolons, spaces or new lines.
 * Each entry is then checked by the settings schema (`invalid body: ignore_jids.0: …`).
 */
export function parseJidList(value: unknown): unknown {
	if (Array.isArray(value) || value === undefined || value === null) return value ?? [];
	if (typeof value !== 'string') return value;
	const text = value.trim();
	if (text === '') return [];
	if (text.startsWith('[')) {
		try {
			return JSON.parse(text) as unknown;
		} catch {
			throw invalidBody('ignore_jids', 'is not a valid JSON array; give ["…@g.us", …] or a comma-separated list');
		}
	}
	return text.split(/[\s,;]+/).filter((entry) => entry !== '');
}
