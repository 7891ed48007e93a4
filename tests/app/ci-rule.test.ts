/**
 * tests/helpers/ci: the skip rule is platform-aware. Under CI=true a missing part fails where it
 * can exist, and skips with the reason where it cannot (Linux-only parts on macOS and Windows,
 * as the GitHub desktop workflow runs them), or where the CI machine says it lacks it.
 */
import { describe, expect, it } from 'vitest';
import { ciContext, skipUnlessRequired } from '../helpers/ci';

const on = (platform: NodeJS.Platform, env: NodeJS.ProcessEnv) => ciContext(env, platform);

describe('tests/helpers/ci', () => {
  it('returns null when nothing is missing, and the reason when not under CI', () => {
    expect(skipUnlessRequired(null, 'tmpfs', 'linux', on('linux', { CI: 'true' }))).toBeNull();
    expect(skipUnlessRequired('no tmpfs here', 'tmpfs', 'linux', on('linux', {}))).toBe('no tmpfs here');
  });

  it('fails under CI=true where the part can exist', () => {
    expect(() => skipUnlessRequired('no tmpfs here', 'tmpfs', 'linux', on('linux', { CI: 'true' }))).toThrow('CI=true, and no tmpfs here');
    expect(() => skipUnlessRequired('no redis-server', 'redis', 'unix', on('darwin', { CI: 'true' }))).toThrow(/CI=true/);
    expect(() => skipUnlessRequired('no chromium', 'chromium', 'anywhere', on('win32', { CI: 'true' }))).toThrow(/CI=true/);
  });

  it('skips with the reason under CI=true on macOS and Windows for Linux-only parts, and on Windows for unix ones', () => {
    expect(skipUnlessRequired('cannot mount a tmpfs', 'tmpfs', 'linux', on('darwin', { CI: 'true' }))).toBe('cannot mount a tmpfs (tmpfs is Linux-only: not required on darwin)');
    expect(skipUnlessRequired('no setpriv', 'setpriv', 'linux', on('win32', { CI: 'true' }))).toMatch(/not required on win32/);
    expect(skipUnlessRequired('no redis-server', 'redis', 'unix', on('win32', { CI: 'true' }))).toBe('no redis-server (redis is not on Windows: not required on win32)');
  });

  it('skips a part the CI machine lists in NNLAB_CI_ABSENT, saying so', () => {
    const ctx = on('linux', { CI: 'true', NNLAB_CI_ABSENT: 'oracle, redis' });
    expect(ctx.absent).toEqual(['oracle', 'redis']);
    expect(skipUnlessRequired('the oracle is missing', 'oracle', 'anywhere', ctx)).toBe('the oracle is missing (this CI machine lacks it: NNLAB_CI_ABSENT=oracle,redis)');
    expect(() => skipUnlessRequired('no chromium', 'chromium', 'anywhere', ctx)).toThrow(/CI=true/);
  });
});
