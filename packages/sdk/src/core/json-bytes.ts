/**
 * UTF-8 byte length of a value as JSON, without TextEncoder: the policy's limits are in
 * bytes, and the core counts them for every queued event, so this must be cheap and
 * global-free. `encodeURIComponent` (an ECMAScript built-in, not a host global) writes each
 * byte past ASCII as one `%XX`. It throws on a lone surrogate, which JSON text never holds:
 * `JSON.stringify` escapes them.
 */

/**
 * @example jsonBytes('é') // 4: two quotes and two bytes
 */
export function jsonBytes(value: unknown): number {
  return encodeURIComponent(JSON.stringify(value)).replace(/%../g, '.').length;
}

/**
 * What a value adds to a JSON array: its bytes and one separator (a comma, or the bracket
 * that closes the array). An array of n values is the sum of these plus its opening bracket.
 *
 * @example weightOf('é') // 5
 */
export const weightOf = (value: unknown): number => jsonBytes(value) + 1;
