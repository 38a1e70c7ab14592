/**
 * A simulated population for `heed demo`: a weekday office rhythm, quieter evenings and
 * weekends, and a quiet window on Sunday 02:00-05:00 (Brussels) that the advice should find.
 * Deterministic (seeded), so two runs give the same dashboard.
 */
import { localParts } from '../stats/time-zone.js';

export const DEMO_TZ = 'Europe/Brussels';

/** Mulberry32: a tiny seeded generator, enough for a demo. */
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
