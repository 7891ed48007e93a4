/**
 * The rule for skipped tests: a test whose part is missing skips and says why, but under CI=true
 * a missing part fails the test instead — on the platforms where that part can exist. Parts only
 * Linux machines have (a tmpfs mount, setpriv and an unprivileged user, Debian's packages) skip
 * with the reason on macOS and Windows even under CI=true, as the GitHub desktop workflow runs
 * there; `unix` parts (Redis, say) also exist on macOS. A CI machine may name parts it is known to
 * lack in NNLAB_CI_ABSENT (comma-separated, e.g. `oracle` in the workflow, where the numpy oracle
 * lives outside the repository): those skip with the reason too, visibly in the workflow file.
 */

/** Where a part of the test set-up can exist. */
export type Where = 'anywhere' | 'unix' | 'linux';

export interface CiContext {
  ci: boolean;
  platform: NodeJS.Platform;
  /** Parts the CI machine says it lacks (NNLAB_CI_ABSENT). */
  absent: readonly string[];
}

export function ciContext(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): CiContext {
  return {
    ci: env.CI === 'true',
    platform,
    absent: (env.NNLAB_CI_ABSENT ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

/** True if a part that exists `where` can be on this platform. */
export function canExist(where: Where, platform: NodeJS.Platform): boolean {
  if (where === 'linux') return platform === 'linux';
  if (where === 'unix') return platform !== 'win32';
  return true;
}

/**
 * The skip note for a missing part (null when nothing is missing), or a thrown Error where the
 * part must be there: under CI=true on a platform where it can exist, unless the CI machine lists
 * it as absent. `part` names it for NNLAB_CI_ABSENT; `missing` says what is missing and how to get it.
 */
export function skipUnlessRequired(missing: string | null, part: string, where: Where = 'anywhere', ctx: CiContext = ciContext()): string | null {
  if (missing === null) return null;
  if (!ctx.ci) return missing;
  if (!canExist(where, ctx.platform)) return `${missing} (${part} is ${where === 'linux' ? 'Linux-only' : 'not on Windows'}: not required on ${ctx.platform})`;
  if (ctx.absent.includes(part)) return `${missing} (this CI machine lacks it: NNLAB_CI_ABSENT=${ctx.absent.join(',')})`;
  throw new Error(`CI=true, and ${missing}`);
}
