/** The record without its undefined values: Chatwoot stores an explicit null where a key is sent empty. */
export function compact<T extends Record<string, unknown>>(record: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(record)) if (value !== undefined) out[key] = value;
	return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}
