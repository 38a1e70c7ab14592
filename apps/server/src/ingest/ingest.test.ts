/**
 * Ingest over real HTTP on an ephemeral port, on each store (a real SQLite file, a throwaway
 * PostgreSQL database): exact aggregates per purpose, dedupe, and suppression by reason.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storesUnderTest, type TestStoreKind } from '../testing/test-databases.js';
import { TEST_START, startTestServer, type TestServer } from '../testing/test-server.js';
import { ingestBatch } from './ingest-batch.js';

const HOUR = 3_600_000;
let t: TestServer;
let counter = 0;
const id = () => `evt_${String(++counter).padStart(12, '0')}`;

async function consent(subject: string, purposes: Record<string, boolean>, extra: Record<string, unknown> = {}) {
  const response = await t.post('/v1/consent', { writeKey: t.project.writeKey, subject, policyVersion: '2026-11-01', purposes, ts: t.clock.now(), ...extra });
  expect(response.status).toBe(200);
  return (await response.json()) as { subjectToken?: string };
}

async function batch(events: Record<string, unknown>[]) {
  const response = await t.post('/v1/batch', { writeKey: t.project.writeKey, sentAt: t.clock.now(), tz: 'Europe/Brussels', device: 'desktop', sdk: 'test/1', events });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

async function aggregates(purpose: string, grain = 'hour') {
  return t.query<{ bucket: number; metric: string; dim: string; value: number }>(
    // Summed over PostgreSQL's writer slots (a counter may be split over several rows there).
    'SELECT bucket, metric, dim, sum(value) AS value FROM aggregates WHERE purpose = ? AND grain = ? GROUP BY bucket, metric, dim ORDER BY bucket, metric, dim',
    purpose,
    grain,
  );
}

describe.each(storesUnderTest())('on %s', (store: TestStoreKind) => {
  beforeEach(async () => {
    t = await startTestServer({ store });
  });
  afterEach(async () => {
    await t.close();
  });

  describe('POST /v1/batch', () => {
    it('keeps exact aggregates per purpose, and each purpose counts only what it may serve', async () => {
      const alice = t.subjectFor('alice');
      const bob = t.subjectFor('bob');
      await consent(alice, { statistics: true, update_timing: true });
      // Bob grants statistics and objects to update timing (Art. 21).
      await consent(bob, { statistics: true }, { objections: ['update_timing'] });
      const h0 = TEST_START - 2 * HOUR; // 08:00 UTC
      const h1 = TEST_START - HOUR; // 09:00 UTC
      const ev = (subject: string, sessionId: string, ts: number, rest: Record<string, unknown>) => ({ id: id(), subject, sessionId, ts, ...rest });
      const result = await batch([
        ev(alice, 'ses_alice_0001', h0 + 60_000, { type: 'session_start' }),
        ev(alice, 'ses_alice_0001', h0 + 120_000, { type: 'heartbeat', activeMs: 15_000 }),
        ev(alice, 'ses_alice_0001', h0 + 180_000, { type: 'track', name: 'report.exported', durationMs: 420, props: { format: 'pdf' } }),
        ev(alice, 'ses_alice_0001', h1 + 60_000, { type: 'session_end', activeMs: 3_000 }),
        ev(bob, 'ses_bob_00001', h0 + 600_000, { type: 'session_start' }),
        ev(bob, 'ses_bob_00001', h0 + 900_000, { type: 'track', name: 'report.exported' }),
        ev(bob, 'ses_bob_00001', h0 + 960_000, { type: 'heartbeat', activeMs: 20_000 }),
      ]);
      expect(result).toEqual({
        accepted: 7, duplicates: 0, suppressed: 0, reasons: {}, rejected: 0, rejections: {}, consentRequired: false, policyVersion: '2026-11-01',
      });
      expect(await aggregates('statistics')).toEqual([
        { bucket: h0, metric: 'active_ms', dim: '', value: 35_000 },
        { bucket: h0, metric: 'duration_ms', dim: 'report.exported', value: 420 },
        { bucket: h0, metric: 'duration_sketch', dim: '169:report.exported', value: 1 },
        { bucket: h0, metric: 'events', dim: 'report.exported', value: 2 },
        { bucket: h0, metric: 'sessions', dim: '', value: 2 },
        { bucket: h0, metric: 'subjects', dim: '', value: 2 },
        { bucket: h0, metric: 'timed', dim: 'report.exported', value: 1 },
        { bucket: h1, metric: 'active_ms', dim: '', value: 3_000 },
        { bucket: h1, metric: 'subjects', dim: '', value: 1 },
      ]);
      // Only Alice's events serve update timing.
      expect(await aggregates('update_timing')).toEqual([
        { bucket: h0, metric: 'active_ms', dim: '', value: 15_000 },
        { bucket: h0, metric: 'duration_ms', dim: 'report.exported', value: 420 },
        { bucket: h0, metric: 'duration_sketch', dim: '169:report.exported', value: 1 },
        { bucket: h0, metric: 'events', dim: 'report.exported', value: 1 },
        { bucket: h0, metric: 'sessions', dim: '', value: 1 },
        { bucket: h0, metric: 'subjects', dim: '', value: 1 },
        { bucket: h0, metric: 'timed', dim: 'report.exported', value: 1 },
        { bucket: h1, metric: 'active_ms', dim: '', value: 3_000 },
        { bucket: h1, metric: 'subjects', dim: '', value: 1 },
      ]);
      const day = Math.floor(h0 / 86_400_000) * 86_400_000;
      expect((await aggregates('statistics', 'day')).filter((row) => row.metric === 'subjects' || row.metric === 'sessions')).toEqual([
        { bucket: day, metric: 'sessions', dim: '', value: 2 },
        { bucket: day, metric: 'subjects', dim: '', value: 2 },
      ]);
      expect(await t.query('SELECT session_id AS s, active_ms AS a, events AS n, ended_at AS e FROM sessions ORDER BY session_id')).toEqual([
        { s: 'ses_alice_0001', a: 18_000, n: 4, e: h1 + 60_000 },
        { s: 'ses_bob_00001', a: 20_000, n: 3, e: null },
      ]);
      expect(await t.query('SELECT reason, sum(count) AS count FROM suppressions GROUP BY reason')).toEqual([{ reason: 'objected:update_timing', count: 3 }]);
    });

    it('counts the same batch once, and only the new events of a mixed batch', async () => {
      const alice = t.subjectFor('alice');
      await consent(alice, { statistics: true, update_timing: true });
      const events = [0, 1, 2].map((n) => ({ id: id(), type: 'heartbeat', subject: alice, sessionId: 'ses_alice_0001', ts: TEST_START - 1_000 + n, activeMs: 1_000 }));
      expect(await batch(events)).toMatchObject({ accepted: 3, duplicates: 0 });
      expect(await batch(events)).toMatchObject({ accepted: 0, duplicates: 3 });
      const fresh = { id: id(), type: 'heartbeat', subject: alice, sessionId: 'ses_alice_0001', ts: TEST_START - 500, activeMs: 500 };
      expect(await batch([events[0]!, fresh, events[2]!])).toMatchObject({ accepted: 1, duplicates: 2 });
      expect(await t.query('SELECT count(*) AS n FROM events')).toEqual([{ n: 4 }]);
      const hour = Math.floor((TEST_START - 1_000) / HOUR) * HOUR;
      expect((await aggregates('statistics')).filter((row) => row.metric === 'active_ms')).toEqual([{ bucket: hour, metric: 'active_ms', dim: '', value: 3_500 }]);
    });

    it('stores nothing from subjects without consent, withdrawn, restricted or erased, and counts them by reason', async () => {
      const names = ['nobody', 'withdrew', 'restricted', 'erased', 'denied'] as const;
      const tokens: Record<string, string> = {};
      for (const name of names.slice(1)) {
        const grant: Record<string, boolean> = name === 'denied' ? { statistics: false, update_timing: true, marketing: false } : { statistics: true };
        tokens[name] = (await consent(t.subjectFor(name), grant)).subjectToken!;
      }
      const auth = (name: string) => ({ authorization: `Bearer ${tokens[name]}` });
      expect((await t.post('/v1/me/withdraw', {}, auth('withdrew'))).status).toBe(200);
      expect((await t.post('/v1/me/restrict', { restricted: true }, auth('restricted'))).status).toBe(200);
      expect((await fetch(`${t.url}/v1/me`, { method: 'DELETE', headers: auth('erased') })).status).toBe(200);
      const before = await t.server.services.store.counts();
      const result = await batch(names.map((name) => ({ id: id(), type: 'session_start', subject: t.subjectFor(name), sessionId: `ses_${name}_0000`, ts: TEST_START - 1_000 })));
      expect(result).toMatchObject({
        accepted: 0,
        suppressed: 5,
        reasons: { no_decision: 1, withdrawn: 1, restricted: 1, erased: 1, not_granted: 1 },
        consentRequired: true,
      });
      const after = await t.server.services.store.counts();
      expect({ ...after, suppressions: before.suppressions }).toEqual(before);
      expect(await t.query('SELECT reason, sum(count) AS count FROM suppressions GROUP BY reason ORDER BY reason')).toEqual([
        { reason: 'erased', count: 1 },
        { reason: 'no_decision', count: 1 },
        { reason: 'not_granted', count: 1 },
        { reason: 'restricted', count: 1 },
        { reason: 'withdrawn', count: 1 },
      ]);
    });

    it('answers an erasure that lands between the decision and the write as suppressed, and stores nothing of it', async () => {
      const alice = t.subjectFor('alice');
      await consent(alice, { statistics: true });
      const { services } = t.server;
      const pseudonym = services.pseudonymizer.pseudonym(t.project.projectId, alice);
      // The real store, but an erasure request is carried out right after the batch read the
      // subject's state: the interleaving a single-process server can meet between the
      // decision and the group commit, and several processes on PostgreSQL at any time.
      const racing = Object.assign(Object.create(services.store) as typeof services.store, {
        async loadSubjects(projectId: string, pseudonyms: readonly string[]) {
          const found = await services.store.loadSubjects(projectId, pseudonyms);
          await services.store.erase(projectId, pseudonym, { projectId, pseudonym, action: 'erase', policyVersion: '2026-11-01', policyHash: '', detail: {}, at: t.clock.now(), actor: { channel: 'staff', auth: 'test' } });
          return found;
        },
      });
      const events = [0, 1, 2].map((n) => ({ id: id(), type: 'heartbeat' as const, subject: alice, sessionId: 'ses_alice_0001', ts: TEST_START - 1_000 + n, activeMs: 1_000 }));
      const proofs = { [alice]: { identity: t.identityFor('alice') } };
      const response = await ingestBatch({ ...services, store: racing }, t.project.projectId, { writeKey: t.project.writeKey, sentAt: TEST_START, tz: 'UTC', device: 'desktop', sdk: 'test/1', proofs, events });
      expect(response).toMatchObject({ accepted: 0, duplicates: 0, suppressed: 3, reasons: { erased: 3 } });
      expect(await t.query('SELECT count(*) AS n FROM events')).toEqual([{ n: 0 }]);
      expect(await t.query("SELECT reason, sum(count) AS count FROM suppressions WHERE reason = 'erased' GROUP BY reason")).toEqual([{ reason: 'erased', count: 3 }]);
    });

    it('refuses events too far in the future or older than the policy allows, and keeps the rest', async () => {
      const alice = t.subjectFor('alice');
      await consent(alice, { statistics: true });
      const base = { type: 'session_start', subject: alice, sessionId: 'ses_alice_0001' };
      const result = await batch([
        { ...base, id: id(), ts: TEST_START + 10 * 60_000 },
        { ...base, id: id(), ts: TEST_START + 10 * 60_000 + 1 },
        { ...base, id: id(), ts: TEST_START - 7 * 86_400_000 },
        { ...base, id: id(), ts: TEST_START - 7 * 86_400_000 - 1 },
      ]);
      expect(result).toMatchObject({ accepted: 2, rejected: 2, rejections: { in_future: 1, too_old: 1 } });
    });
  });

  describe('a substantial policy change', () => {
    it('supersedes earlier consent: events are dropped as policy_superseded until the user decides again', async () => {
      const alice = t.subjectFor('alice');
      await consent(alice, { statistics: true, update_timing: true });
      const { dataDir, project } = t;
      await t.server.close();
      const { writeFileSync } = await import('node:fs');
      const { DEFAULT_POLICY } = await import('@heed/policy');
      const policyFile = `${dataDir}/policy-v2.json`;
      writeFileSync(policyFile, JSON.stringify({ ...DEFAULT_POLICY, version: '2026-12-01', substantial: true, history: [{ version: '2026-11-01', substantial: false }] }));
      const restarted = await startTestServer({ dataDir, project, store, databaseUrl: t.databaseUrl || undefined, env: { HEED_POLICY_FILE: policyFile } });
      try {
        const send = () =>
          restarted.post('/v1/batch', {
            writeKey: project.writeKey, sentAt: TEST_START, tz: 'UTC', device: 'mobile', sdk: 'test/1',
            events: [{ id: id(), type: 'session_start', subject: alice, sessionId: 'ses_alice_0002', ts: TEST_START }],
          });
        expect(await (await send()).json()).toMatchObject({ accepted: 0, suppressed: 1, reasons: { policy_superseded: 1 }, consentRequired: true, policyVersion: '2026-12-01' });
        const stale = await restarted.post('/v1/consent', { writeKey: project.writeKey, subject: alice, policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START });
        expect(stale.status).toBe(409);
        const fresh = await restarted.post('/v1/consent', { writeKey: project.writeKey, subject: alice, policyVersion: '2026-12-01', purposes: { statistics: true }, ts: TEST_START });
        // A signed decision gets a fresh token (this device's, vouched for by the platform).
        expect(await fresh.json()).toEqual({ policyVersion: '2026-12-01', subjectToken: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/) });
        expect(await (await send()).json()).toMatchObject({ accepted: 1, suppressed: 0, consentRequired: false });
      } finally {
        await restarted.close();
        const { rmSync } = await import('node:fs');
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
});
