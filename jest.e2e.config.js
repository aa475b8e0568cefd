/**
 * The real-n8n suites (`npm run test:e2e`): bridge.e2e.test.ts (one n8n boot shared by its tests, with
 * @devlikeapro/n8n-nodes-chatwoot loaded next to ours) and queue.e2e.test.ts (redis + main + 2 workers). Each file
 * boots its own n8n, so they run one after the other. beforeAll may install n8n on a cold machine (about 4 minutes),
 * hence the long hook timeouts set in the suites. N8N_CHATWOOT_BRIDGE_N8N_VERSION=2.40.7 (`npm run test:e2e:next`)
 * runs the same suites against the newer n8n line on Node 24.
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', isolatedModules: true }] },
	testTimeout: 60000,
	maxWorkers: 1,
};
