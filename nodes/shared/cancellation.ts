/**
 * Waits that end when the execution is cancelled. n8n aborts the execution's cancel signal when a user stops it or
 * it times out; n8n-workflow's `sleep` does not listen to it, so a retry backoff, a Retry-After or the import's pacing
 * would keep the node (and its later requests to Chatwoot) running after a Stop.
 */

/** What a wait or a request ends with once the execution is cancelled. */
export class ExecutionCancelledError extends Error {
	constructor() {
		super('The execution was cancelled');
		this.name = 'ExecutionCancelledError';
	}
}

export function isCancellation(error: unknown): error is ExecutionCancelledError {
	return error instanceof ExecutionCancelledError;
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw new ExecutionCancelledError();
}

/** Waits `ms`, or rejects with ExecutionCancelledError as soon as `signal` aborts (at once if it already has). */
export async function sleepUntilCancelled(ms: number, signal?: AbortSignal): Promise<void> {
	throwIfCancelled(signal);
	if (ms > 0) {
		// AbortSignal.timeout is a timer that needs no setTimeout (not available to community nodes on n8n Cloud).
		const timer = AbortSignal.timeout(Math.ceil(ms));
		const either = signal ? AbortSignal.any([signal, timer]) : timer;
		await new Promise<void>((resolve) => either.addEventListener('abort', () => resolve(), { once: true }));
	}
	throwIfCancelled(signal);
}

/** A `sleep` for code that takes one injected (the Chatwoot client, the import's pacing). */
export function sleepFor(signal: AbortSignal | undefined): (ms: number) => Promise<void> {
	return async (ms) => await sleepUntilCancelled(ms, signal);
}
