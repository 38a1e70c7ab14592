/**
 * The rights of clause 6 over real HTTP: access and portability, rectification, restriction
 * (held events leave the aggregates and come back when lifted), objection, withdrawal and
 * erasure, for the subject (token) and for staff (admin key, by user id), on each store.
 */
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshotPlaces, storedSnapshot } from '../store/activity-index/caches.case.js';
import { storesUnderTest, type TestStoreKind } from '../testing/test-databases.js';
import { TEST_START, startTestServer, type TestServer } from '../testing/test-server.js';

const HOUR = 3_600_000;
let t: TestServer;
let token: string;
let n = 0;
const id = () => `evt_${String(++n).padStart(12, '0')}`;
const me = (init: RequestInit = {}, query = '') =>
  fetch(`${t.url}/v1/me${query}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
const post = (path: string, body: unknown) => t.post(path, body, { authorization: `Bearer ${token}` });
const admin = (path: string, body: unknown) => t.post(`/v1/admin/subjects/${path}`, body, { authorization: `Bearer ${t.project.adminKey}` });

async function send(userId: string, events: Record<string, unknown>[]) {
  const response = await t.post('/v1/batch', {
    writeKey: t.project.writeKey, sentAt: TEST_START, tz: 'Europe/Brussels', device: 'desktop', sdk: 'test/1',
    events: events.map((event) => ({ id: id(), subject: t.subjectFor(userId), sessionId: `ses_${userId}_00000`, ts: TEST_START - HOUR, ...event })),
  });
  return (await response.json()) as { accepted: number; reasons: Record<string, number> };
}

const statistics = () =>
  t.query<{ metric: string; value: number }>(
    `SELECT metric, sum(value) AS value FROM aggregates WHERE purpose = 'statistics' AND grain = 'hour' AND metric IN ('sessions', 'active_ms', 'subjects') GROUP BY metric ORDER BY metric`,
  );

describe.each(storesUnderTest())('on %s', (store: TestStoreKind) => {
  beforeEach(async () => {
    t = await startTestServer({ store });
    for (const user of ['alice', 'bob']) {
      const response = await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor(user), policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START });
      const body = (await response.json()) as { subjectToken: string };
      if (user === 'alice') token = body.subjectToken;
    }
    await send('alice', [{ type: 'session_start' }, { type: 'heartbeat', activeMs: 10_000 }, { type: 'track', name: 'report.exported', props: { format: 'pdf' } }]);
    await send('bob', [{ type: 'session_start' }, { type: 'heartbeat', activeMs: 4_000 }]);
  });
  afterEach(() => t.close());

  describe('access and portability', () => {
    it('answers everything held as versioned JSON, and logs the request', async () => {
      const response = await me();
      expect(response.status).toBe(200);
      const body = (await response.json()) as Record<string, any>;
      expect(body.schema).toBe('https://heed.dev/schemas/access/v2');
      expect(body.subject).toMatchObject({ timeZone: 'Europe/Brussels', deviceClass: 'desktop', restricted: false, erased: false,
        consent: { policyVersion: '2026-11-01', granted: ['statistics'], withdrawn: false } });
      expect(body.consentHistory.map((entry: any) => entry.action)).toEqual(['decision']);
      expect(body.consentHistory[0].hash).toMatch(/^[0-9a-f]{64}$/);
      expect(body.events.map((event: any) => [event.type, event.name, event.props])).toEqual([
        ['session_start', null, null], ['heartbeat', null, null], ['track', 'report.exported', { format: 'pdf' }],
      ]);
      expect(body.sessions).toEqual([{ sessionId: 'ses_alice_00000', startedAt: new Date(TEST_START - HOUR).toISOString(),
        lastSeenAt: new Date(TEST_START - HOUR).toISOString(), endedAt: null, activeMs: 10_000, events: 3 }]);
      expect(body.rightsRequests.map((request: any) => [request.kind, request.via, request.dueAt])).toEqual([
        ['access', 'subject', new Date(Date.UTC(2026, 11, 24, 10)).toISOString()],
      ]);
      expect(body.aggregates.held).toBe(false);
    });

    it('exports one CSV file per table in a zip', async () => {
      const response = await me({}, '?format=csv');
      expect(response.headers.get('content-type')).toBe('application/zip');
      const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
      expect(Object.keys(files).sort()).toEqual(['README.txt', 'activity.csv', 'consent_history.csv', 'events.csv', 'purposes.csv', 'rights_requests.csv', 'sessions.csv', 'subject.csv', 'subject_tokens.csv']);
      const events = strFromU8(files['events.csv']!).trim().split('\r\n');
      expect(events[0]).toBe('id,type,at,receivedAt,sessionId,name,durationMs,activeMs,props,purposes');
      expect(events).toHaveLength(4);
      expect(events[3]).toContain(',report.exported,,,"{""format"":""pdf""}",statistics');
    });

    it('refuses a missing or wrong token', async () => {
      token = 'x'.repeat(32);
      expect((await me()).status).toBe(401);
    });
  });

  describe('rectification', () => {
    it('corrects the time zone and refuses anything else with the field named', async () => {
      expect(await (await me({ method: 'PATCH', body: JSON.stringify({ tz: 'America/Chicago' }) })).json()).toEqual({ corrected: ['tz'] });
      expect(await t.query('SELECT tz FROM subjects WHERE tz IS NOT NULL')).toContainEqual({ tz: 'America/Chicago' });
      const refused = await me({ method: 'PATCH', body: JSON.stringify({ consent: 'all' }) });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { errors: unknown }).errors).toEqual([{ field: '', message: 'Unrecognized key: "consent"' }]);
    });
  });

  describe('restriction', () => {
    it('takes held events out of every aggregate, collects nothing new, and puts them back when lifted', async () => {
      const full = [{ metric: 'active_ms', value: 14_000 }, { metric: 'sessions', value: 2 }, { metric: 'subjects', value: 2 }];
      expect(await statistics()).toEqual(full);
      expect(await (await post('/v1/me/restrict', { restricted: true })).json()).toEqual({ restricted: true });
      expect(await statistics()).toEqual([{ metric: 'active_ms', value: 4_000 }, { metric: 'sessions', value: 1 }, { metric: 'subjects', value: 1 }]);
      expect(await t.query(`SELECT count(*) AS n FROM events`)).toEqual([{ n: 5 }]);
      expect((await send('alice', [{ type: 'heartbeat', activeMs: 1_000 }])).reasons).toEqual({ restricted: 1 });
      expect(await (await post('/v1/me/restrict', { restricted: false })).json()).toEqual({ restricted: false });
      expect(await statistics()).toEqual(full);
    });
  });

  describe('objection', () => {
    it('stops counting for the legitimate-interest purpose and points consent purposes to withdrawal', async () => {
      expect(await (await post('/v1/me/object', { purposes: ['update_timing'] })).json()).toEqual({ objected: ['update_timing'] });
      const before = await t.query(`SELECT sum(value) AS v FROM aggregates WHERE purpose = 'update_timing' AND metric = 'active_ms'`);
      await send('alice', [{ type: 'heartbeat', activeMs: 1_000 }]);
      expect(await t.query(`SELECT sum(value) AS v FROM aggregates WHERE purpose = 'update_timing' AND metric = 'active_ms'`)).toEqual(before);
      expect(await statistics()).toContainEqual({ metric: 'active_ms', value: 15_000 });
      const refused = await post('/v1/me/object', { purposes: ['statistics'] });
      expect(refused.status).toBe(422);
      expect(((await refused.json()) as { detail: string }).detail).toContain('withdraw consent instead');
    });
  });

  describe('withdrawal', () => {
    it('is recorded in the ledger and takes effect at once', async () => {
      await post('/v1/me/withdraw', {});
      expect((await send('alice', [{ type: 'heartbeat', activeMs: 1_000 }])).reasons).toEqual({ withdrawn: 1 });
      const body = (await (await me()).json()) as { consentHistory: { action: string }[] };
      expect(body.consentHistory.map((entry) => entry.action)).toEqual(['decision', 'withdraw']);
    });
  });

  describe('erasure', () => {
    it('deletes held data, takes it out of the aggregates, keeps the proof and says so', async () => {
      const response = await me({ method: 'DELETE' });
      const body = (await response.json()) as Record<string, any>;
      expect(body.erased).toBe(true);
      expect(body.deleted).toMatchObject({ events: 3, sessions: 1 });
      expect(Object.keys(body.kept)).toEqual(['consentProof', 'suppressionRecord', 'rightsRequests']);
      expect(await statistics()).toEqual([{ metric: 'active_ms', value: 4_000 }, { metric: 'sessions', value: 1 }, { metric: 'subjects', value: 1 }]);
      expect(await t.query(`SELECT count(*) AS n FROM events`)).toEqual([{ n: 2 }]);
      expect((await me()).status).toBe(401);
      expect((await send('alice', [{ type: 'session_start' }])).reasons).toEqual({ erased: 1 });
      // Staff asking for access afterwards get only the retained proof.
      const access = (await (await admin('access', { userId: 'alice' })).json()) as Record<string, any>;
      expect(access.events).toEqual([]);
      expect(access.sessions).toEqual([]);
      expect(access.consentHistory.map((entry: any) => entry.action)).toEqual(['decision', 'erase']);
      expect(access.subject).toMatchObject({ erased: true, timeZone: null });
    });
  });

  describe('staff requests by user id', () => {
    it('applies the same rights and lists every request with its due date', async () => {
      expect(await (await admin('restrict', { userId: 'bob', restricted: true })).json()).toEqual({ restricted: true });
      expect(await statistics()).toEqual([{ metric: 'active_ms', value: 10_000 }, { metric: 'sessions', value: 1 }, { metric: 'subjects', value: 1 }]);
      expect((await admin('restrict', { userId: 'carol', restricted: true })).status).toBe(404);
      expect((await admin('restrict', { restricted: true })).status).toBe(400);
      expect((await t.post('/v1/admin/subjects/restrict', { userId: 'bob', restricted: true }, { authorization: `Bearer ${t.project.analystKey}` })).status).toBe(401);
      const list = (await (await fetch(`${t.url}/v1/admin/requests`, { headers: { authorization: `Bearer ${t.project.adminKey}` } })).json()) as { requests: any[] };
      expect(list.requests.map((request) => [request.kind, request.via, request.overdue])).toEqual([['restriction', 'admin', false]]);
    });
  });

  describe('erasure leaves nothing behind', () => {
    it('keeps the pseudonym only in the consent proof and the suppression record (every table scanned)', async () => {
      const pseudonym = t.server.services.pseudonymizer.pseudonym(t.project.projectId, t.subjectFor('alice'));
      await post('/v1/me/restrict', { restricted: false });
      expect((await fetch(`${t.url}/v1/stats/usage?from=2026-11-01&grain=day`, { headers: { authorization: `Bearer ${t.project.analystKey}` } })).status).toBe(200);
      await me({ method: 'DELETE' });
      const tables = Object.keys(await t.server.services.store.counts());
      const holding: Record<string, number> = {};
      for (const table of tables) {
        const rows = await t.query<Record<string, unknown>>(`SELECT * FROM ${table}`);
        // Text, and binary values (PostgreSQL's statistics cache snapshots) byte for byte.
        const holds = (value: unknown) => (typeof value === 'string' || value instanceof Uint8Array) && Buffer.from(value).includes(pseudonym);
        const hits = rows.filter((row) => Object.values(row).some(holds)).length;
        if (hits > 0) holding[table] = hits;
      }
      // The ledger: the decision, the lift of restriction and the erasure itself.
      expect(holding).toEqual({ subjects: 1, consent_ledger: 3 });
      // The statistics caches were filled before, so their snapshot held alice's marks and
      // name: the erasure rewrote it without either (on PostgreSQL rows of stats_snapshots,
      // scanned above part by part and here whole; on SQLite a file beside the database).
      const snapshot = await storedSnapshot(t);
      expect(snapshotPlaces(snapshot, t.project.projectId, pseudonym)).toBe(false);
      expect(snapshot.includes(pseudonym)).toBe(false);
      expect(snapshot.includes(t.server.services.pseudonymizer.pseudonym(t.project.projectId, t.subjectFor('bob')))).toBe(true);
      const [record] = await t.query<Record<string, unknown>>(`SELECT * FROM subjects WHERE pseudonym = ?`, pseudonym);
      expect(record).toMatchObject({ erased: 1, tz: null, device: null, last_seen_at: null });
      // The request log keeps that requests were answered, without the link to the subject.
      expect(await t.query(`SELECT kind, pseudonym FROM rights_requests ORDER BY received_at, kind`)).toEqual([
        { kind: 'erasure', pseudonym: '' },
        { kind: 'restriction', pseudonym: '' },
      ]);
    });
  });

  describe('export completeness', () => {
    /** Where each per-subject table appears in the access answer. */
    const SECTION_OF: Record<string, string> = {
      subjects: 'subject',
      consent_ledger: 'consentHistory',
      events: 'events',
      sessions: 'sessions',
      activity: 'activity',
      rights_requests: 'rightsRequests',
      subject_tokens: 'subjectTokens',
    };
    /**
     * Tables that only say where other per-subject rows are (no fact about the person of their
     * own), so the export covers them through those rows; erasure still empties them (the
     * "every table scanned" test above).
     */
    const LOCATORS: Record<string, string> = { subject_runs: 'events' };

    it('covers every table that stores per-subject data', async () => {
      const perSubject = (await t.query<{ name: string }>(
        store === 'sqlite'
          ? `SELECT DISTINCT m.name AS name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name = 'pseudonym' ORDER BY m.name`
          : `SELECT DISTINCT table_name AS name FROM information_schema.columns WHERE column_name = 'pseudonym' AND table_schema = current_schema()
             AND table_name NOT IN (SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid) ORDER BY table_name`,
      )).map((row) => row.name);
      // (A partition, e.g. a day of events, is its table's.) A new table holding pseudonyms fails here until the export covers it.
      expect(perSubject).toEqual(Object.keys(store === 'sqlite' ? { ...SECTION_OF, ...LOCATORS } : SECTION_OF).sort());
      const body = (await (await me()).json()) as Record<string, unknown>;
      for (const [table, section] of Object.entries(SECTION_OF)) {
        const rows = await t.query<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE pseudonym = ?`,
          t.server.services.pseudonymizer.pseudonym(t.project.projectId, t.subjectFor('alice')));
        const value = body[section];
        const exported = Array.isArray(value) ? value.length : value ? 1 : 0;
        expect(exported, `${table} -> ${section}`).toBe(rows[0]!.n);
        expect(exported, `${table} has rows for alice`).toBeGreaterThan(0);
      }
    });
  });

  describe('the request log', () => {
    it('gives each request its due date and lists overdue requests first', async () => {
      const DAY = 86_400_000;
      const headers = { authorization: `Bearer ${t.project.adminKey}` };
      const open = async (kind: string, receivedAt: number, userId?: string) =>
        (await (await t.post('/v1/admin/requests', { kind, receivedAt, ...(userId ? { userId } : {}) }, headers)).json()) as { id: string; dueAt: number };
      const late = await open('access', TEST_START - 40 * DAY, 'bob');
      const recent = await open('erasure', TEST_START - 5 * DAY);
      expect(late.dueAt).toBe(Date.UTC(2026, 10, 15, 10));
      expect(recent.dueAt).toBe(Date.UTC(2026, 11, 19, 10));
      await admin('restrict', { userId: 'bob', restricted: true });
      const list = async () =>
        ((await (await fetch(`${t.url}/v1/admin/requests`, { headers })).json()) as { requests: { id: string; kind: string; overdue: boolean; completedAt: number | null }[] }).requests;
      expect((await list()).map((row) => [row.kind, row.overdue, row.completedAt === null])).toEqual([
        ['access', true, true],
        ['erasure', false, true],
        ['restriction', false, false],
      ]);
      expect((await t.post(`/v1/admin/requests/${late.id}/complete`, { outcome: 'export sent by mail' }, headers)).status).toBe(200);
      expect((await t.post(`/v1/admin/requests/${late.id}/complete`, { outcome: 'again' }, headers)).status).toBe(404);
      expect((await list()).map((row) => [row.kind, row.overdue])).toEqual([['erasure', false], ['access', false], ['restriction', false]]);
    });
  });

  describe('consent from the privacy page', () => {
    it('records a new decision with the subject token, keeping objections', async () => {
      await post('/v1/me/object', { purposes: ['update_timing'] });
      await post('/v1/me/withdraw', {});
      expect(await (await post('/v1/me/consent', { purposes: { statistics: true } })).json()).toEqual({ policyVersion: '2026-11-01' });
      const body = (await (await me()).json()) as { subject: { consent: unknown; objected: string[] }; consentHistory: { action: string }[] };
      expect(body.subject.consent).toEqual({ policyVersion: '2026-11-01', granted: ['statistics'], withdrawn: false });
      expect(body.subject.objected).toEqual(['update_timing']);
      expect(body.consentHistory.map((entry) => entry.action)).toEqual(['decision', 'object', 'withdraw', 'decision']);
      expect((await send('alice', [{ type: 'heartbeat', activeMs: 1 }])).accepted).toBe(1);
    });
  });
});
