/**
 * The consent steps that run rarely, loaded on first use with the rights (`../later.ts`): a
 * grant and its recording with the server, recording a withdrawal, asking again after the
 * server stopped counting a grant, and a change made elsewhere seen in a batch answer. What must take effect at once (stopping
 * tracking on withdrawal or on a refusing batch answer) is done by the main chunk before it
 * loads this; what is here talks to the server and sets the state.
 */
import type { BatchResponse, ConsentResponse, PolicyDocument } from '@heed/policy';
import type { ConsentResult } from '../heed.js';
import type { ConsentCore } from './consent-core.js';
import { makeDecision } from './make-decision.js';
import { postDecision, type DecisionToPost } from './post-decision.js';
import type { StoredConsent } from './stored-consent.js';

const result = (core: ConsentCore, ok: boolean): ConsentResult => ({ ...core._state(), ok });

/**
 * `consent.grant`: records the grant with the server before any batch. `objected` replaces
 * the objections to legitimate-interest purposes (kept from the last grant when absent). A
 * grant the server refuses never stands (`askAgain` asks again under the policy in force);
 * one it could not reach stays granted here, its events waiting, and `ok` says it is not
 * recorded yet.
 *
 * @example await grant(core, ['statistics']) // { status: 'granted', ok: true, ... }
 */
export async function grant(core: ConsentCore, purposes: readonly string[], objected?: readonly string[]): Promise<ConsentResult> {
  const current = await core._policies._load();
  if (!current || core._stopped()) return result(core, false);
  const signal = core._options.honorPrivacySignals !== false && core._platform.environment.privacySignal();
  const decision = makeDecision(current, purposes, signal, objected ?? core._stored().decision?.objected ?? []);
  if (!decision.granted.length) return core._withdraw(true);
  if (!(await core._prepare()) || core._stopped()) return result(core, false);
  core._update({ decision, subject: { ...core._stored().subject!, acked: false } });
  return result(core, !!(await core._ready()));
}

/**
 * Records the grant `asked` (the record in force when `ready` was called) with the server,
 * keeping the subject token it returns on a subject's first decision. Resolves the policy
 * once recorded. A grant the server refused (409 for a version no longer in force, an erased
 * subject, a wrong key) never stands: the user is asked again under the policy in force.
 * Retried while the grant is still the one in force.
 *
 * @example await recordGrant(core, stored, policy) // policy, and the record acknowledged
 */
export async function recordGrant(core: ConsentCore, asked: StoredConsent, current: PolicyDocument): Promise<PolicyDocument | undefined> {
  const { decision, subject } = asked as DecisionToPost;
  const { _response, _final } = await postDecision(core, asked as DecisionToPost, current, false, () => !core._stopped() && core._stored().decision === decision);
  // A grant or subject that changed meanwhile is posted by the next call.
  if (core._stored() !== asked) return;
  if (!_response) return _final ? askAgain(core) : undefined;
  const token = (_response.body as ConsentResponse | undefined)?.subjectToken ?? subject.token;
  core._save({ ...asked, subject: { ...subject, acked: true, token } });
  return current;
}

/**
 * Tells the server about a withdrawal (or refusal) already in force here. Posted under the
 * policy in force: refusing everything needs no new consent, and the server refuses a decision
 * under a version it no longer counts (409), so after such a refusal the policy is fetched
 * again and the withdrawal posted once more under the new version.
 *
 * @example await recordWithdrawal(core, released) // { status: 'withdrawn', ok: true, ... }
 */
export async function recordWithdrawal(core: ConsentCore, { subject, decision }: StoredConsent): Promise<ConsentResult> {
  if (!subject || !decision) return result(core, true);
  for (let attempt = 0; ; attempt++) {
    const current = await core._policies._load();
    if (!current) return result(core, false);
    const { _response, _final } = await postDecision(core, { subject, decision: { ...decision, version: current.version } }, current, true);
    if (_response || !_final || attempt) return result(core, !!_response);
    core._policies._expire();
  }
}

/**
 * The server no longer counts the grant (a batch answer, a refused decision, a stored grant
 * under a superseded version): forgets the policy unless it is `version`, fetches the policy in
 * force, releases the grant and tells the host to ask again, so the next grant is recorded
 * under that version. Released after the fetch, so the status changes once: `superseded` when
 * a substantial change superseded the grant (reason `policy_changed`), else `undecided` (reason
 * `server`: the server holds no decision for this subject, or refused it). Until then nothing
 * is sent: the gate is closed, or the grant was never recorded.
 *
 * @example await askAgain(core, '2027-01-01')
 */
export async function askAgain(core: ConsentCore, version?: string): Promise<undefined> {
  const asked = core._stored();
  core._policies._expire(version);
  const current = await core._policies._load();
  // Decided again while the policy loaded: that decision stands.
  if (core._stored() !== asked) return;
  const superseded = !!current && !!asked.decision && !core._isCurrent(asked.decision.version, current);
  core._release(superseded ? 'superseded' : undefined);
  try {
    if (current) core._options.onConsentRequired?.({ reason: superseded ? 'policy_changed' : 'server', policyVersion: current.version });
  } catch (cause) {
    core._fail('callback', 'onConsentRequired', cause);
  }
}

/**
 * `reset` (logout): the user's queued events go out first (`flushed`), then their grant,
 * subject and token leave the device with them, so the next visitor decides for themselves
 * (nothing is tracked until they do). A remembered refusal stays: it is the device's.
 *
 * @example await reset(core, flushed)
 */
export async function reset(core: ConsentCore, flushed: () => Promise<void>): Promise<void> {
  if (core._stored().decision) await flushed();
  const { denied } = core._stored();
  core._release();
  if (denied === undefined) core._wipe();
  else core._save({ denied });
}

/**
 * A batch answer the main chunk stopped on: `consentRequired`, or a batch refused as a whole.
 *
 * @example await answered(core, { consentRequired: true, policyVersion: '2027-01-01', ... })
 */
export function answered(core: ConsentCore, answer: BatchResponse): Promise<undefined> | void {
  return answer.consentRequired ? askAgain(core, answer.policyVersion) : changedElsewhere(core, answer.reasons);
}

/**
 * A batch refused as a whole for a reason set elsewhere (the privacy page, staff acting on a
 * request by mail): the server decides every event from its own ledger and flags, so that is
 * where such a change shows first. The gate is closed already; this sets the
 * state to match, in the decision table's precedence (erasure, restriction, the consent gate).
 * `not_granted` means the server holds a decision that grants no tracking purpose (taken back
 * purpose by purpose): here that is a withdrawal. Any other reason leaves the gate closed for
 * this page.
 *
 * @example changedElsewhere(core, { withdrawn: 3 }) // status 'withdrawn'
 */
export function changedElsewhere(core: ConsentCore, reasons: BatchResponse['reasons']): void {
  const stored = core._stored();
  if (!stored.decision) return;
  if (reasons.restricted && !reasons.erased) return core._update({ ...stored, decision: { ...stored.decision, restricted: true } });
  if (reasons.erased || reasons.withdrawn || reasons.not_granted) core._release('withdrawn');
  // Nothing of this subject is held any more, and its token opens nothing.
  if (reasons.erased) core._wipe();
}
