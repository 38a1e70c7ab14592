/**
 * Simulated time for `heed demo`: one clock shared by the server (its `Clock`) and every SDK
 * client (the SDK's `Clock` port, timers included), so the two cannot drift apart and each
 * event reaches the server inside its accepted window (policy `maxEventAge`,
 * `maxFutureSkewMs`): the server's "now" is the moment the simulation has reached.
 *
 * Timers fire in time order and synchronously, so an event's timestamp is the simulated
 * moment its timer stood for. The SDK's own timers (heartbeats, batching, queue writes) are
 * never awaited: a flush that waits for the network must not hold the simulation. Steps
 * scheduled with `step` may return a promise, which holds the clock until it settles: a
 * consent decision the server must have recorded before the person goes on.
 *
 * `@heed/sdk/testing`'s manual clock does the same for unit tests, but lets a macrotask pass
 * after every timer and scans every timer on each one; the demo fires a few hundred thousand
 * timers, so it keeps them in a binary heap and yields only where a step asks to.
 */
import type { Clock as SdkClock } from '@heed/sdk/node';
import type { Clock as ServerClock } from '../clock.js';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => unknown;
  /** A step: a promise it returns holds the clock. */
  readonly awaited: boolean;
  cancelled: boolean;
}

export interface SimulatedClock extends SdkClock, ServerClock {
  /** Runs `callback` at simulated time `at`; a promise it returns holds the clock until it settles. */
  step(at: number, callback: () => unknown): void;
  /** Fires every timer due up to `until`, in order; then the time is `until`. */
  runUntil(until: number): Promise<void>;
  /** When the next live timer is due, if any. */
  next(): number | undefined;
}

const before = (a: Timer, b: Timer) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/**
 * @example
 * const clock = createSimulatedClock(Date.UTC(2026, 10, 2))
 * clock.step(clock.now() + 60_000, () => heed.track('report.viewed'))
 * await clock.runUntil(clock.now() + 3_600_000)
 */
export function createSimulatedClock(start: number): SimulatedClock {
  let now = start;
  let seq = 0;
  const heap: Timer[] = [];

  function push(timer: Timer): Timer {
    heap.push(timer);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
    return timer;
  }

  function pop(): Timer | undefined {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let least = i;
        if (left < heap.length && before(heap[left]!, heap[least]!)) least = left;
        if (right < heap.length && before(heap[right]!, heap[least]!)) least = right;
        if (least === i) break;
        [heap[i], heap[least]] = [heap[least]!, heap[i]!];
        i = least;
      }
    }
    return top;
  }

  /** Drops cancelled timers from the top, so `heap[0]` is the next live one. */
  function peek(): Timer | undefined {
    while (heap[0]?.cancelled) pop();
    return heap[0];
  }

  const schedule = (at: number, callback: () => unknown, awaited: boolean) => push({ at: Math.max(at, now), seq: seq++, callback, awaited, cancelled: false });

  return {
    now: () => now,
    setTimeout: (callback, ms) => schedule(now + Math.max(0, ms), callback, false),
    clearTimeout(handle: unknown) {
      if (handle && typeof handle === 'object') (handle as Timer).cancelled = true;
    },
    step(at, callback) {
      schedule(at, callback, true);
    },
    async runUntil(until) {
      for (let timer = peek(); timer && timer.at <= until; timer = peek()) {
        pop();
        now = timer.at;
        const result = timer.callback();
        if (timer.awaited && result instanceof Promise) await result;
      }
      now = Math.max(now, until);
    },
    next: () => peek()?.at,
  };
}
