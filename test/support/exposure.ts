/**
 * Everything a workflow author (or a log) could see of a value: output JSON, or an error's message, description,
 * stack, own properties and cause chain. Tests scan it for secrets such as the API token.
 */
export function exposedText(value: unknown): string {
	const seen = new WeakSet<object>();
	const json = (v: unknown) => {
		try {
			return JSON.stringify(v, (_key, inner: unknown) => {
				if (inner && typeof inner === 'object') {
					if (seen.has(inner)) return '[circular]';
					seen.add(inner);
				}
				return inner;
			});
		} catch {
			return String(v);
		}
	};
	const parts: string[] = [];
	let current: unknown = value;
	for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
		if (current instanceof Error) {
			const extra = current as Error & { description?: unknown; context?: unknown };
			parts.push(current.message, String(extra.description ?? ''), current.stack ?? '', json({ ...current }));
			current = (current as { cause?: unknown }).cause;
		} else {
			parts.push(json(current));
			break;
		}
	}
	return parts.join('\n');
}
