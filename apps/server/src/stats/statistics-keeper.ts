/**
 * The server keeps every project's statistics caches filled while it runs, whether anyone asks
 * or not. Without it the caches filled at the first statistics request: on a deployment whose
 * dashboard was first opened after weeks of ingest, that request read every mark and session
 * of those weeks (7-9 s per route at 100,000 subjects) and no snapshot existed for a restart to
 * start from. Each interval the keeper asks every statistic (`warm-project.ts`), which reads only
 * what changed since its last turn, and the store writes the caches' snapshot after enough new
 * rows and when the server stops, after a last turn (docs/stats.md, "Kept filled").
 */
import type { Services } from '../services.js';
import { warmProject } from './warm-project.js';

/**
 * Starts the keeper (its first turn at once, then one every `intervalMs`); the function it
 * returns stops it: a turn in progress ends at its next statistic, else a last turn runs.
 * `intervalMs` 0 leaves the caches to requests and `heed stats warm`.
 */
export function keepStatisticsFilled(services: Pick<Services, 'store' | 'policies' | 'clock' | 'logger'>, intervalMs: number): () => Promise<void> {
  if (intervalMs <= 0) return async () => undefined;
  const stopping = new AbortController();
  let turn: Promise<void> | undefined;
  /** Whether a turn has completed: the caches are then filled, and a stop's last turn reads little. */
  let filled = false;

  async function fillAll(signal?: AbortSignal): Promise<void> {
    for (const project of await services.store.listProjects()) {
      const started = performance.now();
      await warmProject(services, project.id, services.clock.now(), signal);
      services.logger.debug('statistics caches kept filled', { projectId: project.id, ms: Math.round(performance.now() - started) });
    }
    filled = true;
  }

  const warn = (error: unknown) => services.logger.warn('statistics caches not kept filled', { error: String(error) });

  function startTurn(): void {
    // A turn longer than the interval (a cold fill at 100,000 subjects takes seconds) is not started twice.
    if (turn) return;
    turn = fillAll(stopping.signal)
      .catch((error: unknown) => {
        if (!stopping.signal.aborted) warn(error);
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
    const interrupted = turn !== undefined;
    stopping.abort();
    await turn;
    // Filled and not interrupted: one last turn (at most an interval's changes, no request
    // comes in any more), so the snapshot the store writes as it closes holds everything and
    // the next start reads nothing from the database. An interrupted turn (a cold fill) is not
    // finished here: a stop does not wait seconds for it.
    if (filled && !interrupted) await fillAll().catch(warn);
  };
}
