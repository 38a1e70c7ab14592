/**
 * A clock that moves only when told: hours of sessions, heartbeats and backoff run in
 * milliseconds, and every test is deterministic. The async helpers let promise chains
 * (a retry awaiting a fetch awaiting a timer) settle between timers.
 */
import type { Clock, TimerHandle } from '../core/platform.js';

export interface ManualClock extends Clock {
  /** Moves time forward by `ms`, running due timers in order and letting promises settle after each. */
  advance(ms: number): Promise<void>;
  /**
   * Runs timers (jumping time) until `promise` settles, or until no timer is left and none
   * appeared for about two seconds of real time; returns its value.
   */
  runUntil<T>(promise: Promise<T>, maxMs?: number): Promise<T>;
  /** Timers waiting to fire. */
  pending(): number;
}

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/** Lets every queued promise reaction run (a macrotask boundary). */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * @example
 * const clock = createManualClock(Date.UTC(2026, 10, 24))
 * await clock.advance(15_000) // fires the heartbeat
 */
export function createManualClock(start = Date.UTC(2026, 10, 24, 9)): ManualClock {
  let now = start;
  let next = 1;
  let timers: Timer[] = [];

  function popDue(limit: number): Timer | undefined {
    const due = timers.filter((timer) => timer.at <= limit).sort((a, b) => a.at - b.at || a.id - b.id)[0];
    if (due) timers = timers.filter((timer) => timer !== due);
    return due;
  }

  return {
    now: () => now,
    setTimeout(callback, ms) {
      const timer = { id: next++, at: now + Math.max(0, ms), callback };
      timers.push(timer);
      return timer.id;
    },
    clearTimeout(handle: TimerHandle) {
      timers = timers.filter((timer) => timer.id !== handle);
    },
    async advance(ms) {
      const target = now + ms;
      await settle();
      for (let timer = popDue(target); timer; timer = popDue(target)) {
        now = Math.max(now, timer.at);
        timer.callback();
        await settle();
      }
      now = target;
      await settle();
    },
    async runUntil<T>(promise: Promise<T>, maxMs = 365 * 86_400_000) {
      let done = false;
      const watched = promise.finally(() => {
        done = true;
      });
      const limit = now + maxMs;
      let idle = 0;
      await settle();
      while (!done) {
        const timer = popDue(limit);
        if (!timer) {
          // Nothing due, yet the promise may wait on real work first (a lazily loaded chunk,
          // real I/O) that then sets a timer: give it real time, up to a bound, before
          // concluding that it waits on nothing this clock drives.
          if (idle++ >= 400) break;
          await new Promise((resolve) => setTimeout(resolve, 5));
          continue;
        }
        idle = 0;
        now = Math.max(now, timer.at);
        timer.callback();
        await settle();
      }
      return watched;
    },
    pending: () => timers.length,
  };
}
