/**
 * zod comes from the host n8n (2.8.4 ships zod 3.25.67 at the top of its node_modules, and zod 4.x deeper down): the
 * formatter of an unexpected Chatwoot answer must give the same message whichever major version built the schema.
 * zod 3 reports a failed union as `unionErrors: ZodError[]`, zod 4 as `errors: ZodIssue[][]`, and zod 4 drops
 * `received` from invalid_type issues (it is only in the message).
 */
import { readFileSync } from 'fs';

import * as zod3 from 'zod';
import * as zod4 from 'zod4';

import { settingsIssueReason } from '../../../nodes/shared/bridge/integration/config';
import { describeZodIssue } from '../../../nodes/shared/chatwoot/retry';

/** The few zod calls these tests use, the same in both majors. */
interface Z {
	object(shape: Record<string, unknown>): unknown;
	array(item: unknown): unknown;
	union(options: unknown[]): unknown;
	number(): { int(): unknown };
	string(): unknown;
}

const versions: Array<[string, Z, string]> = [
	['zod 3', zod3.z as unknown as Z, '3'],
	['zod 4', zod4.z as unknown as Z, '4'],
];

function firstIssue(schema: unknown, value: unknown): Parameters<typeof describeZodIssue>[0] {
	const result = (schema as { safeParse(v: unknown): { success: boolean; error?: { issues: unknown[] } } }).safeParse(value);
	if (result.success) throw new Error('expected the value to be rejected');
	return result.error!.issues[0] as Parameters<typeof describeZodIssue>[0];
}

describe.each(versions)('describeZodIssue with %s', (_label, z, major) => {
	it('runs on the major it says', () => {
		const manifest = require.resolve(major === '3' ? 'zod/package.json' : 'zod4/package.json');
		const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
		expect(version.startsWith(`${major}.`)).toBe(true);
	});

	it('a wrong type deep in a list names its path and both types', () => {
		const schema = z.object({ payload: z.array(z.object({ id: z.number() })) });
		expect(describeZodIssue(firstIssue(schema, { payload: [{ id: '7' }] }))).toBe('payload[0].id expected number, got string');
	});

	it('a missing field is "got undefined"; a wrong body is "(body)"', () => {
		const schema = z.object({ payload: z.object({ conversation_id: z.number() }) });
		expect(describeZodIssue(firstIssue(schema, { payload: {} }))).toBe('payload.conversation_id expected number, got undefined');
		expect(describeZodIssue(firstIssue(schema, '<html>Chatwoot login</html>'))).toBe('(body) expected object, got string');
	});

	it('a failed union reports its first alternative\'s problem at the union\'s path, without throwing', () => {
		const schema = z.object({ created_at: z.union([z.number(), z.string()]) });
		expect(describeZodIssue(firstIssue(schema, { created_at: true }))).toBe('created_at expected number, got boolean');
		const nested = z.object({ message: z.union([z.object({ id: z.number() }), z.string()]) });
		expect(describeZodIssue(firstIssue(nested, { message: { id: null } }))).toBe('message.id expected number, got null');
	});

	it('the integration settings say "is required", "must be a whole number" or both types', () => {
		const schema = z.object({ days_limit_import_messages: z.number().int(), name_inbox: z.string() });
		const valid = { days_limit_import_messages: 3, name_inbox: 'WhatsApp' };
		expect(settingsIssueReason(firstIssue(schema, { days_limit_import_messages: 3 }))).toBe('is required');
		expect(settingsIssueReason(firstIssue(schema, { ...valid, days_limit_import_messages: 1.5 }))).toBe('must be a whole number');
		expect(settingsIssueReason(firstIssue(schema, { ...valid, name_inbox: 5 }))).toBe('expected string, got number');
	});
});
