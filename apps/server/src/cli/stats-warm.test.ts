/**
 * `heed stats warm` as an operator runs it beside a server: its own services on the server's
 * data, the caches' snapshot written when it closes the store, and the server's first
 * statistics request answered from that snapshot, exactly, on both stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { buildServices } from '../server.js';
import { storesUnderTest } from '../testing/test-databases.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { runStatsCommand } from './stats-commands.js';
import { warmStatistics } from './stats-warm.js';
import { sendTimedSessions, TIMED_START } from './timed-sessions.case.js';
import { storedSnapshot } from '../store/activity-index/caches.case.js';


describe.each(storesUnderTest())('heed stats warm on %s', (store) => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ start: TIMED_START, store });
    await sendTimedSessions(t, 'warm');
  });
  afterAll(async () => {
    await t.close();
  });

  const snapshotStored = async () => (await storedSnapshot(t)).length > 0;
  /** Its own services on the server's data directory (and database), as `heed stats warm` opens them. */
  const ownServices = () => buildServices(loadConfig({ HEED_DATA_DIR: t.dataDir, ...(store === 'postgres' ? { HEED_DATABASE_URL: t.databaseUrl } : {}) }), { clock: t.clock });

  it('writes the snapshot the server then answers from', async () => {
    expect(await snapshotStored()).toBe(false);
    const services = ownServices();
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
    const services = ownServices();
    try {
      await expect(warmStatistics(services, 'p_nobody', () => undefined)).rejects.toThrow('no project p_nobody');
    } finally {
      await services.store.close();
    }
  });
});
