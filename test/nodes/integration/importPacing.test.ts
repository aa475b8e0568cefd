/**
 * Pacing of the import under a fake clock: the shared request schedule never puts more than the limit
 * into any minute, whoever asks and however many ask at once; the per-conversation window stays under Chatwoot's
 * flood guard, including what the conversation got just before the run.
 */
import { ConversationPacer, pacedPerMinute, pacedSend, RequestPacer } from '../../../nodes/shared/bridge/import/pacing';

function fakeClock(start = 1_000_000) {
	const clock = {
		t: start,
		now: () => clock.t,
		/** Resolves at once, moving time forward: one caller at a time. */
		sleep: async (ms: number) => {
			clock.t += ms;
		},
	};
	return clock;
}

/** The largest number of times inside any window [t, t + 60 s). */
function maxPerMinute(times: number[]): number {
	const sorted = [...times].sort((a, b) => a - b);
	let max = 0;
	let start = 0;
	for (let end = 0; end < sorted.length; end++) {
		while (sorted[end] - sorted[start] >= 60_000) start++;
		max = Math.max(max, end - start + 1);
	}
	return max;
}

describe('import pacing', () => {
	it('keeps 1 % below the limit (at least one request), and no limit for 0', () => {
		expect(pacedPerMinute(3000)).toBe(2970);
		expect(pacedPerMinute(600)).toBe(594);
		expect(pacedPerMinute(60)).toBe(59);
		expect(pacedPerMinute(1)).toBe(1);
		expect(pacedPerMinute(0)).toBe(0);
		expect(new RequestPacer(0, fakeClock()).intervalMs).toBe(0);
	});

	it('spaces requests evenly: never more than the limit in any minute, at ≥ 99 % of it', async () => {
		const clock = fakeClock();
		const pacer = new RequestPacer(600, clock);
		const times: number[] = [];
		for (let i = 0; i < 1500; i++) {
			await pacer.take();
			times.push(clock.now());
		}
		// 594 intervals are exactly a minute: the 595th request lands on the minute's edge (float rounding aside).
		expect(maxPerMinute(times)).toBeLessThanOrEqual(595);
		expect(maxPerMinute(times)).toBeLessThanOrEqual(600);
		const perMinute = ((times.length - 1) / (times[times.length - 1] - times[0])) * 60_000;
		expect(perMinute).toBeCloseTo(594, 5);
	});

	it('gives concurrent callers distinct slots', async () => {
		const now = 5_000;
		const slots: number[] = [];
		const pacer = new RequestPacer(3000, {
			now: () => now,
			sleep: async (ms: number) => {
				slots.push(now + ms);
			},
		});
		await Promise.all(Array.from({ length: 100 }, () => pacer.take()));
		// The first goes at once; the others wait for their slot, 60 s / 2970 apart.
		expect(slots).toHaveLength(99);
		const all = [now, ...slots].sort((a, b) => a - b);
		for (let i = 1; i < all.length; i++) expect(all[i] - all[i - 1]).toBeCloseTo(60_000 / 2970, 6);
	});

	it('counts every exchange, and the 429s among them', async () => {
		const stats = { requests: 0, throttled: 0 };
		const statuses = [200, 429, 200];
		const send = pacedSend(async () => ({ status: statuses.shift() as number, headers: {}, body: {} }), new RequestPacer(0, fakeClock()), stats);
		for (let i = 0; i < 3; i++) await send({ method: 'GET', path: '/x', idempotent: true });
		expect(stats).toEqual({ requests: 3, throttled: 1 });
	});

	it('holds a conversation under its messages per minute, and frees the others', async () => {
		const clock = fakeClock();
		const pacer = new ConversationPacer(180, clock);
		const times: number[] = [];
		for (let i = 0; i < 400; i++) {
			await pacer.take(7);
			times.push(clock.now());
		}
		expect(maxPerMinute(times)).toBe(180);
		// 180 at once, then the window slides: the 181st waits for the first to be a minute old.
		expect(times[179]).toBe(times[0]);
		expect(times[180] - times[0]).toBe(60_001);
		const before = clock.now();
		await pacer.take(8);
		expect(clock.now()).toBe(before);
	});

	it('counts what the conversation got just before the run', async () => {
		const clock = fakeClock();
		const pacer = new ConversationPacer(180, clock);
		pacer.seed(9, Array.from({ length: 175 }, (_, i) => clock.now() - 30_000 + i));
		const times: number[] = [];
		for (let i = 0; i < 10; i++) {
			await pacer.take(9);
			times.push(clock.now());
		}
		// 5 fit at once; the 6th waits until the oldest seeded message is a minute old.
		expect(times.slice(0, 5).every((t) => t === times[0])).toBe(true);
		expect(times[5] - times[0]).toBe(30_001);
		pacer.note(9);
		pacer.forget(9);
		const before = clock.now();
		await pacer.take(9);
		expect(clock.now()).toBe(before);
	});
});
