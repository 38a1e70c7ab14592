/**
 * The policy in force, as the SDK knows it: given in the options or fetched from
 * `GET /v1/policy` on first need, one request however many callers wait. The server may put a
 * new version in force while a page is open; when a batch answer or a refused decision says
 * so, the known policy is expired and fetched again before the user is asked, so the next
 * grant is recorded under the version the server holds (a decision under an older one is
 * refused with 409 `policy_version`). The server lets caches keep `/v1/policy` for minutes, so
 * that fetch names the version it replaces (`/v1/policy?after=2026-11-01`): a URL no cache
 * holds an answer for yet.
 */
import type { PolicyDocument } from '@heed/policy';
import type { Requester } from '../requester.js';

export interface PolicySource {
  /** The policy known now, without fetching (undefined before the first fetch or after expiry). */
  _known(): PolicyDocument | undefined;
  /** The policy, fetched when not known. Undefined when the fetch failed (reported as `policy_unavailable`). */
  _load(): PolicyDocument | Promise<PolicyDocument | undefined>;
  /** Forgets the known policy unless it is `version`, so the next `_load` asks the server. */
  _expire(version?: string): void;
}

/**
 * `live` says whether a failing fetch is still worth retrying (not after shutdown).
 *
 * @example const source = createPolicySource(requester, 'p_acme', undefined, () => true, fail); await source._load()
 */
export function createPolicySource(
  requester: Requester,
  /** The project: a server may host several, each with its own policy. */
  project: string,
  initial: PolicyDocument | undefined,
  live: () => boolean,
  fail: (code: 'policy_unavailable', message: string) => void,
): PolicySource {
  let policy = initial;
  let loading: Promise<PolicyDocument | undefined> | undefined;
  /** The version last expired, when the next fetch must not come from a cache. */
  let after: string | undefined;
  return {
    _known: () => policy,
    _load: () =>
      policy ??
      (loading ??= requester._send({ method: 'GET', path: `/v1/policy?project=${project}${after ? '&after=' + after : ''}` }, live).then(({ _response }) => {
        loading = undefined;
        if (_response) return (policy = _response.body as PolicyDocument);
        fail('policy_unavailable', 'no policy');
      })),
    _expire(version) {
      if (policy?.version === version) return;
      after = policy?.version ?? after;
      policy = undefined;
    },
  };
}
