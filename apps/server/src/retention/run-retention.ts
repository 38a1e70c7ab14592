/**
 * The retention job: deletes each data class once the policy's retention for it has passed,
 * in chunks, reporting progress. Raw events feed the aggregates in the transaction that
 * stores them, so deleting an old raw event never loses a count. The consent ledger is
 * kept (see `PrunableClass`): it is proof of consent, and its hash chain needs a signed
 * checkpoint before old entries can go.
 */
import { parseDuration, subtractDuration, type DataClass } from '@heed/policy';
import type { Services } from '../services.js';
import type { PrunableClass } from '../store/store.js';

/** Which policy retention governs each prunable class. */
const GOVERNED_BY: Record<PrunableClass, DataClass> = {
  rawEvents: 'rawEvents',
  sessions: 'activity',
  activity: 'activity',
  aggregates: 'aggregates',
  rightsRequests: 'rightsRequests',
};

export const PRUNE_CHUNK = 5_000;

export interface RetentionReport {
  readonly ranAt: number;
  readonly deleted: Record<PrunableClass, number>;
  readonly cutoffs: Record<PrunableClass, number>;
}

/**
 * @example await runRetention(services, { onProgress: (c, n) => console.log(c, n) })
 */
export async function runRetention(
  services: Services,
  options: { onProgress?: (dataClass: PrunableClass, deletedSoFar: number) => void; chunk?: number } = {},
): Promise<RetentionReport> {
  const now = services.clock.now();
  const deleted = {} as Record<PrunableClass, number>;
  const cutoffs = {} as Record<PrunableClass, number>;
  for (const [dataClass, policyClass] of Object.entries(GOVERNED_BY) as [PrunableClass, DataClass][]) {
    // The policy schema guarantees a valid duration.
    const cutoff = subtractDuration(now, parseDuration(services.policy.retention[policyClass])!);
    cutoffs[dataClass] = cutoff;
    deleted[dataClass] = 0;
    for (;;) {
      const count = await services.store.prune(dataClass, cutoff, options.chunk ?? PRUNE_CHUNK);
      deleted[dataClass] += count;
      if (count > 0) options.onProgress?.(dataClass, deleted[dataClass]);
      if (count < (options.chunk ?? PRUNE_CHUNK)) break;
    }
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
