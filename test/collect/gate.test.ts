import { describe, expect, it } from 'vitest';
import { Gate, through } from '../../src/collect/bounded.js';

/** A task that finishes when told to, recording when it started. */
function controlled(log: string[], name: string): { task: () => Promise<string>; finish: () => void; fail: () => void } {
  let finish = (): void => undefined;
  let fail = (): void => undefined;
  const task = (): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      log.push(`start ${name}`);
      finish = () => resolve(name);
      fail = () => reject(new Error(name));
    });
  return { task, finish: () => finish(), fail: () => fail() };
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('Gate', () => {
  it('runs at most its size at once, the others in the order they came, each as a place frees', async () => {
    const gate = new Gate(2);
    const log: string[] = [];
    const t = ['a', 'b', 'c', 'd', 'e'].map((n) => controlled(log, n));
    const results = t.map((x) => gate.run(x.task));
    await settle();
    expect(log).toEqual(['start a', 'start b']);
    t[1]?.finish();
    await settle();
    expect(log).toEqual(['start a', 'start b', 'start c']);
    const failed = expect(results[0]).rejects.toThrow('a');
    t[0]?.fail();
    await settle();
    // A failed task frees its place too, and its caller gets the error.
    expect(log).toEqual(['start a', 'start b', 'start c', 'start d']);
    await failed;
    t[2]?.finish();
    t[3]?.finish();
    await settle();
    expect(log).toEqual(['start a', 'start b', 'start c', 'start d', 'start e']);
    t[4]?.finish();
    expect(await Promise.all(results.slice(1))).toEqual(['b', 'c', 'd', 'e']);
    // Empty again: the next two start at once.
    const more = [controlled(log, 'f'), controlled(log, 'g')];
    const later = more.map((x) => gate.run(x.task));
    await settle();
    expect(log.slice(-2)).toEqual(['start f', 'start g']);
    more.forEach((x) => x.finish());
    expect(await Promise.all(later)).toEqual(['f', 'g']);
  });

  it('is optional: without a gate the task just runs', async () => {
    expect(await through(undefined, async () => 7)).toBe(7);
  });

  it('refuses a size below one', () => {
    expect(() => new Gate(0)).toThrow(/at least 1/);
  });
});
