/**
 * A component's action that asks the lab something on a button press (export a network, re-run
 * and verify a run): `busy` while it runs (the button is disabled meanwhile), `error` the message
 * of its last failure, cleared when it runs again, and `run(...)` that starts it. The one
 * definition of that busy/error shape for the components that show their own error beside the
 * button.
 */
import { ref, type Ref } from 'vue';

export interface ApiAction<A extends unknown[]> {
  readonly busy: Ref<boolean>;
  readonly error: Ref<string | null>;
  /** Runs the action; a failure is kept in `error`, never thrown. */
  run(...args: A): Promise<void>;
}

export function useApiAction<A extends unknown[]>(action: (...args: A) => Promise<void>): ApiAction<A> {
  const busy = ref(false);
  const error = ref<string | null>(null);
  return {
    busy,
    error,
    async run(...args) {
      busy.value = true;
      error.value = null;
      try {
        await action(...args);
      } catch (e) {
        error.value = (e as Error).message;
      } finally {
        busy.value = false;
      }
    },
  };
}
