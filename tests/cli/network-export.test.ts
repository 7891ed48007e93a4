/** `nnlab runs export`: the JSON export's weight checkpoints (issue 15), and the network exports (issue 16). */
import { describe, expect, it } from 'vitest';
import { nnlab } from '../helpers/cli';
import { tempDbPath } from '../helpers/lab';

const bits = (a: number[]) => Array.from(new Uint8Array(Float64Array.from(a).buffer));

describe('cli/runs export', () => {
  it('--format json gives weightCheckpoints: batches and flat weights per checkpoint, the last equal to finalWeights bit for bit', () => {
    const db = tempDbPath();
    expect(nnlab(['train', '--batches', '40', '--checkpoints', '4', '--db', db]).status).toBe(0);
    const r = nnlab(['runs', 'export', '1', '--format', 'json', '--db', db]);
    expect(r.stderr).toBe('');
    const run = JSON.parse(r.stdout).runs[0];
    const w = run.weightCheckpoints;
    expect(w).toMatchObject({ batches: [0, 10, 20, 30, 40], checkpoints: 5, thinned: false, maxBytes: 67108864 });
    expect(w.weights).toHaveLength(5);
    expect(w.weights.every((row: number[]) => row.length === 66)).toBe(true);
    expect(bits(w.weights[4])).toEqual(bits(run.series.finalWeights.data));
    expect(w.weights[0]).not.toEqual(w.weights[4]);
    // given once, not again among the series
    expect(Object.keys(run.series)).not.toContain('weights');
    expect(nnlab(['runs', 'show', '1', '--db', db]).stdout).toContain('weights kept at 5 points of training (batches 0, 10, 20, 30, 40)\n');
  });
});
