/**
 * Global setup: tests that run the CLI or fork trainer processes use the built files in out/, so
 * build them first, unless the caller just did (`npm test` builds, then sets NNLAB_BUILT=1).
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function setup(): void {
  if (process.env.NNLAB_BUILT === '1') return;
  const root = resolve(__dirname, '../..');
  execFileSync(process.execPath, [resolve(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'ignore' });
}
