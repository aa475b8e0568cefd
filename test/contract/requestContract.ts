/** Checks one ChatwootRequest against swagger.json plus the written list of undocumented facts. */
import type { ChatwootRequest } from '../../nodes/shared/chatwoot/request';
import { findOperation, loadSpec, matchPath, SchemaValidator, type Parameter, type Schema, type Spec, type Validation } from './openapi';
import { SPEC_DEVIATIONS, UNDOCUMENTED, type SpecDeviation, type Undocumented } from './undocumented';

export interface RequestVerdict {
	template?: string;
	problems: string[];
	/** Undocumented entries and tolerated deviations this request relied on. */
	used: Array<Undocumented | SpecDeviation>;
}

const spec: Spec = loadSpec();
const validator = new SchemaValidator(spec);

/** `payload[0].query_operator` → `payload[].query_operator`. */
function generic(path: string): string {
	return path.replace(/\[\d+\]/g, '[]');
}

function valueAt(root: unknown, path: string): unknown {
	return path
		.split(/\.|(?=\[)/)
		.filter(Boolean)
		.reduce<unknown>((acc, part) => {
			const index = /^\[(\d+)\]$/.exec(part);
			return (acc as Record<string, unknown> | undefined)?.[index ? Number(index[1]) : part];
		}, root);
}

/** A path or query value as the schema sees it: digits are numbers. */
function scalar(value: unknown): unknown {
	return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}

/**
 * Form values are strings; turn them into what the declared property expects, as OpenAPI's multipart encoding does
 * (primitives as text, objects as JSON). Undeclared fields stay strings; files become `<binary name>` placeholders.
 */
function multipartObject(multipart: NonNullable<ChatwootRequest['multipart']>, schema: Schema): Record<string, unknown> {
	const properties = validator.resolve(schema).properties ?? {};
	const out: Record<string, unknown> = {};
	const put = (name: string, value: unknown) => {
		const declared = properties[name] && validator.resolve(properties[name]);
		const types = ([] as string[]).concat(declared?.type ?? []);
		if (types.includes('array')) out[name] = [...((out[name] as unknown[]) ?? []), value];
		else out[name] = value;
	};
	for (const field of multipart.fields) {
		const declared = properties[field.name] && validator.resolve(properties[field.name]);
		const types = ([] as string[]).concat(declared?.type ?? []);
		let value: unknown = field.value;
		if (types.includes('boolean') && (field.value === 'true' || field.value === 'false')) value = field.value === 'true';
		else if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(field.value)) value = Number(field.value);
		else if (types.includes('object')) {
			try {
				value = JSON.parse(field.value);
			} catch {
				value = field.value;
			}
		}
		put(field.name, value);
	}
	for (const file of multipart.files) put(file.name, `<binary ${file.fileName}>`);
	return out;
}

function parameterProblems(parameters: Parameter[], where: 'path' | 'query', values: Record<string, unknown>, fields: string[]): string[] {
	const problems: string[] = [];
	for (const [name, value] of Object.entries(values)) {
		if (value === undefined) continue;
		const declared = parameters.find((p) => p.in === where && p.name === name);
		if (!declared) {
			if (!fields.includes(`${where}.${name}`)) problems.push(`${where} parameter "${name}" is not in the spec nor listed as undocumented`);
			continue;
		}
		if (declared.schema) {
			for (const error of validator.validate(declared.schema, scalar(value), `${where}.${name}`).errors) {
				problems.push(`${error.at} ${error.message}`);
			}
		}
	}
	for (const parameter of parameters) {
		if (parameter.in === where && parameter.required && values[parameter.name] === undefined) {
			problems.push(`${where} parameter "${parameter.name}" is required`);
		}
	}
	return problems;
}

function undocumentedEndpoint(method: string, path: string): { entry: Undocumented; pathParams: Record<string, string> } | undefined {
	for (const entry of UNDOCUMENTED.filter((e) => e.method === method && !e.fields)) {
		const match = matchPath({ paths: { [entry.path]: {} } } as unknown as Spec, path);
		if (match) return { entry, pathParams: match.pathParams };
	}
	return undefined;
}

export function validateRequest(request: ChatwootRequest): RequestVerdict {
	const problems: string[] = [];
	const used: RequestVerdict['used'] = [];
	if (request.path.includes('?')) problems.push('the query belongs in `query`, not in the path');
	if (request.body !== undefined && request.multipart) problems.push('both a JSON body and a multipart body');
	const path = request.path.split('?')[0];
	const found = findOperation(spec, validator, request.method, path);

	if (!found?.operation) {
		const undocumented = undocumentedEndpoint(request.method, path);
		if (!undocumented) {
			const reason = found ? `the spec has no ${request.method} on ${found.template}` : 'no spec path matches';
			return { problems: [...problems, `${request.method} ${path}: ${reason}, and it is not listed as undocumented`], used };
		}
		used.push(undocumented.entry);
		for (const [name, value] of Object.entries(undocumented.pathParams)) {
			if (!/^[1-9]\d*$/.test(value)) problems.push(`path.${name} expected a positive integer, got "${value}"`);
		}
		if (request.body !== undefined || undocumented.entry.body) {
			const result = validator.validate(undocumented.entry.body ?? { type: 'null' }, request.body ?? null);
			problems.push(...result.errors.map((e) => `${e.at} ${e.message}`), ...result.unknown.map((u) => `${u} is not a documented field`));
		}
		return { template: undocumented.entry.path, problems, used };
	}

	const { template, operation, parameters, pathParams } = found;
	const extras = UNDOCUMENTED.filter((e) => e.method === request.method && e.path === template && e.fields);
	const fields = extras.flatMap((e) => e.fields ?? []);
	problems.push(...parameterProblems(parameters, 'path', pathParams, fields));
	problems.push(...parameterProblems(parameters, 'query', request.query ?? {}, fields));

	const content = operation.requestBody?.content ?? {};
	let body: unknown;
	let result: Validation | undefined;
	if (request.multipart) {
		const media = content['multipart/form-data'];
		if (!media) problems.push(`${request.method} ${template} takes no multipart body`);
		else {
			body = multipartObject(request.multipart, media.schema);
			result = validator.validate(media.schema, body);
		}
	} else if (request.body !== undefined) {
		const media = content['application/json'];
		if (!media) problems.push(`${request.method} ${template} takes no JSON body`);
		else {
			body = request.body;
			result = validator.validate(media.schema, body);
		}
	} else if (operation.requestBody?.required) {
		problems.push(`${request.method} ${template} requires a body`);
	}

	for (const error of result?.errors ?? []) {
		const deviation = SPEC_DEVIATIONS.find(
			(d) =>
				d.method === request.method &&
				d.path === template &&
				d.field === generic(error.at) &&
				d.tolerate?.values.some((v) => v === valueAt(body, error.at)),
		);
		if (deviation) used.push(deviation);
		else problems.push(`${error.at} ${error.message}`);
	}
	for (const unknown of result?.unknown ?? []) {
		const entry = extras.find((e) => e.fields?.includes(generic(unknown)));
		if (entry) used.push(entry);
		else problems.push(`${unknown} is not in the spec nor listed as undocumented`);
	}
	return { template, problems, used };
}
