import { describe, expect, it } from 'vitest';
import { appStore } from '../../../src-renderer/src/composables/app-store';

describe('composables/app-store', () => {
  it('refuses use before provide, naming the store', () => {
    const slot = appStore<{ close(): void }>('run list');
    expect(() => slot.use()).toThrow("the app's run list is used before main.ts provided it");
  });

  it('closes the store it replaces, once, and not the one provided again', () => {
    const closed: string[] = [];
    const make = (name: string) => ({ name, close: () => closed.push(name) });
    const slot = appStore<ReturnType<typeof make>>('lab connection');
    const a = make('a');
    slot.provide(a);
    slot.provide(a);
    expect(closed).toEqual([]);
    slot.provide(make('b'));
    expect(closed).toEqual(['a']);
    expect(slot.use().name).toBe('b');
    slot.provide(null);
    expect(closed).toEqual(['a', 'b']);
    expect(() => slot.use()).toThrow();
  });

  it('holds stores without a close (the sweep form)', () => {
    const slot = appStore<{ n: number }>('sweep form');
    slot.provide({ n: 1 });
    slot.provide({ n: 2 });
    expect(slot.use().n).toBe(2);
  });
});
