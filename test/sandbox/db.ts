/**
 * Just enough of PostgreSQL's behaviour to reproduce Chatwoot's races (docs/chatwoot-behaviour.md, Identity and
 * uniqueness): a transaction's rows are invisible to other requests until commit, while a unique index entry is taken
 * at INSERT time; a second inserter of the same key waits for the first transaction and then either fails
 * (the first committed → `PG::UniqueViolation`, an HTTP 500 in Chatwoot) or proceeds (the first rolled back).
 */

export class UniqueViolation extends Error {
	constructor(
		readonly index: string,
		readonly key: string,
	) {
		super(`PG::UniqueViolation: ERROR:  duplicate key value violates unique constraint "${index}"`);
		this.name = 'ActiveRecord::RecordNotUnique';
	}
}

export class Txn {
	private readonly commitHooks: Array<() => void> = [];
	private readonly rollbackHooks: Array<() => void> = [];
	private settle!: () => void;
	readonly finished = new Promise<void>((resolve) => (this.settle = resolve));
	state: 'open' | 'committed' | 'rolled_back' = 'open';

	onCommit(hook: () => void): void {
		this.commitHooks.push(hook);
	}

	onRollback(hook: () => void): void {
		this.rollbackHooks.push(hook);
	}

	commit(): void {
		if (this.state !== 'open') return;
		this.state = 'committed';
		for (const hook of this.commitHooks) hook();
		this.settle();
	}

	rollback(): void {
		if (this.state !== 'open') return;
		this.state = 'rolled_back';
		for (const hook of this.rollbackHooks.reverse()) hook();
		this.settle();
	}
}

const COMMITTED = 'committed' as const;

export class UniqueIndex {
	private readonly owners = new Map<string, Txn | typeof COMMITTED>();

	constructor(readonly name: string) {}

	/** INSERT of an index entry inside `txn`: waits for a concurrent uncommitted owner like PostgreSQL does. */
	async claim(key: string, txn: Txn): Promise<void> {
		for (;;) {
			const owner = this.owners.get(key);
			if (owner === undefined) {
				this.owners.set(key, txn);
				txn.onCommit(() => this.owners.set(key, COMMITTED));
				txn.onRollback(() => {
					if (this.owners.get(key) === txn) this.owners.delete(key);
				});
				return;
			}
			if (owner === txn) return;
			if (owner === COMMITTED) throw new UniqueViolation(this.name, key);
			await owner.finished;
		}
	}

	/** For seeding and synchronous helpers: insert and commit at once. */
	claimCommitted(key: string): void {
		if (this.owners.has(key)) throw new UniqueViolation(this.name, key);
		this.owners.set(key, COMMITTED);
	}

	release(key: string): void {
		if (this.owners.get(key) === COMMITTED) this.owners.delete(key);
	}

	clear(): void {
		this.owners.clear();
	}
}
