/**
 * `--profile`: where n8n's CPU goes during one throughput run of each workflow, by package (self time of the V8
 * CPU profile, idle excluded). Signals the profiler that bench/lib/n8n-profiler.js installs in `n8n start` (or reads
 * the profile it writes when `n8n execute` exits).
 */
import * as fs from 'fs';
import * as path from 'path';

export const PROFILER_PRELOAD = path.join(__dirname, 'n8n-profiler.js');

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string };
	children?: number[];
}

export interface CpuProfile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

export class N8nProfiler {
	private index = 0;

	constructor(
		private readonly pid: number,
		readonly dir: string,
	) {}

	start(): void {
		process.kill(this.pid, 'SIGUSR2');
	}

	/** Stops the profiler and returns the self time per package (share of busy time, 0..1). */
	async stop(): Promise<Record<string, number>> {
		process.kill(this.pid, 'SIGUSR2');
		const done = path.join(this.dir, `${this.index}.done`);
		const file = path.join(this.dir, `${this.index}.cpuprofile`);
		this.index++;
		const deadline = Date.now() + 30_000;
		while (!fs.existsSync(done)) {
			if (Date.now() > deadline) throw new Error(`n8n wrote no CPU profile to ${this.dir}`);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		return selfTimeByPackage(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile);
	}
}

/** `node_modules/<pkg>` of a script URL (the innermost), or `node (built-in modules)`. */
function packageOf(url: string): string {
	const packages = url.match(/node_modules\/((@[^/]+\/)?[^/]+)/g);
	if (packages) return packages[packages.length - 1].replace('node_modules/', '');
	if (url.startsWith('node:')) return 'node (built-in modules)';
	return '(other)';
}

/**
 * Self time per package. Native functions (sqlite3's exec, libuv writes) count for the package that called them; the
 * runtime's own buckets ((program), (garbage collector)) stay apart; the profiler's own stop is left out.
 */
export function selfTimeByPackage(profile: CpuProfile): Record<string, number> {
	const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
	const parents = new Map<number, number>();
	for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
	const bucketOf = new Map<number, string | null>();
	const bucket = (id: number): string | null => {
		const known = bucketOf.get(id);
		if (known !== undefined) return known;
		let result: string | null = null;
		const frame = nodes.get(id)!.callFrame;
		if (frame.functionName === '(idle)') result = null;
		else if (!frame.url && frame.functionName.startsWith('(')) result = frame.functionName;
		else {
			// Walk up to the first frame with a script; the profiler's own frames mark samples to leave out.
			let at: number | undefined = id;
			while (at !== undefined && !nodes.get(at)!.callFrame.url) at = parents.get(at);
			const url = at === undefined ? '' : nodes.get(at)!.callFrame.url;
			let excluded = false;
			for (let up: number | undefined = id; up !== undefined; up = parents.get(up)) {
				if (nodes.get(up)!.callFrame.url.endsWith('n8n-profiler.js')) excluded = true;
			}
			result = excluded ? null : url ? packageOf(url) : '(native, no caller)';
		}
		bucketOf.set(id, result);
		return result;
	};
	const totals = new Map<string, number>();
	let busy = 0;
	profile.samples.forEach((id, i) => {
		const key = bucket(id);
		if (key === null) return;
		const delta = profile.timeDeltas[i] ?? 0;
		busy += delta;
		totals.set(key, (totals.get(key) ?? 0) + delta);
	});
	return Object.fromEntries([...totals.entries()].sort((a, b) => b[1] - a[1]).map(([key, value]) => [key, busy ? value / busy : 0]));
}
