/**
 * The panels that show the comparison's shared parts as they are: the replicate table (outcome
 * classes per configuration, from the findings), the stability map of a 2-D grid (the
 * findings'), and the config diff. Pure.
 */
import { provenanceOf } from './context';
import { panel } from './panel';

export const replicatesPanel = panel({
  id: 'replicates',
  needs: [],
  whole: true,
  build: ({ groups, options }) => ({ groups, learnedAt: options.learnedAt }),
});

export const stabilityPanel = panel({
  id: 'stability',
  needs: [],
  whole: true,
  build: ({ findings, data }) => (findings.stability ? { maps: findings.stability, runs: provenanceOf(data) } : null),
});

export const configDiffPanel = panel({
  id: 'config-diff',
  needs: [],
  build: ({ diff, items, seedsVary }) => ({ rows: diff, heads: items.map((it) => ({ label: it.label, color: it.color })), seedsVary }),
});
