/**
 * CPU time and resident memory of a process group (n8n and its task runners), read from /proc: CPU per message holds
 * up better than wall time when other work shares the machine. Linux only (CPU: undefined elsewhere).
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

/** The /proc/<pid>/stat fields (after the command name) of every live process whose process group is `pgid`. */
function groupStats(pgid: number): Array<{ pid: number; fields: string[] }> {
	const stats: Array<{ pid: number; fields: string[] }> = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let stat: string;
		try {
			stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
		} catch {
			continue; // exited meanwhile
		}
		// Fields after the parenthesised command name: state ppid pgrp … utime(14) stime(15) … rss(24), 1-based in proc(5).
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (Number(fields[2]) === pgid) stats.push({ pid: Number(entry), fields });
	}
	return stats;
}

/** user + system CPU seconds of every live process whose process group is `pgid`. */
export function groupCpuSeconds(pgid: number | undefined): number | undefined {
	if (pgid === undefined || !fs.existsSync('/proc/self/stat')) return undefined;
	const ticks = groupStats(pgid).reduce((sum, { fields }) => sum + Number(fields[11]) + Number(fields[12]), 0);
	return ticks / clockTicks();
}

const PAGE_BYTES = 4096;

/** Resident memory (bytes) of the group's leader and of the whole group (leader + task runners), from /proc. */
export function groupRss(pgid: number): { leader: number; group: number } {
	let leader = 0;
	let group = 0;
	for (const { pid, fields } of groupStats(pgid)) {
		const rss = Number(fields[21]) * PAGE_BYTES;
		group += rss;
		if (pid === pgid) leader = rss;
	}
	return { leader, group };
}
