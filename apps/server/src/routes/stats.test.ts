/**
 * The statistics routes over real HTTP on each store (a SQLite file, a PostgreSQL database): keys, DST-correct local
 * buckets, k-anonymity with totals over visible cells only, purpose separation (objection,
 * restriction), and a synthetic week with a known quietest window computed by hand.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storesUnderTest, type TestStoreKind } from '../testing/test-databases.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

const HOUR = 3_600_000;
let t: TestServer;
let counter = 0;
const id = () => `evt_${String(++counter).padStart(12, '0')}`;

async function consent(user: string, purposes: Record<string, boolean>, extra: Record<string, unknown> = {}) {
  const response = await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor(user), policyVersion: '2026-11-01', purposes, ts: t.clock.now(), ...extra });
  expect(response.status).toBe(200);
  return (await response.json()) as { subjectToken?: string };
}

/** One session per user at `ts`: start, one heartbeat of 60 s, end 10 minutes later. */
async function sessions(users: readonly string[], ts: number) {
  t.clock.set(ts + HOUR);
  const events = users.flatMap((user) => {
    const subject = t.subjectFor(user);
    const sessionId = `ses_${user}_${ts}`.slice(0, 60);
    return [
      { id: id(), type: 'session_start', ts, sessionId, subject },
      { id: id(), type: 'heartbeat', ts: ts + 60_000, sessionId, subject, activeMs: 60_000 },
      { id: id(), type: 'session_end', ts: ts + 600_000, sessionId, subject, activeMs: 0 },
    ];
  });
  for (let i = 0; i < events.length; i += 150) {
    const response = await t.post('/v1/batch', { writeKey: t.project.writeKey, sentAt: t.clock.now(), tz: 'Europe/Brussels', device: 'desktop', sdk: 'test/1', events: events.slice(i, i + 150) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ accepted: events.slice(i, i + 150).length });
  }
}

async function get(path: string, key = t.project.analystKey) {
  const response = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, body: (await response.json()) as any };
}

const users = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const BOTH = { statistics: true, update_timing: true };

describe.each(storesUnderTest())('on %s', (store: TestStoreKind) => {
  beforeEach(async () => {
    t = await startTestServer({ start: Date.UTC(2026, 2, 1), store });
  });
  afterEach(async () => {
    await t.close();
  });

  describe('statistics keys', () => {
    it('answers only the analyst key: none, a write key or an admin key get 401 problem+json', async () => {
      for (const key of ['', t.project.writeKey, t.project.adminKey, 'heed_analyst_nope']) {
        const response = await fetch(`${t.url}/v1/stats/usage`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
        expect(response.status).toBe(401);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
      }
      expect((await get('/v1/stats/usage')).status).toBe(200);
    });

    it('refuses bad parameters with the field named', async () => {
      const cases: [string, string][] = [
        ['/v1/stats/usage?tz=Mars/Olympus', 'tz'],
        ['/v1/stats/usage?grain=minute', 'grain'],
        ['/v1/stats/usage?from=2026-02-30', 'from'],
        ['/v1/stats/update-windows?duration=90m', 'duration'],
        ['/v1/stats/update-windows?hours=25', 'hours'],
        ['/v1/stats/heatmap?weeks=0', 'weeks'],
      ];
      for (const [path, field] of cases) {
        const { status, body } = await get(path);
        expect(status).toBe(400);
        expect(body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
    });
  });

  describe('daylight saving time', () => {
    it('a fall-back day has 25 local hours, two of them 02:00, each with its own figures', async () => {
      t.clock.set(Date.UTC(2026, 9, 24, 12));
      for (const user of users('u', 7)) await consent(user, BOTH);
      await sessions(users('u', 6), Date.UTC(2026, 9, 25, 0, 30)); // 02:30 CEST
      await sessions(users('u', 5), Date.UTC(2026, 9, 25, 1, 30)); // 02:30 CET
      await sessions(users('u', 2), Date.UTC(2026, 9, 25, 2, 30)); // 03:30 CET: 2 < k
      const hourly = await get('/v1/stats/usage?grain=hour&from=2026-10-25&to=2026-10-26');
      expect(hourly.body.buckets).toHaveLength(25);
      expect(hourly.body.buckets.slice(1, 5)).toEqual([
        { start: '2026-10-25T01:00+02:00', hours: 1, activeUsers: null, sessions: null, activeMs: null, events: null, suppressed: true },
        { start: '2026-10-25T02:00+02:00', hours: 1, activeUsers: 6, sessions: 6, activeMs: 360_000, events: 0, suppressed: false },
        { start: '2026-10-25T02:00+01:00', hours: 1, activeUsers: 5, sessions: 5, activeMs: 300_000, events: 0, suppressed: false },
        { start: '2026-10-25T03:00+01:00', hours: 1, activeUsers: null, sessions: null, activeMs: null, events: null, suppressed: true },
      ]);
      // Totals over visible hours only: 6 + 5 sessions; the 2 of 03:00 cannot be recovered.
      expect(hourly.body.totals).toEqual({ activeUsers: 6, sessions: 11, activeMs: 660_000, events: 0, suppressedBuckets: 23 });
      const daily = await get('/v1/stats/usage?grain=day&from=2026-10-25&to=2026-10-27');
      expect(daily.body.buckets).toEqual([
        { start: '2026-10-25T00:00+02:00', hours: 25, activeUsers: 6, sessions: 13, activeMs: 780_000, events: 0, suppressed: false },
        { start: '2026-10-26T00:00+01:00', hours: 24, activeUsers: null, sessions: null, activeMs: null, events: null, suppressed: true },
      ]);
      expect(daily.body.totals).toEqual({ activeUsers: 6, sessions: 13, activeMs: 780_000, events: 0, suppressedBuckets: 1 });
    });

    it('a spring-forward day has 23 local hours and no 02:00', async () => {
      t.clock.set(Date.UTC(2026, 2, 28, 12));
      for (const user of users('s', 5)) await consent(user, BOTH);
      await sessions(users('s', 5), Date.UTC(2026, 2, 29, 0, 30)); // 01:30 CET
      await sessions(users('s', 5), Date.UTC(2026, 2, 29, 1, 30)); // 03:30 CEST
      const hourly = await get('/v1/stats/usage?grain=hour&from=2026-03-29&to=2026-03-30');
      expect(hourly.body.buckets.map((b: { start: string }) => b.start).slice(0, 3)).toEqual(['2026-03-29T00:00+01:00', '2026-03-29T01:00+01:00', '2026-03-29T03:00+02:00']);
      expect(hourly.body.buckets).toHaveLength(23);
      expect(hourly.body.buckets.filter((b: { suppressed: boolean }) => !b.suppressed).map((b: { start: string; activeUsers: number }) => [b.start, b.activeUsers])).toEqual([
        ['2026-03-29T01:00+01:00', 5],
        ['2026-03-29T03:00+02:00', 5],
      ]);
      const daily = await get('/v1/stats/usage?grain=day&from=2026-03-29&to=2026-03-30');
      expect(daily.body.buckets).toEqual([{ start: '2026-03-29T00:00+01:00', hours: 23, activeUsers: 5, sessions: 10, activeMs: 600_000, events: 0, suppressed: false }]);
    });
  });

  describe('k-anonymity and purposes', () => {
    it('suppresses cells under k, keeps totals equal to the visible cells, and reports features only from k people', async () => {
      t.clock.set(Date.UTC(2026, 10, 2, 6));
      for (const user of users('k', 9)) await consent(user, BOTH);
      await sessions(users('k', 4), Date.UTC(2026, 10, 2, 8, 10)); // 4 people: hidden
      await sessions(users('k', 9), Date.UTC(2026, 10, 2, 9, 10)); // 9 people
      const hourly = await get('/v1/stats/usage?grain=hour&from=2026-11-02T08:00:00Z&to=2026-11-02T10:00:00Z');
      expect(hourly.body.buckets.map((b: { activeUsers: number | null; sessions: number | null }) => [b.activeUsers, b.sessions])).toEqual([[null, null], [9, 9]]);
      expect(hourly.body.totals).toEqual({ activeUsers: 9, sessions: 9, activeMs: 540_000, events: 0, suppressedBuckets: 1 });
      // Total minus visible cells is zero for every additive figure: nothing of the hidden hour leaks.
      for (const figure of ['sessions', 'activeMs', 'events'] as const) {
        const visible = hourly.body.buckets.reduce((sum: number, b: Record<string, number | null>) => sum + (b[figure] ?? 0), 0);
        expect(hourly.body.totals[figure] - visible).toBe(0);
      }

      // Features: 5 people time one feature, 1 person uses another (neither named nor counted).
      const track = (user: string, name: string, durationMs: number) => ({
        id: id(), type: 'track', ts: Date.UTC(2026, 10, 2, 9, 30), sessionId: `ses_${user}_${Date.UTC(2026, 10, 2, 9, 10)}`, subject: t.subjectFor(user), name, durationMs,
      });
      const events = [100, 200, 300, 400, 5_000].map((ms, i) => track(`k${i}`, 'report.exported', ms)).concat([track('k5', 'admin.secret', 10)]);
      await t.post('/v1/batch', { writeKey: t.project.writeKey, sentAt: t.clock.now(), tz: 'Europe/Brussels', device: 'desktop', sdk: 'test/1', events });
      const features = await get('/v1/stats/features?from=2026-11-02&to=2026-11-03');
      // p50 is rank 3 (300 ms), answered by its sketch bucket's value 298 (within 1%); p90 is
      // rank 5 (5 000 ms): 4 958.
      expect(features.body).toMatchObject({
        relativeAccuracy: 0.01,
        features: [{ name: 'report.exported', events: 5, users: 5, timed: 5, meanMs: 1_200, p50Ms: 298, p90Ms: 4_958 }],
        suppressedFeatures: 1,
        totalEvents: 5,
      });

      // Sessions: 13 sessions of exactly 10 minutes, from 9 people: all in [600 s, 1 200 s).
      const distribution = await get('/v1/stats/sessions?from=2026-11-02&to=2026-11-03');
      // Every session lasted 600 000 ms: every percentile is the value of its sketch bucket, within 1%.
      expect(distribution.body).toMatchObject({ sessions: 13, relativeAccuracy: 0.01, medianMs: 602_736, p75Ms: 602_736, p90Ms: 602_736 });
      expect(distribution.body.histogram.filter((bin: { sessions: number | null }) => bin.sessions !== 0)).toEqual([
        { fromMs: 600_000, toMs: 1_200_000, sessions: 13, suppressed: false },
      ]);
    });

    it('seven people timing an action at about 1.2 s get a p50 within 2% of 1 200 ms (issue #18: it read 1 857)', async () => {
      t.clock.set(Date.UTC(2026, 10, 2, 6));
      const seven = users('t', 7);
      for (const user of seven) await consent(user, BOTH);
      await sessions(seven, Date.UTC(2026, 10, 2, 9, 10));
      const durations = [1_180, 1_190, 1_195, 1_200, 1_205, 1_210, 1_220];
      const events = seven.map((user, i) => ({
        id: id(), type: 'track', ts: Date.UTC(2026, 10, 2, 9, 30), sessionId: `ses_${user}_${Date.UTC(2026, 10, 2, 9, 10)}`, subject: t.subjectFor(user), name: 'report.exported', durationMs: durations[i],
      }));
      expect((await t.post('/v1/batch', { writeKey: t.project.writeKey, sentAt: t.clock.now(), tz: 'Europe/Brussels', device: 'desktop', sdk: 'test/1', events })).status).toBe(200);
      const { body } = await get('/v1/stats/features?from=2026-11-02&to=2026-11-03');
      // The true p50 is 1 200 (rank 4 of 7) and p90 1 220 (rank 7): answered 1 197 and 1 222.
      expect(body.relativeAccuracy).toBe(0.01);
      expect(body.features).toEqual([{ name: 'report.exported', events: 7, users: 7, timed: 7, meanMs: 1_200, p50Ms: 1_197, p90Ms: 1_222, timingHidden: false }]);
      expect(Math.abs(body.features[0].p50Ms - 1_200) / 1_200).toBeLessThan(0.02);
    });

    it('feature trends per day: a cell under k is hidden, and the CSV is the same rows', async () => {
      t.clock.set(Date.UTC(2026, 10, 2, 6));
      const six = users('f', 6);
      for (const user of six) await consent(user, BOTH);
      const trackAt = async (people: readonly string[], ts: number) => {
        await sessions(people, ts);
        const events = people.map((user) => ({ id: id(), type: 'track', ts: ts + 60_000, sessionId: `ses_${user}_${ts}`.slice(0, 60), subject: t.subjectFor(user), name: 'report.exported' }));
        expect((await t.post('/v1/batch', { writeKey: t.project.writeKey, sentAt: t.clock.now(), tz: 'Europe/Brussels', device: 'desktop', sdk: 'test/1', events })).status).toBe(200);
      };
      await trackAt(six, Date.UTC(2026, 10, 2, 9, 10));
      await trackAt(six.slice(0, 3), Date.UTC(2026, 10, 3, 9, 10));
      const { body } = await get('/v1/stats/feature-trends?from=2026-11-02&to=2026-11-04');
      expect(body).toMatchObject({ grain: 'day', k: 5, features: ['report.exported'], suppressedFeatures: 0 });
      expect(body.buckets).toEqual([
        { start: '2026-11-02T00:00+01:00', cells: [{ name: 'report.exported', events: 6, users: 6, suppressed: false }] },
        { start: '2026-11-03T00:00+01:00', cells: [{ name: 'report.exported', events: null, users: null, suppressed: true }] },
      ]);
      const response = await fetch(`${t.url}/v1/stats/feature-trends?from=2026-11-02&to=2026-11-04&format=csv`, { headers: { authorization: `Bearer ${t.project.analystKey}` } });
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(await response.text()).toBe('start,feature,events,users,hidden\n2026-11-02T00:00+01:00,report.exported,6,6,false\n2026-11-03T00:00+01:00,report.exported,,,true\n');
      expect((await get('/v1/stats/usage?format=xml')).status).toBe(400);
    });

    it('an objector to update_timing counts in usage, not in the heatmap or windows; a restricted subject in neither', async () => {
      t.clock.set(Date.UTC(2026, 10, 2, 6));
      for (const user of users('p', 5)) await consent(user, BOTH);
      await consent('objector', { statistics: true }, { objections: ['update_timing'] });
      const { subjectToken } = await consent('restricted', BOTH);
      const at = Date.UTC(2026, 10, 3, 9, 10); // Tue 10:10 CET
      await sessions([...users('p', 5), 'objector', 'restricted'], at);
      const restrict = await t.post('/v1/me/restrict', { restricted: true }, { authorization: `Bearer ${subjectToken}` });
      expect(restrict.status).toBe(200);
      t.clock.set(Date.UTC(2026, 10, 10, 12)); // the next week
      const usage = await get('/v1/stats/usage?grain=hour&from=2026-11-03T09:00:00Z&to=2026-11-03T10:00:00Z');
      expect(usage.body.buckets[0]).toMatchObject({ activeUsers: 6, sessions: 6 });
      const heatmap = await get('/v1/stats/heatmap?weeks=1');
      expect(heatmap.body.cells.find((c: { day: string; hour: number }) => c.day === 'Tue' && c.hour === 10)).toEqual({ day: 'Tue', hour: 10, mean: 5, instances: 1, suppressed: false });
      expect(heatmap.body.cells.filter((c: { suppressed: boolean }) => !c.suppressed)).toHaveLength(1);
      const windows = await get('/v1/stats/update-windows?weeks=1&duration=1h&days=tue&hours=10');
      expect(windows.body.windows).toEqual([
        expect.objectContaining({ day: 'Tue', start: '10:00', end: '11:00', users: 5, sessions: 5, share: 1, weeksObserved: 1, suppressed: false }),
      ]);
    });
  });

  describe('a zone whose offset is not a whole number of hours', () => {
    // Asia/Kolkata is UTC+05:30: an hour of aggregates belongs to the local hour its UTC start
    // falls in (04:00 UTC is 09:30 IST, so local 09:00-10:00 holds it).
    it('gives the heatmap and the windows the hours of aggregates that start inside them', async () => {
      t.clock.set(Date.UTC(2026, 10, 2, 6));
      for (const user of users('i', 5)) await consent(user, BOTH);
      await sessions(users('i', 5), Date.UTC(2026, 10, 3, 4, 10)); // Tue 09:40 IST
      t.clock.set(Date.UTC(2026, 10, 10, 12)); // the next week
      const heatmap = await get('/v1/stats/heatmap?weeks=1&tz=Asia/Kolkata');
      expect(heatmap.body.cells.filter((c: { suppressed: boolean }) => !c.suppressed)).toEqual([{ day: 'Tue', hour: 9, mean: 5, instances: 1, suppressed: false }]);
      const windows = await get('/v1/stats/update-windows?weeks=1&duration=1h&days=tue&hours=9&tz=Asia/Kolkata');
      expect(windows.body.windows).toEqual([
        expect.objectContaining({ day: 'Tue', start: '09:00', end: '10:00', users: 5, sessions: 5, share: 1, weeksObserved: 1, suppressed: false }),
      ]);
    });
  });

  describe('update windows on a synthetic fortnight', () => {
    // Tuesday night, local Brussels: disjoint groups per hour, so a window's users are a sum.
    const groups = [9, 8, 5, 6, 8, 9]; // 00:00 ... 05:00
    async function fortnight() {
      t.clock.set(Date.UTC(2026, 10, 29, 12));
      for (const [hour, size] of groups.entries()) for (const user of users(`h${hour}_`, size)) await consent(user, BOTH);
      for (const week of [0, 1]) {
        for (const [hour, size] of groups.entries()) {
          // Tue 2026-12-01 00:00 CET is 2026-11-30T23:00Z.
          await sessions(users(`h${hour}_`, size), Date.UTC(2026, 10, 30, 23 + hour, 5) + week * 7 * 24 * HOUR);
        }
      }
      t.clock.set(Date.UTC(2026, 11, 14, 11)); // Mon 14 Dec, 12:00 CET
    }

    it('ranks the known quietest window first with the disruption computed by hand', async () => {
      await fortnight();
      const { body } = await get('/v1/stats/update-windows?weeks=2&duration=2h&days=tue&hours=0-5&notice=48h');
      expect(body.candidates).toBe(5);
      // 02:00-04:00: users 5 + 6 = 11 each week; sessions started in it (5 + 6) plus in the hour
      // before (8) = 19; share 11 / (9 + 8 + 5 + 6 + 8 + 9) = 11 / 45.
      expect(body.windows[0]).toEqual({
        rank: 1, day: 'Tue', start: '02:00', end: '04:00', durationHours: 2, next: '2026-12-22T02:00+01:00',
        users: 11, sessions: 19, share: Math.round((11 / 45) * 10_000) / 10_000, spread: { min: 11, max: 11, stdev: 0 },
        weeksObserved: 2, suppressed: false,
        reason: 'Tue 02:00-04:00: 11 active users and 19 open sessions on average (24.44% of weekly activity), 11-11 across 2 weeks',
      });
      // Non-overlapping runners-up: 00:00-02:00 (17 users) and 04:00-06:00 (17 users, 6 + 17 sessions).
      expect(body.windows.map((w: { start: string; users: number; sessions: number }) => [w.start, w.users, w.sessions])).toEqual([
        ['02:00', 11, 19], ['00:00', 17, 17], ['04:00', 17, 23],
      ]);
      // Cadence: every subject came back after exactly 7 days.
      expect(body.cadence.bins.find((b: { label: string }) => b.label === '4-7 days')).toEqual({ label: '4-7 days', intervals: 45, share: 1, suppressed: false });
      expect(body.cadence.medianDays).toBe(7);
    });

    it('respects the allowed hours', async () => {
      await fortnight();
      const { body } = await get('/v1/stats/update-windows?weeks=2&duration=2h&days=tue&hours=0-1,4-5');
      expect(body.windows.map((w: { start: string; users: number }) => [w.start, w.users])).toEqual([['00:00', 17], ['04:00', 17]]);
      const heatmap = await get('/v1/stats/heatmap?weeks=2');
      expect(heatmap.body.cells.filter((c: { suppressed: boolean }) => !c.suppressed).map((c: { hour: number; mean: number }) => [c.hour, c.mean])).toEqual(
        groups.map((size, hour) => [hour, size]),
      );
    });
  });
});
