import { describe as suite, expect, it } from 'vitest';
import { describe, parseQueueTarget, redact, redisOptions, ref } from '../../src-main/queue/connection';
import { refusal } from '../../src-main/queue/protocol';

suite('queue/connection', () => {
  it('reads redis:// and rediss:// URLs with user, password, port and database', () => {
    const t = parseQueueTarget('rediss://lab:s3cr%2Ft@redis.example:6380/2', 'sweeps');
    expect(t).toEqual({ name: 'sweeps', tls: true, host: 'redis.example', port: 6380, db: 2, username: 'lab', password: 's3cr/t' });
    expect(redisOptions(t)).toMatchObject({ host: 'redis.example', port: 6380, db: 2, username: 'lab', password: 's3cr/t', tls: { servername: 'redis.example' }, maxRetriesPerRequest: null });
    expect(parseQueueTarget('redis://127.0.0.1')).toMatchObject({ name: 'nnlab', tls: false, port: 6379, db: 0 });
    expect(redisOptions(parseQueueTarget('redis://h')).tls).toBeUndefined();
    expect(parseQueueTarget('redis://:pw@[::1]:7000/0')).toMatchObject({ host: '::1', port: 7000, password: 'pw' });
  });

  it('never puts the password in what it prints or stores', () => {
    const t = parseQueueTarget('redis://lab:hunter2@h:6379/0');
    expect(describe(t)).toBe('queue nnlab on redis://lab:***@h:6379/0');
    expect(ref(t)).toEqual({ name: 'nnlab', redis: 'redis://h:6379/0' });
    expect(redact(t, 'AUTH hunter2 failed')).toBe('AUTH *** failed');
    const enc = parseQueueTarget('redis://:p%40ss@h');
    expect(redact(enc, 'p@ss and p%40ss')).toBe('*** and ***');
    expect(describe(parseQueueTarget('redis://:x@h'))).toBe('queue nnlab on redis://:***@h:6379/0');
  });

  it('refuses what is not a Redis URL or a queue name, naming the flag and never echoing a password', () => {
    expect(() => parseQueueTarget('http://h')).toThrow(/^--queue: expected redis:\/\/ or rediss:\/\/, got http:\/\/$/);
    expect(() => parseQueueTarget('nonsense')).toThrow(/^--queue: expected a Redis URL/);
    expect(() => parseQueueTarget('redis://:topsecret@h/db1')).toThrow(/the database after the host is a number/);
    expect(() => parseQueueTarget('redis://:topsecret@h/db1')).not.toThrow(/topsecret/);
    expect(() => parseQueueTarget('redis://h/0?tls=1')).toThrow(/no \?options/);
    expect(() => parseQueueTarget('redis://h', 'a:b')).toThrow(/^--queue-name: expected 1–64 letters/);
    expect(() => parseQueueTarget('redis://h', '')).toThrow(/^--queue-name/);
  });
});

suite('queue/protocol: refusal', () => {
  const job = { kernel: 'auto' as const, expect: { appVersion: '0.1.0', kernels: 'wasm' as const }, allowMismatch: false };
  it('refuses another app version or kernel family unless the sweep allows it, and a kernel it cannot run in any case', () => {
    expect(refusal(job, { appVersion: '0.1.0', kernels: 'wasm' })).toBeNull();
    expect(refusal(job, { appVersion: '0.2.0', kernels: 'wasm' })).toBe('nnlab 0.2.0 here, the sweep was made with nnlab 0.1.0');
    expect(refusal(job, { appVersion: '0.1.0', kernels: 'js' })).toBe('kernel auto runs js kernels here, wasm in the lab');
    expect(refusal({ ...job, allowMismatch: true }, { appVersion: '0.2.0', kernels: 'js' })).toBeNull();
    expect(refusal({ ...job, allowMismatch: true }, { appVersion: '0.1.0', kernels: 'unavailable' })).toBe('this machine cannot run kernel auto');
  });
});
