/**
 * Seeded mutation of JSON samples for fuzz tests: a fixed seed makes every failure reproducible.
 * Mutations: delete a field, replace it with an odd value (wrong type, empty, huge, LID-like, a whole other sample),
 * swap number and string, or replace the whole body.
 */
/** mulberry32: a tiny seeded PRNG, so a failure reproduces exactly. */
export function prng(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const ODD_VALUES: unknown[] = [
	null,
	undefined,
	0,
	-1,
	1e300,
	NaN,
	'',
	'   ',
	'x',
	'123456789012345@lid',
	'status@broadcast',
	'true_a@c.us_b',
	'2026-13-99T99:99:99Z',
	true,
	false,
	[],
	[null],
	{},
	{ low: 'a', high: {} },
	{ message: { ephemeralMessage: { message: {} } } },
];

/** A fresh copy: a shared object inserted twice could later be mutated into a cycle. */
export function odd(random: () => number): unknown {
	const value = ODD_VALUES[Math.floor(random() * ODD_VALUES.length)];
	return typeof value === 'object' && value !== null ? JSON.parse(JSON.stringify(value)) : value;
}

/** Every path to a value inside the body. */
function paths(
	value: unknown,
	prefix: Array<string | number> = [],
	out: Array<Array<string | number>> = [],
): Array<Array<string | number>> {
	if (typeof value === 'object' && value !== null) {
		for (const [key, inner] of Object.entries(value)) {
			const path = [...prefix, Array.isArray(value) ? Number(key) : key];
			out.push(path);
			paths(inner, path, out);
		}
	}
	return out;
}

export function mutate(body: unknown, random: () => number, samples: unknown[]): unknown {
	if (random() < 0.03) return odd(random);
	const all = paths(body);
	if (!all.length) return body;
	const path = all[Math.floor(random() * all.length)];
	let parent: any = body;
	for (const step of path.slice(0, -1)) parent = parent[step];
	const last = path[path.length - 1];
	const roll = random();
	if (roll < 0.25) delete parent[last];
	else if (roll < 0.85) parent[last] = odd(random);
	else if (roll < 0.95) parent[last] = JSON.parse(JSON.stringify(samples[Math.floor(random() * samples.length)]));
	else
		parent[last] =
			typeof parent[last] === 'number' ? String(parent[last]) : typeof parent[last] === 'string' ? Number(parent[last]) : parent[last];
	return body;
}

