/**
 * LabClient over HTTP (browser mode, `nnlab serve`): POST /api/<name> with the access token, and
 * lab events from the server-sent event stream. The token arrives once in the page URL; it is
 * removed from the address bar and kept in localStorage, which every tab of this origin (this
 * server's address) shares: an address copied from the address bar, which has no token, opens the
 * same view in another tab. A kept token the server refuses (serve was started again, with a new
 * token) is dropped and the page reloaded, so it says what to do instead of failing every request.
 * Each call names the page's build (its entry script); a server started before a rebuild refuses
 * it (409 StaleServerError), and `onStale` replaces the page with what to do.
 */
import { type ApiName, type ApiRequest, type ApiResponse, type ApiResult, type LabClient, LabApiError, type LabEventWire, unwrap } from '@main/api/contract';
import { entryName, PAGE_BUILD_HEADER } from '@main/api/page-build';

const TOKEN_KEY = 'nnlab.token';

export function takeToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    localStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return localStorage.getItem(TOKEN_KEY);
}

/** The server refused `token`: forget it (if it is the one kept) and load the page again, which then asks for the printed URL. */
function refused(token: string): void {
  if (localStorage.getItem(TOKEN_KEY) === token) localStorage.removeItem(TOKEN_KEY);
  window.location.reload();
}

/** The entry script this document loaded, as the server names its build ('' outside a built page). */
function pageEntry(): string {
  const src = document.querySelector('script[type="module"][src]')?.getAttribute('src');
  return src ? entryName(src) : '';
}

export function httpClient(token: string, onStale: (message: string) => void = () => undefined): LabClient {
  const page = pageEntry();
  const listeners = new Set<(e: LabEventWire) => void>();
  let source: EventSource | null = null;
  const connect = () => {
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    source.addEventListener('lab', (m) => {
      const event = JSON.parse((m as MessageEvent<string>).data) as LabEventWire;
      for (const l of listeners) l(event);
    });
  };
  return {
    async call<N extends ApiName>(name: N, request: ApiRequest<N>): Promise<ApiResponse<N>> {
      let res: Response;
      try {
        res = await fetch(`/api/${name}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, ...(page ? { [PAGE_BUILD_HEADER]: page } : {}) },
          body: JSON.stringify(request),
        });
      } catch (e) {
        throw new LabApiError({ name: 'NetworkError', message: `the lab server is not reachable (${(e as Error).message})` });
      }
      if (res.status === 401) refused(token);
      const result = (await res.json()) as ApiResult<ApiResponse<N>>;
      if (res.status === 409 && !result.ok && result.error.name === 'StaleServerError') onStale(result.error.message);
      return unwrap(result);
    },
    onEvent(listener) {
      listeners.add(listener);
      if (!source) connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          source?.close();
          source = null;
        }
      };
    },
  };
}
