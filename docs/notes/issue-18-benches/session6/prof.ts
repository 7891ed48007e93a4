import { RunStore } from '/work/wt/cold/src-main/db';
import { runsTablePage } from '/work/wt/cold/src-main/api/handlers';
const reqs: Record<string, object> = { filter: { where: 'activation = relu and r2 < 0.5' }, sort: { sort: 'r2', desc: true }, group: { group: 'activation' }, all3: { where: 'tag:baseline or lr = 1', sort: 'testMse', desc: false, group: 'initMean' } };
for (let i = 0; i < 5; i++) for (const [n, req] of Object.entries(reqs)) {
  const s = RunStore.open('/tmp/cold6/t10k-new.sqlite');
  runsTablePage(s, req as never);
  s.close();
}
