/**
 * What happens between two statistics requests, as random steps for the property tests that
 * hold warm caches to a cold fill (`warm-equals-cold.test.ts` here and on PostgreSQL): visits
 * (new sessions, and sessions that continue or arrive late), consent decisions, erasures,
 * restrictions and their lifts, objections, retention cuts and restarts.
 */
import fc from 'fast-check';

export const USERS = ['ann', 'bob', 'cem', 'dee', 'eve'] as const;
export type User = (typeof USERS)[number];

export type Step =
  | { readonly kind: 'visit'; readonly users: readonly User[]; readonly day: number; readonly hour: number }
  | { readonly kind: 'erase' | 'object'; readonly user: User }
  | { readonly kind: 'restrict'; readonly user: User; readonly on: boolean }
  | { readonly kind: 'decide'; readonly user: User; readonly statistics: boolean; readonly updateTiming: boolean }
  | { readonly kind: 'retention'; readonly day: number }
  | { readonly kind: 'restart' };

const user = fc.constantFrom(...USERS);

/** One step; visits weigh most, as on a platform. Days 0-2 and hours 0-3 from the cases' START. */
export const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('visit' as const), users: fc.uniqueArray(user, { minLength: 1, maxLength: 3 }), day: fc.integer({ min: 0, max: 2 }), hour: fc.integer({ min: 0, max: 3 }) }) },
  fc.record({ kind: fc.constantFrom('erase' as const, 'object' as const), user }),
  fc.record({ kind: fc.constant('restrict' as const), user, on: fc.boolean() }),
  fc.record({ kind: fc.constant('decide' as const), user, statistics: fc.boolean(), updateTiming: fc.boolean() }),
  fc.record({ kind: fc.constant('retention' as const), day: fc.integer({ min: 0, max: 2 }) }),
  fc.constant({ kind: 'restart' as const }),
);
