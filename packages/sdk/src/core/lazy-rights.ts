/**
 * The rights API as a stub that loads `rights.ts` on first use, with a dynamic import that
 * bundlers split into its own chunk: the browser budget (5 KB gzip) covers consent,
 * sessions, queue and transport, and rights are exercised on a privacy page, not on every
 * page view. A chunk that fails to load (offline, a deploy removed it) is reported as
 * `network` on every call that needed it, and the call answers like a failed right; the host
 * never sees a rejection. CJS and the script-tag IIFE cannot split: there it is inlined.
 */
import type { HeedErrorCode } from './errors.js';
import type { HeedRights } from './heed.js';
import type { Requester } from './requester.js';
import type { LocalRights } from './rights.js';

type Method = (...args: unknown[]) => Promise<unknown>;

/**
 * `fail` builds and reports a HeedError.
 *
 * @example const rights = lazyRights(consent, requester, fail); await rights.export('json')
 */
export function lazyRights(local: LocalRights, requester: Requester, fail: (code: HeedErrorCode, message: string, cause?: unknown) => void): HeedRights {
  return Object.fromEntries(
    (['export', 'restrict', 'object', 'withdraw', 'erase'] as const).map((name) => [
      name,
      // A failed import answers like a failed right: no export (undefined), no change made (false).
      (...args: unknown[]) =>
        import('./rights.js').then(
          (module) => (module.createRights(local, requester, fail)[name] as Method)(...args),
          (cause: unknown) => {
            fail('network', 'rights chunk', cause);
            return name === 'export' ? undefined : false;
          },
        ),
    ]),
  ) as unknown as HeedRights;
}
