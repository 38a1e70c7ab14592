/**
 * The loader of `later.ts`. Most page views neither decide nor exercise a right, so those
 * steps stay out of the main browser chunk (5 KB gzip covers consent, sessions, queue and
 * transport). A chunk that fails to load (offline, a deploy removed it) is reported as
 * `network` and the call answers like a failed one; the host never sees a rejection.
 */
import type { Fail } from './errors.js';

export type Later = typeof import('./later.js');

/**
 * Runs `use` with the loaded chunk, or resolves `failed` when it cannot load.
 *
 * @example const result = await later(fail, (chunk) => chunk.grant(core, ['statistics']), undefined)
 */
export function later<T>(fail: Fail, use: (chunk: Later) => T | Promise<T>, failed: T): Promise<T> {
  return import('./later.js').then(use, (cause: unknown) => {
    fail('network', 'lazy chunk', cause);
    return failed;
  });
}
