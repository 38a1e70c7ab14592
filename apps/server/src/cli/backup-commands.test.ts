/**
 * `heed backup` beside a running server: the copy is the database as of one moment (what the
 * server writes after it is not in it), it carries the statistics snapshot, a server started
 * on it answers as the original did then, and someone who reads its bytes finds nothing of a
 * person erased before it was taken. It never overwrites a file, and it refuses PostgreSQL.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { storedSnapshot } from '../store/activity-index/caches.case.js';
import { createTestDatabase } from '../testing/test-databases.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { runCli } from './run-cli.js';
import { person, usersOfTheHour } from './backup-people.case.js';
import { TIMED_AT, TIMED_START } from './timed-sessions.case.js';

let t: TestServer;
let dir: string;
let out: string[];
beforeEach(async () => {
  t = await startTestServer({ start: TIMED_START, store: 'sqlite' });
  dir = mkdtempSync(join(tmpdir(), 'heed-backup-'));
  out = [];
  vi.spyOn(console, 'log').mockImplementation((...line: unknown[]) => void out.push(line.join(' ')));
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

it('copies the database while the server runs: the snapshot comes along, later writes do not, an erased person is not in it', async () => {
  // Six, so the hour stays above k (5) without eve.
  const others = ['ann', 'bob', 'cem', 'dan', 'fay', 'gus'].map((name) => person(t, name));
  const eve = person(t, 'eve');
  const late = person(t, 'late');
  for (const one of others) await one.consent();
  const eveToken = await eve.consent();
  await late.consent();
  t.clock.set(TIMED_AT + 3_600_000);
  for (const one of [...others, eve]) await one.visit();
  expect(await usersOfTheHour(t)).toBe('7');
  // The erasure rewrites the snapshot of the caches the request above filled, without eve.
  const erased = await fetch(`${t.url}/v1/me`, { method: 'DELETE', headers: { authorization: `Bearer ${eveToken}` } });
  expect(erased.status).toBe(200);
  expect(await usersOfTheHour(t)).toBe('6');
  const snapshot = await storedSnapshot(t);
  expect(snapshot.length).toBeGreaterThan(0);

  const copy = join(dir, 'heed-backup.db');
  expect(await runCli(['backup', '--to', copy, '--data-dir', t.dataDir])).toBe(0);
  expect(out).toEqual([expect.stringMatching(new RegExp(`^backed up to ${copy}: \\d+ bytes in \\d+\\.\\d s$`))]);
  // After the backup: one more person in the original only.
  await late.visit();
  expect(await usersOfTheHour(t)).toBe('7');

  const bytes = readFileSync(copy);
  expect(eve.needles.filter((needle) => bytes.includes(needle))).toEqual([]);
  expect(late.needles.filter((needle) => bytes.includes(needle))).toEqual([]);
  // The search works: the others' ids and texts are there.
  expect(others.flatMap((one) => one.needles).filter((needle) => !bytes.includes(needle))).toEqual([]);
  const file = new Database(copy, { readonly: true });
  try {
    expect(file.pragma('integrity_check', { simple: true })).toBe('ok');
    const parts = file.prepare('SELECT bytes FROM stats_snapshots WHERE project_id = ? ORDER BY part').all(t.project.projectId) as { bytes: Buffer }[];
    expect(Buffer.concat(parts.map((row) => row.bytes)).equals(snapshot)).toBe(true);
  } finally {
    file.close();
  }

  // Restored as docs/operations.md says: the copy as heed.db beside the same key files, no WAL.
  const restoredDir = join(dir, 'restored');
  mkdirSync(restoredDir);
  for (const name of readdirSync(t.dataDir).filter((name) => name.endsWith('.key'))) copyFileSync(join(t.dataDir, name), join(restoredDir, name));
  copyFileSync(copy, join(restoredDir, 'heed.db'));
  const restored = await startTestServer({ start: t.clock.now(), store: 'sqlite', dataDir: restoredDir, project: t.project });
  try {
    expect(await usersOfTheHour(restored)).toBe('6');
    // Eve stays erased: her decision is refused, as before the backup.
    const again = await restored.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor('eve'), policyVersion: '2026-11-01', purposes: { statistics: true }, ts: restored.clock.now() });
    expect(again.status).toBe(409);
  } finally {
    await restored.close();
  }
});

it('never overwrites a file, and names what to do instead', async () => {
  const copy = join(dir, 'taken.db');
  writeFileSync(copy, 'something else');
  await expect(runCli(['backup', '--to', copy, '--data-dir', t.dataDir])).rejects.toThrow(`${copy} already exists: a backup goes into a new file`);
  expect(readFileSync(copy, 'utf8')).toBe('something else');
  await expect(runCli(['backup', '--data-dir', t.dataDir])).rejects.toThrow('backup needs --to FILE (a new file)');
});

it('refuses PostgreSQL, naming its own tools', async () => {
  const database = await createTestDatabase();
  try {
    vi.stubEnv('HEED_DATABASE_URL', database.url);
    await expect(runCli(['backup', '--to', join(dir, 'pg.db'), '--data-dir', t.dataDir])).rejects.toThrow('back PostgreSQL up and restore it with its own tools (pg_dump and pg_restore, or a base backup)');
  } finally {
    await database.drop();
  }
});
