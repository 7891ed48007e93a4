/**
 * LabClient over HTTP (browser mode, `nnlab serve`): POST /api/<name> with the access token, and
 * lab events from the server-sent event stream. The token arrives once in the page URL; it is
 * kept in sessionStorage (so a reload keeps working) and removed from the address bar.
 */
import { type ApiName, type ApiRequest, type ApiResponse, type ApiResult, type LabClient, LabApiError, type LabEventWire, unwrap } from '@main/api/contract';

const TOKEN_KEY = 'nnlab.token';

export function takeToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function httpClient(token: string): LabClient {
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
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(request),
        });
      } catch (e) {
        throw new LabApiError({ name: 'NetworkError', message: `the lab server is not reachable (${(e as Error).message})` });
      }
      return unwrap((await res.json()) as ApiResult<ApiResponse<N>>);
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
