/** The rights commands from a real CLI process against a real SQLite file. */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BUILT_CLI } from '../testing/server-process.js';
import { TEST_START, startTestServer, type TestServer } from '../testing/test-server.js';

const run = promisify(execFile);
// The built CLI, as operators run it (the test script builds before testing).
let t: TestServer;

const heed = (...args: string[]) =>
  run(process.execPath, [BUILT_CLI, ...args], { env: { ...process.env, HEED_DATA_DIR: t.dataDir } }).then((result) => result.stdout);

beforeAll(async () => {
  t = await startTestServer();
  const subject = t.subjectFor('mail-user');
  await t.post('/v1/consent', { writeKey: t.project.writeKey, subject, policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START });
  await t.post('/v1/batch', {
    writeKey: t.project.writeKey, sentAt: TEST_START, tz: 'Europe/Brussels', device: 'desktop', sdk: 'test/1',
    events: [{ id: 'evt_cli_0000001', type: 'session_start', subject, sessionId: 'ses_cli_00001', ts: TEST_START }],
  });
  await t.server.close();
});
afterAll(() => rmSync(t.dataDir, { recursive: true, force: true }));

it('exports, restricts, objects, erases and lists the requests', async () => {
  const project = t.project.projectId;
  const exported = JSON.parse(await heed('export', '--project', project, '--user', 'mail-user')) as { events: unknown[] };
  expect(exported.events).toHaveLength(1);
  const zipPath = `${t.dataDir}/export.zip`;
  expect(await heed('export', '--project', project, '--user', 'mail-user', '--format', 'csv', '--out', zipPath)).toBe(`export written to ${zipPath} (1 events, 1 ledger entries)\n`);
  expect(Object.keys(unzipSync(readFileSync(zipPath)))).toContain('events.csv');
  expect(await heed('restrict', '--project', project, '--user', 'mail-user')).toBe('{"restricted":true}\n');
  expect(await heed('object', '--project', project, '--user', 'mail-user', '--purpose', 'update_timing')).toBe('{"objected":["update_timing"]}\n');
  expect(JSON.parse(await heed('erase', '--project', project, '--user', 'mail-user'))).toMatchObject({ erased: true, deleted: { events: 1, sessions: 1 } });
  const requests = JSON.parse(await heed('requests', '--project', project, '--json')) as { kind: string; via: string; overdue: boolean }[];
  expect(requests.map((row) => [row.kind, row.via, row.overdue])).toEqual([
    ['access', 'admin', false], ['portability', 'admin', false], ['restriction', 'admin', false], ['objection', 'admin', false], ['erasure', 'admin', false],
  ]);
  await expect(heed('erase', '--project', project, '--user', 'nobody')).rejects.toThrow(/no data is held about this user id/);
}, 120_000);
