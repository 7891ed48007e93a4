import { describe, expect, it } from 'vitest';
import { nnlab } from '../helpers/cli';

describe('cli/processes', () => {
  it('names the local pool --processes in the help of sweep and serve, and says --workers is its old name', () => {
    for (const cmd of ['sweep', 'serve']) {
      const help = nnlab([cmd, '--help']).stdout.replace(/\s+/g, ' ');
      expect(help).toMatch(/--processes <n> trainer processes on this machine \(default: cores − 1\); --workers N is the old name of this flag/);
      expect(help).not.toMatch(/--workers <n>/);
    }
  });

  it('takes --processes, and --workers as its alias', () => {
    for (const flag of ['--processes', '--workers']) {
      const r = nnlab(['sweep', '--batches', '5', '--replicates', '2', flag, '1', '--json']);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toHaveLength(2);
    }
  });

  it('refuses a bad count naming the flag given, and both flags at once (exit 2)', () => {
    const zero = nnlab(['sweep', '--batches', '5', '--processes', '0']);
    expect(zero.status).toBe(2);
    expect(zero.stderr).toBe('nnlab: --processes: must be at least 1\n');
    const old = nnlab(['sweep', '--batches', '5', '--workers', 'two']);
    expect(old.status).toBe(2);
    expect(old.stderr).toBe("nnlab: --workers: expected a number, got 'two'\n");
    const both = nnlab(['sweep', '--batches', '5', '--processes', '1', '--workers', '1']);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--processes and --workers are the same flag/);
  });
});
