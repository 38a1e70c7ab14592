/** Retention with a controlled clock: each class goes exactly when its period has passed. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { TEST_START, startTestServer, type TestServer } from '../testing/test-server.js';
import { runRetention } from './run-retention.js';

const DAY = 86_400_000;
let t: TestServer;

beforeEach(async () => {
  t = await startTestServer();
  const subject = t.subjectFor('retained');
  const consent = await t.post('/v1/consent', { writeKey: t.project.writeKey, subject, policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START });
  const { subjectToken } = (await consent.json()) as { subjectToken: string };
  for (const [n, ts] of [TEST_START - 2 * DAY, TEST_START - DAY].entries()) {
    await t.post('/v1/batch', {
      writeKey: t.project.writeKey, sentAt: ts, tz: 'UTC', device: 'desktop', sdk: 'test/1',
      events: [{ id: `evt_ret_${n}_000000`, type: 'session_start', subject, sessionId: `ses_ret_${n}_0000`, ts }],
    });
    t.clock.advance(DAY);
  }
  await fetch(`${t.url}/v1/me`, { headers: { authorization: `Bearer ${subjectToken}` } });
});
afterEach(() => t.close());

const counts = async () => {
  const all = await t.server.services.store.counts();
  return { events: all.events, sessions: all.sessions, activity: all.activity, aggregates: all.aggregates, rights_requests: all.rights_requests, consent_ledger: all.consent_ledger };
};

it('keeps everything within its period, and deletes each class once its period has passed', async () => {
  const start = await counts();
  expect(start).toMatchObject({ events: 2, sessions: 2, rights_requests: 1, consent_ledger: 1 });
  // Events arrived at TEST_START and TEST_START + 1 day; the clock is now TEST_START + 2 days.
  expect((await runRetention(t.server.services)).deleted).toEqual({ rawEvents: 0, sessions: 0, activity: 0, aggregates: 0, rightsRequests: 0 });

  t.clock.set(TEST_START + 30 * DAY + 1);
  const progress: string[] = [];
  const first = await runRetention(t.server.services, { chunk: 1, onProgress: (dataClass, n) => progress.push(`${dataClass}:${n}`) });
  expect(first.deleted.rawEvents).toBe(1);
  expect(progress).toContain('rawEvents:1');
  expect(await counts()).toMatchObject({ events: 1, aggregates: start.aggregates, consent_ledger: 1 });
  // SQLite's locators of a subject's events (schema.ts `subject_runs`) leave with the events.
  expect((await t.server.services.store.counts()).subject_runs).toBe(1);

  t.clock.set(TEST_START + 12 * 7 * DAY + 2 * DAY);
  const second = await runRetention(t.server.services);
  expect(second.deleted).toMatchObject({ rawEvents: 1, sessions: 2, aggregates: 0, rightsRequests: 0 });
  expect(second.deleted.activity).toBe(start.activity);
  // Aggregates stay 25 months; the consent proof is never pruned by this job.
  expect(await counts()).toEqual({ events: 0, sessions: 0, activity: 0, aggregates: start.aggregates, rights_requests: 1, consent_ledger: 1 });
  expect((await t.server.services.store.counts()).subject_runs).toBe(0);

  t.clock.set(Date.UTC(2029, 0, 1));
  const third = await runRetention(t.server.services);
  expect(third.deleted.aggregates).toBe(start.aggregates);
  expect(third.deleted.rightsRequests).toBe(0);
  t.clock.set(Date.UTC(2031, 11, 1));
  expect((await runRetention(t.server.services)).deleted.rightsRequests).toBe(1);
  expect(await counts()).toEqual({ events: 0, sessions: 0, activity: 0, aggregates: 0, rights_requests: 0, consent_ledger: 1 });
});
