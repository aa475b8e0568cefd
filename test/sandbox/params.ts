/**
 * Request parameters the way Rails sees them: query string, JSON or form body, and multipart fields merged into
 * one nested hash (`content_attributes[in_reply_to]=5`, `attachments[]=...`).
 */

export interface UploadedFile {
	kind: 'file';
	filename: string;
	contentType: string;
	data: Buffer;
}

export type ParamValue = string | number | boolean | null | UploadedFile | ParamValue[] | Params;
export interface Params {
	[key: string]: ParamValue | undefined;
}

export function isFile(value: unknown): value is UploadedFile {
	return typeof value === 'object' && value !== null && (value as UploadedFile).kind === 'file';
}

export function isObject(value: unknown): value is Params {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !isFile(value);
}

/** Rack's nested-name parser: `a[b][]` → `{a: {b: [value]}}`, `a[][k]` → `{a: [{k: value}]}`. */
export function setNested(target: Params, name: string, value: ParamValue): void {
	const match = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(name);
	if (!match) {
		target[name] = value;
		return;
	}
	const keys = [match[1], ...[...match[2].matchAll(/\[([^\]]*)\]/g)].map((m) => m[1])];
	assign(target, keys, value);
}

function assign(node: Params, keys: string[], value: ParamValue): void {
	const [key, ...rest] = keys;
	if (rest.length === 0) {
		node[key] = value;
		return;
	}
	if (rest[0] === '') {
		const existing = node[key];
		const list: ParamValue[] = Array.isArray(existing) ? existing : (node[key] = []);
		if (rest.length === 1) {
			list.push(value);
			return;
		}
		const childKeys = rest.slice(1);
		const last = list[list.length - 1];
		if (isObject(last) && !(childKeys[0] in last)) assign(last, childKeys, value);
		else {
			const child: Params = {};
			list.push(child);
			assign(child, childKeys, value);
		}
		return;
	}
	const existing = node[key];
	const child: Params = isObject(existing) ? existing : (node[key] = {});
	assign(child, rest, value);
}

export function parseUrlEncoded(text: string): Params {
	const params: Params = {};
	const search = new URLSearchParams(text);
	for (const [name, value] of search) setNested(params, name, value);
	return params;
}

/** ActiveModel boolean cast: "false", "0", "f", "off" (any case) and false/0 are false; blank is nil. */
export function castBoolean(value: unknown): boolean | null {
	if (value === undefined || value === null || value === '') return null;
	if (typeof value === 'boolean') return value;
	if (typeof value === 'number') return value !== 0;
	if (typeof value === 'string') return !['false', '0', 'f', 'off'].includes(value.toLowerCase());
	return true;
}

/** Ruby's `present?`. */
export function present(value: unknown): boolean {
	if (value === undefined || value === null || value === false) return false;
	if (typeof value === 'string') return value.trim() !== '';
	if (Array.isArray(value)) return value.length > 0;
	if (isObject(value)) return Object.keys(value).length > 0;
	return true;
}

export function str(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return undefined;
}

/** `params[:x].to_i`-like lookup for ids; NaN-safe. */
export function int(value: unknown): number | undefined {
	const s = str(value);
	if (s === undefined || s.trim() === '') return undefined;
	const n = parseInt(s, 10);
	return Number.isNaN(n) ? undefined : n;
}

/** Plain JSON copy of a nested params hash (files dropped), for storing in jsonb-like columns. */
export function toJsonObject(value: unknown): Record<string, unknown> {
	if (!isObject(value)) return {};
	return JSON.parse(JSON.stringify(value, (_k, v) => (isFile(v) ? undefined : v)));
}
