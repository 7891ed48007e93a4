import { readFileSync } from 'node:fs';

/**
 * Whether a file is a native module at all: an ELF, Mach-O or PE binary by its first bytes.
 * tests/app/packaging.test.ts puts a text stand-in where the Electron build goes while it packs
 * (when there is none), and vitest may run it beside tests/app/electron.test.ts, whose
 * electronMissing (tests/e2e/target.ts) must not take the stand-in for the Electron build.
 */
export function isNativeBinary(file: string): boolean {
  let head: Buffer;
  try {
    head = readFileSync(file).subarray(0, 4);
  } catch {
    return false;
  }
  if (head.length < 4) return false;
  const magic = head.readUInt32BE(0);
  return (
    magic === 0x7f454c46 || // ELF
    [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic) || // Mach-O, either order, and universal
    head.readUInt16BE(0) === 0x4d5a // PE ("MZ")
  );
}
