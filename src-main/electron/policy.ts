/**
 * The desktop app's security decisions as pure functions (no electron import, so they are tested
 * without the binary): which page may call the lab, which requests the window may make, where a
 * link may go, and where a remembered window may reappear.
 */
import type { WindowState } from './window-state';

/** A URL without its fragment (the renderer routes by #hash) or query. */
function base(url: string): string {
  const cut = url.search(/[?#]/);
  return cut < 0 ? url : url.slice(0, cut);
}

/**
 * True if `url` is the app's own page: the built renderer's index.html (file URL), or, in
 * development, the electron-vite dev server. Any other page — another file, a data: or about:
 * page, a remote site — is refused by the IPC handlers (the sender check).
 */
export function isOwnPage(url: string, rendererIndexUrl: string, devServerUrl?: string): boolean {
  if (!url) return false;
  if (devServerUrl && (url === devServerUrl || url.startsWith(devServerUrl.endsWith('/') ? devServerUrl : `${devServerUrl}/`))) return true;
  return base(url) === base(rendererIndexUrl);
}

/**
 * True if the window may load `url`: the app's own files and in-page resources (blob: exports,
 * data: images, devtools), never remote content. The dev server only when it is set.
 */
export function allowedRequest(url: string, devServerUrl?: string): boolean {
  if (devServerUrl && url.startsWith(devServerUrl)) return true;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  return scheme === 'file' || scheme === 'blob' || scheme === 'data' || scheme === 'devtools' || scheme === 'chrome-extension';
}

/** Links the user clicks open in the system browser only when they are https. */
export function opensExternally(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The remembered window state, made to fit the screens there are now: a position on a display
 * that is gone (or where less than 100×50 px of the window would show) is dropped, so the window
 * opens centred; a size larger than the largest work area shrinks to it.
 */
export function fitToDisplays(state: WindowState, workAreas: readonly Area[]): WindowState {
  if (!workAreas.length) return state;
  const maxW = Math.max(...workAreas.map((a) => a.width));
  const maxH = Math.max(...workAreas.map((a) => a.height));
  const out: WindowState = { ...state, width: Math.min(state.width, maxW), height: Math.min(state.height, maxH) };
  if (out.x === undefined || out.y === undefined) return out;
  const { x, y } = out;
  const visible = workAreas.some((a) => {
    const w = Math.min(x + out.width, a.x + a.width) - Math.max(x, a.x);
    const h = Math.min(y + out.height, a.y + a.height) - Math.max(y, a.y);
    return w >= 100 && h >= 50;
  });
  if (!visible) {
    delete out.x;
    delete out.y;
  }
  return out;
}
