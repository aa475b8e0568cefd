import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'whatsapp-payloads');

export type FixtureFolder = 'evolution' | 'waha' | 'cloud-api' | 'n8n-whatsapp-trigger';

export function fixtureNames(folder: FixtureFolder): string[] {
	return readdirSync(join(FIXTURES, folder))
		.filter((name) => name.endsWith('.json'))
		.map((name) => name.replace(/\.json$/, ''))
		.sort();
}

/** A fresh parsed copy each time, so a test may mutate it. */
export function loadFixture(folder: FixtureFolder, name: string): Record<string, any> {
	return JSON.parse(readFileSync(join(FIXTURES, folder, `${name}.json`), 'utf8'));
}

/** The error a call throws (fails the test when it does not throw). */
export function thrown(run: () => unknown): Error {
	try {
		run();
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected the call to throw');
}
