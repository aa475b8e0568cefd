/**
 * Just enough OpenAPI 3.1 to check a request against Chatwoot's swagger.json: path templates, methods, parameters,
 * and a validator for the JSON-schema subset the spec uses in request bodies (type incl. type arrays, properties,
 * required, enum, items, $ref to components, oneOf/anyOf/allOf, nullable, additionalProperties). Properties not
 * declared are allowed (the spec never sets `additionalProperties: false` on a request body) but REPORTED as
 * `unknown`, so every undocumented field we send must be listed in undocumented.ts.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

export type Schema = {
	$ref?: string;
	type?: string | string[];
	properties?: Record<string, Schema>;
	required?: string[];
	enum?: unknown[];
	items?: Schema;
	oneOf?: Schema[];
	anyOf?: Schema[];
	allOf?: Schema[];
	nullable?: boolean;
	additionalProperties?: boolean | Schema;
	format?: string;
	[key: string]: unknown;
};

export interface Parameter {
	name: string;
	in: 'path' | 'query' | 'header' | 'cookie';
	required?: boolean;
	schema?: Schema;
	$ref?: string;
}

export interface Operation {
	parameters?: Parameter[];
	requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
}

export interface Spec {
	paths: Record<string, Record<string, Operation | Parameter[]>>;
	components: { schemas: Record<string, Schema>; parameters: Record<string, Parameter> };
}

export function loadSpec(): Spec {
	return JSON.parse(readFileSync(join(__dirname, '../fixtures/chatwoot-api/swagger.json'), 'utf8')) as Spec;
}

export interface Problem {
	/** `payload[0].query_operator`, `message.source_id`, `(path)`, … */
	at: string;
	message: string;
}

export interface Validation {
	errors: Problem[];
	/** Paths of properties present in the value but declared by no schema at their level. */
	unknown: string[];
}

function child(path: string, key: string | number): string {
	return typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

function jsonType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value;
}

function typeMatches(expected: string, actual: string): boolean {
	return expected === actual || (expected === 'number' && actual === 'integer');
}

export class SchemaValidator {
	constructor(private readonly spec: Spec) {}

	resolve<T extends { $ref?: string }>(node: T): T {
		let current = node;
		for (let depth = 0; current.$ref; depth += 1) {
			if (depth > 20 || !current.$ref.startsWith('#/')) throw new Error(`unresolvable $ref ${current.$ref}`);
			const target = current.$ref
				.slice(2)
				.split('/')
				.reduce<unknown>((acc, part) => (acc as Record<string, unknown> | undefined)?.[part], this.spec);
			if (!target) throw new Error(`dangling $ref ${current.$ref}`);
			current = target as T;
		}
		return current;
	}

	/** Validates `value` and reports unknown properties at every level. */
	validate(schema: Schema, value: unknown, path = ''): Validation {
		const result = this.check(schema, value, path);
		return { errors: result.errors, unknown: [...result.unknown, ...this.unknownHere(result, value, path)] };
	}

	private unknownHere(result: Checked, value: unknown, path: string): string[] {
		if (!result.declared || jsonType(value) !== 'object') return [];
		return Object.keys(value as object)
			.filter((key) => !result.declared!.has(key))
			.map((key) => child(path, key));
	}

	/**
	 * `declared` is the set of property names this schema (with its allOf and matching oneOf/anyOf branches) declares
	 * for an object value; undefined when the object is free-form. The caller owning the level reports unknowns.
	 */
	private check(raw: Schema, value: unknown, path: string): Checked {
		const schema = this.resolve(raw);
		const errors: Problem[] = [];
		const unknown: string[] = [];
		let declared: Set<string> | undefined;
		const declare = (names: Iterable<string>) => {
			declared = new Set([...(declared ?? []), ...names]);
		};
		const actual = jsonType(value);

		const types = schema.type === undefined ? undefined : ([] as string[]).concat(schema.type);
		if (value === null && (schema.nullable || types?.includes('null'))) return { errors, unknown };
		if (types && !types.some((t) => typeMatches(t, actual))) {
			return { errors: [{ at: path || '(body)', message: `expected ${types.join('|')}, got ${actual}` }], unknown };
		}
		if (schema.enum && !schema.enum.some((option) => option === value)) {
			errors.push({ at: path || '(body)', message: `expected one of ${JSON.stringify(schema.enum)}, got ${JSON.stringify(value)}` });
		}

		if (actual === 'object') {
			const record = value as Record<string, unknown>;
			for (const name of schema.required ?? []) {
				if (record[name] === undefined) errors.push({ at: child(path, name), message: 'is required' });
			}
			if (schema.properties) {
				declare(Object.keys(schema.properties));
				for (const [name, propertySchema] of Object.entries(schema.properties)) {
					if (record[name] === undefined) continue;
					const nested = this.validate(propertySchema, record[name], child(path, name));
					errors.push(...nested.errors);
					unknown.push(...nested.unknown);
				}
			}
			const extra = Object.keys(record).filter((key) => !schema.properties?.[key]);
			if (schema.additionalProperties === false) {
				for (const key of extra) errors.push({ at: child(path, key), message: 'is not allowed' });
			} else if (typeof schema.additionalProperties === 'object') {
				declare(extra);
				for (const key of extra) {
					const nested = this.validate(schema.additionalProperties, record[key], child(path, key));
					errors.push(...nested.errors);
					unknown.push(...nested.unknown);
				}
			}
		}

		if (actual === 'array' && schema.items) {
			(value as unknown[]).forEach((item, index) => {
				const nested = this.validate(schema.items!, item, child(path, index));
				errors.push(...nested.errors);
				unknown.push(...nested.unknown);
			});
		}

		for (const branch of schema.allOf ?? []) {
			const nested = this.check(branch, value, path);
			errors.push(...nested.errors);
			unknown.push(...nested.unknown);
			if (nested.declared) declare(nested.declared);
		}

		for (const [keyword, branches] of [['oneOf', schema.oneOf], ['anyOf', schema.anyOf]] as const) {
			if (!branches) continue;
			const results = branches.map((branch) => this.check(branch, value, path));
			const passing = results.filter((r) => r.errors.length === 0);
			if (passing.length === 0) {
				const closest = results.reduce((a, b) => (b.errors.length < a.errors.length ? b : a));
				errors.push({ at: path || '(body)', message: `matches no ${keyword} branch (closest: ${closest.errors.map((e) => `${e.at} ${e.message}`).join('; ')})` });
			} else if (keyword === 'oneOf' && passing.length > 1) {
				errors.push({ at: path || '(body)', message: `matches ${passing.length} oneOf branches, expected exactly one` });
			}
			for (const r of passing) {
				unknown.push(...r.unknown);
				if (r.declared) declare(r.declared);
			}
		}

		return { errors, unknown, declared };
	}
}

interface Checked {
	errors: Problem[];
	unknown: string[];
	declared?: Set<string>;
}

export interface MatchedOperation {
	/** The spec's path template, e.g. `/api/v1/accounts/{account_id}/inboxes/{id}`. */
	template: string;
	pathParams: Record<string, string>;
	/** Undefined when the path exists but not with this method. */
	operation?: Operation;
	/** Path-level and operation-level parameters, resolved. */
	parameters: Parameter[];
}

/** The spec path matching a concrete path; literal segments beat `{params}` (e.g. `/contacts/search` vs `/contacts/{id}`). */
export function matchPath(spec: Spec, path: string): Omit<MatchedOperation, 'operation' | 'parameters'> | undefined {
	const segments = path.split('/');
	let best: { template: string; pathParams: Record<string, string>; literals: number } | undefined;
	for (const template of Object.keys(spec.paths)) {
		const parts = template.replace(/\/$/, '').split('/');
		if (parts.length !== segments.length) continue;
		const pathParams: Record<string, string> = {};
		let literals = 0;
		const matches = parts.every((part, i) => {
			const param = /^\{(.+)\}$/.exec(part);
			if (param) {
				pathParams[param[1]] = decodeURIComponent(segments[i]);
				return segments[i] !== '';
			}
			literals += 1;
			return part === segments[i];
		});
		if (matches && (!best || literals > best.literals)) best = { template, pathParams, literals };
	}
	return best && { template: best.template, pathParams: best.pathParams };
}

export function findOperation(spec: Spec, validator: SchemaValidator, method: string, path: string): MatchedOperation | undefined {
	const match = matchPath(spec, path);
	if (!match) return undefined;
	const item = spec.paths[match.template];
	const operation = item[method.toLowerCase()] as Operation | undefined;
	const shared = (item.parameters as Parameter[] | undefined) ?? [];
	const parameters = new Map<string, Parameter>();
	for (const raw of [...shared, ...(operation?.parameters ?? [])]) {
		const parameter = validator.resolve(raw);
		parameters.set(`${parameter.in}:${parameter.name}`, parameter);
	}
	return { ...match, operation, parameters: [...parameters.values()] };
}
