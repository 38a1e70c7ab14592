/**
 * Deleted means unreadable, also to someone who copies the SQLite files: the attacker here
 * has the database file and its WAL as they are right after an erasure answered (a backup
 * taken then, a copied disk) and searches their bytes for the erased person's events, the way
 * `strings heed.db | grep` would. Before secure_delete and the WAL truncation (open.ts,
 * sqlite-store.ts), both files still held every erased event: SQLite marks a deleted row's
 * space free without overwriting it, and a WAL frame keeps the page as it was written.
 * PostgreSQL keeps dead rows' bytes until their space is reused and has no way to overwrite
 * them (docs/operations.md, "What deletion leaves on disk"), so this runs on SQLite.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRetention } from '../retention/run-retention.js';
import { TEST_START, startTestServer, type TestServer } from '../testing/test-server.js';

const DAY = 86_400_000;
/** Enough bulky events that some pages hold nothing else: their deletion frees whole pages. */
const BULK = 120;

let t: TestServer;
const tokens: Record<string, string> = {};
beforeEach(async () => {
  t = await startTestServer({ store: 'sqlite' });
});
afterEach(() => t.close());

/** Every byte an attacker who copies the files gets: the database and its write-ahead log. */
const files = () => Buffer.concat([readFileSync(t.dbPath), readFileSync(`${t.dbPath}-wal`)]);
const found = (needles: readonly string[]) => needles.filter((needle) => files().includes(needle));

/** One user's session of bulky feature events, each carrying a text no one else sends; returns the texts and ids sent. */
async function use(userId: string, at: number): Promise<string[]> {
  const consent = await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor(userId), policyVersion: '2026-11-01', purposes: { statistics: true }, ts: at });
  tokens[userId] = ((await consent.json()) as { subjectToken: string }).subjectToken;
  const sessionId = `ses_${userId}_disk_0001`;
  const events = Array.from({ length: BULK }, (_, n) => ({
    id: `evt_${userId}_disk_${String(n).padStart(5, '0')}`, type: 'track', name: 'report.exported', subject: t.subjectFor(userId), sessionId, ts: at + n,
    props: { note: `${userId}-secret-${String(n).padStart(5, '0')}-${'x'.repeat(200)}` },
  }));
  for (let from = 0; from < BULK; from += 40) {
    const response = await t.post('/v1/batch', { writeKey: t.project.writeKey, sentAt: at, tz: 'UTC', device: 'desktop', sdk: 'test/1', events: events.slice(from, from + 40) });
    expect(((await response.json()) as { accepted: number }).accepted).toBe(40);
  }
  return [sessionId, ...events.flatMap((event) => [event.id, event.props.note.slice(0, userId.length + 13)])];
}

describe('what deletion leaves in the SQLite files', () => {
  it('an erased person’s events, session and texts are in neither the database file nor its WAL once the erasure answered', async () => {
    const alice = await use('alice', TEST_START - 2 * 3_600_000);
    const bob = await use('bob', TEST_START - 3_600_000);
    // The search sees what is there: every one of alice's texts and ids before.
    expect(found(alice)).toHaveLength(alice.length);

    const erased = await fetch(`${t.url}/v1/me`, { method: 'DELETE', headers: { authorization: `Bearer ${tokens.alice}` } });
    expect(erased.status).toBe(200);

    expect(found(alice)).toEqual([]);
    // Bob's rows are untouched, and the same search still finds each of them.
    expect(found(bob)).toHaveLength(bob.length);
    expect(readFileSync(`${t.dbPath}-wal`).length).toBe(0);
  });

  it('raw events that retention deleted are in neither file after the run', async () => {
    const old = await use('carol', TEST_START);
    const texts = old.filter((needle) => needle.includes('-secret-'));
    expect(found(texts)).toHaveLength(BULK);
    t.clock.set(TEST_START + 31 * DAY);
    // The default policy keeps raw events 30 days (by arrival).
    expect((await runRetention(t.server.services)).deleted.rawEvents).toBe(BULK);
    expect(found(texts)).toEqual([]);
  });
});
