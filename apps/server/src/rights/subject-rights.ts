/**
 * The rights of clause 6 of the privacy policy, one function each, shared by the subject's own
 * routes (`/v1/me`, subject token) and the staff routes (`/v1/admin/subjects`, admin key).
 * Each applies the change, proves it in the ledger, and logs the request.
 */
import { changeObjections, misdirectedObjections, type Rectification } from '@heed/policy';
import { DomainError } from '../errors/domain-error.js';
import type { Services } from '../services.js';
import type { LedgerAppend, SubjectRecord } from '../store/store.js';
import { accessDocument, withCopiesOf, type AccessDocument } from './access.js';
import { holdInForce } from './hold-in-force.js';
import { logCompletedRequest, logRefusedRequest, type SubjectRef } from './requests.js';

const gone = () => new DomainError('not_found', { detail: 'No data is held about this subject.' });

/** The ledger entry of a right exercised on `ref`, under the project's policy, naming who acted. */
export async function ledgerEntry(services: Services, ref: SubjectRef, action: string, detail: Record<string, unknown>): Promise<LedgerAppend> {
  const policy = await services.policies.forProject(ref.projectId);
  return {
    projectId: ref.projectId,
    pseudonym: ref.pseudonym,
    action,
    policyVersion: policy.document.version,
    policyHash: policy.hash,
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
  const updated = await services.store.changeFlags({ projectId: ref.projectId, pseudonym: ref.pseudonym, ...patch, ledger: await ledgerEntry(services, ref, action, detail) });
  if (!updated) throw gone();
  return updated;
}

export async function access(services: Services, ref: SubjectRef, kind: 'access' | 'portability'): Promise<AccessDocument> {
  // Log first, so the answer itself lists this request.
  await logCompletedRequest(services, ref, kind, 'answered at once');
  const data = await services.store.subjectData(ref.projectId, ref.pseudonym);
  if (!data) throw gone();
  return accessDocument(services, await services.policies.forProject(ref.projectId), data);
}

/**
 * Access asked by user id: every row the person has (`findEverySubjectByUserId`, newest first)
 * in one answer (`withCopiesOf`), each row's request logged as for one.
 */
export async function accessEvery(services: Services, refs: readonly SubjectRef[], kind: 'access' | 'portability'): Promise<AccessDocument> {
  const documents: AccessDocument[] = [];
  for (const ref of refs) documents.push(await access(services, ref, kind));
  const [newest, ...older] = documents;
  if (!newest) throw gone();
  return withCopiesOf(newest, older);
}

export async function rectify(services: Services, ref: SubjectRef, patch: Rectification) {
  const fields = Object.keys(patch);
  await services.store.rectify(ref.projectId, ref.pseudonym, patch);
  await logCompletedRequest(services, ref, 'rectification', `corrected ${fields.join(', ') || 'nothing'}`);
  return { corrected: fields };
}

/** How staff told the subject, before lifting a restriction they asked for (Art. 18(3)). */
export interface LiftNotice {
  readonly informedAt: number;
  readonly how: string;
}

/**
 * Restriction (Art. 18): nothing new is collected, held data leaves every statistic and is
 * kept (retention waits) until lifted or erased. Staff lifting a restriction must have told
 * the subject first (Art. 18(3)): `notice` says when and how, and the ledger keeps it.
 */
export async function restrict(services: Services, ref: SubjectRef, restricted: boolean, notice?: LiftNotice) {
  if (!restricted && ref.actor.channel === 'staff' && notice === undefined) {
    throw new DomainError('validation', {
      detail: 'Before lifting a restriction, tell the subject (Art. 18(3)), and say when and how: informedAt and how.',
      errors: [{ field: 'informedAt', message: 'required to lift a restriction' }, { field: 'how', message: 'required to lift a restriction' }],
    });
  }
  const detail = notice === undefined ? {} : { informedAt: notice.informedAt, informedHow: notice.how };
  const subject = await changeFlags(services, ref, restricted ? 'restrict' : 'lift_restriction', { restricted }, detail);
  const lifted = notice === undefined ? 'restriction lifted' : `restriction lifted; the subject was told ${new Date(notice.informedAt).toISOString()} (${notice.how})`;
  await logCompletedRequest(services, ref, 'restriction', restricted ? 'restricted: nothing new collected, held data kept but excluded from statistics' : lifted);
  return { restricted: subject.state.restricted };
}

export async function object(services: Services, ref: SubjectRef, purposes: readonly string[], objected: boolean) {
  const policy = (await services.policies.forProject(ref.projectId)).document;
  const byId = new Map(policy.purposes.map((purpose) => [purpose.id, purpose]));
  const misdirected = misdirectedObjections(policy.purposes, purposes);
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

/**
 * Erasure (Art. 17). Under a legal hold (Art. 17(3)(b), (e)) it is refused: 409 with the
 * ground, and the refusal is logged as a request refused on that ground.
 */
export async function erase(services: Services, ref: SubjectRef) {
  const current = (await services.store.loadSubjects(ref.projectId, [ref.pseudonym])).get(ref.pseudonym);
  const hold = holdInForce(current?.legalHold, services.clock.now());
  if (hold) {
    await logRefusedRequest(services, ref, 'erasure', hold.ground, hold.reason);
    throw new DomainError('legal_hold', {
      detail: `Erasure is refused while the data is held on the ground "${hold.ground}" (Art. 17(3)): ${hold.reason}.${hold.until === null ? '' : ` The hold ends ${new Date(hold.until).toISOString()}.`}`,
      errors: [{ field: 'ground', message: hold.ground }],
    });
  }
  await logCompletedRequest(services, ref, 'erasure', 'erased');
  const deleted = await services.store.erase(ref.projectId, ref.pseudonym, await ledgerEntry(services, ref, 'erase', {}));
  const { retention } = (await services.policies.forProject(ref.projectId)).document;
  return {
    erased: true,
    deleted: { events: deleted.events, sessions: deleted.sessions, activityRows: 'all', subjectTokens: 'all' },
    kept: {
      consentProof: `The consent ledger entries are kept as proof of consent (Art. 7(1), a legal obligation) for ${retention.consentProof}.`,
      suppressionRecord: 'The pseudonym alone is kept, so events that still arrive from this subject are dropped.',
      rightsRequests: `The log of your requests is kept as proof of answering them (Art. 12) for ${retention.rightsRequests}.`,
    },
  };
}

/**
 * Erasure of every row one person has (`findEverySubjectByUserId`: two where a key rotation
 * once made a second one), refused as a whole, before anything is deleted, when any of them is
 * under a legal hold. Answers as `erase` does, with the deleted counts summed.
 */
export async function eraseEvery(services: Services, refs: readonly SubjectRef[]) {
  const [first, ...rest] = refs;
  if (!first) throw gone();
  const rows = await services.store.loadSubjects(first.projectId, refs.map((ref) => ref.pseudonym));
  const now = services.clock.now();
  const isHeld = (ref: SubjectRef) => holdInForce(rows.get(ref.pseudonym)?.legalHold, now) !== null;
  // A held row goes first: its refusal answers, and nothing else was deleted.
  const ordered = [...refs.filter(isHeld), ...refs.filter((ref) => !isHeld(ref))];
  const answers: Awaited<ReturnType<typeof erase>>[] = [];
  for (const ref of ordered) answers.push(await erase(services, ref));
  const answer = answers[0]!;
  const sum = (field: 'events' | 'sessions') => answers.reduce((total, each) => total + each.deleted[field], 0);
  return rest.length === 0 ? answer : { ...answer, deleted: { ...answer.deleted, events: sum('events'), sessions: sum('sessions') } };
}
