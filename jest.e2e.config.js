/**
 * The real-n8n suite (`npm run test:e2e`): one n8n 2.8.4 boot shared by every test, so one file, run in band.
 * beforeAll may install n8n on a cold machine (about 4 minutes), hence the long hook timeout set in the suite.
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
