/**
 * The data subject's rights from the device (GDPR Art. 15 to 21) over the `/v1/me` routes,
 * authorised by the subject token the server returned with the first decision. Stopping
 * (restriction, objection, withdrawal, erasure) takes effect locally at once, before the
 * server answers; lifting a restriction or objection waits for the server's yes.
 */
import { HeedError } from './errors.js';
import type { HeedRights } from './heed.js';
import type { HttpMethod } from './platform.js';
import type { Requester } from './requester.js';

/** The local side of each right, applied by the consent state. */
export interface LocalRights {
  readonly token: () => string | undefined;
  /** Applies a restriction (or its lifting) locally. */
  readonly restrict: (on: boolean) => void;
  /** Applies an objection (or its lifting) locally. */
  readonly object: (purposes: readonly string[], on: boolean) => void;
  /** Wipes local state after withdrawal or erasure. */
  readonly forget: () => void;
}

/**
 * @example await createRights(consent, requester, report).export('json') // { subject: ..., events: [...] }
 */
export function createRights(context: LocalRights, requester: Requester, report: (error: HeedError) => void): HeedRights {
  async function call(method: HttpMethod, path: string, body?: unknown, token = context.token(), binary?: boolean) {
    if (!token) {
      report(new HeedError('no_subject_token', `[${method}] ${path}: no subject token on this device`));
      return undefined;
    }
    const outcome = await requester.send(
      { method, path, token, contentType: 'json', body: body === undefined ? undefined : JSON.stringify(body), binary },
      () => true,
    );
    return outcome.ok ? outcome.response : undefined;
  }

  async function ends(method: HttpMethod, path: string): Promise<boolean> {
    const token = context.token();
    context.forget();
    return !!(await call(method, path, method === 'POST' ? {} : undefined, token));
  }

  return {
    async export(format = 'json') {
      return (await call('GET', `/v1/me?format=${format}`, undefined, undefined, format === 'csv'))?.body;
    },
    async restrict(on) {
      if (on) context.restrict(true);
      const ok = !!(await call('POST', '/v1/me/restrict', { restricted: on }));
      if (ok && !on) context.restrict(false);
      return ok;
    },
    async object(purposes, on = true) {
      if (on) context.object(purposes, true);
      const ok = !!(await call('POST', '/v1/me/object', { purposes, objected: on }));
      if (ok && !on) context.object(purposes, false);
      return ok;
    },
    withdraw: () => ends('POST', '/v1/me/withdraw'),
    erase: () => ends('DELETE', '/v1/me'),
  };
}
