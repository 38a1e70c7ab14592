/**
 * How long to wait before the next try: capped exponential backoff with full jitter (AWS
 * architecture blog, "Exponential Backoff and Jitter"), so a fleet of clients that failed
 * together does not come back together. A server's `Retry-After` wins when it is given.
 */

/**
 * Delay before retry number `attempt` (0 for the first retry), in milliseconds.
 *
 * @example retryDelay(3, 1_000, 30_000, 0.5) // 4000: half of min(30 s, 1 s * 2^3)
 */
export function retryDelay(attempt: number, baseMs: number, maxMs: number, random: number): number {
  return Math.floor(random * Math.min(maxMs, baseMs * 2 ** attempt));
}

/**
 * `Retry-After` in milliseconds from now: delta seconds or an HTTP date; `undefined` when
 * absent or unreadable.
 *
 * @example parseRetryAfter('2', 0) // 2000
 * @example parseRetryAfter('Thu, 01 Jan 1970 00:00:05 GMT', 1_000) // 4000
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  // Number() reads delta seconds (surrounding spaces allowed); anything else may be a date.
  const seconds = Number(value);
  const ms = seconds >= 0 ? seconds * 1_000 : Date.parse(value) - nowMs;
  return Number.isNaN(ms) ? undefined : Math.max(0, ms);
}
