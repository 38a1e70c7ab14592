/**
 * Many stateless server processes on one PostgreSQL (issue 7): three `heed serve` processes,
 * a client sending 50,000 events (20% of them re-sent duplicates) spread over all three, one
 * process SIGKILLed mid-run and restarted. The client retries connection errors and 5xx with
 * the same event ids, as the SDK does. Afterwards the raw rows and the aggregates must equal a
 * reference computed here from the unique events: nothing lost, nothing counted twice.
 * Then: an objection made through process A stops counting through process B at once.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLedgerKeys, createPostgresStore, createProject, identifiedHash, loadKeyRing, type CreatedProject } from '@heed/server';
import { signSubjectHash } from '@heed/sdk/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, queryPostgres, seeded, startServerProcess, type ServerProcess, type TestDatabase } from '@heed/server/testing';

const PROCESSES = 3;
const UNIQUE = 40_000;
const DUPLICATES = 10_000;
const BATCH = 50;
const WORKERS = 12;
const KILL_AFTER_BATCHES = 300;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const PURPOSES = ['statistics', 'update_timing'] as const;
const FEATURES = ['report.exported', 'search.run', 'settings.open'] as const;

interface WireEvent {
  id: string;
  type: 'session_start' | 'heartbeat' | 'track' | 'session_end';
  ts: number;
  sessionId: string;
  subject: string;
  activeMs?: number;
  name?: string;
  durationMs?: number;
}


let database: TestDatabase;
let project: CreatedProject;
let servers: ServerProcess[];
let dataDir: string;
const subjectOf = (userId: string) => identifiedHash(project.projectId, userId);
/** What the platform's backend signs for a logged-in user (every process verifies it). */
const identityOf = (subject: string) => signSubjectHash({ secret: project.identitySecret, projectId: project.projectId, subject });
const proofsOf = (events: readonly WireEvent[]) => Object.fromEntries([...new Set(events.map((event) => event.subject))].map((subject) => [subject, { identity: identityOf(subject) }]));
// Every process holds the same keys: pseudonyms, the ledger seal and identity secrets agree across them.
const KEYS = {
  HEED_PSEUDONYM_KEY: randomBytes(32).toString('hex'),
  HEED_LEDGER_KEY: randomBytes(32).toString('hex'),
  HEED_IDENTITY_KEY: randomBytes(32).toString('hex'),
};

beforeAll(async () => {
  database = await createTestDatabase();
  const ring = (name: keyof typeof KEYS) => loadKeyRing({ name, envKey: KEYS[name], keyFile: '' });
  const store = createPostgresStore({ url: database.url, poolSize: 2, seal: createLedgerKeys(ring('HEED_LEDGER_KEY')) });
  await store.ready();
  project = await createProject(store, ring('HEED_IDENTITY_KEY'), { name: 'Multi-process', now: Date.now() });
  await store.close();
  dataDir = mkdtempSync(join(tmpdir(), 'heed-mp-'));
  const env = {
    ...KEYS, HEED_DATABASE_URL: database.url, HEED_DATA_DIR: dataDir,
    HEED_RATE_PER_SECOND: '1000000', HEED_RATE_BURST: '1000000', HEED_PG_POOL_SIZE: '4',
  };
  servers = await Promise.all(Array.from({ length: PROCESSES }, () => startServerProcess({ env })));
}, 90_000);

afterAll(async () => {
  await Promise.all((servers ?? []).map((server) => server.stop()));
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** 40,000 unique events in sessions of 100 users over the last three hours. */
function generate(now: number): { events: WireEvent[]; users: string[] } {
  const next = seeded(7);
  const users = Array.from({ length: 100 }, (_, n) => `user-${n}`);
  const events: WireEvent[] = [];
  let sessionNo = 0;
  while (events.length < UNIQUE) {
    const user = users[Math.floor(next() * users.length)]!;
    const sessionId = `ses_${String(++sessionNo).padStart(10, '0')}`;
    let ts = now - 3 * HOUR + Math.floor(next() * 2.5 * HOUR);
    const push = (event: Omit<WireEvent, 'id' | 'sessionId' | 'subject' | 'ts'>) => {
      if (events.length >= UNIQUE) return;
      events.push({ id: `evt_${String(events.length).padStart(12, '0')}`, sessionId, subject: subjectOf(user), ts, ...event });
      ts += 1_000 + Math.floor(next() * 60_000);
    };
    push({ type: 'session_start' });
    const length = 3 + Math.floor(next() * 20);
    for (let n = 0; n < length; n++) {
      if (next() < 0.6) push({ type: 'heartbeat', activeMs: 1_000 + Math.floor(next() * 14_000) });
      else push({ type: 'track', name: FEATURES[Math.floor(next() * FEATURES.length)]!, ...(next() < 0.5 ? { durationMs: Math.floor(next() * 5_000) } : {}) });
    }
    push({ type: 'session_end', activeMs: 1_000 + Math.floor(next() * 5_000) });
  }
  return { events, users };
}

/** The aggregates the unique events must produce, computed without the server's code. */
function reference(events: readonly WireEvent[]): Map<string, number> {
  const values = new Map<string, number>();
  const subjects = new Set<string>();
  const add = (key: string, value: number) => values.set(key, (values.get(key) ?? 0) + value);
  for (const event of events) {
    for (const purpose of PURPOSES) {
      for (const [grain, size] of [['hour', HOUR], ['day', DAY]] as const) {
        const at = `${purpose}|${grain}|${Math.floor(event.ts / size) * size}`;
        if (!subjects.has(`${at}|${event.subject}`)) {
          subjects.add(`${at}|${event.subject}`);
          add(`${at}|subjects|`, 1);
        }
        if (event.type === 'session_start') add(`${at}|sessions|`, 1);
        if (event.activeMs !== undefined) add(`${at}|active_ms|`, event.activeMs);
        if (event.type === 'track') {
          add(`${at}|events|${event.name}`, 1);
          if (event.durationMs !== undefined) {
            add(`${at}|timed|${event.name}`, 1);
            add(`${at}|duration_ms|${event.name}`, event.durationMs);
          }
        }
      }
    }
  }
  return values;
}

class Refused extends Error {}

describe('three server processes on one PostgreSQL', () => {
  it('count 50,000 events with 20% duplicates exactly once while one process is SIGKILLed and restarted', async () => {
    const now = Date.now();
    const { events, users } = generate(now);
    for (const [n, user] of users.entries()) {
      const response = await fetch(`${servers[n % PROCESSES]!.url}/v1/consent`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ writeKey: project.writeKey, subject: subjectOf(user), identity: identityOf(subjectOf(user)), policyVersion: '2026-11-01', purposes: { statistics: true }, ts: now }),
      });
      expect(response.status).toBe(200);
    }
    // The send list: every unique event once and 10,000 of them again, shuffled together.
    const next = seeded(11);
    const sends = [...events, ...Array.from({ length: DUPLICATES }, () => events[Math.floor(next() * events.length)]!)];
    for (let i = sends.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [sends[i], sends[j]] = [sends[j]!, sends[i]!];
    }
    const batches = Array.from({ length: sends.length / BATCH }, (_, n) =>
      JSON.stringify({ writeKey: project.writeKey, sentAt: now, tz: 'Europe/Brussels', device: 'desktop', sdk: 'test/1', proofs: proofsOf(sends.slice(n * BATCH, (n + 1) * BATCH)), events: sends.slice(n * BATCH, (n + 1) * BATCH) }));

    let done = 0;
    let retries = 0;
    let killed: Promise<void> | undefined;
    const totals = { accepted: 0, duplicates: 0 };
    const deliver = async (index: number) => {
      for (let attempt = 0; ; attempt++) {
        const server = servers[(index + attempt) % PROCESSES]!;
        try {
          const response = await fetch(`${server.url}/v1/batch`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: batches[index], signal: AbortSignal.timeout(15_000),
          });
          if (response.ok) return (await response.json()) as { accepted: number; duplicates: number };
          if (response.status < 500) throw new Refused(`batch ${index}: ${response.status} ${await response.text()}`);
        } catch (error) {
          if (error instanceof Refused) throw error;
          // A connection refused or reset (the killed process): retry the same body elsewhere.
        }
        retries++;
        await new Promise((resolve) => setTimeout(resolve, Math.min(20 * (attempt + 1), 200)));
      }
    };
    let cursor = 0;
    await Promise.all(Array.from({ length: WORKERS }, async () => {
      while (cursor < batches.length) {
        const index = cursor++;
        const result = await deliver(index);
        totals.accepted += result.accepted;
        totals.duplicates += result.duplicates;
        if (++done === KILL_AFTER_BATCHES) {
          killed = (async () => {
            await servers[1]!.kill();
            await new Promise((resolve) => setTimeout(resolve, 500));
            await servers[1]!.restart();
          })();
        }
      }
    }));
    await killed;

    expect(done).toBe(batches.length);
    // A response lost with the killed process makes its retry report duplicates for rows the
    // first attempt stored: the responses can only undercount acceptance, never overcount.
    expect(totals.accepted + totals.duplicates).toBe(UNIQUE + DUPLICATES);
    expect(totals.accepted).toBeLessThanOrEqual(UNIQUE);

    const q = <T>(text: string) => queryPostgres<T>(database.url, text, []);
    expect(await q('SELECT count(*) AS n, count(DISTINCT id) AS d FROM events')).toEqual([{ n: UNIQUE, d: UNIQUE }]);
    const sessions = new Set(events.map((e) => e.sessionId));
    const activeMs = events.reduce((sum, e) => sum + (e.activeMs ?? 0), 0);
    expect(await q('SELECT count(*) AS n, sum(events) AS e, sum(active_ms) AS a FROM sessions')).toEqual([{ n: sessions.size, e: UNIQUE, a: activeMs }]);

    const expected = reference(events);
    const rows = await q<{ k: string; value: number }>(
      `SELECT purpose || '|' || grain || '|' || bucket || '|' || metric || '|' || dim AS k, sum(value) AS value FROM aggregates
       WHERE purpose IN ('statistics', 'update_timing') AND metric IN ('subjects', 'sessions', 'active_ms', 'events', 'timed', 'duration_ms')
       GROUP BY 1`);
    const actual = new Map(rows.map((row) => [row.k, row.value]));
    const sorted = (map: Map<string, number>) => [...map].sort(([a], [b]) => (a < b ? -1 : 1));
    expect(sorted(actual)).toEqual(sorted(expected));
    console.log(`multi-process: ${batches.length} batches, ${retries} retries, responses accepted ${totals.accepted} + duplicates ${totals.duplicates}`);
  }, 120_000);

  it('stops counting for update timing through process B as soon as the objection through process A has answered', async () => {
    const [a, , b] = servers;
    const now = Date.now();
    const subject = subjectOf('objector');
    const post = (server: ServerProcess, path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const consent = await post(a!, '/v1/consent', { writeKey: project.writeKey, subject, identity: identityOf(subject), policyVersion: '2026-11-01', purposes: { statistics: true }, ts: now });
    const { subjectToken } = (await consent.json()) as { subjectToken: string };
    let n = 0;
    const batch = () => post(b!, '/v1/batch', {
      writeKey: project.writeKey, sentAt: now, tz: 'UTC', device: 'mobile', sdk: 'test/1', proofs: { [subject]: { identity: identityOf(subject) } },
      events: [{ id: `obj_${String(++n).padStart(8, '0')}`, type: 'session_start', subject, sessionId: `ses_obj_${String(n).padStart(6, '0')}`, ts: now }],
    });
    const sessionsOf = async () => Object.fromEntries((await queryPostgres<{ purpose: string; v: number }>(database.url,
      `SELECT purpose, sum(value) AS v FROM aggregates WHERE grain = 'hour' AND bucket = ? AND metric = 'sessions' GROUP BY purpose`,
      [Math.floor(now / HOUR) * HOUR])).map((row) => [row.purpose, row.v]));

    expect(await (await batch()).json()).toMatchObject({ accepted: 1, suppressed: 0 });
    const before = await sessionsOf();
    const objection = await post(a!, '/v1/me/object', { purposes: ['update_timing'] }, { authorization: `Bearer ${subjectToken}` });
    expect(await objection.json()).toEqual({ objected: ['update_timing'] });
    // The very next batch, through the other process: no cache stands between it and the row.
    expect(await (await batch()).json()).toMatchObject({ accepted: 1, suppressed: 0 });
    // Art. 21(1): the objection also takes the earlier session out of update timing (docs/stats.md,
    // "Whose data counts"), and the new one never enters it.
    expect(await sessionsOf()).toEqual({ statistics: (before.statistics ?? 0) + 1, update_timing: (before.update_timing ?? 0) - 1 });
    expect(await queryPostgres(database.url, `SELECT sum(count) AS count FROM suppressions WHERE reason = 'objected:update_timing'`, [])).toEqual([{ count: 1 }]);
  }, 30_000);
});
