/**
 * A bounded in-process cache with an absolute expiry: an accelerator only, never the source of truth
 * (docs/architecture.md, "State"). Writing a live key again keeps its first expiry, so an entry that is updated on
 * every message (a busy conversation's ledger) still expires and is read again from Chatwoot.
 */
export class TtlCache<V> {
	private readonly entries = new Map<string, { value: V; expiresAt: number }>();

	constructor(
		private readonly ttlMs: number,
		private readonly maxEntries: number,
		private readonly now: () => number = Date.now,
	) {}

	get(key: string): V | undefined {
		const entry = this.entries.get(key);
		if (!entry) return undefined;
		if (entry.expiresAt <= this.now()) {
			this.entries.delete(key);
			return undefined;
		}
		return entry.value;
	}

	set(key: string, value: V): void {
		const live = this.entries.get(key);
		const at = this.now();
		const expiresAt = live && live.expiresAt > at ? live.expiresAt : at + this.ttlMs;
		this.entries.delete(key);
		if (this.entries.size >= this.maxEntries) {
			// Map keeps insertion order: the first key is the oldest.
			const oldest = this.entries.keys().next().value;
			if (oldest !== undefined) this.entries.delete(oldest);
		}
		this.entries.set(key, { value, expiresAt });
	}

	delete(key: string): void {
		this.entries.delete(key);
	}

	clear(): void {
		this.entries.clear();
	}

	get size(): number {
		return this.entries.size;
	}
}
