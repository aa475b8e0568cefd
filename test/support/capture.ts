/**
 * Issue 8.5: everything our nodes hand to a user during the tests (output items, thrown errors, webhook answers,
 * log lines) is appended here, together with every secret the tests know (API tokens, inbox signing secrets). After
 * the whole suite, secretScan.teardown.ts fails the run if any secret occurs in any captured text.
 * One JSON line per record, one file per jest worker (no locking needed).
 */
import * as fs from 'fs';
import * as path from 'path';

export const CAPTURE_DIR = path.join(__dirname, '..', '.captured');

export type CaptureKind = 'output' | 'error' | 'webhookAnswer' | 'log' | 'console' | 'secret';

function file(): string {
	fs.mkdirSync(CAPTURE_DIR, { recursive: true });
	return path.join(CAPTURE_DIR, `${process.pid}.jsonl`);
}

function text(value: unknown): string {
	if (value instanceof Error) return JSON.stringify({ ...value, message: value.message, stack: value.stack });
	if (typeof value === 'string') return value;
	try {
		return JSON.stringify(value);
	} catch {
		return String(value);
	}
}

export function capture(kind: CaptureKind, value: unknown, where = ''): void {
	fs.appendFileSync(file(), `${JSON.stringify({ kind, where, text: text(value) })}\n`);
}

/** A secret the tests know of: it must never appear in any other record. */
export function registerSecret(secret: string | null | undefined): void {
	if (secret) capture('secret', secret);
}

export interface CapturedRecord {
	kind: CaptureKind;
	where: string;
	text: string;
}

export function readCaptured(dir = CAPTURE_DIR): CapturedRecord[] {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((name) => name.endsWith('.jsonl'))
		.flatMap((name) => fs.readFileSync(path.join(dir, name), 'utf8').split('\n'))
		.filter(Boolean)
		.map((line) => JSON.parse(line) as CapturedRecord);
}

export interface SecretHit {
	secret: string;
	record: CapturedRecord;
}

/** Every occurrence of a known secret (or its URL-encoded form) in a captured record. */
export function findSecretHits(records: CapturedRecord[], extraSecrets: string[] = []): SecretHit[] {
	const secrets = new Set([...extraSecrets, ...records.filter((r) => r.kind === 'secret').map((r) => r.text)]);
	const hits: SecretHit[] = [];
	for (const record of records) {
		if (record.kind === 'secret') continue;
		for (const secret of secrets) {
			if (record.text.includes(secret) || record.text.includes(encodeURIComponent(secret))) hits.push({ secret, record });
		}
	}
	return hits;
}
