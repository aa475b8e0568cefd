/**
 * `list` of the Chatwoot Bridge Integration node: which integrations to report, read from the account's inboxes, and
 * the status of each (active, paused or error) with the checks behind it. Pure: the node fetches, this judges.
 */
import { ChatwootError, displayUrl, instanceNotFound, integrationNotConfigured } from '../../chatwoot/errors';
import type { Inbox, Profile } from '../../chatwoot/schemas';
import type { IntegrationSettings } from './config';
import { locateIntegration } from './locator';
import { expectedWebhookUrl, isApiInbox, recordOf, webhookOf, type IntegrationRecord } from './records';

export interface ListedIntegration {
	inbox: Inbox;
	record: IntegrationRecord & { settings: IntegrationSettings };
}

/**
 * The configured integrations to report, read from the account's inboxes only, so every n8n process answers the
 * same: the one of `instance` (404 `instance not found` / 404 `no chatwoot integration for this instance`), or with
 * no instance every configured integration on the account's API inboxes. A deleted inbox takes its record with it.
 */
export function integrationsToList(inboxes: Inbox[], instance?: string): ListedIntegration[] {
	if (!instance) {
		const listed: ListedIntegration[] = [];
		for (const inbox of inboxes.filter(isApiInbox).sort((a, b) => a.id - b.id)) {
			const record = recordOf(inbox);
			if (record?.settings) listed.push({ inbox, record: record as ListedIntegration['record'] });
		}
		return listed;
	}
	const located = locateIntegration(inboxes, instance);
	if (!located) {
		throw instanceNotFound(
			`${instance}: no API inbox of this account holds its integration (an inbox deleted in Chatwoot takes the integration with it; run Set to create it again)`,
		);
	}
	if (!located.stored?.settings) {
		throw integrationNotConfigured(
			'instance',
			`inbox ${located.inbox.id} "${located.inbox.name}" holds no configuration for instance "${instance}"`,
		);
	}
	return [{ inbox: located.inbox, record: located.stored as ListedIntegration['record'] }];
}

/** The token as shown to people: its first and last two characters (`te…en`), nothing for short tokens. */
export function maskToken(token: string): string {
	return token.length >= 12 ? `${token.slice(0, 2)}…${token.slice(-2)}` : '…';
}

/** What the live check (`GET /api/v1/profile` within the time limit) found. */
export type LiveCheck =
	| { done: true; profile: Profile }
	| { done: false; error: ChatwootError | Error; timedOut: boolean };

export interface StatusInput {
	listed: ListedIntegration;
	connection: { baseUrl: string; accountId: number; token: string };
	live: LiveCheck;
	checkedAt: string;
}

export interface IntegrationStatus {
	instance: string;
	status: 'active' | 'paused' | 'error';
	last_error: string;
	integration_id: string;
	enabled: boolean;
	created_at: string;
	updated_at: string;
	chatwoot_base_url: string;
	chatwoot_account_id: number;
	chatwoot_inbox_id: number;
	chatwoot_inbox_name: string;
	token_masked: string;
	webhook_url: string | null;
	expected_webhook_url: string | null;
	sign_messages: boolean;
	ignore_groups: boolean;
	start_as_pending: boolean;
	reopen_resolved: boolean;
	settings: IntegrationSettings;
	checks: {
		inbox_exists: boolean;
		webhook_url_matches: boolean | null;
		token_accepted: boolean | null;
		admin_scope: boolean | null;
		secret_present: boolean | null;
		live: boolean;
	};
	warnings: string[];
	checked_at: string;
}

/**
 * Status of one integration (docs/integration-node.md, list): `error` when something keeps it from working (inbox
 * deleted, webhook_url drifted from the recorded URL, no signing secret visible, token without admin scope), else
 * `paused` when `enabled` is false, else `active`. `last_error` lists the problems; `warnings` what may still need
 * doing.
 */
export function integrationStatus(input: StatusInput): IntegrationStatus {
	const { listed, connection, live } = input;
	const { inbox, record } = listed;
	const settings = record.settings;
	const problems: string[] = [];
	const warnings: string[] = [];
	const expected = expectedWebhookUrl(record) ?? null;
	const current = webhookOf(inbox) ?? null;
	const where = `inbox ${inbox.id} "${inbox.name}"`;

	let webhookMatches: boolean | null = null;
	let secretPresent: boolean | null = null;
	if (expected !== null) {
		webhookMatches = current === expected;
		if (!webhookMatches) {
			problems.push(
				`the webhook_url of ${where} is ${current ? `"${current}"` : 'empty'} but the integration expects "${expected}"; run Set again or re-activate the Chatwoot Bridge Trigger`,
			);
		}
	} else if (current === null) {
		warnings.push(
			`${where} has no webhook_url: agent replies will not reach WhatsApp until a Chatwoot Bridge Trigger for this instance is activated or Set is given a Webhook URL`,
		);
	}
	secretPresent = typeof inbox.secret === 'string' && inbox.secret !== '';
	if (!secretPresent) {
		problems.push(
			`Chatwoot shows no webhook signing secret for ${where}: the API token is not an administrator's, or Chatwoot is older than 4.13 (unsigned deliveries)`,
		);
	}

	let tokenAccepted: boolean | null = true; // the inbox list was read with it
	let adminScope: boolean | null = null;
	if (live.done) {
		tokenAccepted = true;
		const membership = live.profile.accounts.find((account) => account.id === connection.accountId);
		adminScope = membership?.role === 'administrator';
		if (!adminScope) {
			problems.push(
				`the API token's user is ${membership ? `"${membership.role ?? 'unknown'}"` : 'not a member'} on account ${connection.accountId}, not an administrator: Set, Delete and the Trigger need admin scope`,
			);
		}
	} else if (live.error instanceof ChatwootError && (live.error.kind === 'tokenRejected' || live.error.kind === 'forbidden')) {
		tokenAccepted = live.error.kind === 'forbidden';
		problems.push(`live check failed: ${live.error.message}`);
	} else {
		const why = live.timedOut ? 'did not finish within the time limit' : `failed: ${live.error.message}`;
		warnings.push(`live check of the API token ${why}; status is based on the stored configuration and the inbox list`);
	}

	return {
		instance: record.instance,
		status: problems.length ? 'error' : settings.enabled ? 'active' : 'paused',
		last_error: problems.join('; '),
		integration_id: record.integration_id,
		enabled: settings.enabled,
		created_at: record.created_at,
		updated_at: record.updated_at,
		chatwoot_base_url: displayUrl(connection.baseUrl),
		chatwoot_account_id: connection.accountId,
		chatwoot_inbox_id: inbox.id,
		chatwoot_inbox_name: inbox.name,
		token_masked: maskToken(connection.token),
		webhook_url: current,
		expected_webhook_url: expected,
		sign_messages: settings.sign_msg,
		ignore_groups: settings.ignore_groups,
		start_as_pending: settings.conversation_pending,
		reopen_resolved: settings.reopen_conversation,
		settings,
		checks: {
			inbox_exists: true,
			webhook_url_matches: webhookMatches,
			token_accepted: tokenAccepted,
			admin_scope: adminScope,
			secret_present: secretPresent,
			live: live.done,
		},
		warnings,
		checked_at: input.checkedAt,
	};
}
