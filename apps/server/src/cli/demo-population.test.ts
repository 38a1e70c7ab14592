/** The demo's population plans: one tab per person, and visits whose input stays inside them. */
import { describe, expect, it } from 'vitest';
import { seeded } from '../seeded-random.js';
import { createVisitPlanner, sessionChance, visitScript } from './demo-population.js';

const MONDAY = Date.UTC(2026, 10, 23); // Mon 23 Nov 2026, 01:00 in Brussels
const HOUR = 3_600_000;

describe('demo population', () => {
  it('never gives a person two visits at once, and follows the weekly rhythm', () => {
    const plan = createVisitPlanner(300, seeded(1));
    const visits = Array.from({ length: 7 * 24 }, (_, h) => plan(MONDAY + h * HOUR)).flat();
    const byPerson = new Map<number, number>();
    for (const visit of visits) {
      expect(visit.start).toBeGreaterThanOrEqual(byPerson.get(visit.person) ?? 0);
      byPerson.set(visit.person, visit.start + visit.minutes * 60_000);
    }
    const startingIn = (hour: number) => visits.filter((visit) => visit.start >= MONDAY + hour * HOUR && visit.start < MONDAY + (hour + 1) * HOUR).length;
    // Monday 10:00 in Brussels (chance 0.16) against Sunday 03:00 (the quiet window, 0.0005).
    expect([sessionChance(MONDAY + 9 * HOUR), sessionChance(MONDAY + 6 * 24 * HOUR + 2 * HOUR)]).toEqual([0.16, 0.0005]);
    expect(startingIn(9)).toBeGreaterThan(30);
    expect(startingIn(6 * 24 + 2)).toBeLessThan(3);
  });

  it('scripts a visit the same way from the same seed, its input and features inside it', () => {
    const script = visitScript(20, 7);
    expect(visitScript(20, 7)).toEqual(script);
    expect(script.inputs.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...script.inputs)).toBeLessThan(20 * 60_000);
    for (const use of script.uses) expect(use.at + (use.durationMs ?? 0)).toBeLessThan(20 * 60_000);
  });
});
