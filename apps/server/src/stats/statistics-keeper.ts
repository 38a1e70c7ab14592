/**
 * The server keeps every project's statistics caches filled while it runs, whether anyone asks
 * or not. Without it the caches filled at the first statistics request: on a deployment whose
 * dashboard was first opened after weeks of ingest, that request read every mark and session
 * of those weeks (7-9 s per route at 100,000 subjects) and no snapshot existed for a restart to
 * start from. Each interval the keeper asks every statistic (`warm-project.ts`), which reads only
 * what changed since its last turn, and the store writes the caches' snapshot after enough new
 * rows and when the server stops (docs/stats.md, "Kept filled").
 */
import type { Services } from '../services.js';
import { warmProject } from './warm-project.js';

/**
 * Starts the keeper (its first turn at once, then one every `intervalMs`); the function it
 * returns stops it and waits for a turn in progress, which ends at its next statistic.
 * `intervalMs` 0 leaves the caches to requests and `heed stats warm`.
 */
export function keepStatisticsFilled(services: Pick<Services, 'store' | 'policies' | 'clock' | 'logger'>, intervalMs: number): () => Promise<void> {
  if (intervalMs <= 0) return async () => undefined;
  const stopping = new AbortController();
  let turn: Promise<void> | undefined;

  async function fillAll(): Promise<void> {
    for (const project of await services.store.listProjects()) {
      const started = performance.now();
      await warmProject(services, project.id, services.clock.now(), stopping.signal);
      services.logger.debug('statistics caches kept filled', { projectId: project.id, ms: Math.round(performance.now() - started) });
    }
  }

  function startTurn(): void {
    // A turn longer than the interval (a cold fill at 100,000 subjects takes seconds) is not started twice.
    if (turn) return;
    turn = fillAll()
      .catch((error: unknown) => {
        if (!stopping.signal.aborted) services.logger.warn('statistics caches not kept filled', { error: String(error) });
      })
      .finally(() => {
        turn = undefined;
      });
  }

  // The first turn at once: it restores the snapshot, or (after an upgrade that changed its
  // layout) fills the caches before a dashboard asks, not an interval later.
  const first = setTimeout(startTurn, 0);
  const timer = setInterval(startTurn, intervalMs);
  first.unref();
  timer.unref();
  return async () => {
    clearTimeout(first);
    clearInterval(timer);
    stopping.abort();
    await turn;
  };
}
