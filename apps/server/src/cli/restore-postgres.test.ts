/**
 * `heed restore --replaced URL` on PostgreSQL: a `pg_dump` taken while the server runs, then
 * erasures, a restriction, a withdrawal and an objection; the dump restored with `pg_restore`
 * into a new database, and what people asked for since applied again from the one it replaces.
 * Refused, with nothing changed, while a server still runs on the replaced database, when it
 * is the configured one and when it is no Heed database.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { TABLES } from '../store/rules/tables.js';
import { createTestDatabase, queryPostgres, type TestDatabase } from '../testing/test-databases.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { CARRIED_LINE, expectCarriedOver, requestsSinceBackup, restorePeopleVisit } from './backup-people.case.js';
import { runCli } from './run-cli.js';

/** The visits' time: the hour before the real one, since `heed restore` runs retention by the real clock. */
const AT = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_000_000;

let dir: string;
let dataDir: string;
let replaced: TestDatabase;
let restored: TestDatabase;
let t: TestServer | undefined;
let out: string[];
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'heed-restore-pg-'));
  dataDir = join(dir, 'data');
  [replaced, restored] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  t = await startTestServer({ start: AT - 86_400_000, store: 'postgres', databaseUrl: replaced.url, dataDir });
  out = [];
  vi.spyOn(console, 'log').mockImplementation((...line: unknown[]) => void out.push(line.join(' ')));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await t?.close();
  await Promise.all([replaced.drop(), restored.drop()]);
  rmSync(dir, { recursive: true, force: true });
});

/** Every row of every table, sorted: equal exactly when nothing in the database changed. */
async function dumpOf(url: string): Promise<Record<string, string[]>> {
  const dump: Record<string, string[]> = {};
  for (const table of TABLES) dump[table] = (await queryPostgres<unknown>(url, `SELECT * FROM ${table}`, [])).map((row) => JSON.stringify(row)).sort();
  return dump;
}
const restore = (...flags: string[]) => runCli(['restore', ...flags, '--db', restored.url, '--data-dir', dataDir]);

it('applies again, from the database a pg_restore replaces, the erasure, restriction, withdrawal and objection made since the dump', async () => {
  const server = t!;
  const { tokens } = await restorePeopleVisit(server, AT);
  const dump = join(dir, 'heed.dump');
  execFileSync('pg_dump', ['--format=custom', '--file', dump, '--dbname', replaced.url]);
  await requestsSinceBackup(server, tokens, AT);
  execFileSync('pg_restore', ['--no-owner', '--dbname', restored.url, dump]);
  const eveEvents = "SELECT count(*) AS n FROM events WHERE id LIKE 'evt_eve_%'";
  expect(await queryPostgres(restored.url, eveEvents, [])).toEqual([{ n: 40 }]);

  // A server still on the replaced database: refused, and the restored one does not change
  // (the replaced one's counters the running server folds on its own: its people are compared).
  const people = 'SELECT * FROM subjects ORDER BY pseudonym';
  const [replacedBefore, restoredBefore] = [await queryPostgres(replaced.url, people, []), await dumpOf(restored.url)];
  await expect(restore('--replaced', replaced.url)).rejects.toThrow(/^restore refused, nothing changed: 127\.0\.0\.1:5432\/heed_t_[0-9a-f]+ is in use by [1-9]\d* other connection\(s\): stop the servers \(and any heed command\) still on it first$/);
  expect(await queryPostgres(replaced.url, people, [])).toEqual(replacedBefore);
  expect(await dumpOf(restored.url)).toEqual(restoredBefore);
  await server.close();
  t = undefined;

  expect(await restore('--replaced', replaced.url)).toBe(0);
  const name = (url: string) => `127.0.0.1:5432${new URL(url).pathname}`;
  expect(out.slice(-3)).toEqual([
    `restored database ${name(restored.url)}, replacing ${name(replaced.url)}`,
    CARRIED_LINE,
    'retention: rawEvents 0, sessions 0, activity 0, aggregates 0, rightsRequests 0, subjects 0, consentLedger 0 deleted',
  ]);
  expect(await queryPostgres(restored.url, eveEvents, [])).toEqual([{ n: 0 }]);
  expect(await queryPostgres(restored.url, "SELECT count(*) AS n FROM sessions WHERE session_id = 'ses_eve_backup_0001'", [])).toEqual([{ n: 0 }]);
  expect(await queryPostgres(restored.url, "SELECT count(*) AS n FROM events WHERE id LIKE 'evt_ann_%'", [])).toEqual([{ n: 40 }]);

  t = await startTestServer({ start: server.clock.now(), store: 'postgres', databaseUrl: restored.url, dataDir, project: server.project });
  await expectCarriedOver(t, AT);
});

it('refuses the configured database, one that is not Heed or not there (naming it without its password), and a missing flag, changing nothing', async () => {
  await t!.close();
  t = undefined;
  const empty = await createTestDatabase();
  try {
    const before = await dumpOf(replaced.url);
    execFileSync('pg_dump', ['--format=custom', '--file', join(dir, 'heed.dump'), '--dbname', replaced.url]);
    execFileSync('pg_restore', ['--no-owner', '--dbname', restored.url, join(dir, 'heed.dump')]);
    const restoredBefore = await dumpOf(restored.url);
    const refused = 'restore refused, nothing changed: ';
    await expect(restore('--replaced', restored.url)).rejects.toThrow(`${refused}127.0.0.1:5432${new URL(restored.url).pathname} is the configured database: --replaced names the database the restored one takes the place of`);
    await expect(restore('--replaced', empty.url)).rejects.toThrow(`${refused}127.0.0.1:5432${new URL(empty.url).pathname} is not a Heed database (no projects or subjects table)`);
    // A password in the URL is never printed.
    const missing = restore('--replaced', 'postgres://root:s3cret-word@127.0.0.1:5432/heed_no_such_database');
    await expect(missing).rejects.toThrow(`${refused}127.0.0.1:5432/heed_no_such_database cannot be read: database "heed_no_such_database" does not exist`);
    await expect(missing).rejects.not.toThrow('s3cret');
    await expect(restore('--replaced', 'not a url')).rejects.toThrow(`${refused}--replaced takes the URL of the database the backup replaced (postgres://user@host:port/database)`);
    await expect(restore('--from', join(dir, 'heed.dump'))).rejects.toThrow('on PostgreSQL, restore with pg_restore into a new database, configure the server with it, then run heed restore --replaced URL (the database it replaces)');
    expect(await dumpOf(replaced.url)).toEqual(before);
    expect(await dumpOf(restored.url)).toEqual(restoredBefore);
  } finally {
    await empty.drop();
  }
});
