/**
 * A LabClient over the lab itself: the API's own handlers (createHandlers) on a LabService over a
 * temp database with real trainer processes (tests/helpers/lab), each answer and error passed
 * through JSON as `nnlab serve` sends them, and the lab's events as the event stream sends them.
 * For renderer tests whose point is what the lab answers (what it refuses, what it says a task or
 * data set is), where a fake's answer would only say what the test expects. Not HTTP: the
 * transport has its own tests (tests/server, tests/e2e).
 */
import { type ApiName, type ApiRequest, type ApiResponse, type ApiResult, type LabClient, type LabEventWire, unwrap } from '@main/api/contract';
import { createHandlers, dispatch, toWireEvent } from '@main/api/handlers';
import { createTestLab, type TestLab } from '../../helpers/lab';

export interface RealLabClient extends LabClient {
  lab: TestLab;
  close(): Promise<void>;
}

export function realLabClient(): RealLabClient {
  const lab = createTestLab();
  const handlers = createHandlers(lab.lab, { database: lab.file });
  const listeners = new Set<(e: LabEventWire) => void>();
  const off = lab.lab.on((e) => {
    const wire = JSON.parse(JSON.stringify(toWireEvent(e))) as LabEventWire;
    for (const l of listeners) l(wire);
  });
  return {
    lab,
    async call<N extends ApiName>(name: N, request: ApiRequest<N>): Promise<ApiResponse<N>> {
      const { result } = await dispatch(handlers, name, JSON.parse(JSON.stringify(request ?? {})));
      return unwrap(JSON.parse(JSON.stringify(result)) as ApiResult<ApiResponse<N>>);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      off();
      await lab.close();
    },
  };
}
