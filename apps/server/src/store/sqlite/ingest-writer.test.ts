/**
 * Group commit on SQLite: batches written in the same turn share one transaction, a batch
 * that fails takes nothing of its neighbours down with it, nor leaves anything of itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { HOUR_MS } from '../../aggregates/time-units.js';
import type { AcceptedEvent, IngestWrite } from '../store.js';
import { createSqliteStore } from './sqlite-store.js';
import { testLedgerKeys } from '../../testing/test-keys.js';

const P = 'p_group';
const T0 = Date.UTC(2026, 10, 24, 8, 0, 0);
let dir: string;
let store: ReturnType<typeof createSqliteStore>;

const heartbeat = (id: string, pseudonym: string, activeMs: number): AcceptedEvent => ({
  id, type: 'heartbeat', ts: T0 + 1_000, sessionId: `ses_${pseudonym}`, pseudonym, name: null, durationMs: null, activeMs, propsJson: null, purposes: ['statistics'],
});
const write = (events: AcceptedEvent[]): IngestWrite => ({ projectId: P, receivedAt: T0 + HOUR_MS, tz: 'UTC', device: 'desktop', events, suppressed: { no_decision: 1 } });
const activeMs = () =>
  store.client.prepare("SELECT value FROM aggregates WHERE purpose = 'statistics' AND grain = 'hour' AND metric = 'active_ms'").pluck().get();

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'heed-writer-'));
  store = createSqliteStore({ path: join(dir, 'heed.db'), checkpointIntervalMs: 0, seal: testLedgerKeys() });
  await store.createProject({ id: P, name: 'Group', createdAt: T0, identityMode: 'enforce' });
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('writes the batches of one turn together, and a failing batch fails alone', async () => {
  // A NOT NULL column left empty: the store refuses this batch's insert.
  const broken = { ...heartbeat('b2', 'bob', 5), type: null } as unknown as AcceptedEvent;
  const outcomes = await Promise.allSettled([
    store.ingest(write([heartbeat('a1', 'ann', 100), heartbeat('a2', 'ann', 200)])),
    store.ingest(write([heartbeat('b1', 'bob', 1_000), broken])),
    store.ingest(write([heartbeat('c1', 'cy', 10), heartbeat('a1', 'ann', 100)])),
  ]);
  expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(outcomes[0]).toEqual({ status: 'fulfilled', value: { accepted: 2, duplicates: 0 } });
  expect(outcomes[2]).toEqual({ status: 'fulfilled', value: { accepted: 1, duplicates: 1 } });
  // Nothing of the failed batch (not even b1), everything of the others, counted once.
  expect(store.client.prepare('SELECT id FROM events ORDER BY id').pluck().all()).toEqual(['a1', 'a2', 'c1']);
  expect(activeMs()).toBe(310);
  expect(store.client.prepare('SELECT count FROM suppressions').pluck().all()).toEqual([2]);
  expect(store.client.prepare('SELECT session_id FROM sessions ORDER BY session_id').pluck().all()).toEqual(['ses_ann', 'ses_cy']);
});

it('counts a retried batch once, also when it arrives in the same group as the first copy', async () => {
  const batch = write([heartbeat('r1', 'ann', 100), heartbeat('r2', 'ann', 200)]);
  const results = await Promise.all([store.ingest(batch), store.ingest(batch)]);
  expect(results).toEqual([{ accepted: 2, duplicates: 0 }, { accepted: 0, duplicates: 2 }]);
  expect(await store.ingest(batch)).toEqual({ accepted: 0, duplicates: 2 });
  expect(activeMs()).toBe(300);
});
