/**
 * Contacts (docs/chatwoot-behaviour.md, Contacts). The race that matters: phone and email are unique by VALIDATION only
 * (a SELECT before the INSERT, so two concurrent creates can both pass), while `identifier` and the contact inbox
 * `(inbox_id, source_id)` also have a database index: the loser of a race gets HTTP 500 and its whole transaction
 * (the new contact too) is rolled back.
 */
import { accountOf, canSeeInbox, requireAdministrator } from './auth';
import { buildContactInbox } from './contactInboxes';
import { filterMatcher, isResolvedContact, searchMatcher } from './contactQuery';
import type { Core } from './core';
import { Txn } from './db';
import { json, notFound, recordInvalid, unprocessable, type FieldError } from './http';
import { findInbox } from './inboxes';
import { castBoolean, int, present, str, toJsonObject, type Params } from './params';
import type { RequestContext, Route } from './router';
import { contactJson, conversationJson, inboxRowJson } from './serializers';
import type { ContactInboxRecord, ContactRecord } from './types';

const RESULTS_PER_PAGE = 15;
/** `validates :phone_number, format: /\+[1-9]\d{1,14}\z/` — note: not anchored at the start (§3.2). */
const E164 = /\+[1-9]\d{1,14}$/;
/** Devise.email_regexp */
const EMAIL = /^[^@\s]+@[^@\s]+$/;

export const identifierKey = (accountId: number, identifier: string): string => `${accountId}|${identifier}`;

type ContactFields = Pick<
	ContactRecord,
	'name' | 'email' | 'phone_number' | 'identifier' | 'blocked' | 'additional_attributes' | 'custom_attributes'
>;

/** Permitted params, with `prepare_contact_attributes` (email lower-cased, "" → NULL). */
function permittedFields(params: Params): Partial<ContactFields> {
	const fields: Partial<ContactFields> = {};
	if (params.name !== undefined) fields.name = str(params.name) ?? '';
	if (params.email !== undefined) {
		const email = str(params.email);
		fields.email = email && email.trim() !== '' ? email.toLowerCase() : null;
	}
	if (params.phone_number !== undefined) fields.phone_number = str(params.phone_number) ?? null;
	// Guess (README): a blank identifier is stored as NULL so it cannot collide in the unique index.
	if (params.identifier !== undefined) fields.identifier = present(str(params.identifier)) ? str(params.identifier)! : null;
	if (params.blocked !== undefined) fields.blocked = castBoolean(params.blocked) ?? false;
	if (params.additional_attributes !== undefined) fields.additional_attributes = toJsonObject(params.additional_attributes);
	if (params.custom_attributes !== undefined) fields.custom_attributes = toJsonObject(params.custom_attributes);
	return fields;
}

/** Contact validations in model order (email, identifier, phone, name); uniqueness sees committed rows only. */
function validate(core: Core, accountId: number, fields: ContactFields, selfId?: number): FieldError[] {
	const others = [...core.store.contacts.values()].filter((c) => c.account_id === accountId && c.id !== selfId);
	const errors: FieldError[] = [];
	if (fields.email) {
		if (others.some((c) => c.email?.toLowerCase() === fields.email!.toLowerCase())) {
			errors.push({ attribute: 'email', message: 'Email has already been taken' });
		}
		if (!EMAIL.test(fields.email)) errors.push({ attribute: 'email', message: 'Email Invalid email' });
	}
	if (fields.identifier && others.some((c) => c.identifier === fields.identifier)) {
		errors.push({ attribute: 'identifier', message: 'Identifier has already been taken' });
	}
	if (fields.phone_number) {
		if (others.some((c) => c.phone_number === fields.phone_number)) {
			errors.push({ attribute: 'phone_number', message: 'Phone number has already been taken' });
		}
		if (!E164.test(fields.phone_number)) {
			errors.push({ attribute: 'phone_number', message: 'Phone number should be in e164 format' });
		}
	}
	if (fields.name.length > 255) errors.push({ attribute: 'name', message: 'Name is too long (maximum is 255 characters)' });
	return errors;
}

export function findContact(ctx: RequestContext, id: unknown): ContactRecord {
	const contact = ctx.core.store.contacts.get(Number(id));
	if (!contact || contact.account_id !== accountOf(ctx).id) throw notFound();
	return contact;
}

function page(ctx: RequestContext): { number: number; echo: string | number } {
	// `@current_page = params[:page] || 1`: echoed back as given, a string when sent (§3.2).
	const raw = str(ctx.params.page);
	return { number: Math.max(1, int(raw) ?? 1), echo: raw ?? 1 };
}

/** Default listing order: most recent activity first, contacts without activity last (a guess, README). */
function byActivity(a: ContactRecord, b: ContactRecord): number {
	return (b.last_activity_at ?? -1) - (a.last_activity_at ?? -1) || a.id - b.id;
}

function includeContactInboxes(ctx: RequestContext): boolean {
	const raw = str(ctx.params.include_contact_inboxes);
	return raw === undefined || raw === '' ? true : raw === 'true';
}

async function createContact(ctx: RequestContext) {
	const core = ctx.core;
	const store = core.store;
	const account = accountOf(ctx);
	await core.gap();
	const fields: ContactFields = {
		name: '',
		email: null,
		phone_number: null,
		identifier: null,
		blocked: false,
		additional_attributes: {},
		custom_attributes: {},
		...permittedFields(ctx.params),
	};
	const errors = validate(core, account.id, fields);
	if (errors.length) throw recordInvalid(errors);
	// The validation SELECTs are done; the INSERT follows later. This gap is where concurrent creates interleave.
	await core.gap();
	const txn = new Txn();
	const now = Date.now();
	const contact: ContactRecord = {
		id: store.nextId('contacts'),
		account_id: account.id,
		...fields,
		last_activity_at: null,
		created_at: now,
		updated_at: now,
	};
	let contactInbox: ContactInboxRecord | undefined;
	try {
		if (contact.identifier) await store.contactIdentifierIndex.claim(identifierKey(account.id, contact.identifier), txn);
		txn.onCommit(() => store.contacts.set(contact.id, contact));
		if (present(ctx.params.inbox_id)) {
			const inbox = findInbox(ctx, ctx.params.inbox_id);
			contactInbox = await buildContactInbox(core, txn, contact, inbox, str(ctx.params.source_id));
		}
		txn.commit();
	} catch (error) {
		txn.rollback();
		throw error;
	}
	const inbox = contactInbox && store.inboxes.get(contactInbox.inbox_id);
	return json(200, {
		payload: {
			contact: contactJson(core, contact, true),
			contact_inbox: { inbox: inbox ? inboxRowJson(inbox) : null, source_id: contactInbox?.source_id ?? null },
		},
	});
}

async function updateContact(ctx: RequestContext) {
	const core = ctx.core;
	const store = core.store;
	const contact = findContact(ctx, ctx.pathParams.id);
	await core.gap();
	const changes = permittedFields(ctx.params);
	// custom_attributes and additional_attributes are MERGED into the stored ones (§3.2).
	if (changes.custom_attributes) changes.custom_attributes = { ...contact.custom_attributes, ...changes.custom_attributes };
	if (changes.additional_attributes) {
		changes.additional_attributes = { ...contact.additional_attributes, ...changes.additional_attributes };
	}
	const next: ContactFields = { ...contact, ...changes };
	const errors = validate(core, contact.account_id, next, contact.id);
	if (errors.length) throw recordInvalid(errors);
	await core.gap();
	const txn = new Txn();
	try {
		if (next.identifier && next.identifier !== contact.identifier) {
			await store.contactIdentifierIndex.claim(identifierKey(contact.account_id, next.identifier), txn);
		}
		txn.commit();
	} catch (error) {
		txn.rollback();
		throw error;
	}
	if (contact.identifier && contact.identifier !== next.identifier) {
		store.contactIdentifierIndex.release(identifierKey(contact.account_id, contact.identifier));
	}
	Object.assign(contact, next, { updated_at: Date.now() });
	return json(200, { payload: contactJson(core, contact, true) });
}

export function destroyContact(core: Core, contact: ContactRecord): void {
	const store = core.store;
	for (const conversation of [...store.conversations.values()]) {
		if (conversation.contact_id !== contact.id) continue;
		store.removeConversation(conversation.id);
	}
	for (const row of store.contactInboxesOf(contact.id)) {
		store.removeContactInbox(row);
	}
	if (contact.identifier) store.contactIdentifierIndex.release(identifierKey(contact.account_id, contact.identifier));
	store.contacts.delete(contact.id);
}

/** ContactMergeAction: the base keeps its values, blanks are filled from the mergee; everything moves to the base. */
function mergeContacts(ctx: RequestContext) {
	const store = ctx.core.store;
	const base = findContact(ctx, ctx.params.base_contact_id);
	const mergee = findContact(ctx, ctx.params.mergee_contact_id);
	if (base.id === mergee.id) throw unprocessable('Base contact and mergee contact must be different');
	for (const conversation of store.conversations.values()) {
		if (conversation.contact_id === mergee.id) conversation.contact_id = base.id;
	}
	for (const message of store.messages.values()) {
		if (message.sender_type === 'Contact' && message.sender_id === mergee.id) message.sender_id = base.id;
	}
	for (const row of store.contactInboxesOf(mergee.id)) row.contact_id = base.id;
	const pick = <K extends 'name' | 'email' | 'phone_number' | 'identifier'>(key: K) =>
		present(base[key]) ? base[key] : mergee[key];
	const merged = {
		name: pick('name') ?? '',
		email: pick('email'),
		phone_number: pick('phone_number'),
		identifier: pick('identifier'),
		additional_attributes: { ...mergee.additional_attributes, ...base.additional_attributes },
		custom_attributes: { ...mergee.custom_attributes, ...base.custom_attributes },
	};
	destroyContact(ctx.core, mergee);
	if (merged.identifier && merged.identifier !== base.identifier) {
		store.contactIdentifierIndex.claimCommitted(identifierKey(base.account_id, merged.identifier));
	}
	Object.assign(base, merged, { updated_at: Date.now() });
	return json(200, contactJson(ctx.core, base, false));
}

const base = '/api/v1/accounts/:account_id';

export const contactRoutes: Route[] = [
	{ method: 'POST', template: `${base}/contacts`, scope: 'account', handler: createContact },
	{
		method: 'GET',
		template: `${base}/contacts`,
		scope: 'account',
		handler: (ctx) => {
			const account = accountOf(ctx);
			const { number, echo } = page(ctx);
			const all = [...ctx.core.store.contacts.values()]
				.filter((c) => c.account_id === account.id && isResolvedContact(c))
				.sort(byActivity);
			const rows = all.slice((number - 1) * RESULTS_PER_PAGE, number * RESULTS_PER_PAGE);
			const withInboxes = includeContactInboxes(ctx);
			return json(200, {
				meta: { count: all.length, current_page: echo },
				payload: rows.map((c) => contactJson(ctx.core, c, withInboxes)),
			});
		},
	},
	{
		method: 'GET',
		template: `${base}/contacts/search`,
		scope: 'account',
		handler: (ctx) => {
			const account = accountOf(ctx);
			const q = str(ctx.params.q);
			if (!present(q)) throw unprocessable('Specify search string with parameter q');
			const { number, echo } = page(ctx);
			const matches = searchMatcher(q!);
			const all = [...ctx.core.store.contacts.values()]
				.filter((c) => c.account_id === account.id && matches(c))
				.sort(byActivity);
			// One extra row decides has_more; `count` is the size of THIS page, not the total.
			const slice = all.slice((number - 1) * RESULTS_PER_PAGE, number * RESULTS_PER_PAGE + 1);
			const hasMore = slice.length > RESULTS_PER_PAGE;
			const rows = slice.slice(0, RESULTS_PER_PAGE);
			const withInboxes = includeContactInboxes(ctx);
			return json(200, {
				meta: { count: rows.length, current_page: echo, has_more: hasMore },
				payload: rows.map((c) => contactJson(ctx.core, c, withInboxes)),
			});
		},
	},
	{
		method: 'POST',
		template: `${base}/contacts/filter`,
		scope: 'account',
		handler: (ctx) => {
			const account = accountOf(ctx);
			const matches = filterMatcher(ctx.params.payload);
			const { number, echo } = page(ctx);
			const all = [...ctx.core.store.contacts.values()]
				.filter((c) => c.account_id === account.id && isResolvedContact(c) && matches(c))
				.sort(byActivity);
			const rows = all.slice((number - 1) * RESULTS_PER_PAGE, number * RESULTS_PER_PAGE);
			const withInboxes = includeContactInboxes(ctx);
			return json(200, {
				meta: { count: all.length, current_page: echo },
				payload: rows.map((c) => contactJson(ctx.core, c, withInboxes)),
			});
		},
	},
	{
		method: 'GET',
		template: `${base}/contacts/:id`,
		scope: 'account',
		handler: (ctx) => json(200, { payload: contactJson(ctx.core, findContact(ctx, ctx.pathParams.id), true) }),
	},
	{ method: 'PUT', template: `${base}/contacts/:id`, scope: 'account', handler: updateContact },
	{ method: 'PATCH', template: `${base}/contacts/:id`, scope: 'account', handler: updateContact },
	{
		method: 'DELETE',
		template: `${base}/contacts/:id`,
		scope: 'account',
		handler: (ctx) => {
			const contact = findContact(ctx, ctx.pathParams.id);
			requireAdministrator(ctx);
			destroyContact(ctx.core, contact);
			return { status: 200, body: '', contentType: 'text/plain' };
		},
	},
	{
		method: 'GET',
		template: `${base}/contacts/:id/conversations`,
		scope: 'account',
		handler: (ctx) => {
			const contact = findContact(ctx, ctx.pathParams.id);
			const store = ctx.core.store;
			// All inboxes and statuses the token may see, newest activity first, at most 20 (§3.2).
			const conversations = [...store.conversations.values()]
				.filter((c) => c.contact_id === contact.id)
				.filter((c) => {
					const inbox = store.inboxes.get(c.inbox_id);
					return inbox !== undefined && canSeeInbox(ctx, inbox);
				})
				.sort((a, b) => b.last_activity_at - a.last_activity_at || b.id - a.id)
				.slice(0, 20);
			return json(200, { payload: conversations.map((c) => conversationJson(ctx.core, c)) });
		},
	},
	{ method: 'POST', template: `${base}/actions/contact_merge`, scope: 'account', handler: mergeContacts },
];

