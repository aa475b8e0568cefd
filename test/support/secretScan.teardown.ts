/**
 * After the whole suite (jest globalTeardown): no API token and no inbox signing secret may appear in anything the
 * nodes showed a user. Fails the run otherwise, and also when nothing was captured (a scan of nothing proves nothing).
 */
import { DEFAULT_TOKENS } from '../sandbox';
import { findSecretHits, readCaptured } from './capture';

export default function secretScan(): void {
	const records = readCaptured();
	const shown = records.filter((record) => record.kind !== 'secret');
	const secrets = records.filter((record) => record.kind === 'secret').length;
	// Focused runs (one file) may capture nothing of a kind; the full suite must capture outputs and secrets.
	if (process.env.SECRET_SCAN_REQUIRE !== '0' && (shown.length === 0 || secrets === 0)) {
		throw new Error(`secret scan: captured ${shown.length} records and ${secrets} secrets: nothing to judge`);
	}
	const hits = findSecretHits(records, Object.values(DEFAULT_TOKENS));
	if (hits.length > 0) {
		const lines = hits.slice(0, 10).map((hit) => `- ${hit.record.kind} ${hit.record.where}: ${hit.record.text.slice(0, 200)}`);
		throw new Error(`secret scan: ${hits.length} secret occurrence(s) in test outputs:\n${lines.join('\n')}`);
	}
	console.log(`secret scan: ${shown.length} captured outputs, errors and log lines; ${secrets} inbox secrets + ${Object.keys(DEFAULT_TOKENS).length} tokens; 0 hits`);
}
