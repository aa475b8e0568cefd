/**
 * Preloaded into `n8n start` (NODE_OPTIONS=--require) by `npm run bench -- --profile`: the first SIGUSR2 starts V8's
 * CPU profiler, the next one stops it and writes `$BENCH_PROFILE_DIR/<n>.cpuprofile` (then `<n>.done`), so the
 * benchmark can profile exactly one throughput run. Plain JavaScript: n8n runs it without ts-node.
 */
'use strict';
if (process.env.BENCH_PROFILE_DIR && process.argv.includes('start')) {
	const inspector = require('inspector');
	const fs = require('fs');
	const path = require('path');
	const dir = process.env.BENCH_PROFILE_DIR;
	const session = new inspector.Session();
	session.connect();
	let running = false;
	let count = 0;
	process.on('SIGUSR2', () => {
		if (!running) {
			running = true;
			session.post('Profiler.enable', () =>
				session.post('Profiler.setSamplingInterval', { interval: 250 }, () => session.post('Profiler.start')),
			);
			return;
		}
		running = false;
		const n = count++;
		session.post('Profiler.stop', (error, result) => {
			if (!error) fs.writeFileSync(path.join(dir, `${n}.cpuprofile`), JSON.stringify(result.profile));
			fs.writeFileSync(path.join(dir, `${n}.done`), error ? String(error) : 'ok');
		});
	});
}

// `n8n execute` (bench/importN8n.ts --profile): profile the whole command and write `$BENCH_PROFILE_DIR/<pid>.cpuprofile`
// as it exits (an in-thread inspector session answers synchronously, so this works inside the 'exit' handler).
if (process.env.BENCH_PROFILE_DIR && process.argv.includes('execute')) {
	const inspector = require('inspector');
	const fs = require('fs');
	const path = require('path');
	const session = new inspector.Session();
	session.connect();
	session.post('Profiler.enable');
	session.post('Profiler.setSamplingInterval', { interval: 1000 });
	session.post('Profiler.start');
	process.on('exit', () => {
		session.post('Profiler.stop', (error, result) => {
			if (!error) fs.writeFileSync(path.join(process.env.BENCH_PROFILE_DIR, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
		});
	});
}
