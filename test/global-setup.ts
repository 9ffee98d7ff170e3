// The CLI and the sandbox child run from dist/: build them once before the tests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  // Keep the reference cache of test runs away from the user's.
  process.env.NNGRADE_CACHE ??= mkdtempSync(path.join(os.tmpdir(), 'nngrade-test-cache-'));
}
