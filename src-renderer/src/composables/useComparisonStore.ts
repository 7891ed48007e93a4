/** The app's one comparison (of the selected runs), kept across views so its options survive a tab switch. */
import type { ComparisonStore } from './useComparison';

let current: ComparisonStore | null = null;

export function provideComparison(store: ComparisonStore | null): void {
  current?.close();
  current = store;
}

export function useComparison(): ComparisonStore {
  if (!current) throw new Error('useComparison() before provideComparison()');
  return current;
}
