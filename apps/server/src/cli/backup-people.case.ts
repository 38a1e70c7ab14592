/**
 * People for the backup and restore tests: each with ids and a text no one else sends, so an
 * attacker's search of a file's bytes finds exactly theirs; they visit in the hour of the
 * timed sessions (or at a time given), which `usersOfTheHour` counts.
 */
import { expect } from 'vitest';
import type { TestServer } from '../testing/test-server.js';
import { runStatsCommand } from './stats-commands.js';
import { TIMED_AT } from './timed-sessions.case.js';

/** Users of the statistics hour that starts 10 minutes before `at`, as `heed stats usage` prints them. */
export async function usersOfTheHour(server: TestServer, at = TIMED_AT): Promise<string> {
  let text = '';
  const hour = { project: server.project.projectId, grain: 'hour', from: new Date(at - 600_000).toISOString(), to: new Date(at + 3_000_000).toISOString(), format: 'csv' };
  expect(await runStatsCommand(server.server.services, 'stats', 'usage', hour, (chunk) => (text += chunk))).toBe(0);
  return text.split('\n')[1]!.split(',')[1]!;
}

/** A person with ids and a text no one else sends; `consent` first, then `visit` at `at` (the timed sessions' time). */
export function person(t: TestServer, userId: string, at = TIMED_AT) {
  const subject = t.subjectFor(userId);
  const sessionId = `ses_${userId}_backup_0001`;
  const events = Array.from({ length: 40 }, (_, n) => ({
    id: `evt_${userId}_backup_${String(n).padStart(4, '0')}`, type: 'track', name: 'report.exported', subject, sessionId, ts: at + n,
    props: { note: `${userId}-secret-${String(n).padStart(4, '0')}-${'x'.repeat(200)}` },
  }));
  return {
    /** What an attacker searches the copy for. */
    needles: [sessionId, ...events.flatMap((event) => [event.id, event.props.note.slice(0, userId.length + 12)])],
    async consent(): Promise<string> {
      const response = await t.post('/v1/consent', { writeKey: t.project.writeKey, subject, policyVersion: '2026-11-01', purposes: { statistics: true, update_timing: true }, ts: t.clock.now() });
      return ((await response.json()) as { subjectToken: string }).subjectToken;
    },
    async visit(): Promise<void> {
      const response = await t.post('/v1/batch', { writeKey: t.project.writeKey, sentAt: t.clock.now(), tz: 'UTC', device: 'desktop', sdk: 'test/1', events });
      expect(((await response.json()) as { accepted: number }).accepted).toBe(40);
    },
  };
}

