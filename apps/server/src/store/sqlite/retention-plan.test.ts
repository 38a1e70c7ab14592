/**
 * How a retention chunk of raw events reads the table, as SQLite plans it on a migrated
 * database: in stored (seq) order, so a chunk stops once it has its limit of rows. Planned
 * through `events_key` instead (the project's equality makes the index look attractive), each
 * chunk read and sorted every one of the project's events: 0.7 s a chunk at 1.4 million events,
 * 110 s for a run that now takes 7.7 s (docs/operations.md, "Retention"). Speed itself is
 * measured in bench/, not here; this holds the plan that gives it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { testLedgerKeys } from '../../testing/test-keys.js';
import { pruneStatement } from './retention.js';
import { createSqliteStore } from './sqlite-store.js';

it('reads raw events in stored order, with no index and no sort, for each chunk', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'heed-retention-plan-'));
  const store = createSqliteStore({ path: join(dir, 'heed.db'), checkpointIntervalMs: 0, seal: testLedgerKeys() });
  try {
    const plan = (store.client.prepare(`EXPLAIN QUERY PLAN ${pruneStatement('rawEvents')}`).all({ project: 'p_1', before: 0, now: 0, limit: 5_000 }) as { detail: string }[])
      .map((step) => step.detail);
    expect(plan.filter((detail) => /\bevents\b/.test(detail))).toEqual(['SEARCH events USING INTEGER PRIMARY KEY (rowid=?)', 'SCAN events']);
    expect(plan.filter((detail) => detail.includes('TEMP B-TREE'))).toEqual([]);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
