/**
 * `heed stats warm` as an operator runs it beside a server: its own services on the server's
 * data, the caches' snapshot written when it closes the store, and the server's first
 * statistics request answered from that snapshot, exactly, on both stores.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { buildServices } from '../server.js';
import { storesUnderTest } from '../testing/test-databases.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { runStatsCommand } from './stats-commands.js';
import { warmStatistics } from './stats-warm.js';

const at = Date.UTC(2026, 10, 3, 9, 10); // Tue 3 Nov, 10:10 CET

describe.each(storesUnderTest())('heed stats warm on %s', (store) => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ start: Date.UTC(2026, 10, 2, 12), store });
    const subjects = Array.from({ length: 6 }, (_, i) => t.subjectFor(`w${i}`));
    for (const subject of subjects) {
      await t.post('/v1/consent', { writeKey: t.project.writeKey, subject, policyVersion: '2026-11-01', purposes: { statistics: true, update_timing: true }, ts: t.clock.now() });
    }
    t.clock.set(at + 3_600_000);
    const events = subjects.flatMap((subject, i) => [
      { id: `evt_warm_${i}_start_00`, type: 'session_start', ts: at, sessionId: `ses_warm_${i}_000`, subject },
      { id: `evt_warm_${i}_track_00`, type: 'track', ts: at + 1_000, sessionId: `ses_warm_${i}_000`, subject, name: 'report.exported', durationMs: 300 },
    ]);
    await t.post('/v1/batch', { writeKey: t.project.writeKey, sentAt: t.clock.now(), tz: 'Europe/Brussels', device: 'desktop', sdk: 'test/1', events });
    t.clock.set(Date.UTC(2026, 10, 10, 12));
  });
  afterAll(async () => {
    await t.close();
  });

  const snapshotStored = async () =>
    store === 'sqlite'
      ? existsSync(`${t.dbPath}-stats-cache/${t.project.projectId}.snapshot`)
      : (await t.query<{ n: number }>('SELECT count(*)::int AS n FROM stats_snapshots WHERE project_id = ?', t.project.projectId))[0]!.n > 0;

  it('writes the snapshot the server then answers from', async () => {
    expect(await snapshotStored()).toBe(false);
    // Its own services on the server's data directory (and database), as `heed stats warm` opens them.
    const config = loadConfig({ HEED_DATA_DIR: t.dataDir, ...(store === 'postgres' ? { HEED_DATABASE_URL: t.databaseUrl } : {}) });
    const services = buildServices(config, { clock: t.clock });
    let printed = '';
    try {
      expect(await warmStatistics(services, undefined, (chunk) => (printed += chunk))).toBe(0);
    } finally {
      await services.store.close();
    }
    expect(printed).toMatch(new RegExp(`^${t.project.projectId}: statistics over 12 weeks read in \\d+\\.\\d s\\n$`));
    expect(await snapshotStored()).toBe(true);

    let text = '';
    const code = await runStatsCommand(t.server.services, 'stats', 'usage', { project: t.project.projectId, grain: 'hour', from: '2026-11-03T09:00:00Z', to: '2026-11-03T10:00:00Z', format: 'csv' }, (chunk) => (text += chunk));
    expect(code).toBe(0);
    expect(text).toBe('start,users,sessions,active_min,events,hidden\n2026-11-03T10:00+01:00,6,6,0,6,false\n');
  });

  it('refuses a project that does not exist', async () => {
    const config = loadConfig({ HEED_DATA_DIR: t.dataDir, ...(store === 'postgres' ? { HEED_DATABASE_URL: t.databaseUrl } : {}) });
    const services = buildServices(config, { clock: t.clock });
    try {
      await expect(warmStatistics(services, 'p_nobody', () => undefined)).rejects.toThrow('no project p_nobody');
    } finally {
      await services.store.close();
    }
  });
});
