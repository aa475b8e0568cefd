/**
 * CPU time used by a process group (n8n and its task runners), read from /proc: a per-message figure that holds up
 * better than wall time when other work shares the machine. Linux only; undefined elsewhere.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
	if (ticksPerSecond === undefined) {
		try {
			ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
		} catch {
			ticksPerSecond = 100;
		}
	}
	return ticksPerSecond;
}

/** user + system CPU seconds of every live process whose process group is `pgid`. */
export function groupCpuSeconds(pgid: number | undefined): number | undefined {
	if (pgid === undefined || !fs.existsSync('/proc/self/stat')) return undefined;
	let ticks = 0;
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let stat: string;
		try {
			stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
		} catch {
			continue; // exited meanwhile
		}
		// Fields after the parenthesised command name: state ppid pgrp … utime(14) stime(15), 1-based in proc(5).
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (Number(fields[2]) !== pgid) continue;
		ticks += Number(fields[11]) + Number(fields[12]);
	}
	return ticks / clockTicks();
}
