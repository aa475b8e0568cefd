import { KeyedMutex } from '../../../nodes/shared/bridge/keyedMutex';
import { TtlCache } from '../../../nodes/shared/bridge/ttlCache';

function deferred<T = void>() {
	let resolve!: (value: T) => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<T>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}

const tick = async () => {
	for (let i = 0; i < 5; i++) await Promise.resolve();
};

function size(mutex: KeyedMutex): number {
	return (mutex as unknown as { tails: Map<string, unknown> }).tails.size;
}

describe('KeyedMutex', () => {
	it('runs work for the same key one at a time, in arrival order', async () => {
		const mutex = new KeyedMutex();
		const log: string[] = [];
		const gates = [deferred(), deferred(), deferred()];
		const runs = gates.map((gate, index) =>
			mutex.run('chat-a', async () => {
				log.push(`start ${index}`);
				await gate.promise;
				log.push(`end ${index}`);
				return index;
			}),
		);
		await tick();
		expect(log).toEqual(['start 0']);
		gates[2].resolve();
		gates[1].resolve();
		await tick();
		expect(log).toEqual(['start 0']);
		gates[0].resolve();
		expect(await Promise.all(runs)).toEqual([0, 1, 2]);
		expect(log).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
	});

	it('runs different keys in parallel', async () => {
		const mutex = new KeyedMutex();
		const gate = deferred();
		const started: string[] = [];
		const a = mutex.run('chat-a', async () => {
			started.push('a');
			await gate.promise;
		});
		const b = mutex.run('chat-b', async () => {
			started.push('b');
		});
		await b;
		expect(started).toEqual(['a', 'b']);
		gate.resolve();
		await a;
	});

	it('a failing task rejects its own caller and does not block the next one', async () => {
		const mutex = new KeyedMutex();
		const failing = mutex.run('chat-a', async () => {
			throw new Error('Chatwoot unreachable');
		});
		const next = mutex.run('chat-a', async () => 'ran');
		await expect(failing).rejects.toThrow('Chatwoot unreachable');
		await expect(next).resolves.toBe('ran');
	});

	it('a task that throws synchronously is handled the same way', async () => {
		const mutex = new KeyedMutex();
		const work = (() => {
			throw new Error('boom');
		}) as unknown as () => Promise<never>;
		await expect(mutex.run('chat-a', work)).rejects.toThrow('boom');
		await expect(mutex.run('chat-a', async () => 1)).resolves.toBe(1);
	});

	it('forgets a key once nothing is queued on it', async () => {
		const mutex = new KeyedMutex();
		const gate = deferred();
		const first = mutex.run('chat-a', () => gate.promise);
		const second = mutex.run('chat-a', async () => undefined);
		const other = mutex.run('chat-b', async () => {
			throw new Error('x');
		});
		expect(size(mutex)).toBe(2);
		await other.catch(() => undefined);
		expect(size(mutex)).toBe(1);
		gate.resolve();
		await Promise.all([first, second]);
		expect(size(mutex)).toBe(0);
	});

	it('many chats leave nothing behind', async () => {
		const mutex = new KeyedMutex();
		await Promise.all(Array.from({ length: 200 }, (_, i) => mutex.run(`chat-${i % 20}`, async () => i)));
		expect(size(mutex)).toBe(0);
	});
});

describe('TtlCache', () => {
	function clock(start = 1_000) {
		let now = start;
		return { now: () => now, advance: (ms: number) => (now += ms) };
	}

	it('returns a value until its time is up, then forgets it', () => {
		const time = clock();
		const cache = new TtlCache<number>(1_000, 10, time.now);
		cache.set('inbox', 7);
		time.advance(999);
		expect(cache.get('inbox')).toBe(7);
		time.advance(1);
		expect(cache.get('inbox')).toBeUndefined();
		time.advance(-500);
		expect(cache.get('inbox')).toBeUndefined();
	});

	it('setting a live key again keeps its first expiry, so a value updated all the time still expires', () => {
		const time = clock();
		const cache = new TtlCache<string>(1_000, 10, time.now);
		cache.set('k', 'a');
		time.advance(900);
		cache.set('k', 'b');
		expect(cache.get('k')).toBe('b');
		time.advance(100);
		expect(cache.get('k')).toBeUndefined();
		cache.set('k', 'c');
		time.advance(999);
		expect(cache.get('k')).toBe('c');
	});

	it('evicts the oldest entry when full', () => {
		const cache = new TtlCache<number>(60_000, 3, () => 0);
		cache.set('a', 1);
		cache.set('b', 2);
		cache.set('c', 3);
		cache.set('d', 4);
		expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.get('d')]).toEqual([undefined, 2, 3, 4]);
	});

	it('re-setting a key makes it the newest, and does not evict when it is already there', () => {
		const cache = new TtlCache<number>(60_000, 3, () => 0);
		cache.set('a', 1);
		cache.set('b', 2);
		cache.set('c', 3);
		cache.set('a', 10);
		expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([10, 2, 3]);
		cache.set('d', 4);
		expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.get('d')]).toEqual([10, undefined, 3, 4]);
	});

	it('delete and clear', () => {
		const cache = new TtlCache<number>(60_000, 3, () => 0);
		cache.set('a', 1);
		cache.set('b', 2);
		cache.delete('a');
		expect(cache.get('a')).toBeUndefined();
		expect(cache.get('b')).toBe(2);
		cache.clear();
		expect(cache.get('b')).toBeUndefined();
	});

	it('uses the real clock by default', () => {
		const cache = new TtlCache<number>(60_000, 3);
		cache.set('a', 1);
		expect(cache.get('a')).toBe(1);
	});
});
