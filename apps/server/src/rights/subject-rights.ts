/**
 * The rights of clause 6 of the privacy policy, one function each, shared by the subject's own
 * routes (`/v1/me`, subject token) and the staff routes (`/v1/admin/subjects`, admin key).
 * Each applies the change, proves it in the ledger, and logs the request.
 */
import { changeObjections, misdirectedObjections, type Rectification } from '@heed/policy';
import { DomainError } from '../errors/domain-error.js';
import type { Services } from '../services.js';
import type { LedgerAppend, SubjectRecord } from '../store/store.js';
import { accessDocument, type AccessDocument } from './access.js';
import { logCompletedRequest, type SubjectRef } from './requests.js';

const gone = () => new DomainError('not_found', { detail: 'No data is held about this subject.' });

/** The ledger entry of a right exercised on `ref`, naming who acted. */
function ledgerEntry(services: Services, ref: SubjectRef, action: string, detail: Record<string, unknown>): LedgerAppend {
  return {
    projectId: ref.projectId,
    pseudonym: ref.pseudonym,
    action,
    policyVersion: services.policy.version,
    policyHash: services.policyHash,
    detail,
    at: services.clock.now(),
    actor: ref.actor,
  };
}

async function changeFlags(
  services: Services,
  ref: SubjectRef,
  action: string,
  patch: { restricted?: boolean; objected?: readonly string[]; withdrawn?: boolean },
  detail: Record<string, unknown>,
): Promise<SubjectRecord> {
  const updated = await services.store.changeFlags({ projectId: ref.projectId, pseudonym: ref.pseudonym, ...patch, ledger: ledgerEntry(services, ref, action, detail) });
  if (!updated) throw gone();
  return updated;
}

export async function access(services: Services, ref: SubjectRef, kind: 'access' | 'portability'): Promise<AccessDocument> {
  // Log first, so the answer itself lists this request.
  await logCompletedRequest(services, ref, kind, 'answered at once');
  const data = await services.store.subjectData(ref.projectId, ref.pseudonym);
  if (!data) throw gone();
  return accessDocument(services, data);
}

export async function rectify(services: Services, ref: SubjectRef, patch: Rectification) {
  const fields = Object.keys(patch);
  await services.store.rectify(ref.projectId, ref.pseudonym, patch);
  await logCompletedRequest(services, ref, 'rectification', `corrected ${fields.join(', ') || 'nothing'}`);
  return { corrected: fields };
}

export async function restrict(services: Services, ref: SubjectRef, restricted: boolean) {
  const subject = await changeFlags(services, ref, restricted ? 'restrict' : 'lift_restriction', { restricted }, {});
  await logCompletedRequest(services, ref, 'restriction', restricted ? 'restricted: nothing new collected, held data excluded from statistics' : 'restriction lifted');
  return { restricted: subject.state.restricted };
}

export async function object(services: Services, ref: SubjectRef, purposes: readonly string[], objected: boolean) {
  const byId = new Map(services.policy.purposes.map((purpose) => [purpose.id, purpose]));
  const misdirected = misdirectedObjections(services.policy.purposes, purposes);
  if (misdirected.length > 0) {
    throw new DomainError('unprocessable', {
      detail: 'Objection (Art. 21) applies to legitimate-interest purposes. For consent-based purposes, withdraw consent instead (POST /v1/me/withdraw).',
      errors: misdirected.map((id) => ({ field: 'purposes', message: byId.has(id) ? `"${id}" rests on ${byId.get(id)!.basis}` : `unknown purpose "${id}"` })),
    });
  }
  const current = (await services.store.loadSubjects(ref.projectId, [ref.pseudonym])).get(ref.pseudonym);
  if (!current || current.state.erased) throw gone();
  const next = changeObjections(current.state.objected, purposes, objected);
  const subject = await changeFlags(services, ref, objected ? 'object' : 'lift_objection', { objected: next }, { purposes });
  await logCompletedRequest(services, ref, 'objection', `${objected ? 'objected to' : 'lifted objection to'} ${purposes.join(', ')}`);
  return { objected: subject.state.objected };
}

export async function withdraw(services: Services, ref: SubjectRef) {
  await changeFlags(services, ref, 'withdraw', { withdrawn: true }, {});
  await logCompletedRequest(services, ref, 'withdrawal', 'consent withdrawn; nothing further is recorded');
  return { withdrawn: true };
}

export async function erase(services: Services, ref: SubjectRef) {
  await logCompletedRequest(services, ref, 'erasure', 'erased');
  const deleted = await services.store.erase(ref.projectId, ref.pseudonym, ledgerEntry(services, ref, 'erase', {}));
  return {
    erased: true,
    deleted: { events: deleted.events, sessions: deleted.sessions, activityRows: 'all', subjectTokens: 'all' },
    kept: {
      consentProof: `The consent ledger entries are kept as proof of consent (Art. 7(1), a legal obligation) for ${services.policy.retention.consentProof}.`,
      suppressionRecord: 'The pseudonym alone is kept, so events that still arrive from this subject are dropped.',
      rightsRequests: `The log of your requests is kept as proof of answering them (Art. 12) for ${services.policy.retention.rightsRequests}.`,
    },
  };
}
