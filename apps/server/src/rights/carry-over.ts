/**
 * After a restore: the requests that restricted processing since the backup was taken (an
 * erasure, a restriction, a withdrawal, an objection), read from the database the backup
 * replaced (`store/sqlite/restore.ts`), are applied again to the subjects the backup holds,
 * through the same rights functions as the request was, so the ledger and the request log say
 * so (`actor`). Only in that direction: a restriction lifted since stays in force until it is
 * lifted again, a consent given since is given again by the subject's next decision.
 */
import type { Services } from '../services.js';
import { scrubbingOnce, type Actor, type RestrictiveState } from '../store/store.js';
import { DomainError } from '../errors/domain-error.js';
import { erase, object, restrict, withdraw } from './subject-rights.js';

export interface CarryOverReport {
  readonly erased: number;
  readonly restricted: number;
  readonly withdrawn: number;
  readonly objected: number;
  /** Subjects the backup has no row of: nothing is held about them to process. */
  readonly absent: number;
  /** Erasures refused because the backup holds the subject under a legal hold (Art. 17(3)). */
  readonly held: number;
}

/** @example await carryOver(services, restored.restrictive, OPERATOR) // { erased: 1, restricted: 0, ... } */
export async function carryOver(services: Services, states: readonly RestrictiveState[], actor: Actor): Promise<CarryOverReport> {
  // One scrub per project after the last erasure, not one per erasure: a restore may carry many.
  return scrubbingOnce(services.store, () => applyAgain(services, states, actor));
}

async function applyAgain(services: Services, states: readonly RestrictiveState[], actor: Actor): Promise<CarryOverReport> {
  const report = { erased: 0, restricted: 0, withdrawn: 0, objected: 0, absent: 0, held: 0 };
  const byProject = new Map<string, RestrictiveState[]>();
  for (const state of states) {
    const list = byProject.get(state.projectId);
    if (list) list.push(state);
    else byProject.set(state.projectId, [state]);
  }
  for (const [projectId, wanted] of byProject) {
    const rows = await services.store.loadSubjects(projectId, wanted.map((state) => state.pseudonym));
    for (const want of wanted) {
      const row = rows.get(want.pseudonym);
      if (!row) {
        report.absent++;
        continue;
      }
      const ref = { projectId, pseudonym: want.pseudonym, actor };
      const now = row.state;
      if (now.erased) continue;
      if (want.erased) {
        try {
          await erase(services, ref);
          report.erased++;
        } catch (error) {
          if (!(error instanceof DomainError) || error.code !== 'legal_hold') throw error;
          report.held++;
        }
        continue;
      }
      if (want.restricted && !now.restricted) {
        await restrict(services, ref, true);
        report.restricted++;
      }
      if (want.withdrawn && !now.consent?.withdrawn) {
        await withdraw(services, ref);
        report.withdrawn++;
      }
      const objections = want.objected.filter((purpose) => !now.objected.includes(purpose));
      if (objections.length > 0) {
        await object(services, ref, objections, true);
        report.objected++;
      }
    }
  }
  return report;
}
