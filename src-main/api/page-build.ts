/**
 * Which build of the page a browser holds, so `nnlab serve` can tell a page from another build.
 *
 * `nnlab serve` reads the built renderer from disk on each request, but its API is the code it
 * started with. After an update or a rebuild while it runs (`git pull && npm install` builds
 * out/), a reloaded tab gets the new page and talks to the old API: its requests meet "unknown
 * field" refusals that blame the user's input. The build is named by the page's entry script
 * (electron-vite names it by its content hash, and every chunk's name is in it): the server reads
 * it from index.html when it starts, the page sends the one its document loaded, and a call from
 * another build is refused in words that say what to do.
 */

/** The header in which the page names its entry script. */
export const PAGE_BUILD_HEADER = 'x-nnlab-page';

/** The file name of the module script an index.html loads ("index-CrlhYmKv.js"), or null. */
export function pageEntryOf(html: string): string | null {
  for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
    if (!/\btype\s*=\s*["']?module\b/i.test(tag)) continue;
    const src = /\bsrc\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
    if (src) return entryName(src);
  }
  return null;
}

/** The last path segment of a script's address, without query or fragment. */
export function entryName(src: string): string {
  return src.replace(/[?#].*$/, '').split('/').pop() ?? src;
}

/** What a page of another build is told (409, StaleServerError). */
export const STALE_SERVER_MESSAGE =
  'This page is from another build of nnlab than the running “nnlab serve” (nnlab was updated or rebuilt after the server started). ' +
  'Stop “nnlab serve” (Ctrl+C in its terminal), start it again, and open the URL it prints; your runs are in the database, untouched.';
