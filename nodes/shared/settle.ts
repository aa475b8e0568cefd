/**
 * A promise's outcome as a value. Pure bridge code decides on a failure (reuse on a race, or pass it on) outside a
 * `catch` block, so errors keep their type; the node layer turns them into NodeApiError.
 */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
	return await promise.then(
		(value): Settled<T> => ({ ok: true, value }),
		(error: unknown): Settled<T> => ({ ok: false, error }),
	);
}
