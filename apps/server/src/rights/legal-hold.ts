/**
 * Legal holds (Art. 17(3)(b), (e)): staff put a subject's data on hold on a ground (a legal
 * obligation, legal claims, a contract), with a reason and an end. While it holds, erasure is
 * refused with the ground (and logged as refused), and retention keeps the data; the subject
 * sees the hold in the access answer and on the privacy page.
 */
import type { Services } from '../services.js';
import type { LegalHold } from '../store/store.js';
import { DomainError } from '../errors/domain-error.js';
import type { SubjectRef } from './requests.js';
import { ledgerEntry } from './subject-rights.js';

/**
 * @example await setHold(services, ref, { ground: 'legal_claims', reason: 'case 2026/41', until: null })
 */
export async function setHold(services: Services, ref: SubjectRef, hold: LegalHold | null) {
  const detail = hold === null ? {} : { ground: hold.ground, reason: hold.reason, until: hold.until };
  const subject = await services.store.setLegalHold(hold, await ledgerEntry(services, ref, hold === null ? 'lift_hold' : 'hold', detail));
  if (!subject) throw new DomainError('not_found', { detail: 'No data is held about this subject.' });
  return { legalHold: subject.legalHold };
}
