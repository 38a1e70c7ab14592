/**
 * A new pseudonymisation key made current (docs/operations.md, "Keys") changes no subject: a
 * returning user's decisions and events go to the row it already has under the old key, an
 * erased user's suppression record still refuses them, staff find everything by user id, and
 * only a user new since the rotation gets a row under the new key. Before one rule resolved
 * every path (identity/resolve-subjects.ts), a decision used the current key alone: it made a
 * second subject, the erasure by user id erased that one and answered `erased: true` while the
 * first one's events stayed, and the erased user was tracked again.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { storesUnderTest, type TestStoreKind } from '../testing/test-databases.js';
import { TEST_START, startTestServer, type TestServer } from '../testing/test-server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.reverse()) await server.close();
  servers.length = 0;
});

const consent = (t: TestServer, user: string) =>
  t.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor(user), policyVersion: '2026-11-01', purposes: { statistics: true }, ts: t.clock.now() });

async function send(t: TestServer, user: string, n: number) {
  const response = await t.post('/v1/batch', {
    writeKey: t.project.writeKey, sentAt: t.clock.now(), tz: 'UTC', device: 'desktop', sdk: 'test/1',
    events: [{ id: `evt_rotation_${user}_${n}`, type: 'session_start', subject: t.subjectFor(user), sessionId: `ses_rotation_${user}_${n}`, ts: t.clock.now() - 60_000 }],
  });
  return (await response.json()) as { accepted: number; reasons: Record<string, number> };
}

/**
 * Stops `before` and starts its data again after the documented rotation: the operator adds a
 * key `k-new` to the key file and makes it current, keeping the old one.
 */
async function rotated(before: TestServer, store: TestStoreKind): Promise<TestServer> {
  await before.server.close();
  const file = `${before.dataDir}/pseudonym.key`;
  const ring = JSON.parse(readFileSync(file, 'utf8')) as { current: string; keys: Record<string, string> };
  writeFileSync(file, JSON.stringify({ current: 'k-new', keys: { ...ring.keys, 'k-new': randomBytes(32).toString('base64') } }), { mode: 0o600 });
  const t = await startTestServer({ store, dataDir: before.dataDir, project: before.project, databaseUrl: before.databaseUrl || undefined, start: TEST_START + 60 * 60_000 });
  servers.push(t);
  return t;
}

const staff = (t: TestServer, path: string, userId: string) => t.post(`/v1/admin/subjects/${path}`, { userId }, { authorization: `Bearer ${t.project.adminKey}` });

describe.each(storesUnderTest())('a pseudonymisation key made current, on %s', (store: TestStoreKind) => {
  it('keeps every returning user on its row, the erased ones refused, and finds all of a user’s data by user id', async () => {
    const before = await startTestServer({ store });
    servers.push(before);
    for (const user of ['alice', 'eve']) {
      expect((await consent(before, user)).status).toBe(200);
      expect(await send(before, user, 1)).toMatchObject({ accepted: 1 });
    }
    expect((await staff(before, 'erase', 'eve')).status).toBe(200);
    const [oldKey] = (await before.query<{ key: string }>('SELECT DISTINCT key_id AS key FROM subjects')).map((row) => row.key);
    const t = await rotated(before, store);

    expect((await consent(t, 'alice')).status).toBe(200);
    expect(await send(t, 'alice', 2)).toMatchObject({ accepted: 1 });
    // The erased user's suppression record, made under the old key, still holds.
    expect((await consent(t, 'eve')).status).toBe(409);
    expect(await send(t, 'eve', 2)).toMatchObject({ accepted: 0, reasons: { erased: 1 } });
    expect((await consent(t, 'zoe')).status).toBe(200);
    // Two rows under the old key (alice, eve), one under the new (zoe): no second row for anyone.
    const rows = await t.query<{ key: string; n: number }>('SELECT key_id AS key, count(*) AS n FROM subjects GROUP BY key_id');
    expect(Object.fromEntries(rows.map((row) => [row.key, row.n]))).toEqual({ [oldKey!]: 2, 'k-new': 1 });

    // Staff find both of alice's batches by user id, and erase them both.
    const access = (await (await staff(t, 'access', 'alice')).json()) as { events: { id: string }[] };
    expect(access.events.map((event) => event.id).sort()).toEqual(['evt_rotation_alice_1', 'evt_rotation_alice_2']);
    expect(await (await staff(t, 'erase', 'alice')).json()).toMatchObject({ erased: true, deleted: { events: 2, sessions: 2 } });
    expect(await t.query('SELECT count(*) AS n FROM events')).toEqual([{ n: 0 }]);
  });

  it('restricts, objects for and erases both rows of a user whose decision after a rotation made a second one before this rule', async () => {
    const before = await startTestServer({ store });
    servers.push(before);
    expect((await consent(before, 'bob')).status).toBe(200);
    expect(await send(before, 'bob', 1)).toMatchObject({ accepted: 1 });
    // A legal hold on bob's row, from before the rotation.
    const hold = { ground: 'legal_claims', reason: 'case 2026/7' };
    expect((await before.post('/v1/admin/subjects/hold', { userId: 'bob', ...hold }, { authorization: `Bearer ${before.project.adminKey}` })).status).toBe(200);
    const first = before.server.services.pseudonymizer.pseudonym(before.project.projectId, before.subjectFor('bob'));
    const t = await rotated(before, store);
    // What an earlier version stored for bob's decision and batch after the rotation: a second
    // row under the new key, written here through the store as that version's paths did.
    const { store: heed, pseudonymizer, clock } = t.server.services;
    const { projectId } = t.project;
    const second = pseudonymizer.pseudonym(projectId, t.subjectFor('bob'));
    const ledger = { projectId, pseudonym: second, action: 'decision', policyVersion: '2026-11-01', policyHash: '', detail: {}, at: clock.now(), actor: { channel: 'sdk', auth: 'test' } } as const;
    await heed.recordConsent({ projectId, pseudonym: second, keyId: 'k-new', at: clock.now(), policyVersion: '2026-11-01', granted: ['statistics'], objected: [], ledger });
    await heed.ingest({
      projectId, receivedAt: clock.now(), tz: 'UTC', device: 'desktop', suppressed: {},
      events: [{ id: 'evt_rotation_bob_2', type: 'session_start', ts: clock.now() - 60_000, sessionId: 'ses_rotation_bob_2', pseudonym: second, name: null, durationMs: null, activeMs: null, propsJson: null, purposes: ['statistics'] }],
    });
    expect(await t.query('SELECT count(*) AS n FROM subjects')).toEqual([{ n: 2 }]);

    // An access answer by user id holds the data of both rows, and logs the request on each.
    const answer = (await (await staff(t, 'access', 'bob')).json()) as { subject: { pseudonym: string }; events: { id: string }[]; sessions: { sessionId: string }[]; rightsRequests: { kind: string }[] };
    expect(answer.subject.pseudonym).toBe(second);
    expect(answer.events.map((event) => event.id).sort()).toEqual(['evt_rotation_bob_1', 'evt_rotation_bob_2']);
    expect(answer.sessions.map((session) => session.sessionId).sort()).toEqual(['ses_rotation_bob_1', 'ses_rotation_bob_2']);
    expect(answer.rightsRequests.map((request) => request.kind)).toEqual(['access', 'access']);

    // Every other right asked by user id reaches both rows too: bob asked once, for all of it.
    const asStaff = { authorization: `Bearer ${t.project.adminKey}` };
    expect((await t.post('/v1/admin/subjects/restrict', { userId: 'bob', restricted: true }, asStaff)).status).toBe(200);
    expect((await t.post('/v1/admin/subjects/object', { userId: 'bob', purposes: ['update_timing'], objected: true }, asStaff)).status).toBe(200);
    expect(await t.query('SELECT restricted, objected FROM subjects')).toEqual([
      { restricted: 1, objected: '["update_timing"]' },
      { restricted: 1, objected: '["update_timing"]' },
    ]);

    // The hold on the first row refuses the erasure as a whole: the second row, found first,
    // loses nothing either.
    expect((await staff(t, 'erase', 'bob')).status).toBe(409);
    expect(await t.query('SELECT count(*) AS n FROM events')).toEqual([{ n: 2 }]);
    await heed.setLegalHold(null, { ...ledger, pseudonym: first, action: 'hold_lifted', actor: { channel: 'staff', auth: 'test' } });

    expect(await (await staff(t, 'erase', 'bob')).json()).toMatchObject({ erased: true, deleted: { events: 2, sessions: 2 } });
    expect(await t.query('SELECT count(*) AS n FROM events')).toEqual([{ n: 0 }]);
    expect(await t.query('SELECT count(*) AS n FROM sessions')).toEqual([{ n: 0 }]);
    expect(await t.query('SELECT erased FROM subjects')).toEqual([{ erased: 1 }, { erased: 1 }]);
  });
});
