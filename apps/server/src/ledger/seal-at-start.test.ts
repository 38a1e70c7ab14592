/**
 * Every start asks each project's chain whether it needs sealing under the ledger key. A chain
 * with no unkeyed entry answers without being read entry by entry (at 100,000 subjects that
 * read took a second and left 50 MB of heap behind); one with an unkeyed entry after keyed
 * ones is still read, and still refused.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { connectSqlite, type SqliteConnection } from '../store/sqlite/connection.js';
import { createSqliteSubjectPort } from '../store/sqlite/subject-port.js';
import { LedgerSealRefused, sealLegacyLedger } from '../store/rules/seal-legacy-ledger.js';
import { runSync } from '../store/rules/script.js';
import type { LegacyReseal } from '../store/store.js';
import { testLedgerKeys } from '../testing/test-keys.js';
import { startTestServer, TEST_START, type TestServer } from '../testing/test-server.js';
import { checkLegacyEntry } from './seal-legacy.js';

let t: TestServer;
let connection: SqliteConnection;
beforeEach(async () => {
  t = await startTestServer({ store: 'sqlite' });
  connection = connectSqlite({ path: t.dbPath, checkpointIntervalMs: 0 });
  for (const user of ['ann', 'bob', 'cem']) {
    const response = await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor(user), policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START });
    expect(response.status).toBe(200);
  }
});
afterEach(async () => {
  connection.client.close();
  await t.close();
});

/** The rule over the real SQLite port, counting the pages of entries it reads. */
function seal() {
  const { projectId } = t.project;
  const port = createSqliteSubjectPort(connection);
  const counted = { ...port, ledgerPage: (...args: Parameters<typeof port.ledgerPage>) => (pages++, port.ledgerPage(...args)) };
  let pages = 0;
  const reseal: LegacyReseal = {
    seal: testLedgerKeys(),
    check: checkLegacyEntry,
    record: { projectId, pseudonym: '', action: 'ledger_sealed', policyVersion: '2026-11-01', policyHash: '', detail: {}, at: TEST_START, actor: { channel: 'system', auth: 'test' } },
  };
  const run = () => connection.writeTransaction(() => runSync(sealLegacyLedger(projectId, reseal), counted));
  return { run, pages: () => pages };
}

it('answers for a chain with only keyed entries without reading it', () => {
  const sealing = seal();
  expect(sealing.run()).toEqual({ sealed: 0 });
  expect(sealing.pages()).toBe(0);
});

it('still reads, and refuses, a chain with an unkeyed entry after keyed ones', () => {
  connection.client.prepare('UPDATE consent_ledger SET key_id = NULL WHERE seq = (SELECT max(seq) FROM consent_ledger WHERE project_id = ?)').run(t.project.projectId);
  const sealing = seal();
  expect(() => sealing.run()).toThrow(LedgerSealRefused);
  expect(sealing.pages()).toBe(1);
});
