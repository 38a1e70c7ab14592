/**
 * What a set of newly stored events adds to the aggregates, independent of any dialect: both
 * stores call this inside the transaction that inserted the events, after dedupe, so a retry
 * never counts twice and the aggregates never disagree with the events.
 */
import { durationBin, durationBinMetric } from '../stats/histogram.js';
import type { AcceptedEvent } from './store.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
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

export interface CounterIncrement {
  purpose: string;
  grain: Grain;
  bucket: number;
  metric: string;
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

/**
 * Sums events into one increment per (purpose, grain, bucket, metric, dim), so a batch of 50
 * events in one hour costs a handful of upserts, not 50.
 *
 * @example planAggregates([{ type: 'session_start', ts: 0, purposes: ['statistics'], ... }]).counters
 * // [{ purpose: 'statistics', grain: 'hour', bucket: 0, metric: 'sessions', dim: '', value: 1 }, { ...grain: 'day'... }]
 */
export function planAggregates(events: readonly AcceptedEvent[]): AggregatePlan {
  const counters = new Map<string, CounterIncrement>();
  const activity = new Map<string, ActivityMark>();
  const add = (purpose: string, grain: Grain, bucket: number, metric: string, dim: string, value: number) => {
    if (value === 0) return;
    const key = `${purpose}\u0000${grain}\u0000${bucket}\u0000${metric}\u0000${dim}`;
    const existing = counters.get(key);
    if (existing) existing.value += value;
    else counters.set(key, { purpose, grain, bucket, metric, dim, value });
  };
  for (const event of events) {
    for (const purpose of event.purposes) {
      for (const { grain, size } of GRAINS) {
        const bucket = Math.floor(event.ts / size) * size;
        const markKey = `${purpose}\u0000${grain}\u0000${bucket}\u0000${event.pseudonym}`;
        if (!activity.has(markKey)) activity.set(markKey, { purpose, grain, bucket, pseudonym: event.pseudonym });
        switch (event.type) {
          case 'session_start':
            add(purpose, grain, bucket, 'sessions', '', 1);
            break;
          case 'heartbeat':
          case 'session_end':
            add(purpose, grain, bucket, 'active_ms', '', event.activeMs ?? 0);
            break;
          case 'track': {
            const name = event.name ?? '';
            add(purpose, grain, bucket, 'events', name, 1);
            if (event.durationMs !== null) {
              add(purpose, grain, bucket, 'timed', name, 1);
              add(purpose, grain, bucket, 'duration_ms', name, event.durationMs);
              // A histogram bin per duration, so percentiles survive summing across hours.
              add(purpose, grain, bucket, durationBinMetric(durationBin(event.durationMs)), name, 1);
            }
            if (grain === 'hour') {
              const feature = featurePurpose(purpose, name);
              const key = `${feature}\u0000${grain}\u0000${bucket}\u0000${event.pseudonym}`;
              if (!activity.has(key)) activity.set(key, { purpose: feature, grain, bucket, pseudonym: event.pseudonym });
            }
            break;
          }
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
export function foldSessions(events: readonly AcceptedEvent[]): SessionFold[] {
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
