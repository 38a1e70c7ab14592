/**
 * A database from before identity verification and the keyed ledger (the migrations up to
 * the release before it) opens with this one, on each store: its subject token still works,
 * its project moves to `report` mode (nothing refused until the operator enforces), and its
 * unkeyed chain is checked and re-sealed under the ledger key at start, so `heed ledger
 * verify` passes and keeps passing as decisions are added. A chain tampered with before the
 * upgrade is left exactly as it was and fails verification.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueKey } from '../crypto/api-keys.js';
import { sha256Hex } from '../crypto/digest.js';
import { migrationsFolder } from '../store/migrations-folder.js';
import type { LedgerEntry } from '../store/store.js';
import { createTestDatabase, queryPostgres, storesUnderTest, type TestDatabase, type TestStoreKind } from '../testing/test-databases.js';
import { TEST_START, startTestServer, type TestServer } from '../testing/test-server.js';
import { GENESIS_HASH, legacyChainHash } from './chain.js';
import { verifyLedger } from './verify-ledger.js';

const P = 'p_before';
/** The migrations each store had before this change. */
const BEFORE = { sqlite: 6, postgres: 4 } as const;
const LEGACY = [
  { pseudonym: 'ann', action: 'decision', detail: { granted: ['statistics'], denied: [], objected: [], gpc: false } },
  { pseudonym: 'bob', action: 'decision', detail: { granted: ['statistics'], denied: [], objected: [], gpc: false } },
  { pseudonym: 'ann', action: 'restrict', detail: { via: 'subject' } },
];

describe.each(storesUnderTest())('a pre-identity database on %s', (store: TestStoreKind) => {
  let dir: string;
  let database: TestDatabase | undefined;
  let t: TestServer | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'heed-ledger-upgrade-'));
    if (store === 'postgres') database = await createTestDatabase();
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The migrations folder as the release before shipped it. */
  function earlierMigrations(): string {
    const folder = join(dir, 'migrations');
    cpSync(migrationsFolder(store), folder, { recursive: true });
    const journalPath = join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: unknown[] };
    writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, BEFORE[store]) }));
    return folder;
  }

  /** Builds the old database: a project, a write and an admin key, two subjects (one token), an unkeyed chain. */
  async function buildBefore(tamper: boolean): Promise<{ token: string; writeKey: string }> {
    const writeKey = issueKey('write');
    const token = 'LegacySubjectToken_0123456789abcd';
    const statements: [string, unknown[]][] = [
      ['INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?)', [P, 'Before', TEST_START]],
      ["INSERT INTO api_keys (id, project_id, kind, hash, label, created_at) VALUES (?, ?, 'write', ?, '', ?)", [writeKey.id, P, writeKey.hash, TEST_START]],
      ["INSERT INTO subjects (project_id, pseudonym, key_id, created_at, token_hash, consent_version, consent_granted) VALUES (?, 'ann', 'k', ?, ?, '2026-11-01', '[\"statistics\"]')", [P, TEST_START, sha256Hex(token)]],
      ["INSERT INTO subjects (project_id, pseudonym, key_id, created_at, consent_version, consent_granted) VALUES (?, 'bob', 'k', ?, '2026-11-01', '[\"statistics\"]')", [P, TEST_START]],
    ];
    let prevHash = GENESIS_HASH;
    for (const [n, entry] of LEGACY.entries()) {
      const fields = { projectId: P, pseudonym: entry.pseudonym, action: entry.action, policyVersion: '2026-11-01', detailJson: JSON.stringify(entry.detail), at: TEST_START + n };
      const hash = legacyChainHash(prevHash, fields);
      const detail = tamper && n === 1 ? fields.detailJson.replace('["statistics"]', '[]') : fields.detailJson;
      statements.push([
        'INSERT INTO consent_ledger (project_id, pseudonym, action, policy_version, detail, at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [P, entry.pseudonym, entry.action, '2026-11-01', detail, fields.at, prevHash, hash],
      ]);
      prevHash = hash;
    }
    if (store === 'sqlite') {
      const db = new Database(join(dir, 'heed.db'));
      migrateSqlite(drizzleSqlite(db), { migrationsFolder: earlierMigrations() });
      for (const [sql, params] of statements) db.prepare(sql).run(...params);
      db.close();
    } else {
      const sql = postgres(database!.url, { max: 1, onnotice: () => {} });
      await migratePostgres(drizzlePostgres(sql), { migrationsFolder: earlierMigrations() });
      await sql.end();
      for (const [text, params] of statements) await queryPostgres(database!.url, text, params);
    }
    return { token, writeKey: writeKey.key };
  }

  async function open(): Promise<TestServer> {
    const project = { projectId: P, writeKey: '', analystKey: '', adminKey: '', backendKey: '', identitySecret: '' };
    t = await startTestServer({ store, dataDir: dir, project, ...(database ? { databaseUrl: database.url } : {}) });
    return t;
  }

  const entries = async (server: TestServer) => {
    const all: LedgerEntry[] = [];
    for await (const entry of server.server.services.store.ledgerEntries()) all.push(entry);
    return all;
  };

  it('opens, keeps its token, reports instead of refusing, and re-seals its ledger so it verifies', async () => {
    const { token, writeKey } = await buildBefore(false);
    const server = await open();
    const { services } = server.server;
    const sealed = await entries(server);
    expect(sealed.map((entry) => [entry.seq, entry.action, entry.channel, entry.keyId])).toEqual([
      [1, 'decision', 'legacy', services.ledger.keyId],
      [2, 'decision', 'legacy', services.ledger.keyId],
      [3, 'restrict', 'legacy', services.ledger.keyId],
      [4, 'ledger_sealed', 'system', services.ledger.keyId],
    ]);
    expect(sealed[3]!.detail).toMatchObject({ entries: 3, legacyHead: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await verifyLedger(services.store.ledgerEntries(), services.ledger)).toEqual({ ok: true, entries: 4 });

    // The old token reaches its subject; the project reports unsigned traffic instead of refusing it.
    const me = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await me.json()) as { subject: { pseudonym: string } }).subject.pseudonym).toBe('ann');
    expect((await services.store.findProject(P))?.identityMode).toBe('report');
    const unsigned = await server.postUnsigned('/v1/consent', { writeKey, subject: server.subjectFor('carol'), policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START });
    expect(unsigned.status).toBe(200);

    // A restart seals nothing twice, and the chain goes on verifying.
    await server.close();
    t = undefined;
    const again = await open();
    expect(await verifyLedger(again.server.services.store.ledgerEntries(), again.server.services.ledger)).toEqual({ ok: true, entries: 5 });
  });

  it('leaves a chain tampered with before the upgrade as it was, and it fails verification', async () => {
    await buildBefore(true);
    const server = await open();
    const { services } = server.server;
    expect((await entries(server)).map((entry) => entry.keyId)).toEqual([null, null, null]);
    expect(await verifyLedger(services.store.ledgerEntries(), services.ledger)).toEqual({ ok: false, entries: 1, seq: 1, problem: 'unsealed' });
    expect(server.logs.some((line) => line.includes('ledger not sealed') && line.includes('hash_mismatch'))).toBe(true);
  });
});
