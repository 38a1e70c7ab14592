/**
 * UTF-8 byte length of a string without TextEncoder: the policy's limits are in bytes, and
 * the core counts them for every queued event, so this must be cheap and global-free.
 */

/**
 * @example utf8Length('é') // 2
 */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code < 0xdc00 && index + 1 < text.length) {
      // A surrogate pair is one code point of four bytes; JSON.stringify escapes lone ones.
      bytes += 4;
      index++;
    } else bytes += 3;
  }
  return bytes;
}
