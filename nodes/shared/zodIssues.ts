/**
 * A zod issue as both majors shape it: zod comes from the host n8n (2.8.4 has zod 3 at the top of its node_modules; a
 * later one may have zod 4). A failed union is
 * `unionErrors` (zod 3) or `errors` (zod 4); zod 4's invalid_type has no `received`, only its message says it.
 */
export interface ZodIssueLike {
	code: string;
	path: ReadonlyArray<PropertyKey>;
	message: string;
	expected?: unknown;
	received?: unknown;
	unionErrors?: ReadonlyArray<{ issues: ReadonlyArray<ZodIssueLike> }>;
	errors?: ReadonlyArray<ReadonlyArray<ZodIssueLike>>;
}

/** The first alternative's first problem, with its full path (zod 3's is full already, zod 4's is below the union). */
function firstUnionIssue(issue: ZodIssueLike): ZodIssueLike | undefined {
	const zod3 = issue.unionErrors?.[0]?.issues[0];
	if (zod3) return { ...zod3, path: zod3.path.length ? zod3.path : issue.path };
	const zod4 = issue.errors?.[0]?.[0];
	return zod4 && { ...zod4, path: [...issue.path, ...zod4.path] };
}

export function receivedType(issue: ZodIssueLike): string {
	if (issue.received !== undefined) return String(issue.received);
	return /received (\w+)/.exec(issue.message)?.[1] ?? 'something else';
}

/** `payload[0].id expected number, got string`: the first zod issue, named by its path. */
export function describeZodIssue(issue: ZodIssueLike): string {
	const inner = issue.code === 'invalid_union' ? firstUnionIssue(issue) : undefined;
	if (inner) return describeZodIssue(inner);
	const where = issue.path.reduce<string>(
		(acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
		'',
	);
	const what =
		issue.code === 'invalid_type' ? `expected ${String(issue.expected)}, got ${receivedType(issue)}` : issue.message;
	return `${where || '(body)'} ${what}`;
}
