/**
 * How SQLite plans the statements that read or delete one subject's events and activity marks
 * (an erasure, an access answer), on a migrated database: by the subject's own rows, never by
 * every row of the project. Left to choose, it read the events through `events_key` and the
 * marks through the activity primary key, both by the project alone: at 100,000 subjects x 12
 * weeks an erasure took 2.9-3.0 s and an access answer 4.3-5.0 s, now 0.7-0.8 s and 10-16 ms
 * (docs/operations.md, "What an erasure costs"). Speed itself is measured by hand and in bench/, not here; this holds the
 * plan that gives it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testLedgerKeys } from '../../testing/test-keys.js';
import { createSqliteStore } from './sqlite-store.js';
import { SUBJECT_ACTIVITY_IN_ORDER, SUBJECT_EVENTS, SUBJECT_EVENTS_IN_ORDER } from './subject-port.js';

let dir: string;
let store: ReturnType<typeof createSqliteStore>;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'heed-subject-plans-'));
  store = createSqliteStore({ path: join(dir, 'heed.db'), checkpointIntervalMs: 0, seal: testLedgerKeys() });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const plan = (sql: string, ...params: unknown[]) => (store.client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((step) => step.detail);
const key = { projectId: 'p_1', pseudonym: 'x' };

it('finds a subject’s events by the seqs of its runs, each looked up by rowid', () => {
  for (const sql of [SUBJECT_EVENTS_IN_ORDER, `DELETE FROM ${SUBJECT_EVENTS}`]) {
    const steps = plan(sql, key);
    expect(steps.filter((detail) => detail.includes(' events ') || detail.endsWith(' events')), sql).toEqual(['SEARCH events USING INTEGER PRIMARY KEY (rowid=?)']);
    expect(steps.filter((detail) => detail.includes('events_key')), sql).toEqual([]);
  }
});

it('reads a subject’s activity marks through the subject’s index', () => {
  expect(plan(SUBJECT_ACTIVITY_IN_ORDER, 'p_1', 'x')).toEqual([
    'SEARCH activity USING INDEX activity_subject (project_id=? AND pseudonym=?)',
    'USE TEMP B-TREE FOR ORDER BY',
  ]);
});
