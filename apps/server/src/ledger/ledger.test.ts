/** The consent ledger verifies, and a changed row breaks verification at that row, on each store. */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryPostgres, storesUnderTest, type TestStoreKind } from '../testing/test-databases.js';
import { TEST_START, startTestServer, type TestServer } from '../testing/test-server.js';
import { verifyLedger } from './verify-ledger.js';

let t: TestServer;

/** Tampers with the stored ledger as an attacker with database access would. */
async function tamper(statement: string): Promise<void> {
  if (t.store === 'postgres') {
    await queryPostgres(t.databaseUrl, statement, []);
    return;
  }
  const db = new Database(t.dbPath);
  db.prepare(statement).run();
  db.close();
}

describe.each(storesUnderTest())('on %s', (store: TestStoreKind) => {
  beforeEach(async () => {
    t = await startTestServer({ store });
    for (const user of ['a', 'b', 'c']) {
      await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor(user), policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START });
    }
    await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor('b'), policyVersion: '2026-11-01', purposes: { statistics: false }, ts: TEST_START });
  });
  afterEach(() => t.close());

  it('verifies an untouched ledger', async () => {
    expect(await verifyLedger(t.server.services.store.ledgerEntries(), t.server.services.ledger)).toEqual({ ok: true, entries: 4 });
  });

  it('fails at the changed row when a grant is rewritten', async () => {
    await tamper(`UPDATE consent_ledger SET detail = replace(detail, '"granted":[]', '"granted":["statistics"]') WHERE seq = 4`);
    expect(await verifyLedger(t.server.services.store.ledgerEntries(), t.server.services.ledger)).toEqual({ ok: false, entries: 4, seq: 4, problem: 'hash_mismatch' });
  });

  it('fails at the row after a deleted one', async () => {
    await tamper('DELETE FROM consent_ledger WHERE seq = 2');
    expect(await verifyLedger(t.server.services.store.ledgerEntries(), t.server.services.ledger)).toEqual({ ok: false, entries: 2, seq: 3, problem: 'broken_link' });
  });
});
