/**
 * What a set of newly stored events adds to the aggregates, independent of any dialect: both
 * stores call this inside the transaction that inserted the events, after dedupe, so a retry
 * never counts twice and the aggregates never disagree with the events. It sits below both
 * `store/` (which writes the plan) and `stats/` (which reads what it wrote), so neither has to
 * import the other for the rule.
 */
import type { EventType } from '@heed/policy';
import { sketchBucket, sketchDim, SKETCH_METRIC } from './duration-sketch.js';
import type { CounterMetric } from './metrics.js';
import { DAY_MS, HOUR_MS } from './time-units.js';

/**
 * What the plan reads of an event: one the store is inserting (`AcceptedEvent` in
 * store/store.ts is one), or one it holds and reads back (`held-event.ts`).
 */
export interface PlannedEvent {
  readonly type: EventType;
  readonly ts: number;
  readonly sessionId: string;
  readonly pseudonym: string;
  readonly name: string | null;
  readonly durationMs: number | null;
  readonly activeMs: number | null;
  /** The purposes this event may serve; never empty. */
  readonly purposes: readonly string[];
}

export type Grain = 'hour' | 'day';
export const GRAINS: readonly { grain: Grain; size: number }[] = [
  { grain: 'hour', size: HOUR_MS },
  { grain: 'day', size: DAY_MS },
];

/**
 * The activity "purpose" under which a subject's use of one feature is marked (hour grain
 * only), so per-feature figures can be held to k distinct subjects. Restriction and erasure
 * replay the plan, so these marks leave with the rest.
 */
export function featurePurpose(purpose: string, name: string): string {
  return `${purpose}#feature:${name}`;
}

/**
 * The activity "purpose" under which a subject's timed use of one feature is marked (hour
 * grain only): a feature's percentiles come from its timed events, and are shown only when k
 * people stand behind those, not merely behind the feature's use.
 */
export function timedPurpose(purpose: string, name: string): string {
  return `${purpose}#timed:${name}`;
}

export interface CounterIncrement {
  purpose: string;
  grain: Grain;
  bucket: number;
  metric: CounterMetric;
  dim: string;
  value: number;
}

export interface ActivityMark {
  purpose: string;
  grain: Grain;
  bucket: number;
  pseudonym: string;
}

export interface AggregatePlan {
  readonly counters: CounterIncrement[];
  /** Distinct-subject marks; each one newly inserted adds 1 to the `subjects` metric. */
  readonly activity: ActivityMark[];
}

/** What one subject's events under one purpose list added up to in one UTC hour. */
interface HourSums {
  readonly pseudonym: string;
  readonly purposes: readonly string[];
  readonly hour: number;
  sessions: number;
  activeMs: number;
  readonly features: Map<string, FeatureSums>;
}

interface FeatureSums {
  events: number;
  timed: number;
  durationMs: number;
  /** Timed events per duration-sketch bucket. */
  readonly sketch: Map<number, number>;
}

/**
 * Sums events per subject, purpose list and UTC hour. The keys are cheap on purpose: the
 * purpose list is joined only when it differs from the previous event's array (the server
 * hands one array to all of a subject's events in a batch), the pseudonym is a string shared
 * by those events, the hour a number.
 */
function sumByHour(events: readonly PlannedEvent[]): HourSums[] {
  const sums: HourSums[] = [];
  const byPurposes = new Map<string, Map<string, Map<number, HourSums>>>();
  let lastPurposes: readonly string[] | undefined;
  let purposesKey = '';
  for (const event of events) {
    if (event.purposes !== lastPurposes) {
      lastPurposes = event.purposes;
      purposesKey = lastPurposes.join('\u0000');
    }
    let bySubject = byPurposes.get(purposesKey);
    if (!bySubject) byPurposes.set(purposesKey, (bySubject = new Map()));
    let byHour = bySubject.get(event.pseudonym);
    if (!byHour) bySubject.set(event.pseudonym, (byHour = new Map()));
    const hour = Math.floor(event.ts / HOUR_MS) * HOUR_MS;
    let hourSums = byHour.get(hour);
    if (!hourSums) {
      hourSums = { pseudonym: event.pseudonym, purposes: event.purposes, hour, sessions: 0, activeMs: 0, features: new Map() };
      byHour.set(hour, hourSums);
      sums.push(hourSums);
    }
    switch (event.type) {
      case 'session_start':
        hourSums.sessions += 1;
        break;
      case 'heartbeat':
      case 'session_end':
        hourSums.activeMs += event.activeMs ?? 0;
        break;
      case 'track': {
        const name = event.name ?? '';
        let feature = hourSums.features.get(name);
        if (!feature) hourSums.features.set(name, (feature = { events: 0, timed: 0, durationMs: 0, sketch: new Map() }));
        feature.events += 1;
        if (event.durationMs !== null) {
          feature.timed += 1;
          feature.durationMs += event.durationMs;
          const bucket = sketchBucket(event.durationMs);
          feature.sketch.set(bucket, (feature.sketch.get(bucket) ?? 0) + 1);
        }
        break;
      }
    }
  }
  return sums;
}

/**
 * Sums events into one increment per (purpose, grain, bucket, metric, dim), so a batch of 50
 * events in one hour costs a handful of upserts, not 50. Events are first summed per subject,
 * purposes and hour with cheap keys; only those sums meet the string-keyed maps, so a batch
 * of heartbeats builds a few keys, not several per event.
 *
 * @example planAggregates([{ type: 'session_start', ts: 0, purposes: ['statistics'], ... }]).counters
 * // [{ purpose: 'statistics', grain: 'hour', bucket: 0, metric: 'sessions', dim: '', value: 1 }, { ...grain: 'day'... }]
 */
export function planAggregates(events: readonly PlannedEvent[]): AggregatePlan {
  const counters = new Map<string, CounterIncrement>();
  const activity = new Map<string, ActivityMark>();
  const add = (purpose: string, grain: Grain, bucket: number, metric: CounterMetric, dim: string, value: number) => {
    // Every summand is at least 0 (the wire schema), so a zero sum added nothing.
    if (value === 0) return;
    const key = `${purpose}\u0000${grain}\u0000${bucket}\u0000${metric}\u0000${dim}`;
    const existing = counters.get(key);
    if (existing) existing.value += value;
    else counters.set(key, { purpose, grain, bucket, metric, dim, value });
  };
  const mark = (purpose: string, grain: Grain, bucket: number, pseudonym: string) => {
    const key = `${purpose}\u0000${grain}\u0000${bucket}\u0000${pseudonym}`;
    if (!activity.has(key)) activity.set(key, { purpose, grain, bucket, pseudonym });
  };
  for (const sums of sumByHour(events)) {
    for (const purpose of sums.purposes) {
      for (const { grain, size } of GRAINS) {
        // An hour lies within one UTC day, so its start fixes the day bucket too.
        const bucket = Math.floor(sums.hour / size) * size;
        mark(purpose, grain, bucket, sums.pseudonym);
        add(purpose, grain, bucket, 'sessions', '', sums.sessions);
        add(purpose, grain, bucket, 'active_ms', '', sums.activeMs);
        for (const [name, feature] of sums.features) {
          add(purpose, grain, bucket, 'events', name, feature.events);
          add(purpose, grain, bucket, 'timed', name, feature.timed);
          add(purpose, grain, bucket, 'duration_ms', name, feature.durationMs);
          // A counter per sketch bucket: summed across hours, they stay a sketch of the range.
          for (const [sketch, count] of feature.sketch) add(purpose, grain, bucket, SKETCH_METRIC, sketchDim(name, sketch), count);
          if (grain === 'hour') mark(featurePurpose(purpose, name), grain, bucket, sums.pseudonym);
          if (grain === 'hour' && feature.timed > 0) mark(timedPurpose(purpose, name), grain, bucket, sums.pseudonym);
        }
      }
    }
  }
  return { counters: [...counters.values()], activity: [...activity.values()] };
}

export interface SessionFold {
  sessionId: string;
  pseudonym: string;
  startedAt: number;
  lastSeenAt: number;
  endedAt: number | null;
  activeMs: number;
  events: number;
}

/**
 * Folds newly stored events into one row per session: the store upserts each once per batch.
 *
 * @example foldSessions([startEvent, heartbeatEvent]) // [{ sessionId, startedAt, lastSeenAt, activeMs: 15000, events: 2, ... }]
 */
export function foldSessions(events: readonly PlannedEvent[]): SessionFold[] {
  const sessions = new Map<string, SessionFold>();
  for (const event of events) {
    const endedAt = event.type === 'session_end' ? event.ts : null;
    const existing = sessions.get(event.sessionId);
    if (!existing) {
      sessions.set(event.sessionId, {
        sessionId: event.sessionId, pseudonym: event.pseudonym, startedAt: event.ts, lastSeenAt: event.ts, endedAt, activeMs: event.activeMs ?? 0, events: 1,
      });
      continue;
    }
    existing.startedAt = Math.min(existing.startedAt, event.ts);
    existing.lastSeenAt = Math.max(existing.lastSeenAt, event.ts);
    if (endedAt !== null) existing.endedAt = endedAt;
    existing.activeMs += event.activeMs ?? 0;
    existing.events += 1;
  }
  return [...sessions.values()];
}
