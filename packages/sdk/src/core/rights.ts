/**
 * The data subject's rights from the device (GDPR Art. 15 to 21) over the `/v1/me` routes,
 * authorised by the subject token the server returned with the subject's first decision.
 * Stopping (restriction, objection, withdrawal, erasure) takes effect locally at once,
 * before the server answers; lifting a restriction or objection waits for the server's yes.
 * Withdrawal keeps the token (the user still holds rights over what was collected); erasure
 * drops it once the server confirmed, so a failed erasure can be asked again.
 *
 * Loaded on first use (`lazy-rights.ts`): most page views never exercise a right, so this
 * stays out of the main browser chunk.
 */
import type { StoredConsent } from './consent-state.js';
import type { DecisionRecord } from './decision.js';
import type { HeedErrorCode } from './errors.js';
import type { ConsentState, HeedRights } from './heed.js';
import type { HttpMethod, HttpResponse } from './platform.js';
import type { Requester } from './requester.js';

/**
 * What the rights need of the consent state. The steps only rights take are written here,
 * over these primitives, so they load with this chunk and not with every page view.
 */
export interface LocalRights {
  readonly _api: { get(): ConsentState };
  /** The consent record in force (its subject holds the token). */
  readonly _stored: () => StoredConsent;
  /** Stores a changed record and re-applies the gate. */
  readonly _update: (next: StoredConsent) => void;
  /** Stops tracking and drops the queue, keeping the subject and its token (`true`: counts as withdrawn). */
  readonly _release: (withdrawing: boolean) => StoredConsent;
  /** Forgets the subject and its token (after erasure). */
  readonly _wipe: () => void;
}

/**
 * `fail` builds and reports the HeedError (passed in, so this chunk shares no module with
 * the main one and bundlers make no third chunk for the error classes).
 *
 * @example await createRights(consent, requester, fail).export('json') // { subject: ..., events: [...] }
 */
export function createRights(local: LocalRights, requester: Requester, fail: (code: HeedErrorCode, message: string) => void): HeedRights {
  /** Restriction and objection change the grant in force; the gate follows. */
  function amend(change: Partial<DecisionRecord>): void {
    const stored = local._stored();
    if (stored.decision) local._update({ ...stored, decision: { ...stored.decision, ...change } });
  }

  async function call(method: HttpMethod, path: string, body?: unknown, binary?: boolean): Promise<HttpResponse | undefined> {
    const token = local._stored().subject?.token;
    if (!token) {
      fail('no_subject_token', `[${method}] ${path}: no subject token on this device`);
      return undefined;
    }
    const outcome = await requester._send(
      { method, path, token, contentType: 'json', body: body === undefined ? undefined : JSON.stringify(body), binary },
      () => true,
    );
    return outcome._response;
  }

  /** Applies a stop at once and its lifting only after the server agreed. */
  async function change(on: boolean, apply: (on: boolean) => void, path: string, body: object): Promise<boolean> {
    if (on) apply(true);
    const ok = !!(await call('POST', path, body));
    if (ok && !on) apply(false);
    return ok;
  }

  return {
    async export(format = 'json') {
      return (await call('GET', `/v1/me?format=${format}`, undefined, format === 'csv'))?.body;
    },
    restrict: (on) => change(on, (restricted) => amend({ restricted }), '/v1/me/restrict', { restricted: on }),
    object: (purposes, on = true) =>
      change(
        on,
        (add) => {
          const objected = local._api.get().objected;
          amend({ objected: add ? [...new Set([...objected, ...purposes])] : objected.filter((id) => !purposes.includes(id)) });
        },
        '/v1/me/object',
        { purposes, objected: on },
      ),
    async withdraw() {
      // Withdrawal (Art. 7(3)) takes effect on this device at once; the server hears of it here.
      local._release(true);
      return !!(await call('POST', '/v1/me/withdraw', {}));
    },
    async erase() {
      local._release(true);
      const ok = !!(await call('DELETE', '/v1/me'));
      // A grant made while the erasure was in flight belongs to a new decision: keep it.
      if (ok && local._api.get().status !== 'granted') local._wipe();
      return ok;
    },
  };
}
