/**
 * The sandbox's "Sidekiq": background work (webhook deliveries, inbox deletion) runs after the current response
 * and is tracked so that `sb.idle()` can wait until everything queued, including follow-up work, has finished.
 */
export class JobQueue {
	private readonly running = new Set<Promise<void>>();

	/** `errors` collects exceptions thrown by jobs (sandbox bugs). */
	constructor(private readonly errors: Error[] = []) {}

	run(job: () => void | Promise<void>): void {
		const promise: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
			.then(job)
			.catch((error: Error) => {
				this.errors.push(error);
			})
			.finally(() => this.running.delete(promise));
		this.running.add(promise);
	}

	async idle(): Promise<void> {
		for (;;) {
			await new Promise<void>((resolve) => setImmediate(resolve));
			if (this.running.size === 0) return;
			await Promise.allSettled([...this.running]);
		}
	}
}
