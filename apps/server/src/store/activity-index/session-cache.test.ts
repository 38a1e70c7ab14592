/**
 * The session cache against the obvious definition (every session's latest row, filtered,
 * binned with a search over the edges, a Set of subjects per bin), on random feeds that
 * rewrite sessions, random eligibility (a whole list, or the changes since the last one),
 * edges and ranges, and with bins asked for between
 * feeds, so a bin remembered for a session whose duration then changed would show. Hour
 * marks grow between rounds (a session whose hour was unmarked must be asked again once it
 * gains marks), a new mark cache (its sets filled anew) comes in between, and logged removals
 * are applied (`advance`): sessions deleted (and their keys fed again), a subject's
 * marks or every mark up to an hour taken out. Now and then the cache is written to a snapshot
 * and read back (a restart), so the columns as a snapshot keeps them are checked too, and
 * subjects are numbered in the shared dictionary by someone else (the mark cache) first.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SessionChange, SessionDurations } from '../stats-store.js';
import { sketchBucket } from '../../aggregates/duration-sketch.js';
import { HOUR_MS } from '../../aggregates/time-units.js';
import { CellSeries } from './cell-series.js';
import { SessionCache, type MarkedHours } from './session-cache.js';
import { bytesSource, ImageReader, ImageWriter } from './snapshot/cache-image.js';
import { SubjectDictionary } from './subject-dictionary.js';
import { SubjectList } from './subject-list.js';

const MINUTE = 60_000;

/** Bins as the store contract defines them, from the latest row of each session. */
function reference(rows: ReadonlyMap<number, SessionChange>, eligible: ReadonlySet<string>, marks: ReadonlySet<string>, from: number, to: number, edges: readonly number[], shownAt: number): SessionDurations {
  const sessions = new Map<number, number>();
  const subjects = new Map<number, Set<string>>();
  const sketches = new Map<number, Map<number, number>>();
  for (const row of rows.values()) {
    if (row.startedAt < from || row.startedAt >= to || !eligible.has(row.pseudonym)) continue;
    if (!marks.has(markKey(row.pseudonym, row.startedAt))) continue;
    let bin = 0;
    for (let i = 1; i < edges.length; i++) if (row.durationMs >= Math.floor(edges[i]!)) bin = i;
    sessions.set(bin, (sessions.get(bin) ?? 0) + 1);
    subjects.set(bin, (subjects.get(bin) ?? new Set()).add(row.pseudonym));
    const sketch = sketches.get(bin) ?? new Map<number, number>();
    sketch.set(sketchBucket(row.durationMs), (sketch.get(sketchBucket(row.durationMs)) ?? 0) + 1);
    sketches.set(bin, sketch);
  }
  const shown = new Set<string>();
  for (const set of subjects.values()) if (set.size >= shownAt) for (const name of set) shown.add(name);
  const bins = [...sessions.keys()].sort((a, b) => a - b).map((bin) => ({ bin, sessions: sessions.get(bin)!, subjects: subjects.get(bin)!.size, sketch: new Map([...sketches.get(bin)!].sort((a, b) => a[0] - b[0])) }));
  return { bins, shownSubjects: shown.size };
}

const markKey = (pseudonym: string, ts: number) => `${pseudonym}@${Math.floor(ts / HOUR_MS)}`;

/** Marks as the project's mark cache would hold them, numbering subjects in the cache's dictionary as it does. */
function markedHours(marks: ReadonlySet<string>, dictionary: SubjectDictionary): MarkedHours {
  const cells = new Map<number, number[]>();
  for (const mark of marks) {
    const [name, hour] = mark.split('@');
    const list = cells.get(Number(hour) * HOUR_MS) ?? [];
    list.push(dictionary.ordinalFor(name!));
    cells.set(Number(hour) * HOUR_MS, list);
  }
  return { source: {}, cells: CellSeries.of([...cells].map(([bucket, list]) => [bucket, SubjectList.of(list)] as const)), dictionary };
}

const NAMES = ['ann', 'bob', 'cem', 'dee', 'eve', 'fay'];

const changeArb = fc.record({
  // Now and then a key some 4 billion rows on: past the key column's span from the first key, or just within it.
  key: fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 0, max: 30 }) }, fc.integer({ min: 2 ** 32 - 2, max: 2 ** 32 + 1 })),
  pseudonym: fc.constantFrom('ann', 'bob', 'cem', 'dee', 'eve', 'fay'),
  startedAt: fc.integer({ min: 0, max: 150 }).map((minutes) => minutes * MINUTE),
  // Mostly minutes; now and then below zero (a clock step) or past the 49.7 days the cache keeps exactly.
  durationMs: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 40 * MINUTE }) }, fc.integer({ min: -MINUTE, max: -1 }), fc.integer({ min: 2 ** 32 - 2, max: 2 ** 33 })),
});
const edgesArb = fc.uniqueArray(fc.double({ min: 1, max: 30 * MINUTE, noNaN: true }), { maxLength: 8 }).map((edges) => [0, ...edges.sort((a, b) => a - b)]);
// Two edge lists per run, picked per round: the same edges come back after a feed (the
// remembered bins must follow the feed) and other edges come in between (they must be redone).
const rangeArb = fc.record({
  from: fc.integer({ min: -1, max: 151 }).map((m) => m * MINUTE),
  length: fc.integer({ min: 0, max: 152 }).map((m) => m * MINUTE),
});
// Ranges likewise: a range asked again is answered by its view, updated by the feed since.
const queryArb = fc.record({
  range: fc.integer({ min: 0, max: 1 }),
  edges: fc.integer({ min: 0, max: 1 }),
  // Now and then another eligible set (a right exercised): every view is built again.
  eligible: fc.option(fc.subarray(NAMES), { freq: 4 }),
  // The new eligibility as a whole list, or as the changes since the last one (`updateEligible`).
  eligibleByChanges: fc.boolean(),
  // Marks added before the query (pseudonym, hour 0-2), and whether a new mark cache comes.
  marks: fc.array(fc.tuple(fc.constantFrom(...NAMES), fc.integer({ min: 0, max: 2 })), { maxLength: 6 }),
  // A logged removal (advance): sessions deleted, a subject's marks taken out, marks up to an hour cut.
  removal: fc.option(fc.record({
    sessionKeys: fc.uniqueArray(fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 0, max: 30 }) }, fc.integer({ min: 2 ** 32 - 2, max: 2 ** 32 + 1 })), { maxLength: 12 }),
    subject: fc.option(fc.constantFrom(...NAMES), { nil: undefined }),
    marksThrough: fc.option(fc.integer({ min: 0, max: 2 }).map((hour) => hour * HOUR_MS), { nil: undefined }),
  }), { freq: 3 }),
  newSource: fc.boolean(),
  // The cache written to a snapshot and read back before the query (eligibility is then read again).
  restart: fc.boolean(),
  // Subjects the project's mark cache numbers in the shared dictionary before this cache sees them.
  numbered: fc.subarray(NAMES),
  shownAt: fc.integer({ min: 1, max: 3 }),
});

/** The cache as a restarted server reads it from its snapshot, its dictionary with it (no mark cache beside it). */
function restarted(cache: SessionCache): SessionCache {
  const image = new ImageWriter();
  cache.dictionary.toImage(image, 'd.');
  const header = cache.toImage(image, 's.', undefined);
  const reader = new ImageReader(bytesSource(Buffer.concat(image.toChunks({ header }))));
  return SessionCache.fromImage(reader, 's.', header, undefined, SubjectDictionary.fromImage(reader, 'd.'));
}

describe('SessionCache', () => {
  it('bins like the reference after every feed, with ranges, edges and eligibility that change between calls', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(changeArb, { maxLength: 12 }), queryArb), { minLength: 1, maxLength: 6 }),
        fc.subarray(NAMES),
        fc.tuple(edgesArb, edgesArb),
        fc.shuffledSubarray(NAMES, { minLength: NAMES.length }),
        fc.tuple(rangeArb, rangeArb),
        (rounds, firstAllowed, edgeLists, order, ranges) => {
          let cache = new SessionCache(0);
          // Subjects numbered in an order of the run's own, as marks or sessions first name them.
          for (const name of order) cache.dictionary.ordinalFor(name);
          let allowed = firstAllowed;
          cache.setEligible('v0', allowed);
          const rows = new Map<number, SessionChange>();
          let changed = 0;
          const marks = new Set<string>();
          let hours = markedHours(marks, cache.dictionary);
          for (const [round, [feed, query]] of rounds.entries()) {
            if (query.eligible !== null) {
              const next = query.eligible;
              if (query.eligibleByChanges) cache.updateEligible(`v${round + 1}`, NAMES.filter((name) => allowed.includes(name) !== next.includes(name) || name === 'ann').map((name) => ({ pseudonym: name, eligible: next.includes(name) })));
              else cache.setEligible(`v${round + 1}`, next);
              allowed = next;
            }
            for (const [name, hour] of query.marks) marks.add(markKey(name, hour * HOUR_MS));
            // The same mark cache grows its cells in place; a new one fills them anew.
            if (query.removal) {
              const { sessionKeys, subject, marksThrough } = query.removal;
              for (const key of sessionKeys) rows.delete(key);
              for (const mark of [...marks]) {
                const [name, hour] = mark.split('@');
                if (name === subject || (marksThrough !== undefined && Number(hour) * HOUR_MS <= marksThrough)) marks.delete(mark);
              }
              cache.advance(cache.epoch + 1, [{ sessionKeys, ...(subject ? { subject } : {}), ...(marksThrough !== undefined ? { marksThrough } : {}) }]);
            }
            for (const name of query.numbered) cache.dictionary.ordinalFor(name);
            const { from, length } = ranges[query.range]!;
            const edges = edgeLists[query.edges]!;
            // Other edges empty the cache: the feed then brings every session again, in change order.
            if (cache.useEdges(edges)) cache.apply([...rows.values()].sort((a, b) => a.changed - b.changed), changed);
            // A session keeps its subject; the feed rewrites start and duration.
            const changes = feed.map((change) => ({ ...change, pseudonym: rows.get(change.key)?.pseudonym ?? change.pseudonym, changed: ++changed }));
            cache.apply(changes, changed);
            for (const change of changes) rows.set(change.key, change);
            if (query.restart) {
              cache = restarted(cache);
              cache.setEligible(`r${round}`, allowed);
            }
            // Over the cache's dictionary (a restart reads one from the snapshot, as the mark cache's).
            const next = markedHours(marks, cache.dictionary);
            hours = query.newSource ? next : { ...next, source: hours.source };
            expect(cache.bins(from, from + length, edges, hours, query.shownAt)).toEqual(reference(rows, new Set(allowed), marks, from, from + length, edges, query.shownAt));
          }
        },
      ),
      // A removal that leaves an hour's size equal with other members took some 4,000 runs to find.
      { numRuns: 5_000 },
    );
  });

  it('counts a subject with more than 65,535 sessions in one bin as one subject, however its sessions move', () => {
    const cache = new SessionCache(0);
    cache.setEligible('v1', ['ann']);
    const hours = markedHours(new Set([markKey('ann', 0)]), cache.dictionary);
    const edges = [0, MINUTE];
    cache.useEdges(edges);
    const many = 65_537;
    // Built from a feed (the view's first pass) past the 16-bit count, then moved by changes (its updates).
    cache.apply(Array.from({ length: many }, (_, key) => ({ key, pseudonym: 'ann', startedAt: 0, durationMs: 1_000, changed: key + 1 })), many);
    expect(cache.bins(0, HOUR_MS, edges, hours).bins.map(({ bin, sessions, subjects }) => ({ bin, sessions, subjects }))).toEqual([{ bin: 0, sessions: many, subjects: 1 }]);
    cache.apply(Array.from({ length: many - 1 }, (_, key) => ({ key, pseudonym: 'ann', startedAt: 0, durationMs: 2 * MINUTE, changed: many + key + 1 })), 2 * many);
    expect(cache.bins(0, HOUR_MS, edges, hours).bins.map(({ bin, sessions, subjects }) => ({ bin, sessions, subjects }))).toEqual([{ bin: 0, sessions: 1, subjects: 1 }, { bin: 1, sessions: many - 1, subjects: 1 }]);
  });

  it('finds a session’s mark in hours of 65,533 subjects or more, past what 16 bits hold', () => {
    const cache = new SessionCache(0);
    cache.setEligible('v1', ['ann']);
    cache.useEdges([0, MINUTE]);
    cache.apply([{ key: 1, pseudonym: 'ann', startedAt: 0, durationMs: 1_000, changed: 1 }], 1);
    const source = {};
    // 70,000 subjects in the project; ann (numbered by her session) is ordinal 0.
    const others = Array.from({ length: 65_600 }, (_, index) => cache.dictionary.ordinalFor(`s${index}`));
    cache.dictionary.ordinalFor('s69998');
    const ann = cache.dictionary.ordinalOf('ann')!;
    const hoursWith = (ordinals: number[]): MarkedHours => ({ source, cells: CellSeries.of([[0, SubjectList.of(ordinals)] as const]), dictionary: cache.dictionary });
    // An hour of exactly 65,534 subjects (the value that means "not asked yet"), ann among them.
    expect(cache.bins(0, HOUR_MS, [0, MINUTE], hoursWith([...others.slice(0, 65_533), ann])).bins.map(({ sessions }) => sessions)).toEqual([1]);
    // Without ann: an hour of exactly 65,535 (the value that means "marked"), then a larger one.
    cache.advance(1, [{ subject: 'ann' }]);
    expect(cache.bins(0, HOUR_MS, [0, MINUTE], hoursWith(others.slice(0, 65_535))).bins).toEqual([]);
    expect(cache.bins(0, HOUR_MS, [0, MINUTE], hoursWith(others)).bins).toEqual([]);
    // One more subject in the hour (ann's mark): sizes past 16 bits are never compared, so it is found.
    expect(cache.bins(0, HOUR_MS, [0, MINUTE], hoursWith([...others, ann])).bins.map(({ sessions }) => sessions)).toEqual([1]);
  });

  it('moves a session to its new bin when the feed brings it again after a pass', () => {
    const cache = new SessionCache(0);
    cache.setEligible('v1', ['ann']);
    const hours = markedHours(new Set([markKey('ann', 0)]), cache.dictionary);
    const edges = [0, MINUTE, 10 * MINUTE];
    expect(cache.useEdges(edges)).toBe(false);
    cache.apply([{ key: 1, pseudonym: 'ann', startedAt: 0, durationMs: 30_000, changed: 1 }], 1);
    expect(cache.bins(0, MINUTE, edges, hours).bins).toEqual([{ bin: 0, sessions: 1, subjects: 1, sketch: new Map([[sketchBucket(30_000), 1]]) }]);
    cache.apply([{ key: 1, pseudonym: 'ann', startedAt: 0, durationMs: 11 * MINUTE, changed: 2 }], 2);
    expect(cache.bins(0, MINUTE, edges, hours).bins).toEqual([{ bin: 2, sessions: 1, subjects: 1, sketch: new Map([[sketchBucket(11 * MINUTE), 1]]) }]);
    // Other edges: asked without `useEdges` is an error; with it the cache empties, and the feed from the start fills it again.
    expect(() => cache.bins(0, MINUTE, [0, 20 * MINUTE], hours)).toThrow('call useEdges');
    expect(cache.useEdges([0, 20 * MINUTE])).toBe(true);
    expect(cache.cursor).toBe(-1);
    cache.apply([{ key: 1, pseudonym: 'ann', startedAt: 0, durationMs: 11 * MINUTE, changed: 2 }], 2);
    expect(cache.bins(0, MINUTE, [0, 20 * MINUTE], hours).bins).toEqual([{ bin: 0, sessions: 1, subjects: 1, sketch: new Map([[sketchBucket(11 * MINUTE), 1]]) }]);
  });
});
