/**
 * The link "Copy link" copies (components/CopyLink.vue): in browser mode the page's URL without
 * its query (the token is taken out of it on arrival; nothing else is kept there), in the desktop
 * app the view's address `#/…` alone, which opens the same view after the URL `nnlab serve`
 * prints (the app's own file or app: URL is of no use outside its window).
 */
export function shareableLink(loc: Pick<Location, 'origin' | 'pathname' | 'hash'>, desktop: boolean): string {
  const hash = loc.hash.length > 1 ? loc.hash : '#/start';
  return desktop ? hash : `${loc.origin}${loc.pathname}${hash}`;
}
