/**
 * The app's stores, one of each: the lab connection, the run list, the run form, the sweep form and
 * the comparison. main.ts creates each once and provides it (component tests provide ones over a
 * fake lab); any component or composable then uses it. Providing another closes the one before, so
 * its event subscriptions and timers end with it.
 */
export interface AppStore<T> {
  provide(store: T | null): void;
  use(): T;
}

/** One slot for one of the app's stores; `name` is what the error says when it is used too early. */
export function appStore<T extends object>(name: string): AppStore<T> {
  let current: T | null = null;
  return {
    provide(store) {
      if (current && current !== store && 'close' in current && typeof current.close === 'function') current.close();
      current = store;
    },
    use() {
      if (!current) throw new Error(`the app's ${name} is used before main.ts provided it`);
      return current;
    },
  };
}
