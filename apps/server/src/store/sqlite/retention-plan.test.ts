/**
 * How a retention chunk reads its table, as SQLite plans it on a migrated database: in stored
 * (rowid) order from where the run's last chunk ended, so a chunk reads little more than the
 * rows it deletes. Planned through the project's index instead (its equality makes the index
 * look attractive), each chunk read past every row the earlier ones had kept: raw events were
 * all read and sorted for every chunk (0.7 s a chunk at 1.4 million events, 110 s for a run that
 * now takes 7.4 s), and the chunks of sessions and activity marks grew from 46 to 310 ms and from
 * 54 to 171 ms over a run at 10,000 subjects (docs/operations.md, "Retention"). Speed itself is
 * measured in bench/, not here; this holds the plan that gives it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { PRUNE_TARGETS } from '../rules/tables.js';
import type { PrunableClass } from '../store.js';
import { testLedgerKeys } from '../../testing/test-keys.js';
import { pruneStatement } from './retention.js';
import { createSqliteStore } from './sqlite-store.js';

it('reads each class’s table after the last chunk’s rowid, with no index and no sort', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'heed-retention-plan-'));
  const store = createSqliteStore({ path: join(dir, 'heed.db'), checkpointIntervalMs: 0, seal: testLedgerKeys() });
  try {
    for (const dataClass of Object.keys(PRUNE_TARGETS) as PrunableClass[]) {
      const { table } = PRUNE_TARGETS[dataClass];
      const plan = (store.client.prepare(`EXPLAIN QUERY PLAN ${pruneStatement(dataClass)}`).all({ project: 'p_1', before: 0, now: 0, limit: 5_000, after: 0 }) as { detail: string }[])
        .map((step) => step.detail);
      // The outer delete finds the rows by rowid; the chunk's read seeks past the cursor. (The
      // subjects class also reads the protected subjects through their index: another read.)
      expect(plan.filter((detail) => detail.startsWith(`SEARCH ${table} USING INTEGER`)), dataClass).toEqual([
        `SEARCH ${table} USING INTEGER PRIMARY KEY (rowid=?)`,
        `SEARCH ${table} USING INTEGER PRIMARY KEY (rowid>?)`,
      ]);
      expect(plan.filter((detail) => detail.startsWith(`SCAN ${table}`) || detail.includes('TEMP B-TREE')), dataClass).toEqual([]);
      const ownIndex = plan.filter((detail) => detail.startsWith(`SEARCH ${table} USING`) && !detail.includes('INTEGER PRIMARY KEY'));
      expect(ownIndex, dataClass).toEqual(dataClass === 'subjects' ? ['SEARCH subjects USING INDEX sqlite_autoindex_subjects_1 (project_id=?)'] : []);
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
