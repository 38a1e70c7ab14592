/**
 * The one place a consent decision goes to the server (`POST /v1/consent`): the body is built
 * by `consentRequest` from the stored grant and the policy's purposes. Anything
 * a decision must carry besides (an identity assertion, the anonymous id) is added here, and
 * every caller (grant, refusal, withdrawal) gets it. Loaded with the lazy chunk: a page view
 * with a recorded grant posts nothing.
 */
import type { ConsentRequest, PolicyDocument } from '@heed/policy';
import type { DecisionRecord, Purposes, purposeAllowed } from '../decision.js';
import type { SubjectRecord } from '../identity.js';
import type { RequestOutcome } from '../requester.js';
import type { ConsentCore } from './consent-core.js';

/** What a decision is posted from: the subject it is for and the grant (withdrawal answers false to all). */
export interface DecisionToPost {
  readonly subject: SubjectRecord;
  readonly decision: DecisionRecord;
}

/**
 * The `POST /v1/consent` body: an answer for each consent-based and legitimate-interest
 * purpose (the others do not rest on the user's say), each as `allowed` (`purposeAllowed` of
 * decision.ts, lent by the main chunk) reads the grant. `withdraw` answers false to all
 * (Art. 7(3)).
 *
 * @example consentRequest(purposeAllowed, 'wk', subject, decision, DEFAULT_POLICY.purposes, false, Date.now()).purposes // { statistics: true, ... }
 */
export function consentRequest(
  allowed: typeof purposeAllowed,
  writeKey: string,
  subject: string,
  decision: DecisionRecord,
  purposes: Purposes,
  withdraw: boolean,
  ts: number,
): ConsentRequest {
  const answers = purposes
    .filter(({ basis }) => basis === 'consent' || basis === 'legitimate_interest')
    .map((purpose) => [purpose.id, !withdraw && allowed(decision, purposes, purpose)]);
  // The body is serialised at once, so the stored list goes in as it is, not copied.
  return { writeKey, subject, policyVersion: decision.version, purposes: Object.fromEntries(answers), gpc: decision.gpc, objections: withdraw ? [] : (decision.objected as string[]), ts };
}

/**
 * Sends the decision under `current`'s purposes (as `text/plain`, a CORS-simple request like
 * the batches), retrying while `live()` holds (by default: until shutdown). Resolves with the
 * requester's outcome: `_response` once recorded, `_final` when the server refused it.
 *
 * @example await postDecision(core, { subject, decision }, policy, false)
 */
export function postDecision(
  core: ConsentCore,
  { subject, decision }: DecisionToPost,
  current: PolicyDocument,
  withdraw: boolean,
  live = () => !core._stopped(),
): Promise<RequestOutcome> {
  const request = consentRequest(core._allowed, core._options.writeKey, subject.hash, decision, current.purposes, withdraw, core._platform.clock.now());
  // Who vouches for the subject: its anonymous id, or the assertion the platform's backend signed.
  return core._requester._send({ method: 'POST', path: '/v1/consent', body: JSON.stringify({ ...request, ...subject.proof }), contentType: 'text' }, live);
}
