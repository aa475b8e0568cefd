/**
 * Serializes work per key (a chat) inside one process, so parallel executions of one n8n process never race on the
 * same contact or conversation. Across processes Chatwoot's unique indexes and the planner's convergence rules take
 * over (docs/architecture.md, State).
 */
export class KeyedMutex {
	private readonly tails = new Map<string, Promise<unknown>>();

	async run<T>(key: string, work: () => Promise<T>): Promise<T> {
		const previous = this.tails.get(key) ?? Promise.resolve();
		const current = previous.then(work, work);
		const tail = current.catch(() => undefined);
		this.tails.set(key, tail);
		try {
			return await current;
		} finally {
			// Drop the entry when nobody queued behind us, so the map does not grow with every chat ever seen.
			if (this.tails.get(key) === tail) this.tails.delete(key);
		}
	}
}
