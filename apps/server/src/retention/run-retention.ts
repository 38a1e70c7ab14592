/**
 * The retention job: for every project, deletes each data class once its policy's retention
 * for it has passed, in chunks, reporting progress (store/rules/tables.ts says what each class
 * is and which period governs it). A restricted subject's rows, and those of a subject under a
 * legal hold, are kept whatever their age (Art. 18: kept, not used; Art. 17(3)); once the
 * restriction is lifted or the hold ends, their usual period applies, counted from the rows'
 * own times. Raw events feed the aggregates in the transaction that stores them, so deleting
 * an old raw event never loses a count. The consent ledger goes last, behind a sealed
 * checkpoint (store/rules/prune-ledger.ts), its decisions still in force carried forward.
 */
import { parseDuration, subtractDuration, type DataClass } from '@heed/policy';
import type { Services } from '../services.js';
import { GOVERNED_BY } from '../store/rules/tables.js';
import type { PrunableClass } from '../store/store.js';
import { checkpointSeal } from '../ledger/checkpoint.js';

export const PRUNE_CHUNK = 5_000;

/** The classes in the order they go: subject rows last, once their data went before them. */
const ORDER: readonly PrunableClass[] = ['rawEvents', 'sessions', 'activity', 'aggregates', 'rightsRequests', 'subjects'];

export interface RetentionReport {
  readonly ranAt: number;
  /** Rows deleted per class, over every project; `consentLedger` counts ledger entries. */
  readonly deleted: Record<PrunableClass | 'consentLedger', number>;
  /** The cut-off per class under the server's policy (a project with its own may differ). */
  readonly cutoffs: Record<PrunableClass | 'consentLedger', number>;
}

const cutoff = (now: number, period: string) => subtractDuration(now, parseDuration(period)!);

/**
 * @example await runRetention(services, { onProgress: (c, n) => console.log(c, n) })
 */
export async function runRetention(
  services: Services,
  options: { onProgress?: (dataClass: PrunableClass | 'consentLedger', deletedSoFar: number) => void; chunk?: number } = {},
): Promise<RetentionReport> {
  const now = services.clock.now();
  const limit = options.chunk ?? PRUNE_CHUNK;
  const deleted = Object.fromEntries([...ORDER, 'consentLedger'].map((name) => [name, 0])) as RetentionReport['deleted'];
  const server = services.policies.server.document.retention;
  const cutoffs = {
    ...Object.fromEntries(ORDER.map((name) => [name, cutoff(now, server[GOVERNED_BY[name] as DataClass])])),
    consentLedger: cutoff(now, server.consentProof),
  } as RetentionReport['cutoffs'];
  for (const project of await services.store.listProjects()) {
    const policy = await services.policies.forProject(project.id);
    const { retention } = policy.document;
    let deletedHere = 0;
    for (const dataClass of ORDER) {
      const before = cutoff(now, retention[GOVERNED_BY[dataClass] as DataClass]);
      for (;;) {
        const count = await services.store.prune(dataClass, { projectId: project.id, before, limit, now });
        deleted[dataClass] += count;
        deletedHere += count;
        if (count > 0) options.onProgress?.(dataClass, deleted[dataClass]);
        if (count < limit) break;
      }
    }
    const pruned = await services.store.pruneLedger(project.id, {
      before: cutoff(now, retention.consentProof),
      checkpoint: checkpointSeal(services.ledger),
      carried: {
        action: 'decision_carried', policyVersion: policy.document.version, policyHash: policy.hash, at: now,
        actor: { channel: 'system', auth: `ledger_key:${services.ledger.keyId}` },
      },
    });
    deleted.consentLedger += pruned;
    if (pruned > 0) options.onProgress?.('consentLedger', deleted.consentLedger);
    // What went must not stay in a copy the store keeps (store.ts, scrubDeleted).
    if (deletedHere + pruned > 0) await services.store.scrubDeleted(project.id);
  }
  services.logger.info('retention run', { deleted });
  services.metrics.retentionRan(deleted);
  return { ranAt: now, deleted, cutoffs };
}

/**
 * Runs the job every `intervalMs` in the server (0 disables it); a failed run is logged and
 * tried again at the next interval.
 */
export function scheduleRetention(services: Services, intervalMs: number): () => void {
  if (intervalMs <= 0) return () => undefined;
  const timer = setInterval(() => {
    runRetention(services).catch((error: unknown) => {
      services.metrics.retentionFailed(error);
      services.logger.error('retention run failed', { error: String(error) });
    });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
