/**
 * Text written in pieces, for answers and files too big to make or write in one go: JSON whose
 * long arrays (a run's 20 M costs, a page of a million weights) are turned into text a slice at a
 * time, and a writer that lets the event loop through between pieces and waits for the stream to
 * drain, so `nnlab serve`, the app and the CLI neither hold the whole text nor stall while they
 * make it. The API's answers (server/http.ts) and the exports (cli/export.ts) are written here.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { setImmediate as yieldToLoop } from 'node:timers/promises';

/** Values of a long array turned into text at once: a few milliseconds of work, and text below V8's large-object size (128 KB). */
export const PIECE_VALUES = 4096;

/** Text gathered before a write: small pieces go out together, and a write never grows past a piece or this. */
const WRITE_CHARS = 64 * 1024;

const isPrimitive = (v: unknown) => v === null || typeof v !== 'object';

/**
 * JSON.stringify(value)'s text, in pieces: an array longer than PIECE_VALUES (at any depth) is
 * written PIECE_VALUES entries at a time; everything else as JSON.stringify writes it.
 */
export function* jsonTextPieces(value: unknown): Generator<string> {
  const holes: unknown[][] = [];
  const mark = `nnlab-piece-${Math.random().toString(36).slice(2)}-`;
  const skeleton = JSON.stringify(value, (_key, v: unknown) => {
    if (!Array.isArray(v) || v.length <= PIECE_VALUES) return v;
    holes.push(v);
    return `${mark}${holes.length - 1}`;
  });
  if (skeleton === undefined) return;
  if (holes.length === 0) {
    yield skeleton;
    return;
  }
  const at = new RegExp(`"${mark}(\\d+)"`, 'g');
  let last = 0;
  for (let m = at.exec(skeleton); m; m = at.exec(skeleton)) {
    yield skeleton.slice(last, m.index);
    last = m.index + m[0].length;
    const array = holes[Number(m[1])];
    yield '[';
    for (let from = 0; from < array.length; from += PIECE_VALUES) {
      const slice = array.slice(from, from + PIECE_VALUES);
      const sep = from ? ',' : '';
      if (slice.every(isPrimitive)) {
        // JSON.stringify of the slice less its brackets: undefined and functions become null as in an array
        yield sep + JSON.stringify(slice).slice(1, -1);
        continue;
      }
      for (const [i, element] of slice.entries()) {
        if (i || from) yield ',';
        let any = false;
        for (const piece of jsonTextPieces(element)) {
          any = true;
          yield piece;
        }
        if (!any) yield 'null';
      }
    }
    yield ']';
  }
  yield skeleton.slice(last);
}

/**
 * Writes the pieces to `out` with backpressure, gathering small ones up to WRITE_CHARS and
 * yielding to the event loop between writes. Stops early when `out` is closed (a client gone).
 */
export async function writePieces(out: Writable, pieces: Iterable<string>): Promise<void> {
  let gathered = '';
  const flush = async () => {
    const text = gathered;
    gathered = '';
    if (!out.write(text)) {
      const stop = new AbortController();
      // whichever comes first; the other listener goes with the abort
      await Promise.race([once(out, 'drain', { signal: stop.signal }), once(out, 'close', { signal: stop.signal })]).finally(() => stop.abort());
    }
    await yieldToLoop();
  };
  for (const piece of pieces) {
    if (out.destroyed) return;
    if (gathered && gathered.length + piece.length > WRITE_CHARS) await flush();
    gathered += piece;
    if (gathered.length >= WRITE_CHARS) await flush();
  }
  if (gathered && !out.destroyed) out.write(gathered);
}
