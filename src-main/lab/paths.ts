/**
 * Finding the built files (the trainer-process entry, the renderer) from wherever the running code
 * is: a bundle in out/main, a shared chunk in out/main/chunks, or the TypeScript sources under
 * tests. Walks up from `from` looking for any of the relative paths.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function findBuilt(from: string, relPaths: readonly string[]): string | null {
  let dir = from;
  for (;;) {
    for (const rel of relPaths) {
      const p = join(dir, rel);
      if (existsSync(p)) return p;
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}
