/** Progress goes to stderr; stdout is reserved for the final Markdown table. */
export function progress(line: string): void {
	process.stderr.write(`[bench] ${line}\n`);
}
