/**
 * The server keeps its statistics caches filled with no request: after ingest and a stop, the
 * database holds a snapshot naming every subject (without the keeper it holds none), and a
 * restarted server answers from it exactly, on both stores.
 */
import { describe, expect, it, vi } from 'vitest';
import { sendTimedSessions, TIMED_START } from '../cli/timed-sessions.case.js';
import { ConfigError, loadConfig } from '../config.js';
import { snapshotPlaces, storedSnapshot } from '../store/activity-index/caches.case.js';
import { storesUnderTest } from '../testing/test-databases.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

const KEPT = '"message":"statistics caches kept filled"';

/** Ingests the timed population with the keeper at `intervalMs`, then stops the server (which writes any snapshot). */
async function ingestAndStop(store: 'sqlite' | 'postgres', intervalMs: number): Promise<TestServer> {
  const t = await startTestServer({ start: TIMED_START, store, env: { HEED_STATS_KEEP_INTERVAL_MS: String(intervalMs) } });
  await sendTimedSessions(t, 'kept');
  if (intervalMs > 0) {
    // Two turns logged after the batch: the second began after it, so it read the batch.
    const before = t.logs.length;
    await vi.waitFor(() => expect(t.logs.slice(before).filter((line) => line.includes(KEPT))).toHaveLength(2), { timeout: 10_000, interval: 20 });
  }
  await t.server.close();
  return t;
}

describe.each(storesUnderTest())('the statistics keeper on %s', (store) => {
  it('fills the caches with no statistics request, so the stop writes a snapshot of every subject and a restart answers from it', async () => {
    const t = await ingestAndStop(store, 50);
    let restarted: TestServer | undefined;
    try {
      const pseudonyms = Array.from({ length: 6 }, (_, i) => t.server.services.pseudonymizer.pseudonym(t.project.projectId, t.subjectFor(`kept${i}`)));
      const snapshot = await storedSnapshot(t);
      expect(pseudonyms.map((pseudonym) => snapshotPlaces(snapshot, t.project.projectId, pseudonym))).toEqual([true, true, true, true, true, true]);
      expect(t.logs.filter((line) => line.includes('"level":"warn"'))).toEqual([]);

      restarted = await startTestServer({ store, dataDir: t.dataDir, project: t.project, databaseUrl: t.databaseUrl || undefined, start: t.clock.now() });
      const usage = await fetch(`${restarted.url}/v1/stats/usage?from=2026-11-03T09:00:00Z&to=2026-11-03T10:00:00Z&grain=hour&format=csv`, { headers: { authorization: `Bearer ${t.project.analystKey}` } });
      expect(usage.status).toBe(200);
      expect(await usage.text()).toBe('start,users,sessions,active_min,events,hidden\n2026-11-03T10:00+01:00,6,6,0,6,false\n');
    } finally {
      await restarted?.close();
      await t.close();
    }
  });

  it('takes a last turn as it stops, so the snapshot holds what came after its last turn', async () => {
    // The project exists before this start (a test server creates its project after starting).
    const t = await startTestServer({ start: TIMED_START, store });
    await t.server.close();
    let restarted: TestServer | undefined;
    try {
      // A day's interval: the only turns are the first, at the start, and the stop's.
      restarted = await startTestServer({ store, dataDir: t.dataDir, project: t.project, databaseUrl: t.databaseUrl || undefined, start: TIMED_START, env: { HEED_STATS_KEEP_INTERVAL_MS: '86400000' } });
      await vi.waitFor(() => expect(restarted!.logs.filter((line) => line.includes(KEPT))).toHaveLength(1), { timeout: 10_000, interval: 20 });
      await sendTimedSessions(restarted, 'last');
      await restarted.server.close();
      const snapshot = await storedSnapshot(restarted);
      const pseudonyms = Array.from({ length: 6 }, (_, i) => t.server.services.pseudonymizer.pseudonym(t.project.projectId, t.subjectFor(`last${i}`)));
      expect(pseudonyms.map((pseudonym) => snapshotPlaces(snapshot, t.project.projectId, pseudonym))).toEqual([true, true, true, true, true, true]);
    } finally {
      await restarted?.close();
      await t.close();
    }
  });

  it('takes its first turn at the start, not an interval later', async () => {
    // The project exists before this start (a test server creates its project after starting).
    const t = await ingestAndStop(store, 0);
    let restarted: TestServer | undefined;
    try {
      restarted = await startTestServer({ store, dataDir: t.dataDir, project: t.project, databaseUrl: t.databaseUrl || undefined, start: t.clock.now(), env: { HEED_STATS_KEEP_INTERVAL_MS: '86400000' } });
      await vi.waitFor(() => expect(restarted!.logs.filter((line) => line.includes(KEPT))).toHaveLength(1), { timeout: 10_000, interval: 20 });
    } finally {
      await restarted?.close();
      await t.close();
    }
  });

  it('is off at 0: with no request, the stop writes no snapshot', async () => {
    const t = await ingestAndStop(store, 0);
    try {
      expect(await storedSnapshot(t)).toHaveLength(0);
      expect(t.logs.filter((line) => line.includes(KEPT))).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

describe('HEED_STATS_KEEP_INTERVAL_MS', () => {
  it('takes 0 (off) up to a day, and refuses a value past either end, naming the variable', () => {
    expect(loadConfig({}).statsKeepIntervalMs).toBe(60_000);
    expect(loadConfig({ HEED_STATS_KEEP_INTERVAL_MS: '0' }).statsKeepIntervalMs).toBe(0);
    expect(loadConfig({ HEED_STATS_KEEP_INTERVAL_MS: '86400000' }).statsKeepIntervalMs).toBe(86_400_000);
    for (const value of ['86400001', '-1', '1.5', 'soon']) {
      expect(() => loadConfig({ HEED_STATS_KEEP_INTERVAL_MS: value })).toThrow(ConfigError);
      expect(() => loadConfig({ HEED_STATS_KEEP_INTERVAL_MS: value })).toThrow(/HEED_STATS_KEEP_INTERVAL_MS/);
    }
  });
});
