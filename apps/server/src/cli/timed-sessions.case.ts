/**
 * The population the statistics command tests read: six people who consent to both purposes,
 * each with one session on Tuesday 3 November 2026 at 10:10 CET and one `report.exported` timed
 * at 300 ms; the clock then moves to the next week, so the heatmap and windows read that week.
 */
import type { TestServer } from '../testing/test-server.js';

/** When the sessions start: Tue 3 Nov, 10:10 CET. */
export const TIMED_AT = Date.UTC(2026, 10, 3, 9, 10);
/** The test server's start: the day before. */
export const TIMED_START = Date.UTC(2026, 10, 2, 12);

/** Sends the population through `t`'s real pipeline; `prefix` keeps its ids apart from another test's. */
export async function sendTimedSessions(t: TestServer, prefix: string): Promise<void> {
  const subjects = Array.from({ length: 6 }, (_, i) => t.subjectFor(`${prefix}${i}`));
  for (const subject of subjects) {
    await t.post('/v1/consent', { writeKey: t.project.writeKey, subject, policyVersion: '2026-11-01', purposes: { statistics: true, update_timing: true }, ts: t.clock.now() });
  }
  t.clock.set(TIMED_AT + 3_600_000);
  const events = subjects.flatMap((subject, i) => [
    { id: `evt_${prefix}_${i}_start_000`, type: 'session_start', ts: TIMED_AT, sessionId: `ses_${prefix}_${i}_0000`, subject },
    { id: `evt_${prefix}_${i}_track_000`, type: 'track', ts: TIMED_AT + 1_000, sessionId: `ses_${prefix}_${i}_0000`, subject, name: 'report.exported', durationMs: 300 },
  ]);
  await t.post('/v1/batch', { writeKey: t.project.writeKey, sentAt: t.clock.now(), tz: 'Europe/Brussels', device: 'desktop', sdk: 'test/1', events });
  t.clock.set(Date.UTC(2026, 10, 10, 12));
}
