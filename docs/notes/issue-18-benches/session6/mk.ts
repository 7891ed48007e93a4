import { fillTableStore } from '/work/wt/cold/src-main/cli/bench-table';
const s = fillTableStore(process.argv[2], 10_000);
s.listRuns(); // records the spec checks, as the bench's warm-up does
s.checkpoint();
s.close();
