/**
 * UTF-8 byte length of JSON text without TextEncoder: the policy's limits are in bytes, and
 * the core counts them for every queued event, so this must be cheap and global-free.
 * `encodeURIComponent` (an ECMAScript built-in, not a host global) writes each byte past
 * ASCII as one `%XX`. It throws on a lone surrogate, which JSON text never holds:
 * `JSON.stringify` escapes them.
 */

/**
 * @example utf8Length(JSON.stringify('é')) // 4: two quotes and two bytes
 */
export function utf8Length(json: string): number {
  return encodeURIComponent(json).replace(/%../g, '.').length;
}
