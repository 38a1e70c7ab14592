/**
 * Whether an event's client timestamp is within the bounds the server accepts: not too far
 * ahead of the server's clock (clock drift), not older than the policy's `maxEventAge`
 * (offline queues deliver late, but not forever).
 */
import type { IngestLimits } from '../document/schema.js';
import { approximateDurationMs, parseDuration } from '../document/duration.js';

export type EventTimeProblem = 'in_future' | 'too_old';

/** The oldest and newest accepted timestamps at `nowMs`. */
export function eventTimeWindow(nowMs: number, limits: Pick<IngestLimits, 'maxFutureSkewMs' | 'maxEventAge'>) {
  const age = parseDuration(limits.maxEventAge);
  return {
    oldest: nowMs - (age ? approximateDurationMs(age) : 0),
    newest: nowMs + limits.maxFutureSkewMs,
  };
}

/**
 * @example checkEventTime(Date.now() + 3_600_000, Date.now(), DEFAULT_POLICY.limits) // 'in_future'
 */
export function checkEventTime(
  ts: number,
  window: { oldest: number; newest: number },
): EventTimeProblem | undefined {
  if (ts > window.newest) return 'in_future';
  if (ts < window.oldest) return 'too_old';
  return undefined;
}
