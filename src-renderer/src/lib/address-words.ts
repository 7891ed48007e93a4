/**
 * What a page says of the address's path entries that are no run's number (`#/runs/abc`,
 * `#/compare/3,abc,0`): one wording for the runs table and the comparison, so both pages say the
 * same of the same address. Pure.
 */

/**
 * The sentence for `unread` (as the person wrote them), ending in what the page did with them
 * (`fate`: "not selected", "left out"); null when there are none.
 */
export function unreadEntriesText(unread: readonly string[], fate: string): string | null {
  if (!unread.length) return null;
  const named = unread.map((s) => `“${s}”`).join(', ');
  return unread.length === 1 ? `The address asks for run ${named}, which is no run’s number: it is ${fate}.` : `The address asks for runs ${named}, which are no runs’ numbers: they are ${fate}.`;
}
