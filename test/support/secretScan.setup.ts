/** Runs before each test file (jest setupFiles): console lines are captured for the secret scan. */
import { capture } from './capture';

for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
	const original = console[level].bind(console);
	console[level] = (...args: unknown[]) => {
		capture('console', args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '), level);
		original(...args);
	};
}
