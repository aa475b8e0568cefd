/**
 * Contact inboxes (docs/chatwoot-behaviour.md, Contact inboxes): unique on `(inbox_id, source_id)` in the database.
 * Chatwoot's ContactInboxBuilder does `where(contact, inbox, source_id).first_or_create!`; a source_id owned by ANOTHER
 * contact of an API inbox raises RecordNotUnique, which nobody rescues: HTTP 500 (the id is only "stolen" for email,
 * SMS and WhatsApp channels).
 */
import { randomUUID } from 'crypto';
import { accountOf, authorizeInbox } from './auth';
import type { Core } from './core';
import { Txn } from './db';
import { head, json, notFound } from './http';
import { findInbox } from './inboxes';
import { present, str } from './params';
import type { RequestContext, Route } from './router';
import { contactInboxJson, contactJson } from './serializers';
import { randomToken } from './state';
import type { ContactInboxRecord, ContactRecord, InboxRecord } from './types';

export const sourceKey = (inboxId: number, sourceId: string): string => `${inboxId}|${sourceId}`;

/**
 * ContactInboxBuilder#perform inside `txn`. Returns the existing row for the same contact (idempotent), otherwise
 * inserts; the index entry is taken at INSERT time, so a concurrent twin waits and then fails (UniqueViolation).
 */
export async function buildContactInbox(
	core: Core,
	txn: Txn,
	contact: ContactRecord,
	inbox: InboxRecord,
	sourceId: string | undefined,
): Promise<ContactInboxRecord> {
	const store = core.store;
	// No format check for API inboxes: stored verbatim; a missing one becomes a random UUID (§3.3).
	const source = sourceId && sourceId !== '' ? sourceId : randomUUID();
	const existing = store.findContactInbox(inbox.id, source);
	if (existing && existing.contact_id === contact.id) return existing;
	await core.gap();
	const now = Date.now();
	const row: ContactInboxRecord = {
		id: store.nextId('contact_inboxes'),
		contact_id: contact.id,
		inbox_id: inbox.id,
		source_id: source,
		hmac_verified: false,
		pubsub_token: randomToken(18),
		created_at: now,
		updated_at: now,
	};
	await store.contactInboxSourceIndex.claim(sourceKey(inbox.id, source), txn);
	txn.onCommit(() => store.addContactInbox(row));
	return row;
}

/** Runs the builder in its own transaction (for endpoints that create nothing else). */
export async function createContactInbox(
	core: Core,
	contact: ContactRecord,
	inbox: InboxRecord,
	sourceId: string | undefined,
): Promise<ContactInboxRecord> {
	const txn = new Txn();
	try {
		const row = await buildContactInbox(core, txn, contact, inbox, sourceId);
		txn.commit();
		return row;
	} catch (error) {
		txn.rollback();
		throw error;
	}
}

function findContact(ctx: RequestContext, id: unknown): ContactRecord {
	const contact = ctx.core.store.contacts.get(Number(id));
	if (!contact || contact.account_id !== accountOf(ctx).id) throw notFound();
	return contact;
}

const base = '/api/v1/accounts/:account_id';

export const contactInboxRoutes: Route[] = [
	{
		method: 'POST',
		template: `${base}/contacts/:id/contact_inboxes`,
		scope: 'account',
		handler: async (ctx) => {
			const contact = findContact(ctx, ctx.pathParams.id);
			const inbox = findInbox(ctx, ctx.params.inbox_id);
			authorizeInbox(ctx, inbox);
			await ctx.core.gap();
			const row = await createContactInbox(ctx.core, contact, inbox, str(ctx.params.source_id));
			return json(200, contactInboxJson(ctx.core, row));
		},
	},
	{
		// Not in swagger (§3.3): exact (inbox_id, source_id) lookup; empty-body 404 when absent.
		method: 'POST',
		template: `${base}/contact_inboxes/filter`,
		scope: 'account',
		handler: (ctx) => {
			const inbox = findInbox(ctx, ctx.params.inbox_id);
			authorizeInbox(ctx, inbox);
			const sourceId = str(ctx.params.source_id);
			const row = present(sourceId) ? ctx.core.store.findContactInbox(inbox.id, sourceId!) : undefined;
			const contact = row && ctx.core.store.contacts.get(row.contact_id);
			if (!contact) return head(404);
			return json(200, contactJson(ctx.core, contact, true));
		},
	},
];
