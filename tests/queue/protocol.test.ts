/**
 * queue/protocol's firstIssue speaks of a refused message as the rest of nnlab does (specErrorOf:
 * one reader of zod issues, one path format `a.b[1]`): before, it wrote `shape.1` where the API
 * and the CLI write `shape[1]`.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { firstIssue } from '../../src-main/queue/protocol';
import { specErrorOf } from '../../src-main/trainer/spec';

describe('queue/protocol firstIssue', () => {
  it('names the field with specErrorOf’s path and wording', () => {
    const schema = z.strictObject({ spec: z.strictObject({ shape: z.array(z.int().min(1)) }) });
    const cases: [unknown, string][] = [
      [{ spec: { shape: [1, 0, 2] } }, 'spec.shape[1]: '],
      [{ spec: { shape: [1], script: 'x' } }, 'spec.script: unknown field'],
    ];
    for (const [input, start] of cases) {
      const parsed = schema.safeParse(input);
      expect(parsed.success).toBe(false);
      if (parsed.success) continue;
      expect(firstIssue(parsed.error)).toBe(specErrorOf(parsed.error).message);
      expect(firstIssue(parsed.error).startsWith(start)).toBe(true);
    }
  });
});
