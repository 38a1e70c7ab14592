/**
 * A subject's events are found through runs of seqs (`subject_runs`, see schema.ts), not an
 * index on the pseudonym. Whatever the mix of subjects in a batch, duplicates, erasures and
 * retention chunks, access finds exactly the subject's stored events, erasure deletes exactly
 * them, and no run outlives the events it points at: checked against a plain model.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { AcceptedEvent } from '../store.js';
import { createSqliteStore } from './sqlite-store.js';
import { testLedgerKeys } from '../../testing/test-keys.js';

const P = 'p_runs';
const T0 = Date.UTC(2026, 10, 24, 8, 0, 0);
const SUBJECTS = ['ann', 'bob', 'cy'] as const;

type Step =
  | { kind: 'batch'; events: { subject: (typeof SUBJECTS)[number]; id: number }[] }
  | { kind: 'erase'; subject: (typeof SUBJECTS)[number] }
  | { kind: 'prune'; keepLast: number; chunk: number };

const subjectArb = fc.constantFrom(...SUBJECTS);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('batch' as const), events: fc.array(fc.record({ subject: subjectArb, id: fc.integer({ min: 0, max: 40 }) }), { minLength: 1, maxLength: 8 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('erase' as const), subject: subjectArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('prune' as const), keepLast: fc.integer({ min: 0, max: 4 }), chunk: fc.integer({ min: 1, max: 5 }) }) },
);

const event = (id: number, pseudonym: string): AcceptedEvent => ({
  // The id alone (ts fixed by it) makes retries: the same id again is a duplicate.
  id: `evt_${String(id).padStart(10, '0')}`, type: 'heartbeat', ts: T0 + id, sessionId: `ses_${pseudonym}_00000`, pseudonym,
  name: null, durationMs: null, activeMs: 10, propsJson: null, purposes: ['statistics'],
});

it('finds, erases and prunes exactly a subject\'s events through its runs', async () => {
  await fc.assert(fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 25 }), async (steps) => {
    const dir = mkdtempSync(join(tmpdir(), 'heed-runs-'));
    const store = createSqliteStore({ path: join(dir, 'heed.db'), checkpointIntervalMs: 0, seal: testLedgerKeys() });
    try {
      await store.createProject({ id: P, name: 'Runs', createdAt: T0, identityMode: 'enforce' });
      for (const pseudonym of SUBJECTS) {
        await store.recordConsent({
          projectId: P, pseudonym, keyId: 'k1', at: T0, policyVersion: '2026-11-01', granted: ['statistics'], objected: [],
          ledger: { projectId: P, pseudonym, action: 'decision', policyVersion: '2026-11-01', policyHash: '', detail: {}, at: T0, actor: { channel: 'sdk', auth: 'test' } },
        });
      }
      // The model: each stored event's owner and arrival, by id.
      const stored = new Map<number, { subject: string; arrival: number }>();
      const erased = new Set<string>();
      let arrival = 0;
      for (const step of steps) {
        if (step.kind === 'batch') {
          arrival++;
          const events = step.events.map(({ subject, id }) => event(id, subject));
          await store.ingest({ projectId: P, receivedAt: T0 + arrival, tz: 'UTC', device: 'desktop', events, suppressed: {} });
          for (const { subject, id } of step.events) if (!erased.has(subject) && !stored.has(id)) stored.set(id, { subject, arrival });
        } else if (step.kind === 'erase') {
          await store.erase(P, step.subject, { projectId: P, pseudonym: step.subject, action: 'erase', policyVersion: '2026-11-01', policyHash: '', detail: {}, at: T0, actor: { channel: 'staff', auth: 'test' } });
          erased.add(step.subject);
          for (const [id, owner] of stored) if (owner.subject === step.subject) stored.delete(id);
        } else {
          const before = T0 + arrival - step.keepLast + 1;
          while ((await store.prune('rawEvents', { projectId: P, before, limit: step.chunk, now: T0 })) > 0);
          for (const [id, owner] of stored) if (T0 + owner.arrival <= before) stored.delete(id);
        }
        for (const pseudonym of SUBJECTS) {
          const expected = [...stored].filter(([, owner]) => owner.subject === pseudonym).map(([id]) => event(id, pseudonym).id).sort();
          const found = ((await store.subjectData(P, pseudonym))?.events ?? []).map((row) => row.id).sort();
          expect(found, `${pseudonym} after ${JSON.stringify(step)}`).toEqual(expected);
        }
        // No run points only at events that are gone.
        const dangling = store.client.prepare(
          'SELECT count(*) FROM subject_runs r WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.seq BETWEEN r.first_seq AND r.last_seq AND e.pseudonym = r.pseudonym)',
        ).pluck().get();
        expect(dangling, `runs without events after ${JSON.stringify(step)}`).toBe(0);
      }
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }), { numRuns: 60 });
}, 60_000);
