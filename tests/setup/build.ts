/**
 * Global setup: tests that run the CLI or fork trainer processes use the built files in out/, so
 * build them first, unless the caller just did: `npm test` builds before it runs vitest (seen as
 * npm_lifecycle_event=test, which works in Windows' cmd too, unlike `NNLAB_BUILT=1 vitest`), and
 * NNLAB_BUILT=1 says so when vitest is run by hand after a build.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function setup(): void {
  if (process.env.NNLAB_BUILT === '1' || process.env.npm_lifecycle_event === 'test') return;
  const root = resolve(__dirname, '../..');
  execFileSync(process.execPath, [resolve(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'ignore' });
}
