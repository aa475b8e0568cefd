/**
 * Safe readers for untrusted webhook JSON. Every getter returns `undefined` for a missing value or a wrong type, so a
 * normalizer never dies with a TypeError deep inside a payload.
 */

export type Obj = Record<string, unknown>;

/** A plain JSON object (not null, not an array). */
export function obj(value: unknown): Obj | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : undefined;
}

export function arr(value: unknown): unknown[] | undefined {
	return Array.isArray(value) ? value : undefined;
}

/** Any string, empty included (an empty reaction text means "removed"). */
export function str(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

/** A string with visible content. */
export function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** A finite number, or a numeric string (Cloud timestamps, WAHA coordinates, Baileys `fileLength`). */
export function num(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value === 'string' && value.trim() !== '') {
		const parsed = Number(value);
		return Number.isFinite(parsed) ? parsed : undefined;
	}
	return undefined;
}

export function bool(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (value === 'true') return true;
	if (value === 'false') return false;
	return undefined;
}

/**
 * One own property: the exact key first, then a case-insensitive match, because Baileys (Evolution, WAHA NOWEB)
 * writes `stanzaId`/`url`/`ptt` where whatsmeow (WAHA GOWS, Evolution Go) writes `stanzaID`/`URL`/`PTT`.
 */
export function field(value: unknown, key: string): unknown {
	const o = obj(value);
	if (!o) return undefined;
	if (Object.prototype.hasOwnProperty.call(o, key)) return o[key];
	const lower = key.toLowerCase();
	for (const candidate of Object.keys(o)) {
		if (candidate.toLowerCase() === lower) return o[candidate];
	}
	return undefined;
}

/** `read(body, 'entry.0.changes')`: a dotted path through objects (see `field`) and array indexes. */
export function read(root: unknown, path: string): unknown {
	let current = root;
	for (const segment of path.split('.')) {
		if (Array.isArray(current)) {
			const index = Number(segment);
			current = Number.isInteger(index) && index >= 0 ? current[index] : undefined;
		} else {
			current = field(current, segment);
		}
		if (current === undefined || current === null) return undefined;
	}
	return current;
}

/** Byte counts: numbers, numeric strings, or protobuf Longs `{low, high}` as some Baileys builds serialize them. */
export function count(value: unknown): number | undefined {
	const long = obj(value);
	const n = long ? longToNumber(long) : num(value);
	return n !== undefined && n >= 0 ? Math.floor(n) : undefined;
}

export function longToNumber(long: Obj): number | undefined {
	const low = num(long.low);
	const high = num(long.high);
	if (low === undefined || high === undefined) return undefined;
	return high * 2 ** 32 + (low >>> 0);
}

/**
 * Unix seconds from seconds, milliseconds (> 1e12, e.g. WAHA's envelope or Evolution's `timestampMs`), a numeric
 * string (Cloud API), a protobuf Long, or an ISO date (whatsmeow `Timestamp`, Evolution `date_time`).
 */
export function unixSeconds(value: unknown): number | undefined {
	const long = obj(value);
	let n = long ? longToNumber(long) : num(value);
	if (n === undefined && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
		const ms = Date.parse(value);
		if (Number.isFinite(ms)) n = ms;
	}
	if (n === undefined || n <= 0) return undefined;
	return Math.floor(n > 1e12 ? n / 1000 : n);
}
