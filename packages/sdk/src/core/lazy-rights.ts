/**
 * The rights API over the lazy chunk (`later.ts`): most page views never exercise a right, so
 * `rights.ts` loads on first use. A chunk that fails to load answers like a failed right: no
 * export (undefined), no change made (false).
 */
import type { ConsentCore } from './consent/consent-core.js';
import type { Fail, HeedError } from './errors.js';
import type { HeedRights } from './heed.js';
import { later } from './lazy.js';
import { createRequester } from './requester.js';

type Method = (...args: unknown[]) => Promise<unknown>;

/**
 * `report` sends a HeedError to `onError`; `fail` builds and reports one. The rights chunk
 * gets `createRequester` passed in, not imported, so it shares no module with the main chunk
 * and bundlers make no third chunk for it.
 *
 * @example const rights = lazyRights(consent._core, report, fail); await rights.export('json')
 */
export function lazyRights(core: ConsentCore, report: (error: HeedError) => void, fail: Fail): HeedRights {
  const { _platform: platform, _options: options } = core;
  return Object.fromEntries(
    (['export', 'restrict', 'object', 'withdraw', 'erase'] as const).map((name) => [
      name,
      (...args: unknown[]) =>
        later(
          fail,
          (chunk) => (chunk.createRights(core, platform.transport, (transport) => createRequester({ ...platform, transport }, options, report), fail)[name] as Method)(...args),
          name === 'export' ? undefined : false,
        ),
    ]),
  ) as unknown as HeedRights;
}
