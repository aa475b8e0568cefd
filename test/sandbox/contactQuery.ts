/**
 * Contact search and filter semantics (docs/chatwoot-behaviour.md, Contacts). Search is SQL LIKE/ILIKE with `%q%`, so
 * `%` and `_` in the query are wildcards and hits are substrings; filter compares exactly, per condition, with SQL
 * precedence (AND binds tighter than OR).
 */
import { unprocessable } from './http';
import { isObject, str, type ParamValue } from './params';
import type { ContactRecord } from './types';

/** SQL LIKE pattern → RegExp (`%` any run, `_` one char, `\` escapes). */
export function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
	let source = '';
	for (let i = 0; i < pattern.length; i++) {
		const ch = pattern[i];
		if (ch === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]);
		else if (ch === '%') source += '[\\s\\S]*';
		else if (ch === '_') source += '[\\s\\S]';
		else source += escapeRegExp(ch);
	}
	return new RegExp(`^${source}$`, caseInsensitive ? 'i' : '');
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** `name ILIKE :q OR email ILIKE :q OR phone_number ILIKE :q OR identifier LIKE :q` with `%#{q.strip}%`. */
export function searchMatcher(q: string): (contact: ContactRecord) => boolean {
	const pattern = `%${q.trim()}%`;
	const ilike = likeToRegExp(pattern, true);
	const like = likeToRegExp(pattern, false);
	return (c) =>
		ilike.test(c.name) ||
		(c.email != null && ilike.test(c.email)) ||
		(c.phone_number != null && ilike.test(c.phone_number)) ||
		(c.identifier != null && like.test(c.identifier));
}

/** `resolved_contacts`: only contacts with an email, phone or identifier are searched by the filter (§3.2). */
export const isResolvedContact = (c: ContactRecord): boolean =>
	Boolean(c.email) || Boolean(c.phone_number) || Boolean(c.identifier);

const STANDARD_KEYS = ['name', 'email', 'phone_number', 'identifier', 'created_at', 'last_activity_at', 'blocked'];

interface Condition {
	key: string;
	operator: string;
	values: string[];
	queryOperator: string | null;
}

function parseConditions(payload: ParamValue | undefined): Condition[] {
	if (!Array.isArray(payload)) throw unprocessable('Invalid filter payload');
	return payload.map((raw) => {
		if (!isObject(raw)) throw unprocessable('Invalid filter payload');
		const key = str(raw.attribute_key) ?? '';
		if (!STANDARD_KEYS.includes(key)) throw unprocessable(`Invalid attribute key - [${key}]`);
		const values = Array.isArray(raw.values) ? raw.values.map((v) => str(v) ?? '') : [str(raw.values) ?? ''];
		return {
			key,
			operator: str(raw.filter_operator) ?? 'equal_to',
			values,
			queryOperator: str(raw.query_operator)?.toLowerCase() ?? null,
		};
	});
}

/** Phone values are normalised to "+" and digits before comparing (§3.2). */
function normaliseValue(key: string, value: string): string {
	if (key === 'phone_number') return `+${value.replace(/[^\d]/g, '')}`;
	return value.toLowerCase();
}

function attributeOf(contact: ContactRecord, key: string): string | null {
	const value = (contact as unknown as Record<string, unknown>)[key];
	if (value == null) return null;
	return key === 'phone_number' ? String(value) : String(value).toLowerCase();
}

function evaluate(contact: ContactRecord, condition: Condition): boolean {
	const actual = attributeOf(contact, condition.key);
	const values = condition.values.map((v) => normaliseValue(condition.key, v));
	switch (condition.operator) {
		case 'equal_to':
			return actual != null && values.includes(actual);
		case 'not_equal_to':
			return actual == null || !values.includes(actual);
		case 'contains':
			return actual != null && values.some((v) => actual.includes(v.replace(/^\+/, '')));
		case 'does_not_contain':
			return actual == null || !values.some((v) => actual.includes(v.replace(/^\+/, '')));
		case 'starts_with':
			return actual != null && values.some((v) => actual.startsWith(v));
		case 'is_present':
			return actual != null && actual !== '';
		case 'is_not_present':
			return actual == null || actual === '';
		default:
			throw unprocessable(`Invalid operator - [${condition.operator}]`);
	}
}

export function filterMatcher(payload: ParamValue | undefined): (contact: ContactRecord) => boolean {
	const conditions = parseConditions(payload);
	if (conditions.length === 0) return () => true;
	// Split into OR-groups of AND-chains: the query operator of condition i joins it with condition i + 1.
	const groups: Condition[][] = [[]];
	conditions.forEach((condition, index) => {
		groups[groups.length - 1].push(condition);
		const joiner = condition.queryOperator;
		if (index < conditions.length - 1 && joiner === 'or') groups.push([]);
	});
	return (contact) => groups.some((group) => group.every((condition) => evaluate(contact, condition)));
}
