/** The Node entry from a plain Node program against the real server. */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '@heed/server/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

const run = promisify(execFile);
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ start: Date.now() });
});
afterAll(() => t?.close());

it('records a consented user identified with the assertion its backend signed, from a plain Node program', async () => {
  const app = fileURLToPath(new URL('./fixtures/node-app.mjs', import.meta.url));
  const stateFile = `${t.dataDir}/sdk-state.json`;
  const { stdout } = await run(process.execPath, [app], {
    env: { ...process.env, HEED_URL: t.url, HEED_WRITE_KEY: t.project.writeKey, HEED_PROJECT: t.project.projectId, HEED_USER: 'node-user-42', HEED_STATE_FILE: stateFile, HEED_IDENTITY_SECRET: t.project.identitySecret },
  });
  expect(JSON.parse(stdout)).toEqual({ consent: 'granted', errors: [] });
  const pseudonym = t.server.services.pseudonymizer.pseudonym(t.project.projectId, t.subjectFor('node-user-42'));
  const rows = await t.query<{ type: string; name: string | null; duration_ms: number | null; pseudonym: string }>(
    `SELECT type, name, duration_ms, pseudonym FROM events WHERE type = 'track' ORDER BY name`,
  );
  expect(rows.map((row) => [row.name, row.pseudonym === pseudonym])).toEqual([['report.exported', true], ['report.rendered', true]]);
  expect(rows[1]!.duration_ms).toBeGreaterThanOrEqual(50);
  // The user id stays on the device side: neither the SDK's state file nor the server keeps it.
  expect(existsSync(stateFile)).toBe(true);
  expect(statSync(stateFile).mode & 0o777).toBe(0o600);
  expect(readFileSync(stateFile, 'utf8')).not.toContain('node-user-42');
}, 60_000);
