/**
 * The session cache against the obvious definition (every session's latest row, filtered,
 * binned with a search over the edges, a Set of subjects per bin), on random feeds that
 * rewrite sessions, random eligibility, edges and ranges, and with bins asked for between
 * feeds, so a bin remembered for a session whose duration then changed would show.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SessionBin, SessionChange } from '../stats-store.js';
import { sketchBucket } from '../../aggregates/duration-sketch.js';
import { SessionCache } from './session-cache.js';

const MINUTE = 60_000;

/** Bins as the store contract defines them, from the latest row of each session. */
function reference(rows: ReadonlyMap<number, SessionChange>, eligible: ReadonlySet<string>, from: number, to: number, edges: readonly number[]): SessionBin[] {
  const sessions = new Map<number, number>();
  const subjects = new Map<number, Set<string>>();
  const sketches = new Map<number, Map<number, number>>();
  for (const row of rows.values()) {
    if (row.startedAt < from || row.startedAt >= to || !eligible.has(row.pseudonym)) continue;
    let bin = 0;
    for (let i = 1; i < edges.length; i++) if (row.durationMs >= Math.floor(edges[i]!)) bin = i;
    sessions.set(bin, (sessions.get(bin) ?? 0) + 1);
    subjects.set(bin, (subjects.get(bin) ?? new Set()).add(row.pseudonym));
    const sketch = sketches.get(bin) ?? new Map<number, number>();
    sketch.set(sketchBucket(row.durationMs), (sketch.get(sketchBucket(row.durationMs)) ?? 0) + 1);
    sketches.set(bin, sketch);
  }
  return [...sessions.keys()].sort((a, b) => a - b).map((bin) => ({ bin, sessions: sessions.get(bin)!, subjects: subjects.get(bin)!.size, sketch: new Map([...sketches.get(bin)!].sort((a, b) => a[0] - b[0])) }));
}

const changeArb = fc.record({
  key: fc.integer({ min: 0, max: 30 }),
  pseudonym: fc.constantFrom('ann', 'bob', 'cem', 'dee', 'eve', 'fay'),
  startedAt: fc.integer({ min: 0, max: 60 }).map((minutes) => minutes * MINUTE),
  durationMs: fc.integer({ min: 0, max: 40 * MINUTE }),
});
const edgesArb = fc.uniqueArray(fc.double({ min: 1, max: 30 * MINUTE, noNaN: true }), { maxLength: 8 }).map((edges) => [0, ...edges.sort((a, b) => a - b)]);
// Two edge lists per run, picked per round: the same edges come back after a feed (the
// remembered bins must follow the feed) and other edges come in between (they must be redone).
const queryArb = fc.record({ from: fc.integer({ min: -1, max: 61 }).map((m) => m * MINUTE), length: fc.integer({ min: 0, max: 62 }).map((m) => m * MINUTE), edges: fc.integer({ min: 0, max: 1 }) });

describe('SessionCache', () => {
  it('bins like the reference after every feed, with edges that change between calls', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(changeArb, { maxLength: 12 }), queryArb), { minLength: 1, maxLength: 6 }),
        fc.subarray(['ann', 'bob', 'cem', 'dee', 'eve', 'fay']),
        fc.tuple(edgesArb, edgesArb),
        (rounds, allowed, edgeLists) => {
          const cache = new SessionCache(0);
          cache.setEligible('v1', allowed);
          const rows = new Map<number, SessionChange>();
          let changed = 0;
          for (const [feed, query] of rounds) {
            // A session keeps its subject; the feed rewrites start and duration.
            const changes = feed.map((change) => ({ ...change, pseudonym: rows.get(change.key)?.pseudonym ?? change.pseudonym, changed: ++changed }));
            cache.apply(changes);
            for (const change of changes) rows.set(change.key, change);
            const to = query.from + query.length;
            const edges = edgeLists[query.edges]!;
            expect(cache.bins(query.from, to, edges)).toEqual(reference(rows, new Set(allowed), query.from, to, edges));
          }
        },
      ),
    );
  });

  it('moves a session to its new bin when the feed brings it again after a pass', () => {
    const cache = new SessionCache(0);
    cache.setEligible('v1', ['ann']);
    const edges = [0, MINUTE, 10 * MINUTE];
    cache.apply([{ key: 1, pseudonym: 'ann', startedAt: 0, durationMs: 30_000, changed: 1 }]);
    expect(cache.bins(0, MINUTE, edges)).toEqual([{ bin: 0, sessions: 1, subjects: 1, sketch: new Map([[sketchBucket(30_000), 1]]) }]);
    cache.apply([{ key: 1, pseudonym: 'ann', startedAt: 0, durationMs: 11 * MINUTE, changed: 2 }]);
    expect(cache.bins(0, MINUTE, edges)).toEqual([{ bin: 2, sessions: 1, subjects: 1, sketch: new Map([[sketchBucket(11 * MINUTE), 1]]) }]);
    expect(cache.bins(0, MINUTE, [0, 20 * MINUTE])).toEqual([{ bin: 0, sessions: 1, subjects: 1, sketch: new Map([[sketchBucket(11 * MINUTE), 1]]) }]);
  });
});
