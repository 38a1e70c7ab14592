/**
 * `heed demo` end to end: a small seeded population through the real SDK into a real SQLite
 * store. The wire shows the SDK's own requests; the ledger, the subjects and the statistics
 * show each person's choice; the figures are exact because the population is seeded and the
 * time simulated.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../clock.js';
import { loadConfig } from '../config.js';
import { startServer, type RunningServer } from '../server.js';
import { runDemo } from './demo-command.js';
import { seeded } from '../seeded-random.js';
import { demoChoice } from './demo-population.js';
import { httpExchange, type Exchange } from './demo-transport.js';

const HOUR = 3_600_000;
/** Wed 25 Nov 2026, 13:00 in Brussels: the simulated week runs from Wed 18 Nov 12:00 to Wed 25 Nov 12:00. */
const UNTIL = Date.UTC(2026, 10, 25, 12, 30);
const END = Date.UTC(2026, 10, 25, 11);
const START = END - 7 * 24 * HOUR;
const USERS = 40;

interface Sent {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: any;
}

let dir: string;
let result: Awaited<ReturnType<typeof runDemo>>;
let server: RunningServer;
let db: Database.Database;
const wire: Sent[] = [];

/** The people as the demo draws them: the same seed, the same order. */
const random = seeded(42);
const choices = Array.from({ length: USERS }, () => demoChoice(random));
const restrictedPerson = choices.indexOf('both');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'heed-demo-'));
  const config = loadConfig({ HEED_DATA_DIR: dir, HEED_LOG_LEVEL: 'error' });
  const http = httpExchange();
  const watch: Exchange = (url, init) => {
    if (init.body !== undefined) wire.push({ path: new URL(url).pathname, headers: init.headers, body: JSON.parse(init.body) });
    return http(url, init);
  };
  result = await runDemo(config, { weeks: 1, users: USERS, until: UNTIL, exchange: watch });
  http.close();
  server = await startServer({ ...config, port: 0 }, { clock: manualClock(UNTIL) });
  db = new Database(join(dir, 'heed.db'), { readonly: true });
}, 120_000);

afterAll(async () => {
  db?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const pseudonymOf = (person: number) => {
  const { projectId } = result.project;
  const hash = createHash('sha256').update(`heed:v1:${projectId}:demo-${person}`).digest('base64url');
  return server.services.pseudonymizer.pseudonym(projectId, hash);
};
const people = (choice: string) => choices.flatMap((c, i) => (c === choice ? [i] : []));
const rows = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[];

describe('heed demo', () => {
  it('plays the seeded population through the SDK and reports exact figures', () => {
    const { project, requests, ...figures } = result;
    expect(figures).toEqual({
      sessions: 400,
      events: 1589,
      eventsByType: { session_start: 400, heartbeat: 383, track: 406, session_end: 400 },
      sdk: ['heed-js/0.1.0'],
      declined: 3,
      objected: 4,
      restricted: 1,
    });
    expect([people('deny').length, people('statistics_object_timing').length]).toEqual([result.declined, result.objected]);
    // A consent decision per person who did not decline. How many batches carry the events
    // depends on when the server answers (a flush joins one in progress), so only a bound.
    expect(requests).toEqual({ '/v1/consent': 37, '/v1/me/object': 4, '/v1/me/restrict': 1, '/v1/batch': expect.any(Number) });
    expect(requests['/v1/batch']).toBeGreaterThanOrEqual(result.sessions);
    expect(project.projectId).toMatch(/^p_/);
  });

  it('sends only what the SDK builds: its batches, its consent decisions, no user id', () => {
    const batches = wire.filter((sent) => sent.path === '/v1/batch');
    expect(batches).toHaveLength(result.requests['/v1/batch']!);
    for (const { headers, body } of batches) {
      expect(headers['content-type']).toBe('text/plain;charset=UTF-8');
      expect(body).toMatchObject({ sdk: 'heed-js/0.1.0', tz: 'Europe/Brussels', device: 'desktop' });
      expect(body.events.every((event: { id: string; sessionId: string }) => /^[\w-]{21}$/.test(event.id) && /^[\w-]{21}$/.test(event.sessionId))).toBe(true);
    }
    const consents = wire.filter((sent) => sent.path === '/v1/consent').map((sent) => sent.body);
    expect(consents).toHaveLength(USERS - result.declined);
    expect(consents[0]).toMatchObject({ purposes: { statistics: true, update_timing: true }, gpc: false, objections: [] });
    expect(JSON.stringify(wire)).not.toMatch(/demo-\d/);
  });

  it('stores every event the SDK sent, once, stamped inside the server window on the shared clock', () => {
    const stored = rows<{ type: string; n: number; first: number; last: number; lag: number }>(
      `SELECT type, count(*) AS n, min(ts) AS first, max(ts) AS last, max(received_at - ts) AS lag FROM events GROUP BY type`,
    );
    expect(Object.fromEntries(stored.map((row) => [row.type, row.n]))).toEqual(result.eventsByType);
    for (const row of stored) {
      expect(row.first).toBeGreaterThanOrEqual(START);
      expect(row.last).toBeLessThanOrEqual(END + HOUR);
      // Delivered within the simulated hour or so after it happened: far inside maxEventAge (7 days).
      expect(row.lag).toBeLessThanOrEqual(2 * HOUR);
    }
    expect(rows(`SELECT 1 FROM events WHERE received_at < ts`)).toEqual([]);
  });

  it('records each decision in the ledger; a refusal leaves nothing on the server', () => {
    const ledger = rows<{ pseudonym: string; action: string; detail: string }>(`SELECT pseudonym, action, detail FROM consent_ledger ORDER BY seq`);
    const actions = (person: number) => ledger.filter((entry) => entry.pseudonym === pseudonymOf(person)).map((entry) => entry.action);
    for (const person of people('both')) expect(actions(person)).toEqual(person === restrictedPerson ? ['decision', 'restrict'] : ['decision']);
    for (const person of people('statistics_object_timing')) expect(actions(person)).toEqual(['decision', 'object']);
    for (const person of people('deny')) expect(actions(person)).toEqual([]);
    expect(JSON.parse(ledger[0]!.detail)).toMatchObject({ granted: ['statistics'], denied: ['marketing'], objected: [] });
    const subjects = rows<{ pseudonym: string; restricted: number; objected: string }>(`SELECT pseudonym, restricted, objected FROM subjects`);
    expect(subjects).toHaveLength(USERS - result.declined);
    expect(subjects.filter((s) => s.restricted).map((s) => s.pseudonym)).toEqual([pseudonymOf(restrictedPerson)]);
    expect(subjects.filter((s) => s.objected === '["update_timing"]').map((s) => s.pseudonym).sort()).toEqual(people('statistics_object_timing').map(pseudonymOf).sort());
  });

  it('leaves the restricted person out of every statistic and objectors out of update timing only', async () => {
    const restricted = pseudonymOf(restrictedPerson);
    const objectors = people('statistics_object_timing').map(pseudonymOf);
    const active = (purpose: string) => rows<{ pseudonym: string }>(`SELECT DISTINCT pseudonym FROM activity WHERE purpose = ?`, purpose).map((row) => row.pseudonym);
    expect(active('statistics')).toHaveLength(USERS - result.declined - 1);
    expect(active('statistics')).not.toContain(restricted);
    expect(active('statistics')).toEqual(expect.arrayContaining(objectors));
    expect(active('update_timing')).toHaveLength(USERS - result.declined - 1 - result.objected);
    expect(active('update_timing')).not.toContain(restricted);
    expect(active('update_timing').filter((pseudonym) => objectors.includes(pseudonym))).toEqual([]);

    // A one-week demo restricts at the end of the person's first visit: the SDK collected
    // nothing after it, and the statistics API leaves out what is held.
    const [held] = rows<{ sessions: number; tracks: number; last: number }>(
      `SELECT sum(type = 'session_start') AS sessions, sum(type = 'track') AS tracks, max(ts) AS last FROM events WHERE pseudonym = ?`, restricted,
    );
    const [restriction] = rows<{ at: number }>(`SELECT at FROM consent_ledger WHERE pseudonym = ? AND action = 'restrict'`, restricted);
    expect(held!.sessions).toBe(1);
    expect(held!.last).toBeLessThanOrEqual(restriction!.at);
    const response = await fetch(`${server.url}/v1/stats/usage?grain=week&from=2026-11-16&to=2026-11-30&tz=Europe%2FBrussels`, {
      headers: { authorization: `Bearer ${result.project.analystKey}` },
    });
    const usage = (await response.json()) as { totals: { activeUsers: number; sessions: number; events: number } };
    expect(usage.totals).toMatchObject({
      activeUsers: USERS - result.declined - 1,
      sessions: result.sessions - held!.sessions,
      events: result.eventsByType.track! - held!.tracks,
    });
  });

  it('stops with the SDK\'s error when the server keeps refusing batches, instead of waiting', async () => {
    const other = mkdtempSync(join(tmpdir(), 'heed-demo-'));
    const http = httpExchange();
    const refuse: Exchange = async (url, init) =>
      new URL(url).pathname === '/v1/batch' ? { status: 503, headers: {}, body: Buffer.from('{"title":"down"}') } : http(url, init);
    try {
      await expect(runDemo(loadConfig({ HEED_DATA_DIR: other, HEED_LOG_LEVEL: 'error' }), { weeks: 1, users: 10, until: UNTIL, exchange: refuse }))
        .rejects.toThrow(/^demo: the SDK sent \d+ events, the server accepted 0 .*; \d+ SDK errors, first: http \[POST\] .*503/);
    } finally {
      http.close();
      rmSync(other, { recursive: true, force: true });
    }
  });
});
