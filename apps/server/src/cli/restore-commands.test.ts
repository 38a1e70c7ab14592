/**
 * `heed restore`: a backup put back once the server stopped, with what people asked for since
 * the backup was taken applied again: an erasure stays an erasure (its events are not in the
 * restored files' bytes), a restriction, a withdrawal and an objection stay in force, and the
 * ledger says the operator's restore did it. Refused, with nothing changed, while the server
 * runs or when the file is no Heed backup.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { CARRIED_LINE, expectCarriedOver, requestsSinceBackup, restorePeopleVisit } from './backup-people.case.js';
import { runCli } from './run-cli.js';

/**
 * The visits' time: 10 minutes past the hour before the real one, since `heed restore` runs
 * retention by the real clock (data of a fixed date would age past its period).
 */
const AT = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_000_000;

let dir: string;
let dataDir: string;
let t: TestServer;
let out: string[];
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'heed-restore-'));
  dataDir = join(dir, 'data');
  t = await startTestServer({ start: AT - 86_400_000, store: 'sqlite', dataDir });
  out = [];
  vi.spyOn(console, 'log').mockImplementation((...line: unknown[]) => void out.push(line.join(' ')));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const bytesOf = (path: string) => Buffer.concat([readFileSync(path), ...[`${path}-wal`].flatMap((wal) => { try { return [readFileSync(wal)]; } catch { return []; } })]);

it('puts the backup back and applies again the erasure, restriction, withdrawal and objection made since', async () => {
  const { people, tokens } = await restorePeopleVisit(t, AT);
  const backup = join(dir, 'backup.db');
  expect(await runCli(['backup', '--to', backup, '--data-dir', dataDir])).toBe(0);

  await requestsSinceBackup(t, tokens, AT);

  // Restoring under a running server is refused, and changes nothing.
  const before = await t.snapshot();
  await expect(runCli(['restore', '--from', backup, '--data-dir', dataDir])).rejects.toThrow(`restore refused, nothing changed: ${t.dbPath} is open in another process: stop the server (and any heed command) first`);
  expect(await t.snapshot()).toEqual(before);
  await t.close();

  expect(await runCli(['restore', '--from', backup, '--data-dir', dataDir])).toBe(0);
  expect(out.slice(1)).toEqual([
    expect.stringMatching(new RegExp(`^restored ${backup} as ${t.dbPath}: \\d+ bytes$`)),
    CARRIED_LINE,
    'retention: rawEvents 0, sessions 0, activity 0, aggregates 0, rightsRequests 0, subjects 0, consentLedger 0 deleted',
  ]);
  expect(people.get('eve')!.needles.filter((needle) => bytesOf(t.dbPath).includes(needle))).toEqual([]);

  t = await startTestServer({ start: t.clock.now(), store: 'sqlite', dataDir, project: t.project });
  await expectCarriedOver(t, AT);
});

it('refuses a file that is not a Heed backup, and changes nothing', async () => {
  const before = await t.snapshot();
  await t.close();
  const junk = join(dir, 'junk.db');
  writeFileSync(junk, 'not a database at all, but long enough to look like one '.repeat(200));
  await expect(runCli(['restore', '--from', junk, '--data-dir', dataDir])).rejects.toThrow(`restore refused, nothing changed: ${junk} is`);
  await expect(runCli(['restore', '--from', join(dir, 'missing.db'), '--data-dir', dataDir])).rejects.toThrow(`restore refused, nothing changed: ${join(dir, 'missing.db')} does not exist`);
  await expect(runCli(['restore', '--data-dir', dataDir])).rejects.toThrow('restore needs --from FILE (a heed backup)');
  t = await startTestServer({ start: t.clock.now(), store: 'sqlite', dataDir, project: t.project });
  expect(await t.snapshot()).toEqual(before);
});
