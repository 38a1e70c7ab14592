/**
 * A seeded random generator: `heed demo` draws its population from it so two runs give the
 * same dashboard, and tests (through `@heed/server/testing`) so generated traffic is the same
 * on every run. Beside `clock.ts`: the other source of chance that callers fix by hand.
 */

/**
 * Mulberry32: a tiny seeded generator, enough for a demo and for test traffic.
 *
 * @example const random = seeded(42); random() // the same number in [0, 1) on every run
 */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}
