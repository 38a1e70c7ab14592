/**
 * IANA time-zone names, checked with the runtime's own Intl data (browser and Node alike).
 * A client sends the same zone in every batch, so answers are cached, with a bound so that a
 * hostile stream of distinct names cannot grow memory.
 */
const MAX_CACHED = 1_000;
const known = new Map<string, boolean>();

/**
 * Whether `name` is a time zone this runtime knows.
 *
 * @example isTimeZone('Europe/Brussels') // true
 */
export function isTimeZone(name: string): boolean {
  const cached = known.get(name);
  if (cached !== undefined) return cached;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    valid = name.length > 0 && name.length <= 64;
  } catch {
    // Intl throws RangeError for unknown zones; that is the answer, not a failure.
    valid = false;
  }
  if (known.size >= MAX_CACHED) known.clear();
  known.set(name, valid);
  return valid;
}
