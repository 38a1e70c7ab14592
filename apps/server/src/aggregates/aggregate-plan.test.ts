/**
 * The aggregate plan equals the one read straight off the decision table's output, event by
 * event: the reference below is the plan as first written (one increment per event, purpose,
 * grain and metric), kept here as the specification the summing version must match.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { AcceptedEvent } from '../store/store.js';
import { GRAINS, featurePurpose, planAggregates, timedPurpose, type ActivityMark, type CounterIncrement } from './aggregate-plan.js';
import { sketchBucket, sketchDim, SKETCH_METRIC } from './duration-sketch.js';
import { DAY_MS } from './time-units.js';

const T0 = Date.UTC(2026, 10, 24, 8, 0, 0);

function referencePlan(events: readonly AcceptedEvent[]): { counters: CounterIncrement[]; activity: ActivityMark[] } {
  const counters = new Map<string, CounterIncrement>();
  const activity = new Map<string, ActivityMark>();
  const add = (increment: CounterIncrement) => {
    if (increment.value === 0) return;
    const key = JSON.stringify([increment.purpose, increment.grain, increment.bucket, increment.metric, increment.dim]);
    const existing = counters.get(key);
    if (existing) existing.value += increment.value;
    else counters.set(key, { ...increment });
  };
  const mark = (row: ActivityMark) => activity.set(JSON.stringify(row), row);
  for (const event of events) {
    for (const purpose of event.purposes) {
      for (const { grain, size } of GRAINS) {
        const bucket = Math.floor(event.ts / size) * size;
        const at = { purpose, grain, bucket };
        mark({ ...at, pseudonym: event.pseudonym });
        if (event.type === 'session_start') add({ ...at, metric: 'sessions', dim: '', value: 1 });
        if (event.type === 'heartbeat' || event.type === 'session_end') add({ ...at, metric: 'active_ms', dim: '', value: event.activeMs ?? 0 });
        if (event.type === 'track') {
          const dim = event.name ?? '';
          add({ ...at, metric: 'events', dim, value: 1 });
          if (event.durationMs !== null) {
            add({ ...at, metric: 'timed', dim, value: 1 });
            add({ ...at, metric: 'duration_ms', dim, value: event.durationMs });
            add({ ...at, metric: SKETCH_METRIC, dim: sketchDim(dim, sketchBucket(event.durationMs)), value: 1 });
          }
          if (grain === 'hour') mark({ purpose: featurePurpose(purpose, dim), grain, bucket, pseudonym: event.pseudonym });
          if (grain === 'hour' && event.durationMs !== null) mark({ purpose: timedPurpose(purpose, dim), grain, bucket, pseudonym: event.pseudonym });
        }
      }
    }
  }
  return { counters: [...counters.values()], activity: [...activity.values()] };
}

const PURPOSE_LISTS = [['statistics'], ['statistics', 'update_timing'], ['update_timing']] as const;

const eventArb = fc.record({
  id: fc.string(),
  type: fc.constantFrom('session_start', 'heartbeat', 'track', 'session_end' as const),
  ts: fc.integer({ min: T0 - 3 * DAY_MS, max: T0 + 3 * DAY_MS }),
  sessionId: fc.constantFrom('s1', 's2'),
  pseudonym: fc.constantFrom('ann', 'bob', 'cy'),
  name: fc.option(fc.constantFrom('export', 'import', '')),
  durationMs: fc.option(fc.integer({ min: 0, max: 100_000 })),
  activeMs: fc.option(fc.integer({ min: 0, max: 60_000 })),
  propsJson: fc.constant(null),
  // The server shares one list among a subject's events; equal lists in other arrays must
  // plan the same (rights replay builds one per stored row).
  purposes: fc.tuple(fc.constantFrom(...PURPOSE_LISTS), fc.boolean()).map(([list, copy]) => (copy ? [...list] : list)),
});

const sorted = <T>(rows: readonly T[]) => rows.map((row) => JSON.stringify(row)).sort();

it('plans the same increments and marks as summing every event on its own', () => {
  fc.assert(fc.property(fc.array(eventArb, { maxLength: 80 }), (events) => {
    const plan = planAggregates(events as AcceptedEvent[]);
    const reference = referencePlan(events as AcceptedEvent[]);
    expect(sorted(plan.counters)).toEqual(sorted(reference.counters));
    expect(sorted(plan.activity)).toEqual(sorted(reference.activity));
  }), { numRuns: 300 });
});

it('plans a crafted batch exactly', () => {
  const purposes = ['statistics'];
  const base = { sessionId: 's1', pseudonym: 'ann', name: null, durationMs: null, activeMs: null, propsJson: null, purposes };
  const plan = planAggregates([
    { ...base, id: 'a', type: 'session_start', ts: T0 },
    { ...base, id: 'b', type: 'heartbeat', ts: T0 + 1_000, activeMs: 15_000 },
    { ...base, id: 'c', type: 'heartbeat', ts: T0 + 2_000, activeMs: 5_000 },
    { ...base, id: 'd', type: 'track', ts: T0 + 3_000, name: 'export', durationMs: 420 },
  ] as AcceptedEvent[]);
  const day = Math.floor(T0 / DAY_MS) * DAY_MS;
  expect(sorted(plan.counters)).toEqual(sorted([T0, day].flatMap((bucket, n) => {
    const grain = n === 0 ? 'hour' : 'day';
    return [
      { purpose: 'statistics', grain, bucket, metric: 'sessions', dim: '', value: 1 },
      { purpose: 'statistics', grain, bucket, metric: 'active_ms', dim: '', value: 20_000 },
      { purpose: 'statistics', grain, bucket, metric: 'events', dim: 'export', value: 1 },
      { purpose: 'statistics', grain, bucket, metric: 'timed', dim: 'export', value: 1 },
      { purpose: 'statistics', grain, bucket, metric: 'duration_ms', dim: 'export', value: 420 },
      { purpose: 'statistics', grain, bucket, metric: SKETCH_METRIC, dim: `${sketchBucket(420)}:export`, value: 1 },
    ];
  })));
  expect(sorted(plan.activity)).toEqual(sorted([
    { purpose: 'statistics', grain: 'hour', bucket: T0, pseudonym: 'ann' },
    { purpose: 'statistics', grain: 'day', bucket: day, pseudonym: 'ann' },
    { purpose: 'statistics#feature:export', grain: 'hour', bucket: T0, pseudonym: 'ann' },
    { purpose: 'statistics#timed:export', grain: 'hour', bucket: T0, pseudonym: 'ann' },
  ]));
});
