/**
 * People for the backup and restore tests: each with ids and a text no one else sends, so an
 * attacker's search of a file's bytes finds exactly theirs; they visit in the hour of the
 * timed sessions (or at a time given), which `usersOfTheHour` counts.
 */
import { expect } from 'vitest';
import { resolveSubjects } from '../identity/resolve-subjects.js';
import { storedSnapshot } from '../store/activity-index/caches.case.js';
import type { TestServer } from '../testing/test-server.js';
import { runStatsCommand } from './stats-commands.js';
import { TIMED_AT } from './timed-sessions.case.js';

/** Users of the statistics hour that starts 10 minutes before `at`, as `heed stats usage` prints them. */
export async function usersOfTheHour(server: TestServer, at = TIMED_AT): Promise<string> {
  let text = '';
  const hour = { project: server.project.projectId, grain: 'hour', from: new Date(at - 600_000).toISOString(), to: new Date(at + 3_000_000).toISOString(), format: 'csv' };
  expect(await runStatsCommand(server.server.services, 'stats', 'usage', hour, (chunk) => (text += chunk))).toBe(0);
  return text.split('\n')[1]!.split(',')[1]!;
}

/** A person with ids and a text no one else sends; `consent` first, then `visit` at `at` (the timed sessions' time). */
export function person(t: TestServer, userId: string, at = TIMED_AT) {
  const subject = t.subjectFor(userId);
  const sessionId = `ses_${userId}_backup_0001`;
  const events = Array.from({ length: 40 }, (_, n) => ({
    id: `evt_${userId}_backup_${String(n).padStart(4, '0')}`, type: 'track', name: 'report.exported', subject, sessionId, ts: at + n,
    props: { note: `${userId}-secret-${String(n).padStart(4, '0')}-${'x'.repeat(200)}` },
  }));
  return {
    /** What an attacker searches the copy for. */
    needles: [sessionId, ...events.flatMap((event) => [event.id, event.props.note.slice(0, userId.length + 12)])],
    async consent(): Promise<string> {
      const response = await t.post('/v1/consent', { writeKey: t.project.writeKey, subject, policyVersion: '2026-11-01', purposes: { statistics: true, update_timing: true }, ts: t.clock.now() });
      return ((await response.json()) as { subjectToken: string }).subjectToken;
    },
    async visit(): Promise<void> {
      const response = await t.post('/v1/batch', { writeKey: t.project.writeKey, sentAt: t.clock.now(), tz: 'UTC', device: 'desktop', sdk: 'test/1', events });
      expect(((await response.json()) as { accepted: number }).accepted).toBe(40);
    },
  };
}


/** The people of the restore tests: eve, rob, wil and ola ask for something after the backup. */
export const RESTORE_PEOPLE = ['ann', 'bob', 'cem', 'dan', 'eve', 'rob', 'wil', 'ola'] as const;
type RestorePerson = (typeof RESTORE_PEOPLE)[number];
const asSubject = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * Each of `RESTORE_PEOPLE` consents, then visits ten minutes past `at`'s hour; answers them and
 * their subject tokens. Then zed, who visited too, is erased: that writes the statistics
 * snapshot of the caches the count before filled, which a backup then carries with eve in it.
 */
export async function restorePeopleVisit(t: TestServer, at: number) {
  const people = new Map(RESTORE_PEOPLE.map((name) => [name, person(t, name, at)] as const));
  const zed = person(t, 'zed', at);
  const tokens = new Map<RestorePerson, string>();
  for (const [name, one] of people) tokens.set(name, await one.consent());
  const zedToken = await zed.consent();
  t.clock.set(at + 600_000);
  for (const one of [...people.values(), zed]) await one.visit();
  expect(await usersOfTheHour(t, at)).toBe('9');
  expect((await fetch(`${t.url}/v1/me`, { method: 'DELETE', headers: asSubject(zedToken) })).status).toBe(200);
  expect((await storedSnapshot(t)).length).toBeGreaterThan(0);
  return { people, tokens };
}

/**
 * After the backup: eve erased, rob restricted, wil withdrew, ola objected to update timing,
 * and kim, new, consented and asked for erasure (the backup has no row of kim).
 */
export async function requestsSinceBackup(t: TestServer, tokens: ReadonlyMap<RestorePerson, string>, at: number): Promise<void> {
  expect((await fetch(`${t.url}/v1/me`, { method: 'DELETE', headers: asSubject(tokens.get('eve')!) })).status).toBe(200);
  expect((await t.post('/v1/me/restrict', { restricted: true }, asSubject(tokens.get('rob')!))).status).toBe(200);
  expect((await t.post('/v1/me/withdraw', {}, asSubject(tokens.get('wil')!))).status).toBe(200);
  expect((await t.post('/v1/me/object', { purposes: ['update_timing'], objected: true }, asSubject(tokens.get('ola')!))).status).toBe(200);
  const kim = await person(t, 'kim', at).consent();
  expect((await fetch(`${t.url}/v1/me`, { method: 'DELETE', headers: asSubject(kim) })).status).toBe(200);
}

/** The line `heed restore` prints for `requestsSinceBackup`. */
export const CARRIED_LINE = 'applied again from the replaced database: 1 erased, 1 restricted, 1 withdrawn, 1 objected; 1 not in the backup, 0 under a legal hold';

/**
 * On a server over the restored database, started after `heed restore`: the statistics snapshot
 * the backup carried no longer names eve (read before any request, as the restore left it),
 * what `requestsSinceBackup` asked for holds, and the ledger says the restore did it.
 */
export async function expectCarriedOver(t: TestServer, at: number): Promise<void> {
  const pseudonyms = await resolveSubjects(t.server.services, t.project.projectId, ['eve', 'ann'].map((name) => t.subjectFor(name)));
  const pseudonymOf = (name: string) => pseudonyms.get(t.subjectFor(name))!.pseudonym;
  const snapshot = await storedSnapshot(t);
  expect(snapshot.includes(pseudonymOf('eve'))).toBe(false);
  expect(snapshot.includes(pseudonymOf('ann'))).toBe(true);
  // Eve stays erased, rob restricted: the hour counts ann, bob, cem, dan, wil and ola's statistics.
  expect(await usersOfTheHour(t, at)).toBe('6');
  const again = await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor('eve'), policyVersion: '2026-11-01', purposes: { statistics: true }, ts: t.clock.now() });
  expect(again.status).toBe(409);
  const resolved = await resolveSubjects(t.server.services, t.project.projectId, ['rob', 'wil', 'ola'].map((name) => t.subjectFor(name)));
  const state = (name: string) => resolved.get(t.subjectFor(name))!.record!.state;
  expect(state('rob').restricted).toBe(true);
  expect(state('wil').consent?.withdrawn).toBe(true);
  expect(state('ola').objected).toEqual(['update_timing']);
  const ledger = await t.query<{ action: string }>("SELECT action FROM consent_ledger WHERE auth = 'operator_cli:restore' ORDER BY seq");
  // One entry per person, in the order of their pseudonyms: compared as a set.
  expect(ledger.map((entry) => entry.action).sort()).toEqual(['erase', 'object', 'restrict', 'withdraw']);
}
