/**
 * The SDK's side of authenticated subjects, against the real server: an anonymous device is
 * proven by its random id; `identify` with the assertion the platform's backend signed
 * carries a grant over as that user's own signed decision (and without one the server refuses
 * it); events queued under the previous subject still go out with its proof; an objection made
 * on the privacy page survives a later grant from the SDK; and `reset` (logout) sends the last
 * user's events, then leaves the next visitor undecided.
 */
import { createHeed, signIdentity, type Heed, type HeedError } from '@heed/sdk/node';
import { anonymousHash } from '@heed/server';
import { startTestServer, type TestServer } from '@heed/server/testing';
import { afterEach, expect, it } from 'vitest';

let t: TestServer | undefined;
const clients: Heed[] = [];
afterEach(async () => {
  for (const heed of clients.splice(0)) await heed.shutdown();
  await t?.close();
  t = undefined;
});

function client(server: TestServer) {
  const errors: HeedError[] = [];
  const heed = createHeed({ endpoint: server.url, writeKey: server.project.writeKey, projectId: server.project.projectId, flushIntervalMs: 50, onError: (error) => errors.push(error) });
  clients.push(heed);
  return { heed, errors };
}
const sign = (server: TestServer, userId: string) => signIdentity({ secret: server.project.identitySecret, projectId: server.project.projectId, userId });
const ledger = (server: TestServer) =>
  server.query<{ pseudonym: string; action: string; channel: string; auth: string; detail: string }>("SELECT pseudonym, action, channel, auth, detail FROM consent_ledger WHERE pseudonym != '' ORDER BY seq");
const pseudonymOf = (server: TestServer, subject: string) => server.server.services.pseudonymizer.pseudonym(server.project.projectId, subject);
const tokenOf = (heed: Heed) => new URL(heed.consent.privacyUrl()).hash.replace('#t=', '');

it('proves an anonymous device by its id, then carries the grant over to the signed-in user as their own signed decision', async () => {
  t = await startTestServer({ start: Date.now() });
  const { heed, errors } = client(t);
  expect((await heed.consent.grant(['statistics'])).ok).toBe(true);
  heed.track('before.login');
  await heed.flush();
  const secretId = t.project.identitySecret.split('_')[2];
  await heed.identify('user-1', { identity: sign(t, 'user-1') });
  heed.track('after.login');
  await heed.flush();
  expect(errors).toEqual([]);
  const [anonymous, identified] = await ledger(t);
  expect(anonymous).toMatchObject({ action: 'decision', channel: 'sdk', auth: 'anonymous_id' });
  expect(identified).toMatchObject({ action: 'decision', channel: 'sdk', auth: `identity:${secretId}`, pseudonym: pseudonymOf(t, t.subjectFor('user-1')) });
  const events = await t.query<{ name: string; pseudonym: string }>("SELECT name, pseudonym FROM events WHERE type = 'track' ORDER BY ts");
  expect(events).toEqual([
    { name: 'before.login', pseudonym: anonymous!.pseudonym },
    { name: 'after.login', pseudonym: identified!.pseudonym },
  ]);
  // The anonymous subject's hash is the server's own derivation from the device's id.
  const stored = (await heed.consent.get()).status;
  expect(stored).toBe('granted');
  expect(anonymous!.pseudonym).not.toBe(identified!.pseudonym);
  expect(anonymousHash(t.project.projectId, 'x'.repeat(21))).not.toBe(t.subjectFor('x'.repeat(21)));
});

it('sends events queued under the previous subject with that subject\'s proof', async () => {
  t = await startTestServer({ start: Date.now() });
  const { heed, errors } = client(t);
  await heed.consent.grant(['statistics']);
  heed.track('queued.anonymously');
  // No flush before the switch: the anonymous event is still queued when the user signs in.
  await heed.identify('user-2', { identity: sign(t, 'user-2') });
  await heed.flush();
  expect(errors).toEqual([]);
  expect((await t.query<{ name: string }>("SELECT name FROM events WHERE type = 'track'")).map((row) => row.name)).toEqual(['queued.anonymously']);
});

it('is refused, and says so, when identify has no assertion on an enforcing project', async () => {
  t = await startTestServer({ start: Date.now() });
  const { heed, errors } = client(t);
  await heed.identify('user-3');
  const result = await heed.consent.grant(['statistics']);
  expect(result.ok).toBe(false);
  expect(result.status).not.toBe('granted');
  expect(errors.map((error) => [error.code, error.message.slice(0, 28)])).toEqual([['http', '[POST] /v1/consent: 401 This']]);
  expect(await t.query('SELECT count(*) AS n FROM subjects')).toEqual([{ n: 0 }]);
});

it('keeps an objection made on the privacy page through a later grant from the SDK', async () => {
  t = await startTestServer({ start: Date.now() });
  const { heed } = client(t);
  await heed.identify('user-4', { identity: sign(t, 'user-4') });
  await heed.consent.grant(['statistics']);
  const objection = await fetch(`${t.url}/v1/me/object`, {
    method: 'POST', headers: { authorization: `Bearer ${tokenOf(heed)}`, 'content-type': 'application/json' }, body: JSON.stringify({ purposes: ['update_timing'] }),
  });
  expect(await objection.json()).toEqual({ objected: ['update_timing'] });
  // The device knows nothing of it and grants again (a banner shown once more): its decision
  // objects to nothing, and the server keeps the objection.
  expect((await heed.consent.grant(['statistics', 'marketing'])).ok).toBe(true);
  const [subject] = await t.query<{ objected: string; consent_granted: string }>('SELECT objected, consent_granted FROM subjects');
  expect(subject).toEqual({ objected: '["update_timing"]', consent_granted: '["statistics","marketing"]' });
  const decisions = (await ledger(t)).filter((entry) => entry.action === 'decision').map((entry) => JSON.parse(entry.detail).objected);
  expect(decisions).toEqual([[], ['update_timing']]);
  heed.track('after.objection');
  await heed.flush();
  const counted = await t.query<{ purpose: string }>("SELECT DISTINCT purpose FROM aggregates WHERE metric = 'events' ORDER BY purpose");
  expect(counted.map((row) => row.purpose)).toEqual(['statistics']);
});

it('on logout sends the last user\'s events, then leaves the next visitor undecided', async () => {
  t = await startTestServer({ start: Date.now() });
  const { heed, errors } = client(t);
  await heed.identify('user-5', { identity: sign(t, 'user-5') });
  await heed.consent.grant(['statistics']);
  heed.track('last.action');
  await heed.reset();
  expect(heed.consent.get().status).toBe('undecided');
  expect(heed.consent.privacyUrl()).toBe(`${t.url}/privacy`);
  heed.track('next.visitor');
  await heed.flush();
  expect(errors).toEqual([]);
  const events = await t.query<{ name: string }>("SELECT name FROM events WHERE type = 'track'");
  expect(events.map((row) => row.name)).toEqual(['last.action']);
  expect(await t.query('SELECT count(*) AS n FROM subjects')).toEqual([{ n: 1 }]);
});
