/**
 * A token bucket per key (write key, project): `burst` requests at once, refilled at
 * `perSecond`. In memory, per process: with N processes the effective limit is N times this
 * (docs/scaling.md). The map is bounded so a flood of distinct keys cannot grow memory.
 */
export interface RateLimiter {
  /** Takes a token; when none is left, says how many seconds until one is. */
  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number };
}

const MAX_BUCKETS = 10_000;

/**
 * @example const limiter = createRateLimiter({ perSecond: 50, burst: 100, now: Date.now });
 */
export function createRateLimiter(options: { perSecond: number; burst: number; now: () => number }): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const now = options.now();
      let bucket = buckets.get(key);
      if (!bucket) {
        if (buckets.size >= MAX_BUCKETS) buckets.clear();
        bucket = { tokens: options.burst, at: now };
        buckets.set(key, bucket);
      }
      bucket.tokens = Math.min(options.burst, bucket.tokens + ((now - bucket.at) / 1000) * options.perSecond);
      bucket.at = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / options.perSecond)) };
    },
  };
}
