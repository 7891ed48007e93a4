/**
 * Numbers as the readings write them: 3 significant digits in plain notation (0.000313, read
 * aloud; scientific only below 1e-6 or from 1e6), a true minus sign, ∞ for infinities, – for a
 * missing value. Pure.
 */
export function num(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  const s = a >= 1e6 || a < 1e-6 ? x.toExponential(2) : String(Number(x.toPrecision(3)));
  return s.replace('-', '−');
}

/** A file's size: "22 B", "6.6 kB", "40.0 MB" (1 kB = 1024 bytes): the Data view's and `nnlab data`'s. */
export function fmtBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
