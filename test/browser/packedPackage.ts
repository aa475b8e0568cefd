/**
 * The package as users receive it: the tarball `npm pack` builds from the `files` list, unpacked. A file n8n needs that
 * the tarball leaves out is missing here too. N8N_CHATWOOT_BRIDGE_PACKAGE names another tarball or unpacked folder to
 * test instead (e.g. the one about to be published).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { REPO_ROOT } from '../../scripts/n8n-home';

function unpack(tarball: string, into: string): string {
	execFileSync('tar', ['-xzf', tarball, '-C', into]);
	return path.join(into, 'package');
}

/** A folder with the package's package.json and dist/, for world.ts's `packageRoot`; `remove()` deletes what was unpacked. */
export function packedPackage(): { root: string; remove(): void } {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cwb-packed-'));
	const remove = () => fs.rmSync(work, { recursive: true, force: true });
	const given = process.env.N8N_CHATWOOT_BRIDGE_PACKAGE;
	if (given) return { root: fs.statSync(given).isDirectory() ? given : unpack(path.resolve(given), work), remove };
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
	);
	return { root: unpack(path.join(work, packed.filename), work), remove };
}
