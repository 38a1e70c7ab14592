/**
 * The Store contract: what every store must do, run against each of them by `store.test.ts`
 * (SQLite on a temporary file, PostgreSQL on a throwaway database). Exact values, read back
 * through the store itself, so a new store passes by behaving, not by sharing SQL.
 */
import { describe, expect, it } from 'vitest';
import { verifyLedger } from '../ledger/verify-ledger.js';
import { testLedgerKeys } from '../testing/test-keys.js';
import { HOUR_MS } from '../aggregates/time-units.js';
import type { AcceptedEvent, LedgerAppend, Store } from './store.js';

export interface OpenedStore {
  readonly store: Store;
  /** Aggregate rows of a purpose and grain, ordered by bucket, metric, dim (for assertions). */
  aggregates(purpose: string, grain: 'hour' | 'day'): Promise<{ bucket: number; metric: string; dim: string; value: number }[]>;
  close(): Promise<void>;
}

const P = 'p_contract';
const T0 = Date.UTC(2026, 10, 24, 8, 0, 0);

const ledger = (pseudonym: string, action: string, at = T0): LedgerAppend => ({
  projectId: P, pseudonym, action, policyVersion: '2026-11-01', policyHash: 'c'.repeat(64), detail: { action }, at, actor: { channel: 'sdk', auth: 'anonymous_id' },
});

const token = (name: string) => ({ id: `tk_${name}`, hash: `token_${name}`, channel: 'sdk' as const, onlyIfNew: false });

const event = (id: string, pseudonym: string, rest: Partial<AcceptedEvent> & Pick<AcceptedEvent, 'type' | 'ts'>): AcceptedEvent => ({
  id, sessionId: `ses_${pseudonym}`, pseudonym, name: null, durationMs: null, activeMs: null, propsJson: null, purposes: ['statistics'], ...rest,
});

async function consented(store: Store, pseudonym: string): Promise<void> {
  await store.recordConsent({
    projectId: P, pseudonym, keyId: 'k1', at: T0, policyVersion: '2026-11-01', granted: ['statistics'], objected: [],
    ledger: ledger(pseudonym, 'decision'), token: token(pseudonym),
  });
}

const write = (events: AcceptedEvent[], suppressed: Record<string, number> = {}) =>
  ({ projectId: P, receivedAt: T0 + 2 * HOUR_MS, tz: 'Europe/Brussels', device: 'desktop' as const, events, suppressed });

/**
 * @example describe.each(['sqlite', 'postgres'])('%s', (kind) => storeContract(() => open(kind)));
 */
export function storeContract(open: () => Promise<OpenedStore>): void {
  const withStore = (test: (opened: OpenedStore) => Promise<void>) => async () => {
    const opened = await open();
    try {
      await opened.store.createProject({ id: P, name: 'Contract', createdAt: T0, identityMode: 'enforce' });
      await test(opened);
    } finally {
      await opened.close();
    }
  };

  describe('ingest', () => {
    it('stores new events once and folds them into sessions and aggregates', withStore(async ({ store, aggregates }) => {
      await consented(store, 'ann');
      const batch = [
        event('e1', 'ann', { type: 'session_start', ts: T0 + 1_000 }),
        event('e2', 'ann', { type: 'track', ts: T0 + 2_000, name: 'export', durationMs: 300 }),
        event('e3', 'ann', { type: 'session_end', ts: T0 + HOUR_MS + 5, activeMs: 9_000 }),
      ];
      expect(await store.ingest(write(batch, { no_decision: 2 }))).toEqual({ accepted: 3, duplicates: 0 });
      expect(await store.ingest(write([batch[1]!, event('e4', 'ann', { type: 'heartbeat', ts: T0 + 3_000, activeMs: 1_000 })]))).toEqual({ accepted: 1, duplicates: 1 });
      const hourly = (await aggregates('statistics', 'hour')).filter((row) => row.metric !== 'duration_sketch');
      expect(hourly).toEqual([
        { bucket: T0, metric: 'active_ms', dim: '', value: 1_000 },
        { bucket: T0, metric: 'duration_ms', dim: 'export', value: 300 },
        { bucket: T0, metric: 'events', dim: 'export', value: 1 },
        { bucket: T0, metric: 'sessions', dim: '', value: 1 },
        { bucket: T0, metric: 'subjects', dim: '', value: 1 },
        { bucket: T0, metric: 'timed', dim: 'export', value: 1 },
        { bucket: T0 + HOUR_MS, metric: 'active_ms', dim: '', value: 9_000 },
        { bucket: T0 + HOUR_MS, metric: 'subjects', dim: '', value: 1 },
      ]);
      const data = await store.subjectData(P, 'ann');
      expect(data?.sessions).toEqual([{ sessionId: 'ses_ann', startedAt: T0 + 1_000, lastSeenAt: T0 + HOUR_MS + 5, endedAt: T0 + HOUR_MS + 5, activeMs: 10_000, events: 4 }]);
      expect(data?.events.map((row) => row.id)).toEqual(['e1', 'e2', 'e4', 'e3']);
      expect(data?.subject).toMatchObject({ tz: 'Europe/Brussels', device: 'desktop', lastSeenAt: T0 + HOUR_MS + 5 });
      expect(await store.counts()).toMatchObject({ events: 4, sessions: 1, suppressions: 1, consent_ledger: 1 });
    }));

    it('knows an event by its id and timestamp: a retry is a duplicate, in the same batch too', withStore(async ({ store, aggregates }) => {
      await consented(store, 'ann');
      const first = event('e1', 'ann', { type: 'heartbeat', ts: T0 + 1_000, activeMs: 100 });
      // A retry resends an event unchanged; an id reused at another time is another event
      // (the key both stores share is (project, ts, id), see sqlite/schema.ts).
      const reused = { ...first, ts: T0 + 2_000, activeMs: 20 };
      expect(await store.ingest(write([first, first, reused]))).toEqual({ accepted: 2, duplicates: 1 });
      expect(await store.ingest(write([reused, first]))).toEqual({ accepted: 0, duplicates: 2 });
      expect((await aggregates('statistics', 'hour')).find((row) => row.metric === 'active_ms')?.value).toBe(120);
      expect((await store.subjectData(P, 'ann'))?.events.map((row) => [row.id, row.ts])).toEqual([['e1', T0 + 1_000], ['e1', T0 + 2_000]]);
    }));

    it('stores nothing of a subject erased or restricted after its batch was decided, and counts it', withStore(async ({ store, aggregates }) => {
      for (const name of ['ann', 'bob', 'cy']) await consented(store, name);
      // The batch below was decided while all three could be tracked; then, before its
      // transaction, bob was erased and cy restricted.
      await store.erase(P, 'bob', ledger('bob', 'erase'));
      await store.changeFlags({ projectId: P, pseudonym: 'cy', restricted: true, ledger: ledger('cy', 'restrict') });
      const heartbeat = (id: string, pseudonym: string) => event(id, pseudonym, { type: 'heartbeat', ts: T0 + 1_000, activeMs: 100 });
      const result = await store.ingest(write([heartbeat('a1', 'ann'), heartbeat('b1', 'bob'), heartbeat('b2', 'bob'), heartbeat('c1', 'cy'), heartbeat('a2', 'ann')], { no_decision: 1 }));
      expect(result).toEqual({ accepted: 2, duplicates: 0, lateSuppressed: { erased: 2, restricted: 1 } });
      expect((await aggregates('statistics', 'hour')).filter((row) => row.metric === 'active_ms' || row.metric === 'subjects').map((row) => [row.metric, row.value]))
        .toEqual([['active_ms', 200], ['subjects', 1]]);
      expect((await store.subjectData(P, 'cy'))?.events).toEqual([]);
      expect(await store.counts()).toMatchObject({ events: 2, suppressions: 3 });
      // The same batch again, as a retry would send it: ann's events are duplicates now.
      expect(await store.ingest(write([heartbeat('a1', 'ann'), heartbeat('b1', 'bob')]))).toEqual({ accepted: 0, duplicates: 1, lateSuppressed: { erased: 1 } });
    }));

    it('counts each event once when overlapping batches are written at the same time', withStore(async ({ store, aggregates }) => {
      const subjects = ['ann', 'bob', 'cy'];
      for (const name of subjects) await consented(store, name);
      // 12 writers, each sending events 0..59 of its subject shifted by its index: heavy overlap.
      const writers = Array.from({ length: 12 }, (_, w) => {
        const pseudonym = subjects[w % 3]!;
        return write(Array.from({ length: 30 }, (_, n) => {
          const k = (n + w * 5) % 60;
          return event(`${pseudonym}_${String(k).padStart(3, '0')}`, pseudonym, { type: 'heartbeat', ts: T0 + k * 1_000, activeMs: 100 + k });
        }));
      });
      const results = await Promise.all(writers.map((w) => store.ingest(w)));
      const accepted = results.reduce((sum, r) => sum + r.accepted, 0);
      const expectedIds = new Set(writers.flatMap((w) => w.events.map((e) => e.id)));
      expect(accepted).toBe(expectedIds.size);
      const expectedActive = [...expectedIds].reduce((sum, id) => sum + 100 + Number(id.slice(-3)), 0);
      expect((await aggregates('statistics', 'hour')).filter((row) => row.metric !== 'duration_sketch')).toEqual([
        { bucket: T0, metric: 'active_ms', dim: '', value: expectedActive },
        { bucket: T0, metric: 'subjects', dim: '', value: 3 },
      ]);
      expect((await store.counts()).events).toBe(expectedIds.size);
    }));
  });

  describe('rights', () => {
    it('restriction takes held events out of the aggregates and lifting puts them back; erasure deletes them', withStore(async ({ store, aggregates }) => {
      await consented(store, 'ann');
      await consented(store, 'bob');
      await store.ingest(write([
        event('a1', 'ann', { type: 'session_start', ts: T0 }),
        event('b1', 'bob', { type: 'session_start', ts: T0 + 10 }),
        event('b2', 'bob', { type: 'heartbeat', ts: T0 + 20, activeMs: 700 }),
      ]));
      const both = await aggregates('statistics', 'hour');
      const restricted = await store.changeFlags({ projectId: P, pseudonym: 'bob', restricted: true, ledger: ledger('bob', 'restrict') });
      expect(restricted?.state.restricted).toBe(true);
      expect(await aggregates('statistics', 'hour')).toEqual([
        { bucket: T0, metric: 'active_ms', dim: '', value: 0 },
        { bucket: T0, metric: 'sessions', dim: '', value: 1 },
        { bucket: T0, metric: 'subjects', dim: '', value: 1 },
      ]);
      await store.changeFlags({ projectId: P, pseudonym: 'bob', restricted: false, ledger: ledger('bob', 'lift_restriction') });
      expect(await aggregates('statistics', 'hour')).toEqual(both);
      expect(await store.erase(P, 'bob', ledger('bob', 'erase'))).toEqual({ events: 2, sessions: 1 });
      expect((await aggregates('statistics', 'day')).filter((row) => row.value !== 0)).toEqual([
        { bucket: Date.UTC(2026, 10, 24), metric: 'sessions', dim: '', value: 1 },
        { bucket: Date.UTC(2026, 10, 24), metric: 'subjects', dim: '', value: 1 },
      ]);
      const erased = (await store.loadSubjects(P, ['bob'])).get('bob');
      expect(erased?.state).toMatchObject({ erased: true, restricted: false });
      expect(await store.findSubjectByToken('token_bob')).toBeUndefined();
      expect(await store.recordConsent({
        projectId: P, pseudonym: 'bob', keyId: 'k1', at: T0, policyVersion: '2026-11-01', granted: ['statistics'], objected: [],
        ledger: ledger('bob', 'decision'), token: token('bob_2'),
      })).toEqual({ created: false, erased: true, objected: [], tokenIssued: false });
      expect(await store.counts()).toMatchObject({ events: 1, sessions: 1, activity: 2, consent_ledger: 5 });
    }));

    it('creates a subject once and keeps one unbroken ledger chain under concurrent decisions', withStore(async ({ store }) => {
      const decisions = Array.from({ length: 16 }, (_, n) => store.recordConsent({
        projectId: P, pseudonym: n % 2 === 0 ? 'ann' : `s${n}`, keyId: 'k1', at: T0 + n, policyVersion: '2026-11-01', granted: ['statistics'], objected: [],
        ledger: ledger(n % 2 === 0 ? 'ann' : `s${n}`, 'decision', T0 + n), token: token(String(n)),
      }));
      const results = await Promise.all(decisions);
      expect(results.filter((r, n) => n % 2 === 0 && r.created)).toHaveLength(1);
      expect(results.filter((r, n) => n % 2 === 1 && r.created)).toHaveLength(8);
      expect(await verifyLedger(store.ledgerEntries(P), testLedgerKeys())).toEqual({ ok: true, entries: 16 });
      expect((await store.counts()).subjects).toBe(9);
    }));

    it('logs rights requests and lists the open ones first', withStore(async ({ store }) => {
      await consented(store, 'ann');
      const row = {
        projectId: P, pseudonym: 'ann', kind: 'access', via: 'subject' as const, receivedAt: T0, outcome: null, originalDueAt: T0 + 5,
        extensionReason: null, noticeAt: null, refusalGround: null,
      };
      await store.logRightsRequest({ ...row, id: 'r1', dueAt: T0 + 5, completedAt: T0 + 1, outcome: 'answered', state: 'completed' });
      await store.logRightsRequest({ ...row, id: 'r2', dueAt: T0 + 9, completedAt: null, state: 'received' });
      expect((await store.listRightsRequests(P)).map((r) => r.id)).toEqual(['r2', 'r1']);
      expect((await store.subjectData(P, 'ann'))?.requests.map((r) => [r.id, r.completedAt])).toEqual([['r1', T0 + 1], ['r2', null]]);
    }));
  });
}
