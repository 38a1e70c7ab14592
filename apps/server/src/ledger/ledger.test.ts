/** The consent ledger verifies, and a changed row breaks verification at that row. */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { TEST_START, startTestServer, type TestServer } from '../testing/test-server.js';
import { verifyLedger } from './verify-ledger.js';

let t: TestServer;
beforeEach(async () => {
  t = await startTestServer();
  for (const user of ['a', 'b', 'c']) {
    await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor(user), policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START });
  }
  await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor('b'), policyVersion: '2026-11-01', purposes: { statistics: false }, ts: TEST_START });
});
afterEach(() => t.close());

it('verifies an untouched ledger', async () => {
  expect(await verifyLedger(t.server.services.store.ledgerEntries())).toEqual({ ok: true, entries: 4 });
});

it('fails at the changed row when a grant is rewritten', async () => {
  const db = new Database(t.dbPath);
  db.prepare(`UPDATE consent_ledger SET detail = replace(detail, '"granted":[]', '"granted":["statistics"]') WHERE seq = 4`).run();
  db.close();
  expect(await verifyLedger(t.server.services.store.ledgerEntries())).toEqual({ ok: false, entries: 4, seq: 4, problem: 'hash_mismatch' });
});

it('fails at the row after a deleted one', async () => {
  const db = new Database(t.dbPath);
  db.prepare('DELETE FROM consent_ledger WHERE seq = 2').run();
  db.close();
  expect(await verifyLedger(t.server.services.store.ledgerEntries())).toEqual({ ok: false, entries: 2, seq: 3, problem: 'broken_link' });
});
