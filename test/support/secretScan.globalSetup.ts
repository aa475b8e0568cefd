/** Starts every run with an empty capture folder, so the scan judges this run only. */
import * as fs from 'fs';

import { CAPTURE_DIR } from './capture';

export default function globalSetup(): void {
	fs.rmSync(CAPTURE_DIR, { recursive: true, force: true });
	fs.mkdirSync(CAPTURE_DIR, { recursive: true });
}
