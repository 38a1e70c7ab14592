/**
 * Retention equals the record of processing, with a controlled clock, on each store: every data
 * class is there one millisecond before its period ends and gone at its end; a restricted
 * subject's data (Art. 18: kept, not used) and one under a legal hold survive their period and
 * go once the restriction is lifted or the hold ends; an open request never goes; a subject row
 * goes once nothing needs it; the consent ledger is pruned behind a sealed checkpoint, a
 * decision still in force carried forward, and `heed ledger verify` still passes.
 */
import { addMonths } from '../rights/requests.js';
import { verifyLedger } from '../ledger/verify-ledger.js';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshotPlaces, storedSnapshot } from '../store/activity-index/caches.case.js';
import { storesUnderTest, type TestStoreKind } from '../testing/test-databases.js';
import { TEST_START, startTestServer, type TestServer } from '../testing/test-server.js';
import { runRetention } from './run-retention.js';

const DAY = 86_400_000;
/** The subjects: one plain, one restricted, one under a legal hold. */
const USERS = ['plain', 'restricted', 'held'] as const;

let t: TestServer;
afterEach(() => t?.close());

const admin = () => ({ authorization: `Bearer ${t.project.adminKey}` });
const run = async (at: number) => {
  t.clock.set(at);
  // Chunks of one row: every delete goes through a chunk that reads on after another's rowid,
  // past the rows of the restricted and held subjects it keeps.
  return (await runRetention(t.server.services, { chunk: 1 })).deleted;
};
/** Rows of a table per subject (by the pseudonym of each user). */
async function held(table: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const user of USERS) {
    const pseudonym = t.server.services.pseudonymizer.pseudonym(t.project.projectId, t.subjectFor(user));
    out[user] = (await t.query<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE pseudonym = ?`, pseudonym))[0]!.n;
  }
  return out;
}

describe.each(storesUnderTest())('retention on %s', (store: TestStoreKind) => {
  it('rewrites the statistics snapshot without the marks it deleted, also when no request read the snapshot since the start', async () => {
    t = await startTestServer({ store });
    const pseudonym = (user: string) => t.server.services.pseudonymizer.pseudonym(t.project.projectId, t.subjectFor(user));
    const visit = async (user: string, at: number) => {
      t.clock.set(at);
      await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor(user), policyVersion: '2026-11-01', purposes: { statistics: true }, ts: at });
      const response = await t.post('/v1/batch', {
        writeKey: t.project.writeKey, sentAt: at, tz: 'UTC', device: 'desktop', sdk: 'test/1',
        events: [{ id: `evt_snap_${user}_00000`, type: 'session_start', subject: t.subjectFor(user), sessionId: `ses_snap_${user}_000`, ts: at }],
      });
      expect(await response.json()).toMatchObject({ accepted: 1 });
    };
    // Activity is kept 12 weeks: by the run below, the old visit's marks are past it, the new one's not.
    await visit('old', TEST_START);
    await visit('new', TEST_START + 84 * DAY);
    const usage = await fetch(`${t.url}/v1/stats/usage?from=2026-11-20&grain=day`, { headers: { authorization: `Bearer ${t.project.analystKey}` } });
    expect(usage.status).toBe(200);
    // Stopping writes the snapshot; the next process starts without reading it.
    await t.server.close();
    const restarted = await startTestServer({ store, dataDir: t.dataDir, project: t.project, databaseUrl: t.databaseUrl || undefined, start: TEST_START + 85 * DAY });
    try {
      expect(snapshotPlaces(await storedSnapshot(restarted), t.project.projectId, pseudonym('old'))).toBe(true);
      expect((await runRetention(restarted.server.services)).deleted).toMatchObject({ activity: 4, sessions: 1 });
      const snapshot = await storedSnapshot(restarted);
      expect(snapshotPlaces(snapshot, t.project.projectId, pseudonym('old'))).toBe(false);
      expect(snapshot.includes(pseudonym('old'))).toBe(false);
      expect(snapshotPlaces(snapshot, t.project.projectId, pseudonym('new'))).toBe(true);
    } finally {
      await restarted.close();
    }
  });

  it('ends each class at its period, keeps restricted and held data until lifted, and prunes the ledger behind a checkpoint', async () => {
    t = await startTestServer({ store });
    const tokens: Record<string, string> = {};
    for (const user of USERS) {
      const consent = await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor(user), policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START });
      tokens[user] = ((await consent.json()) as { subjectToken: string }).subjectToken;
      await t.post('/v1/batch', {
        writeKey: t.project.writeKey, sentAt: TEST_START, tz: 'UTC', device: 'desktop', sdk: 'test/1',
        events: [{ id: `evt_ret_${user}_00000`, type: 'session_start', subject: t.subjectFor(user), sessionId: `ses_ret_${user}_000`, ts: TEST_START }],
      });
    }
    const me = (user: string, path: string, body: unknown) =>
      fetch(`${t.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${tokens[user]}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await me('restricted', '/v1/me/restrict', { restricted: true })).status).toBe(200);
    expect((await t.post('/v1/admin/subjects/hold', { userId: 'held', ground: 'legal_claims', reason: 'case 2026/41', until: TEST_START + 100 * DAY }, admin())).status).toBe(200);
    // A subject whose record must stay (a hold with no end): its decision of the start is still
    // in force in five years, and its proof must be too.
    await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor('kept'), policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START });
    await t.post('/v1/admin/subjects/hold', { userId: 'kept', ground: 'legal_obligation', reason: 'tax audit' }, admin());
    // A request answered at once (closed), and one from the mail still open.
    await fetch(`${t.url}/v1/me`, { headers: { authorization: `Bearer ${tokens.plain}` } });
    const open = (await (await t.post('/v1/admin/requests', { kind: 'access', userId: 'plain', receivedAt: TEST_START }, admin())).json()) as { id: string };

    // Raw events: P30D from arrival.
    const rawEnd = TEST_START + 30 * DAY;
    await run(rawEnd - 1);
    expect(await held('events')).toEqual({ plain: 1, restricted: 1, held: 1 });
    expect((await run(rawEnd)).rawEvents).toBe(1);
    expect(await held('events')).toEqual({ plain: 0, restricted: 1, held: 1 });

    // Sessions and activity: P12W from last activity (the session, the hour bucket).
    const activityEnd = TEST_START + 84 * DAY;
    await run(activityEnd - 1);
    expect(await held('sessions')).toEqual({ plain: 1, restricted: 1, held: 1 });
    await run(activityEnd);
    expect(await held('sessions')).toEqual({ plain: 0, restricted: 1, held: 1 });
    // (A restriction took the subject's marks out with its aggregates; lifting it puts them back.)
    expect(await held('activity')).toEqual({ plain: 0, restricted: 0, held: 4 });
    // The plain subject's row stays while its request is open...
    expect(await held('subjects')).toEqual({ plain: 1, restricted: 1, held: 1 });
    expect((await t.post(`/v1/admin/requests/${open.id}/complete`, { outcome: 'sent by mail' }, admin())).status).toBe(200);
    // ...and goes, with its tokens, once nothing needs it.
    expect((await run(activityEnd)).subjects).toBe(1);
    expect(await held('subjects')).toEqual({ plain: 0, restricted: 1, held: 1 });
    expect(await held('subject_tokens')).toEqual({ plain: 0, restricted: 1, held: 1 });

    // The hold ends: the held subject's data goes at the next run (its periods passed long ago).
    await run(TEST_START + 100 * DAY - 1);
    expect(await held('events')).toEqual({ plain: 0, restricted: 1, held: 1 });
    await run(TEST_START + 100 * DAY);
    expect(await held('events')).toEqual({ plain: 0, restricted: 1, held: 0 });
    expect(await held('sessions')).toEqual({ plain: 0, restricted: 1, held: 0 });

    // Staff lift the restriction, having told the subject (Art. 18(3)): its data goes too.
    const lifted = await t.post('/v1/admin/subjects/restrict', { userId: 'restricted', restricted: false, informedAt: t.clock.now(), how: 'e-mail' }, admin());
    expect(lifted.status).toBe(200);
    await run(TEST_START + 101 * DAY);
    expect(await held('events')).toEqual({ plain: 0, restricted: 0, held: 0 });
    expect(await held('activity')).toEqual({ plain: 0, restricted: 0, held: 0 });

    // Aggregates: P25M from their bucket (the day bucket is the oldest).
    const day = Math.floor(TEST_START / DAY) * DAY;
    const aggregatesEnd = addMonths(day, 25);
    const aggregates = async () => (await t.query<{ n: number }>('SELECT count(*) AS n FROM aggregates WHERE bucket = ?', day))[0]!.n;
    await run(aggregatesEnd - 1);
    expect(await aggregates()).toBeGreaterThan(0);
    await run(aggregatesEnd);
    expect(await aggregates()).toBe(0);

    // Rights requests: P5Y from when they were closed; the consent ledger: P5Y from each entry.
    const requests = async () => (await t.query<{ n: number }>('SELECT count(*) AS n FROM rights_requests WHERE completed_at = ?', TEST_START))[0]!.n;
    const proofEnd = addMonths(TEST_START, 60);
    expect(await run(proofEnd - 1)).toMatchObject({ rightsRequests: 0, consentLedger: 0 });
    expect(await requests()).toBe(2);
    // The four decisions, the restriction and the two holds were made at the start.
    expect(await t.query('SELECT action FROM consent_ledger WHERE at <= ? ORDER BY seq', TEST_START)).toEqual(
      ['decision', 'decision', 'decision', 'restrict', 'hold', 'decision', 'hold'].map((action) => ({ action })));
    const last = await run(proofEnd);
    expect(last.rightsRequests).toBe(2);
    expect(await requests()).toBe(0);
    // Every entry made at the start went. The subjects whose data went have no row any more; the
    // one still held keeps the proof of its decision, carried forward into the chain.
    expect(last.consentLedger).toBe(7);
    expect(await t.query('SELECT count(*) AS n FROM consent_ledger WHERE at <= ?', TEST_START)).toEqual([{ n: 0 }]);
    const carried = await t.query<{ action: string; detail: string }>("SELECT action, detail FROM consent_ledger WHERE action = 'decision_carried' ORDER BY seq");
    expect(carried).toHaveLength(1);
    expect(JSON.parse(carried[0]!.detail)).toMatchObject({ carried: { at: TEST_START, channel: 'sdk', detail: { granted: ['statistics'] } } });
    const { store: heed, ledger } = t.server.services;
    const checkpoints = await heed.ledgerCheckpoints();
    expect(checkpoints).toHaveLength(1);
    expect(await verifyLedger(heed.ledgerEntries(), ledger, [], checkpoints)).toMatchObject({ ok: true });
    // A checkpoint moved by someone holding only the database does not verify.
    expect(await verifyLedger(heed.ledgerEntries(), ledger, [], [{ ...checkpoints[0]!, seq: checkpoints[0]!.seq + 1 }])).toMatchObject({ ok: false, problem: 'checkpoint_forged' });
  });
});
