/**
 * The consent ledger verifies, and a changed row breaks verification at that row, on each
 * store; it says who decided; and someone who holds only the database (not the ledger key)
 * cannot rewrite it, even by recomputing every hash after the row they changed.
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryPostgres, storesUnderTest, type TestStoreKind } from '../testing/test-databases.js';
import { TEST_START, startTestServer, type TestServer } from '../testing/test-server.js';
import type { LedgerEntry } from '../store/store.js';
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

  it('records who decided and how they were authenticated, with the policy text hash', async () => {
    const entries: LedgerEntry[] = [];
    for await (const entry of t.server.services.store.ledgerEntries()) entries.push(entry);
    const secretId = t.project.identitySecret.split('_')[2];
    expect(entries.map((entry) => [entry.action, entry.channel, entry.auth, entry.policyHash, entry.keyId])).toEqual(
      Array.from({ length: 4 }, () => ['decision', 'sdk', `identity:${secretId}`, t.server.services.policyHash, t.server.services.ledger.keyId]),
    );
    // A right exercised with the token names the token; staff name their key.
    const { subjectToken } = (await (await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor('a'), policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START })).json()) as { subjectToken: string };
    await fetch(`${t.url}/v1/me/withdraw`, { method: 'POST', headers: { authorization: `Bearer ${subjectToken}`, 'content-type': 'application/json' }, body: '{}' });
    await t.post('/v1/admin/subjects/restrict', { userId: 'c', restricted: true }, { authorization: `Bearer ${t.project.adminKey}` });
    const last: LedgerEntry[] = [];
    for await (const entry of t.server.services.store.ledgerEntries()) last.push(entry);
    const [decision, withdrawal, restriction] = last.slice(-3);
    expect(withdrawal).toMatchObject({ action: 'withdraw', channel: 'subject', auth: `subject_token:${decision!.detail.token}` });
    expect(restriction!.channel).toBe('staff');
    expect(restriction!.auth).toMatch(/^admin_key:[0-9A-Za-z]{12}$/);
    expect(await verifyLedger(t.server.services.store.ledgerEntries(), t.server.services.ledger)).toEqual({ ok: true, entries: 7 });
  });

  it('fails where someone with only the database rewrote a grant and recomputed every hash after it', async () => {
    // The attacker knows the chain's format (it is public) but not the ledger key: the best
    // they can do is a plain SHA-256 over the same fields, for the row and every row after it.
    const rows = await t.query<{ seq: number; project_id: string; pseudonym: string; action: string; policy_version: string; policy_hash: string; detail: string; at: number; channel: string; auth: string; hash: string }>(
      'SELECT * FROM consent_ledger ORDER BY seq');
    let prev = rows[1]!.hash;
    for (const row of rows.slice(2)) {
      const detail = row.seq === 4 ? row.detail.replace('"granted":[]', '"granted":["statistics"]') : row.detail;
      const hash = createHash('sha256').update(JSON.stringify(['heed-ledger-v2', prev, row.project_id, row.pseudonym, row.action, row.policy_version, row.policy_hash, detail, row.at, row.channel, row.auth])).digest('hex');
      await tamper(`UPDATE consent_ledger SET detail = '${detail}', prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${row.seq}`);
      prev = hash;
    }
    await tamper(`UPDATE ledger_heads SET hash = '${prev}'`);
    expect(await verifyLedger(t.server.services.store.ledgerEntries(), t.server.services.ledger)).toEqual({ ok: false, entries: 3, seq: 3, problem: 'hash_mismatch' });
  });

  it('catches a chain cut short at its end against an anchored head', async () => {
    const [head] = await t.server.services.store.ledgerHeads();
    expect(head).toMatchObject({ projectId: t.project.projectId, seq: 4 });
    await tamper('DELETE FROM consent_ledger WHERE seq = 4');
    // The rest of the chain is intact: only the anchor kept elsewhere shows what is missing.
    expect(await verifyLedger(t.server.services.store.ledgerEntries(), t.server.services.ledger)).toEqual({ ok: true, entries: 3 });
    expect(await verifyLedger(t.server.services.store.ledgerEntries(), t.server.services.ledger, [head!])).toEqual({ ok: false, entries: 3, seq: 4, problem: 'anchor_missing' });
  });

  it('fails at the row after a deleted one', async () => {
    await tamper('DELETE FROM consent_ledger WHERE seq = 2');
    expect(await verifyLedger(t.server.services.store.ledgerEntries(), t.server.services.ledger)).toEqual({ ok: false, entries: 2, seq: 3, problem: 'broken_link' });
  });
});
