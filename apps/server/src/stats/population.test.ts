/**
 * One population for every statistic (docs/stats.md, "Whose data counts"): a population of
 * ten goes through withdrawal, restriction, objection, erasure and a substantial policy
 * change, and every route (usage, sessions, features, heatmap, update windows) counts the
 * people the rule says, on each store. The rule is written out below as the docs state it,
 * and the expected counts are derived from it, not typed in.
 */
import { writeFileSync } from 'node:fs';
import { DEFAULT_POLICY } from '@heed/policy';
import { afterEach, describe, expect, it } from 'vitest';
import { storesUnderTest, type TestStoreKind } from '../testing/test-databases.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

const MINUTE = 60_000;
let counter = 0;
const id = () => `evt_pop_${String(++counter).padStart(8, '0')}`;
const BOTH = { statistics: true, update_timing: true };

/** What happened to a person; `reconsented`: decided again under the new policy version. */
type Fate = 'stays' | 'reconsented' | 'withdrew' | 'restricted' | 'objected_update_timing' | 'erased';

/**
 * The rule of docs/stats.md: does a person's data collected before the change count for the
 * purpose? Withdrawal (Art. 7(3)) and a superseded version leave earlier data counting;
 * restriction (Art. 18(2)) and erasure (Art. 17) take it out of every purpose; an objection
 * (Art. 21(1)) out of the purpose objected to.
 */
function counts(fate: Fate, purpose: 'statistics' | 'update_timing'): boolean {
  if (fate === 'restricted' || fate === 'erased') return false;
  if (fate === 'objected_update_timing') return purpose !== 'update_timing';
  return true;
}

const POPULATION: readonly [string, Fate][] = [
  ['s0', 'reconsented'], ['s1', 'reconsented'], ['s2', 'stays'], ['s3', 'stays'], ['s4', 'stays'], ['s5', 'stays'],
  ['w', 'withdrew'], ['r', 'restricted'], ['o', 'objected_update_timing'], ['e', 'erased'],
];
const people = (purpose: 'statistics' | 'update_timing') => POPULATION.filter(([, fate]) => counts(fate, purpose)).map(([user]) => user);

// Tuesday 2026-11-03, 10:10 and 12:10 in Brussels (CET).
const FIRST = Date.UTC(2026, 10, 3, 9, 10);
const SECOND = Date.UTC(2026, 10, 3, 11, 10);

describe.each(storesUnderTest())('whose data counts, on %s', (store: TestStoreKind) => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    for (const server of servers.reverse()) await server.close();
    servers.length = 0;
  });

  /** One ten-minute session with a timed feature use per user at `ts`; returns what the batch answered. */
  async function visit(t: TestServer, users: readonly string[], ts: number) {
    t.clock.set(Math.max(t.clock.now(), ts + 15 * MINUTE));
    const events = users.flatMap((user) => {
      const subject = t.subjectFor(user);
      const sessionId = `ses_${user}_${ts}`;
      return [
        { id: id(), type: 'session_start', ts, sessionId, subject },
        { id: id(), type: 'track', ts: ts + MINUTE, sessionId, subject, name: 'report.exported', durationMs: 1_200 },
        { id: id(), type: 'session_end', ts: ts + 10 * MINUTE, sessionId, subject, activeMs: 60_000 },
      ];
    });
    const response = await t.post('/v1/batch', { writeKey: t.project.writeKey, sentAt: t.clock.now(), tz: 'Europe/Brussels', device: 'desktop', sdk: 'test/1', events });
    expect(response.status).toBe(200);
    return (await response.json()) as { accepted: number; suppressed: number };
  }

  async function consent(t: TestServer, user: string, policyVersion: string) {
    const response = await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor(user), policyVersion, purposes: BOTH, ts: t.clock.now() });
    expect(response.status).toBe(200);
    return ((await response.json()) as { subjectToken: string }).subjectToken;
  }

  async function right(t: TestServer, token: string, method: 'POST' | 'DELETE', path: string, body?: unknown) {
    const response = await fetch(`${t.url}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.status).toBe(200);
  }

  it('usage, sessions, features, heatmap and update windows count the same people by the rule', async () => {
    const t = await startTestServer({ start: Date.UTC(2026, 10, 2, 12), store });
    servers.push(t);
    const tokens = new Map<string, string>();
    for (const [user] of POPULATION) tokens.set(user, await consent(t, user, '2026-11-01'));
    expect(await visit(t, POPULATION.map(([user]) => user), FIRST)).toMatchObject({ accepted: 30 });

    await right(t, tokens.get('w')!, 'POST', '/v1/me/withdraw', {});
    await right(t, tokens.get('r')!, 'POST', '/v1/me/restrict', { restricted: true });
    await right(t, tokens.get('o')!, 'POST', '/v1/me/object', { purposes: ['update_timing'] });
    await right(t, tokens.get('e')!, 'DELETE', '/v1/me');

    // A substantial policy change supersedes every earlier decision; two people decide again.
    await t.server.close();
    const policyFile = `${t.dataDir}/policy-v2.json`;
    writeFileSync(policyFile, JSON.stringify({ ...DEFAULT_POLICY, version: '2026-12-01', substantial: true, history: [{ version: '2026-11-01', substantial: false }] }));
    const v2 = await startTestServer({
      dataDir: t.dataDir, project: t.project, store, databaseUrl: t.databaseUrl || undefined, start: SECOND - 30 * MINUTE, env: { HEED_POLICY_FILE: policyFile },
    });
    servers.push(v2);
    for (const [user, fate] of POPULATION) if (fate === 'reconsented') await consent(v2, user, '2026-12-01');
    // Only those two are collected from now on: the superseded and the withdrawn send in vain.
    expect(await visit(v2, ['s0', 's1', 's2', 'w'], SECOND)).toMatchObject({ accepted: 6, suppressed: 6 });

    v2.clock.set(Date.UTC(2026, 10, 10, 12)); // the next week: the heatmap and windows read full weeks
    const get = async (path: string) => {
      const response = await fetch(`${v2.url}${path}`, { headers: { authorization: `Bearer ${v2.project.analystKey}` } });
      expect(response.status).toBe(200);
      return (await response.json()) as any;
    };
    const statistics = people('statistics').length;
    const updateTiming = people('update_timing').length;
    expect([statistics, updateTiming]).toEqual([8, 7]);

    const day = 'from=2026-11-03&to=2026-11-04';
    const usage = await get(`/v1/stats/usage?grain=day&${day}`);
    expect(usage.buckets).toEqual([expect.objectContaining({ activeUsers: statistics, sessions: statistics + 2, suppressed: false })]);
    expect(usage.totals.activeUsers).toBe(statistics);

    const sessions = await get(`/v1/stats/sessions?${day}`);
    expect({ users: sessions.users, sessions: sessions.sessions }).toEqual({ users: statistics, sessions: statistics + 2 });

    const features = await get(`/v1/stats/features?${day}`);
    expect(features.features).toEqual([expect.objectContaining({ name: 'report.exported', users: statistics, events: statistics + 2 })]);

    const heatmap = await get('/v1/stats/heatmap?weeks=1');
    const cell = (hour: number) => heatmap.cells.find((c: { day: string; hour: number }) => c.day === 'Tue' && c.hour === hour);
    expect(cell(10)).toEqual({ day: 'Tue', hour: 10, mean: updateTiming, instances: 1, suppressed: false });
    // After the change only the two who decided again: fewer than k, hidden.
    expect(cell(12)).toEqual({ day: 'Tue', hour: 12, mean: null, instances: 1, suppressed: true });

    const windows = await get('/v1/stats/update-windows?weeks=1&duration=1h&days=tue&hours=10');
    expect(windows.windows).toEqual([expect.objectContaining({ day: 'Tue', start: '10:00', users: updateTiming, suppressed: false })]);
  });
});
