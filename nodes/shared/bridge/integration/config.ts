/**
 * The configuration of one instance's integration, with the field names the gateways' own Chatwoot integrations use
 * (VZaps, RyzeAPI). Stored on the instance's API inbox under `channel.additional_attributes[INTEGRATION_ATTRIBUTE]` so
 * every n8n process reads the same truth (docs/architecture.md, State). Secrets never go there: the token stays in
 * n8n's credentials.
 */
import { z } from 'zod';

import { normalizeJid } from '../../whatsapp/jid';
import { receivedType, type ZodIssueLike } from '../../zodIssues';
import { LANGUAGES, templateProblem } from '../texts';

/** The longest import window: ten years, far beyond any gateway's stored history, and a valid date for any clock. */
export const MAX_IMPORT_DAYS = 3650;

/** Template overrides: key → text; each key must be known and keep its placeholders (texts.ts). */
const templates = z
	.record(z.string().max(2000, 'must be at most 2000 characters'))
	.default({})
	.superRefine((value, context) => {
		for (const [key, text] of Object.entries(value)) {
			const problem = templateProblem(key, text);
			if (problem) context.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: problem });
		}
	});

/** Namespaced key inside the inbox's additional_attributes; other keys there belong to others and are kept. */
export const INTEGRATION_ATTRIBUTE = 'n8n_chatwoot_bridge';

const jid = z
	.string()
	.trim()
	.regex(
		/^([0-9A-Za-z.\-_:]+)?@(s\.whatsapp\.net|g\.us|lid|c\.us|broadcast|newsletter)$/,
		'expected a WhatsApp JID such as 5511999990001@s.whatsapp.net, 1203…@g.us, or a suffix like @g.us',
	);

export const integrationSettingsSchema = z
	.object({
		enabled: z.boolean().default(true),
		name_inbox: z.string().trim().min(1, 'must not be empty').max(255),
		sign_msg: z.boolean().default(false),
		sign_delimiter: z.string().max(50).default('\n'),
		number: z
			.string()
			.trim()
			.regex(/^(\+?[1-9]\d{6,14})?$/, 'expected a phone number in E.164, e.g. +5511999990000')
			.default(''),
		reopen_conversation: z.boolean().default(true),
		conversation_pending: z.boolean().default(false),
		import_contacts: z.boolean().default(false),
		import_messages: z.boolean().default(false),
		days_limit_import_messages: z
			.number()
			.int('must be a whole number')
			.min(1, 'must be at least 1')
			.max(MAX_IMPORT_DAYS, `must be at most ${MAX_IMPORT_DAYS} (ten years)`)
			.default(7),
		auto_create: z.boolean().default(true),
		organization: z.string().trim().max(255).default(''),
		logo: z
			.union([
				z.literal(''),
				z
					.string()
					.trim()
					.url('expected an http(s) URL')
					.refine((url) => /^https?:\/\//i.test(url), 'expected an http(s) URL'),
			])
			.default(''),
		/** Exact JIDs, or a bare suffix (`@g.us` = every group, `@s.whatsapp.net` = every 1:1 chat), as Evolution does. */
		ignore_jids: z.array(jid).default([]),
		ignore_groups: z.boolean().default(false),
		/** Treat +55 mobile numbers with and without the 9th digit as one contact (docs/peers.md, Brazil's 9th digit). */
		merge_brazil_contacts: z.boolean().default(false),
		/** The language of every text the bridge writes into Chatwoot (texts.ts). */
		language: z.enum(LANGUAGES, { errorMap: () => ({ message: `expected one of ${LANGUAGES.join(', ')}` }) }).default('en'),
		templates,
	})
	.strict();

export type IntegrationSettings = z.infer<typeof integrationSettingsSchema>;
export type IntegrationSettingsInput = z.input<typeof integrationSettingsSchema>;

/**
 * A record written before a rule existed (or by a newer version) still reads as configured: a window above the
 * maximum is read as the maximum, an unknown language as English, an override that no longer fits is left out.
 */
function readableStoredSettings(value: unknown): unknown {
	if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
	const settings = { ...(value as Record<string, unknown>) };
	const days = settings.days_limit_import_messages;
	if (typeof days === 'number' && days > MAX_IMPORT_DAYS) settings.days_limit_import_messages = MAX_IMPORT_DAYS;
	if (settings.language !== undefined && !LANGUAGES.includes(settings.language as never)) settings.language = 'en';
	const overrides = settings.templates;
	if (overrides && typeof overrides === 'object' && !Array.isArray(overrides)) {
		settings.templates = Object.fromEntries(
			Object.entries(overrides).filter(([key, text]) => typeof text === 'string' && !templateProblem(key, text)),
		);
	}
	return settings;
}

export const storedIntegrationSchema = z
	.object({
		version: z.literal(1),
		instance: z.string().min(1),
		integration_id: z.string().min(1),
		created_at: z.string(),
		updated_at: z.string(),
		/**
		 * Present while configured; absent after `delete`, which keeps only the instance binding. Read leniently
		 * (unknown keys dropped), so a record written by a newer version still counts as configured.
		 */
		settings: z.preprocess(readableStoredSettings, integrationSettingsSchema.strip()).optional(),
		removed_at: z.string().optional(),
	})
	.passthrough();

export type StoredIntegration = z.infer<typeof storedIntegrationSchema>;

export class InvalidSettingsError extends Error {
	constructor(
		readonly field: string,
		readonly reason: string,
	) {
		super(`invalid body: ${field}: ${reason}`);
		this.name = 'InvalidSettingsError';
	}
}

/** Validates builder input; the first problem becomes `invalid body: <field>: <reason>` (README, Errors). */
export function parseIntegrationSettings(input: unknown): IntegrationSettings {
	const result = integrationSettingsSchema.safeParse(input);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	const field = issue.path.length ? issue.path.join('.') : 'body';
	if (issue.code === 'unrecognized_keys') {
		throw new InvalidSettingsError(issue.keys.join(', '), `unknown field (known fields: ${Object.keys(integrationSettingsSchema.shape).join(', ')})`);
	}
	throw new InvalidSettingsError(field, settingsIssueReason(issue));
}

/** The reason of a builder-input issue, from a zod 3 or a zod 4 issue (zod 4 calls a whole number `int`). */
export function settingsIssueReason(issue: ZodIssueLike): string {
	if (issue.code !== 'invalid_type') return issue.message;
	const received = receivedType(issue);
	if (received === 'undefined') return 'is required';
	if (issue.expected === 'integer' || issue.expected === 'int') return 'must be a whole number';
	return `expected ${String(issue.expected)}, got ${received}`;
}

/** Reads our record out of an inbox's additional_attributes; anything malformed counts as "not configured". */
export function readStoredIntegration(
	additionalAttributes: Record<string, unknown> | null | undefined,
): StoredIntegration | undefined {
	const raw = additionalAttributes?.[INTEGRATION_ATTRIBUTE];
	const parsed = storedIntegrationSchema.safeParse(raw);
	return parsed.success ? parsed.data : undefined;
}

/** Returns the attributes with our record replaced and every foreign key kept (Chatwoot replaces the whole object). */
export function withStoredIntegration(
	additionalAttributes: Record<string, unknown> | null | undefined,
	record: StoredIntegration,
): Record<string, unknown> {
	return { ...(additionalAttributes ?? {}), [INTEGRATION_ATTRIBUTE]: record };
}

/** Entries as the normalizers write chats: WAHA's `@c.us` is `@s.whatsapp.net`, device suffixes dropped. */
function canonicalEntry(entry: string): string {
	if (entry.startsWith('@')) return entry === '@c.us' ? '@s.whatsapp.net' : entry;
	return normalizeJid(entry) ?? entry;
}

function suffixMatches(suffix: string, chat: { jid: string; isGroup: boolean; lid?: string }): boolean {
	// "Every 1:1 chat": a chat known only by its LID is a 1:1 chat too.
	if (suffix === '@s.whatsapp.net') return !chat.isGroup && !chat.jid.endsWith('@broadcast');
	if (suffix === '@lid') return chat.lid !== undefined || chat.jid.endsWith('@lid');
	return chat.jid.endsWith(suffix);
}

/** Whether a chat must stay out of Chatwoot per `ignore_groups` / `ignore_jids`. */
export function isChatIgnored(
	settings: Pick<IntegrationSettings, 'ignore_groups' | 'ignore_jids'>,
	chat: { jid: string; isGroup: boolean; lid?: string },
): string | undefined {
	if (settings.ignore_groups && chat.isGroup) return 'ignored: group chats are excluded (ignore_groups)';
	for (const entry of settings.ignore_jids) {
		const wanted = canonicalEntry(entry);
		const matches = wanted.startsWith('@')
			? suffixMatches(wanted, chat)
			: wanted === chat.jid || (chat.lid !== undefined && wanted === chat.lid);
		if (matches) return `ignored: chat ${chat.jid} matches ignore_jids entry ${entry}`;
	}
	return undefined;
}
