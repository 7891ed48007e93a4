import { RunStore } from '/work/wt/cold/src-main/db';
import { integrityCheckOf } from '/work/wt/cold/src-main/db/open';
import { fileState } from '/work/wt/cold/src-main/db/clean-checks';
const f = process.argv[2];
for (let i = 0; i < 4; i++) {
  const before = fileState(f);
  const t0 = performance.now();
  const s = RunStore.open(f);
  const t = performance.now() - t0;
  if (i === 1) s.listRuns();
  console.log(i, integrityCheckOf(s.db), t.toFixed(0), 'ms', before);
  s.close();
}
