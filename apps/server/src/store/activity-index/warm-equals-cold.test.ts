/**
 * Warm caches answer as caches filled from nothing, whatever happened between two requests
 * (`cache-steps.case.ts`; a restart goes through a snapshot), on a real server and SQLite
 * file, checked after every step. A sequence of this kind (retention or an erasure of the
 * session that changed last, then a new session) found the session feed giving a number twice
 * (sqlite/schema.ts, sessionFeedHead).
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { LedgerAppend } from '../store.js';
import { createSqliteRetention } from '../sqlite/retention.js';
import { createSubjectRepository } from '../sqlite/subjects.js';
import { testLedgerKeys } from '../../testing/test-keys.js';
import { DAY, HOUR, memorySnapshots, openCacheCase, START, type CacheCase } from './caches.case.js';
import { step, USERS, type Step, type User } from './cache-steps.case.js';
import { createIndexedStats } from './indexed-stats.js';
import type { CacheSnapshots } from './snapshot/project-snapshot.js';

/** Caches over the world's reads: warm ones with own writes and snapshots, or a cold fill. */
function caches(world: CacheCase, snapshots?: CacheSnapshots) {
  const { reads, base } = world.countedReads();
  return createIndexedStats(reads, snapshots ? { ownWrites: base, snapshots: { store: snapshots, feedHead: () => base.feedHead(), onWarning: (message) => expect.fail(message) } } : {});
}

async function run(steps: readonly Step[]): Promise<void> {
  const world = await openCacheCase();
  try {
    const { t, connection } = world;
    const { projectId } = t.project;
    const pseudonym = (name: User) => t.server.services.pseudonymizer.pseudonym(projectId, t.subjectFor(name));
    const ledger = (name: User, action: string): LedgerAppend => ({
      projectId, pseudonym: pseudonym(name), action, policyVersion: '2026-11-01', policyHash: '', detail: {}, at: t.clock.now(), actor: { channel: 'staff', auth: 'test' },
    });
    const repository = createSubjectRepository(connection, testLedgerKeys());
    const retention = createSqliteRetention(connection, testLedgerKeys());
    for (const name of USERS) await world.consent(name);
    // Who may still send: an erased or restricted subject's batches, and one without
    // statistics granted, are suppressed, not stored.
    const erased = new Set<User>();
    const restricted = new Set<User>();
    const withdrawn = new Set<User>();
    const snapshots = memorySnapshots();
    let warm = caches(world, snapshots);
    await world.answers(warm);
    for (const next of steps) {
      if (next.kind === 'visit') {
        const senders = next.users.filter((name) => !erased.has(name) && !restricted.has(name) && !withdrawn.has(name));
        if (senders.length > 0) await world.visit(senders, START + next.day * DAY + next.hour * HOUR);
      } else if (next.kind === 'erase') {
        if (!erased.has(next.user)) await repository.erase(projectId, pseudonym(next.user), ledger(next.user, 'erase'));
        erased.add(next.user);
      } else if (next.kind === 'decide') {
        if (erased.has(next.user)) continue;
        const response = await t.post('/v1/consent', {
          writeKey: t.project.writeKey, subject: t.subjectFor(next.user), policyVersion: '2026-11-01', purposes: { statistics: next.statistics, update_timing: next.updateTiming }, ts: t.clock.now(),
        });
        expect(response.status).toBe(200);
        // Without statistics, the visit's events are suppressed (update timing alone stores none).
        if (next.statistics) withdrawn.delete(next.user);
        else withdrawn.add(next.user);
      } else if (next.kind === 'object') {
        await repository.changeFlags({ projectId, pseudonym: pseudonym(next.user), objected: ['update_timing'], ledger: ledger(next.user, 'object') });
      } else if (next.kind === 'restrict') {
        await repository.changeFlags({ projectId, pseudonym: pseudonym(next.user), restricted: next.on, ledger: ledger(next.user, next.on ? 'restrict' : 'lift') });
        if (next.on) restricted.add(next.user);
        else restricted.delete(next.user);
      } else if (next.kind === 'retention') {
        const cut = { projectId, before: START + next.day * DAY, limit: 1_000, now: START + 4 * DAY };
        await retention.prune('activity', cut);
        await retention.prune('sessions', cut);
      } else {
        await warm.close();
        warm = caches(world, snapshots);
      }
      expect(await world.answers(warm), JSON.stringify(next)).toEqual(await world.answers(caches(world)));
    }
  } finally {
    await world.close();
  }
}

it('answers as a cold fill after any sequence of visits, rights, retention and restarts', async () => {
  await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), run), { numRuns: 40 });
}, 240_000);
