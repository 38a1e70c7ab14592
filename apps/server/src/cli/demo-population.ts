/**
 * A simulated population for `heed demo`: a weekday office rhythm, quieter evenings and
 * weekends, and a quiet window on Sunday 02:00-05:00 (Brussels) that the advice should find;
 * who visits when, and what each visit does. Deterministic (seeded), so two runs give the
 * same dashboard. Pure: `demo-person.ts` plays the plans through the SDK.
 */
import type { Props } from '@heed/policy';
import { MINUTE_MS } from '../aggregates/time-units.js';
import { seeded } from '../seeded-random.js';
import { localParts } from '../stats/time-zone.js';

export const DEMO_TZ = 'Europe/Brussels';

/**
 * The chance that one user starts a session in the local hour containing `ms`.
 *
 * @example sessionChance(Date.UTC(2026, 10, 24, 9), 'Europe/Brussels') // 0.16 (Tuesday 10:00)
 */
export function sessionChance(ms: number, tz: string = DEMO_TZ): number {
  const { weekday, hour } = localParts(ms, tz);
  if (weekday === 7 && hour >= 2 && hour < 5) return 0.0005;
  const weekend = weekday >= 6;
  if (hour < 6) return 0.004;
  if (hour < 8) return weekend ? 0.01 : 0.04;
  if (hour < 18) return weekend ? 0.04 : hour === 12 ? 0.08 : 0.16;
  if (hour < 23) return weekend ? 0.05 : 0.06;
  return 0.01;
}

export type DemoChoice = 'both' | 'statistics_object_timing' | 'deny';

/** 75 % grant both purposes, 10 % grant statistics and object to update timing, 15 % decline. */
export function demoChoice(random: () => number): DemoChoice {
  const draw = random();
  return draw < 0.75 ? 'both' : draw < 0.85 ? 'statistics_object_timing' : 'deny';
}

export const DEMO_FEATURES = ['report.viewed', 'report.exported', 'search.used', 'settings.changed', 'invoice.created'] as const;

/** One visit (a page load, one session): who, when, how long, and the seed of what happens in it. */
export interface PlannedVisit {
  readonly person: number;
  readonly start: number;
  readonly minutes: number;
  readonly seed: number;
}

/**
 * Plans visits hour by hour. In each hour every person starts a visit with the hour's
 * chance, at a whole minute in its first 50, for 3 to 57 minutes (mostly short: the square
 * skews it). One tab per person: a visit that would overlap the person's previous one is
 * left out, its draws still taken so the rest of the plan does not shift.
 *
 * @example const plan = createVisitPlanner(200, seeded(42)); plan(Date.UTC(2026, 10, 24, 9)) // about 32 visits
 */
export function createVisitPlanner(users: number, random: () => number, tz: string = DEMO_TZ): (hourStart: number) => PlannedVisit[] {
  const busyUntil = new Array<number>(users).fill(0);
  return (hourStart) => {
    const chance = sessionChance(hourStart, tz);
    const visits: PlannedVisit[] = [];
    for (let person = 0; person < users; person++) {
      if (random() >= chance) continue;
      const start = hourStart + Math.floor(random() * 50) * MINUTE_MS;
      const minutes = 3 + Math.floor(random() ** 2 * 55);
      const seed = Math.floor(random() * 2 ** 32);
      if (start < busyUntil[person]!) continue;
      busyUntil[person] = start + (minutes + 1) * MINUTE_MS;
      visits.push({ person, start, minutes, seed });
    }
    return visits;
  };
}

/** A feature used in a visit: `durationMs` when the platform times it (`heed.time`), none for a plain `heed.track`. */
export interface FeatureUse {
  readonly name: (typeof DEMO_FEATURES)[number];
  /** Milliseconds after the visit's start. */
  readonly at: number;
  readonly durationMs?: number;
  readonly props?: Props;
}

export interface VisitScript {
  /** User input (keys, clicks, scrolling), in milliseconds after the visit's start. */
  readonly inputs: readonly number[];
  readonly uses: readonly FeatureUse[];
}

/**
 * What a person does in a visit of `minutes`: input about twice a minute while working, an
 * idle minute now and then (reading, a phone call), so active time stays below the session's
 * length; 0 to 2 features, the common ones more often. A search is instant; the rest are timed.
 *
 * @example visitScript(10, 7).inputs.length // about 17: two inputs in each minute that is not idle
 */
export function visitScript(minutes: number, seed: number): VisitScript {
  const random = seeded(seed);
  const inputs: number[] = [];
  for (let minute = 0; minute < minutes; minute++) {
    if (minute > 0 && random() < 0.2) continue;
    inputs.push(minute * MINUTE_MS + Math.floor(random() * 30_000), minute * MINUTE_MS + 30_000 + Math.floor(random() * 30_000));
  }
  const uses: FeatureUse[] = [];
  for (let count = Math.floor(random() * 3); uses.length < count; ) {
    const name = DEMO_FEATURES[Math.floor(random() ** 1.5 * DEMO_FEATURES.length)]!;
    const at = Math.floor(random() * (minutes - 1) * MINUTE_MS);
    const durationMs = 150 + Math.floor(random() * 4_000);
    if (name === 'search.used') uses.push({ name, at });
    else if (name === 'report.exported') uses.push({ name, at, durationMs, props: { format: random() < 0.7 ? 'pdf' : 'csv' } });
    else uses.push({ name, at, durationMs });
  }
  return { inputs, uses };
}
