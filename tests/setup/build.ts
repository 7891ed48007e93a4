/**
 * Global setup: tests that run the CLI or fork trainer processes use the built files in out/.
 * `npm test` builds first; when vitest runs alone and out/ is missing, build once here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export default function setup(): void {
  const root = resolve(__dirname, '../..');
  if (!existsSync(resolve(root, 'out/main/cli.js'))) {
    execFileSync(process.execPath, [resolve(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  }
}
