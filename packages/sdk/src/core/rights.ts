/**
 * The data subject's rights from the device (GDPR Art. 15 to 21) over the `/v1/me` routes,
 * authorised by the subject token the server returned with the subject's first decision.
 * Stopping (restriction, objection, withdrawal, erasure) takes effect locally at once,
 * before the server answers; lifting a restriction or objection waits for the server's yes.
 * Withdrawal keeps the token (the user still holds rights over what was collected); erasure
 * drops it once the server confirmed, so a failed erasure can be asked again.
 *
 * Loaded on first use (`lazy-rights.ts`, `later.ts`): most page views never exercise a right, so this
 * stays out of the main browser chunk.
 */
import type { ConsentCore } from './consent/consent-core.js';
import type { DecisionRecord } from './decision.js';
import type { Fail } from './errors.js';
import type { HeedRights } from './heed.js';
import type { HttpMethod, HttpResponse, Transport } from './platform.js';
import type { Requester } from './requester.js';

/**
 * What the rights need of the consent state. The steps only rights take are written here,
 * over these primitives, so they load with this chunk and not with every page view.
 */
export type LocalRights = Pick<ConsentCore, '_state' | '_stored' | '_update' | '_release' | '_wipe'>;

/**
 * `transport` is the platform's; `requesterOver` makes a requester (retries, status policy)
 * over a transport, here one that tells a CORS block from a network error. `fail` builds and
 * reports the HeedError. Both are passed in, so this chunk shares no module with the main one
 * and bundlers make no third chunk.
 *
 * @example await createRights(consent, transport, (transport) => createRequester({ ...platform, transport }, options, report), fail).export('json')
 */
export function createRights(local: LocalRights, transport: Transport, requesterOver: (transport: Transport) => Requester, fail: Fail): HeedRights {
  let blocked = false;
  /**
   * A browser hides why a cross-origin request got no response: a CORS refusal looks like
   * being offline. The rights routes answer only the origins in the server's
   * `HEED_CORS_ORIGINS`, while `GET /v1/policy` answers every origin the ingest routes do: when
   * it answers right after, the server is there and the rights route was blocked. That is not
   * retried (the same origin is refused again) and is reported once, naming the setting.
   */
  const requester = requesterOver({
    ...transport,
    send: (request) =>
      transport.send(request).catch(async (cause: unknown) => {
        blocked = await transport.send({ method: 'GET', path: '/v1/policy' }).then(
          () => true,
          () => false,
        );
        throw cause;
      }),
  });

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
      () => !blocked,
    );
    if (blocked) {
      fail('cors', `[${method}] ${path}: no response while GET /v1/policy answers: the browser blocked it (CORS). Add this page's origin to HEED_CORS_ORIGINS on the Heed server.`);
    }
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
          const objected = local._state().objected;
          amend({ objected: add ? [...new Set([...objected, ...purposes])] : objected.filter((id) => !purposes.includes(id)) });
        },
        '/v1/me/object',
        { purposes, objected: on },
      ),
    async withdraw() {
      // Withdrawal (Art. 7(3)) takes effect on this device at once; the server hears of it here.
      local._release('withdrawn');
      return !!(await call('POST', '/v1/me/withdraw', {}));
    },
    async erase() {
      local._release('withdrawn');
      const ok = !!(await call('DELETE', '/v1/me'));
      // A grant made while the erasure was in flight belongs to a new decision: keep it.
      if (ok && local._state().status !== 'granted') local._wipe();
      return ok;
    },
  };
}
