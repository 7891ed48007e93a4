/**
 * Edit distance (Levenshtein: insertions, deletions and substitutions of one character each), for
 * the "did you mean" of a misspelt name: the runs query's fields (./query.ts) and a spec
 * file's unknown field (cli/spec-flags.ts). Pure.
 */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const keep = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = keep;
    }
  }
  return d[b.length];
}
