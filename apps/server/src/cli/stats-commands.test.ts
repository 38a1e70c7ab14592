/** The statistics commands on a real store: tables for people, CSV and JSON for machines. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { runStatsCommand } from './stats-commands.js';
import { sendTimedSessions, TIMED_AT, TIMED_START } from './timed-sessions.case.js';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ start: TIMED_START });
  await sendTimedSessions(t, 'cli');
});
afterAll(async () => {
  await t.close();
});

async function run(command: string, sub: string | undefined, flags: Record<string, string | boolean>) {
  let text = '';
  const code = await runStatsCommand(t.server.services, command, sub, { project: t.project.projectId, ...flags }, (chunk) => (text += chunk));
  return { code, text };
}

describe('heed stats and heed windows', () => {
  it('prints usage as a table with hidden cells as <k, and as CSV with them empty', async () => {
    const table = await run('stats', 'usage', { grain: 'hour', from: '2026-11-03T09:00:00Z', to: '2026-11-03T11:00:00Z' });
    expect(table.code).toBe(0);
    expect(table.text.split('\n').slice(2, 6)).toEqual([
      'start                   users  sessions  active_min  events',
      '----------------------  -----  --------  ----------  ------',
      '2026-11-03T10:00+01:00      6         6           0       6',
      '2026-11-03T11:00+01:00     <5        <5          <5      <5',
    ]);
    const csv = await run('stats', 'usage', { grain: 'hour', from: '2026-11-03T09:00:00Z', to: '2026-11-03T11:00:00Z', format: 'csv' });
    expect(csv.text).toBe('start,users,sessions,active_min,events,hidden\n2026-11-03T10:00+01:00,6,6,0,6,false\n2026-11-03T11:00+01:00,,,,,true\n');
  });

  it('tells a feature never timed (-) from a hidden figure (<k)', async () => {
    const untimed = Array.from({ length: 5 }, (_, i) => ({
      id: `evt_cli_${i}_untimed_00`, type: 'track', ts: TIMED_AT + 2_000, sessionId: `ses_cli_${i}_0000`, subject: t.subjectFor(`cli${i}`), name: 'help.opened',
    }));
    const now = t.clock.now();
    t.clock.set(TIMED_AT + 3_600_000);
    await t.post('/v1/batch', { writeKey: t.project.writeKey, sentAt: t.clock.now(), tz: 'Europe/Brussels', device: 'desktop', sdk: 'test/1', events: untimed });
    t.clock.set(now);
    const table = await run('stats', 'features', { from: '2026-11-03', to: '2026-11-04' });
    const lines = table.text.split('\n');
    expect(lines.find((line) => line.startsWith('help.opened'))).toBe('help.opened           5      5      0        -       -       -');
    expect(table.text).toContain('<5: hidden (fewer than 5 people); -: not measured (never timed).');
    const csv = await run('stats', 'features', { from: '2026-11-03', to: '2026-11-04', format: 'csv' });
    expect(csv.text.split('\n')).toContain('help.opened,5,5,0,,,,false');
  });

  it('prints features, the terminal heatmap and the windows', async () => {
    const features = await run('stats', 'features', { from: '2026-11-03', to: '2026-11-04', json: true });
    // (help.opened comes from the test above.)
    expect(JSON.parse(features.text).features.filter((f: { name: string }) => f.name === 'report.exported')).toEqual([{ name: 'report.exported', events: 6, users: 6, timed: 6, meanMs: 300, p50Ms: 298, p90Ms: 298, timingHidden: false }]);
    const trends = await run('stats', 'trends', { from: '2026-11-03', to: '2026-11-04', format: 'csv' });
    expect(trends.text.split('\n')).toContain('2026-11-03T00:00+01:00,report.exported,6,6,false');
    const heatmap = await run('stats', 'heatmap', { weeks: '1' });
    const rows = heatmap.text.split('\n').filter((line) => /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) /.test(line));
    expect(rows).toHaveLength(7);
    expect(rows[1]!.slice(5 + 20, 5 + 22)).toBe('██');
    const windows = await run('windows', undefined, { weeks: '1', duration: '1h', days: 'tue', hours: '10' });
    expect(windows.text).toContain('1. Tue 10:00-11:00: 6 active users and 6 open sessions on average (100% of weekly activity), 6-6 across 1 week');
    await expect(run('windows', undefined, { duration: 'soon' })).rejects.toThrow('--duration: must be a duration');
  });
});
