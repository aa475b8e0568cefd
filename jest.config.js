/** Unit, node and contract tests. The real-n8n suites have their own configs (jest.e2e.config.js, jest.browser.config.js). */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/test/browser/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', isolatedModules: true }] },
	testTimeout: 30000,
	// Issue 8.5: capture what the nodes show users, then scan it for tokens and inbox secrets.
	setupFiles: ['<rootDir>/test/support/secretScan.setup.ts'],
	globalSetup: '<rootDir>/test/support/secretScan.globalSetup.ts',
	globalTeardown: '<rootDir>/test/support/secretScan.teardown.ts',
};
