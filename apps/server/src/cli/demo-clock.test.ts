/** The demo's simulated clock: timers in time order, steps that hold it, and nothing else waited for. */
import { describe, expect, it } from 'vitest';
import { createSimulatedClock } from './demo-clock.js';

const T0 = Date.UTC(2026, 10, 24, 9);

describe('simulated clock', () => {
  it('fires timers in time order, equal times in the order set, at their own moment', async () => {
    const clock = createSimulatedClock(T0);
    const fired: [string, number][] = [];
    const note = (name: string) => () => void fired.push([name, clock.now() - T0]);
    clock.setTimeout(note('c'), 3_000);
    clock.setTimeout(note('a'), 1_000);
    clock.setTimeout(note('b1'), 2_000);
    clock.setTimeout(note('b2'), 2_000);
    clock.setTimeout(() => clock.setTimeout(note('nested'), 500), 1_000);
    await clock.runUntil(T0 + 2_000);
    expect(fired).toEqual([['a', 1_000], ['nested', 1_500], ['b1', 2_000], ['b2', 2_000]]);
    expect(clock.now()).toBe(T0 + 2_000);
    expect(clock.next()).toBe(T0 + 3_000);
    await clock.runUntil(T0 + 10_000);
    expect(fired.at(-1)).toEqual(['c', 3_000]);
    expect([clock.now(), clock.next()]).toEqual([T0 + 10_000, undefined]);
  });

  it('drops a cleared timer, and a timer set in the past fires now', async () => {
    const clock = createSimulatedClock(T0);
    const fired: number[] = [];
    const handle = clock.setTimeout(() => fired.push(1), 1_000);
    clock.setTimeout(() => fired.push(2), -5);
    clock.clearTimeout(handle);
    clock.clearTimeout(undefined);
    expect(clock.next()).toBe(T0);
    await clock.runUntil(T0 + 5_000);
    expect(fired).toEqual([2]);
  });

  it('holds the time while a step settles, but never waits for what a timer started', async () => {
    const clock = createSimulatedClock(T0);
    const seen: string[] = [];
    let release!: () => void;
    const background = new Promise<void>((resolve) => (release = resolve));
    clock.setTimeout(() => background, 1_000);
    clock.step(T0 + 2_000, async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen.push(`step done at ${clock.now() - T0}`);
    });
    clock.setTimeout(() => seen.push(`timer at ${clock.now() - T0}`), 2_000);
    await clock.runUntil(T0 + 3_000);
    expect(seen).toEqual(['step done at 2000', 'timer at 2000']);
    release();
  });
});
