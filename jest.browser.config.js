/**
 * The browser e2e suite (`npm run test:browser`, part of `npm test`): Debian's headless Chromium drives the editor of a
 * real n8n 2.8.4 with the packed package installed (test/browser/editor.browser.test.ts). Needs `npm run build` first
 * and `chromium` (apt-get install -y --no-install-recommends chromium); without it the suite is skipped, and fails
 * under CI=true. Same transform and one worker as the e2e suites.
 */
module.exports = {
	...require('./jest.e2e.config.js'),
	roots: ['<rootDir>/test/browser'],
	testMatch: ['**/*.browser.test.ts'],
	testTimeout: 120000,
};
