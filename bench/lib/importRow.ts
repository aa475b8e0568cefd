/**
 * Row 4 of the benchmark table comes from the import benchmarks: `bench/import.ts` (n8n's test double, rows 4a–4c) and
 * `bench/importN8n.ts` (a real n8n, rows 4d–4f). Each is run as it is, in a child process, and the figures are read
 * from the Markdown it prints (the same table columns in both).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { progress } from './progress';

export interface ImportFigures {
	/** Messages/s when paced at Chatwoot's default limit, and the share of that limit it used (0..1). */
	paced?: { perSecond: number; share: number; limitPerSecond: number; messages: number };
	lifted?: { perSecond: number; messages: number };
	/** Peak RSS (MB) while importing 100 000 messages, and the baseline: the RSS with the items built (test double),
	 *  or right before the Import node starts (real n8n). */
	memory?: { messages: number; peakMb: number; baselineMb: number };
	/** The same 100 000-message import with V8's old space capped (`--max-old-space-size`), when the output has it. */
	capped?: { capMb: number; peakMb: number };
	/** What the script printed (kept in RESULTS.md below the table). */
	markdown: string;
	seconds: number;
}

export type ImportOutcome = { status: 'missing' } | { status: 'failed'; error: string } | ({ status: 'ok' } & ImportFigures);

export const IMPORT_SCRIPTS = { testDouble: 'import.ts', realN8n: 'importN8n.ts' } as const;

function cells(line: string): string[] {
	return line.split('|').slice(1, -1).map((cell) => cell.trim());
}

/** The cell's first number ("455 MB (331 MB)" → 455). */
const num = (text: string | undefined) => Number(String(text ?? '').match(/[0-9]+(\.[0-9]+)?/)?.[0] ?? NaN);

/** Reads the import tables (column names, not positions, so a new column does not shift the figures). */
export function parseImportMarkdown(markdown: string): Omit<ImportFigures, 'markdown' | 'seconds'> {
	const out: Omit<ImportFigures, 'markdown' | 'seconds'> = {};
	const lines = markdown.split('\n');
	let header: string[] = [];
	for (const line of lines) {
		if (!line.startsWith('|') || line.startsWith('|---')) {
			if (!line.startsWith('|')) header = [];
			continue;
		}
		const row = cells(line);
		if (!header.length) {
			header = row.map((cell) => cell.toLowerCase());
			continue;
		}
		const at = (name: string) => row[header.findIndex((cell) => cell.startsWith(name))];
		if (header[0] === 'case') {
			const messages = num(at('messages /')?.split('/')[0]);
			const perSecond = num(at('messages/s'));
			if (/paced/.test(row[0])) {
				const limit = at('vs limit') ?? '';
				const share = Number(limit.match(/([0-9.]+)\s*%/)?.[1] ?? NaN) / 100;
				const limitPerSecond = Number(limit.match(/of\s+([0-9.]+)\s*\/s/)?.[1] ?? NaN);
				out.paced = { perSecond, share, limitPerSecond, messages };
			} else if (/lifted/.test(row[0]) && !/memory|100 000/.test(row[0])) {
				out.lifted = { perSecond, messages };
			}
		} else if (header[0].startsWith('v8 old space cap')) {
			if (num(at('messages')) >= 100_000) out.capped = { capMb: num(row[0]), peakMb: num(at('peak rss')) };
		} else if (header[0] === 'messages') {
			const messages = num(row[0]);
			if (messages >= 100_000) {
				out.memory = { messages, peakMb: num(at('peak rss')), baselineMb: num(at('rss with items') ?? at('baseline')) };
			}
		}
	}
	return out;
}

export async function runImportBench(options: { full?: boolean; script?: string } = {}): Promise<ImportOutcome> {
	const script = options.script ?? IMPORT_SCRIPTS.testDouble;
	const file = path.resolve(__dirname, '..', script);
	if (!fs.existsSync(file)) return { status: 'missing' };
	const started = Date.now();
	const args = ['-r', 'ts-node/register/transpile-only', file, ...(options.full ? ['--full'] : [])];
	progress(`import: running bench/${script}${options.full ? ' --full' : ''} (about 3 to 5 minutes)`);
	const child = spawn(process.execPath, args, { cwd: path.resolve(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
		for (const line of chunk.toString().split('\n').filter(Boolean)) progress(`import: ${line}`);
	});
	const stop = () => child.kill('SIGTERM');
	process.once('exit', stop);
	const code = await new Promise<number | null>((resolve) => child.once('close', (exitCode) => resolve(exitCode)));
	process.removeListener('exit', stop);
	if (code !== 0) return { status: 'failed', error: `bench/${script} exited with ${code}: ${stderr.trim().split('\n').slice(-5).join(' / ')}` };
	return { status: 'ok', ...parseImportMarkdown(stdout), markdown: stdout.trim(), seconds: (Date.now() - started) / 1_000 };
}
