/**
 * The lab end to end in browser mode: the scenarios (tests/e2e/scenarios.ts) in Debian's Chromium
 * against a real `nnlab serve` on a temp database. Under CI=true a missing browser is a failure.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { HAVE_CHROMIUM, MUST_RUN, SKIP_NOTE } from './browser';
import { labScenarios } from './scenarios';
import { browserTarget } from './target';

if (HAVE_CHROMIUM || MUST_RUN) {
  labScenarios('the lab in a browser', 'browser', () => browserTarget(join(mkdtempSync(join(tmpdir(), 'nnlab-e2e-')), 'lab.sqlite')));
} else {
  describe.skip(`the lab in a browser (skipped: ${SKIP_NOTE})`, () => {
    it('runs the scenarios', () => {});
  });
}
