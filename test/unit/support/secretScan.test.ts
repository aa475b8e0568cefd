import { findSecretHits, type CapturedRecord } from '../../support/capture';

describe('the secret scan that runs after the suite', () => {
	const secret = { kind: 'secret', where: '', text: 'S3cretInboxKey0000000000' } as CapturedRecord;

	it('finds a planted inbox secret or token in outputs, errors and logs, also URL-encoded', () => {
		const records: CapturedRecord[] = [
			secret,
			{ kind: 'output', where: 'sync', text: '{"status":"created"}' },
			{ kind: 'error', where: 'trigger create', text: 'failed with key S3cretInboxKey0000000000' },
			{ kind: 'log', where: 'trigger', text: 'token=test%2Badmin' },
		];
		const hits = findSecretHits(records, ['test+admin']);
		expect(hits.map((hit) => [hit.secret, hit.record.kind])).toEqual([
			['S3cretInboxKey0000000000', 'error'],
			['test+admin', 'log'],
		]);
	});

	it('finds nothing in clean records', () => {
		expect(findSecretHits([secret, { kind: 'output', where: '', text: 'all fine' }], ['test-admin-token'])).toEqual([]);
	});
});
