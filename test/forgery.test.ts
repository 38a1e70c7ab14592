/**
 * The attacker of issue "Authenticated subjects": a stranger who knows a user's e-mail address
 * and reads the project's id and public write key off any page that loads the SDK, and who is
 * also a user of the platform (so holds valid assertions for their own account). Against a
 * real server on a real SQLite file and on PostgreSQL, every attempt to act for the victim is
 * refused with the stated status, and every table (rows and ledger) is byte-for-byte what it
 * was. The last test switches enforcement off and shows the same attacks then succeed, so
 * this suite fails if enforcement is ever lost.
 */
import { randomBytes } from 'node:crypto';
import { signSubjectHash } from '@heed/sdk/node';
import { anonymousHash, createProject, identifiedHash, type CreatedProject } from '@heed/server';
import { TEST_START, startTestServer, storesUnderTest, type TestServer } from '@heed/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const VICTIM = 'victim@example.com';
const ATTACKER = 'mallory@example.com';
const V = '2026-11-01';
const SECOND = 1_000;

describe.each(storesUnderTest())('a stranger who knows the e-mail and the write key, on %s', (store) => {
  let t: TestServer;
  let other: CreatedProject;
  let victim: string;
  let victimToken: string;
  let victimAnonymousId: string;

  const consentBody = (extra: Record<string, unknown> = {}) => ({
    writeKey: t.project.writeKey, subject: victim, policyVersion: V, purposes: { statistics: true, update_timing: true, marketing: true }, ts: TEST_START, ...extra,
  });
  const batchBody = (subject: string, proofs?: Record<string, unknown>) => ({
    writeKey: t.project.writeKey, sentAt: TEST_START, tz: 'UTC', device: 'desktop', sdk: 'attacker/1', ...(proofs ? { proofs } : {}),
    events: [{ id: `evt_forged_${randomBytes(4).toString('hex')}`, type: 'track', name: 'forged.event', subject, sessionId: 'ses_forged_0001', ts: TEST_START }],
  });
  /** The attacker's own, valid assertion: they are a user of the platform too. */
  const attackerAssertion = () => t.identityFor(ATTACKER);
  const problemType = async (response: Response) => ((await response.json()) as { type: string }).type.replace('https://heed.dev/problems/', '');

  /** Runs an attempt and checks its status, problem type and that nothing in the database changed. */
  async function refused(attempt: () => Promise<Response>, status: number, type: string) {
    const before = await t.snapshot();
    const response = await attempt();
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await problemType(response)).toBe(type);
    expect(await t.snapshot()).toEqual(before);
  }

  beforeAll(async () => {
    t = await startTestServer({ store });
    other = await createProject(t.server.services.store, t.server.services.identityKeys, { name: 'Other platform', now: TEST_START });
    victim = t.subjectFor(VICTIM);
    // The victim, through their platform: a signed decision (a token), and events.
    const decided = await t.post('/v1/consent', consentBody({ purposes: { statistics: true } }));
    expect(decided.status).toBe(200);
    victimToken = ((await decided.json()) as { subjectToken: string }).subjectToken;
    expect((await t.post('/v1/batch', batchBody(victim))).status).toBe(200);
    // The victim also browses anonymously on another device.
    victimAnonymousId = 'Vict1mDev1ce_an0nymous';
    const anonymous = await t.postUnsigned('/v1/consent', consentBody({ subject: anonymousHash(t.project.projectId, victimAnonymousId), anonymousId: victimAnonymousId }));
    expect(((await anonymous.json()) as { subjectToken?: string }).subjectToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
  afterAll(() => t.close());

  it('cannot capture a token or record a decision with the hash alone', async () => {
    await refused(() => t.postUnsigned('/v1/consent', consentBody()), 401, 'identity-required');
  });

  it('cannot forge a withdrawal', async () => {
    await refused(() => t.postUnsigned('/v1/consent', consentBody({ purposes: { statistics: false, update_timing: false, marketing: false } })), 401, 'identity-required');
  });

  it('cannot inject events, unsigned or under their own signature', async () => {
    await refused(() => t.postUnsigned('/v1/batch', batchBody(victim)), 401, 'identity-required');
    await refused(() => t.postUnsigned('/v1/batch', batchBody(victim, { [victim]: { identity: attackerAssertion() } })), 403, 'identity-mismatch');
  });

  it('cannot use a signature made for another user', async () => {
    await refused(() => t.postUnsigned('/v1/consent', consentBody({ identity: attackerAssertion() })), 403, 'identity-mismatch');
  });

  it('cannot tamper with a signature: a forged mac, a longer expiry, an invented secret, garbage', async () => {
    const [version, secretId, expiresAt, mac] = t.identityFor(VICTIM).split('.') as [string, string, string, string];
    const flipped = `${mac.slice(0, 10)}${mac[10] === 'A' ? 'B' : 'A'}${mac.slice(11)}`;
    const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = `${mac.slice(0, -1)}${B64URL[B64URL.indexOf(mac[42]!) ^ 1]}`;
    await refused(() => t.postUnsigned('/v1/consent', consentBody({ identity: [version, secretId, expiresAt, flipped].join('.') })), 403, 'identity-mismatch');
    // The same mac bytes spelled another way (the last character's spare bits): one assertion, one spelling.
    await refused(() => t.postUnsigned('/v1/consent', consentBody({ identity: [version, secretId, expiresAt, respelled].join('.') })), 403, 'identity-mismatch');
    // An assertion for the attacker with the expiry moved: the mac covers it.
    const [, ownId, ownExpiry, ownMac] = attackerAssertion().split('.') as [string, string, string, string];
    await refused(() => t.postUnsigned('/v1/consent', consentBody({ subject: t.subjectFor(ATTACKER), identity: [version, ownId, String(Number(ownExpiry) + 60), ownMac].join('.') })), 403, 'identity-mismatch');
    await refused(() => t.postUnsigned('/v1/consent', consentBody({ identity: `hid1.AAAAAAAAAAAA.${expiresAt}.${mac}` })), 401, 'identity-invalid');
    await refused(() => t.postUnsigned('/v1/consent', consentBody({ identity: 'not-an-assertion' })), 401, 'identity-invalid');
  });

  it('cannot replay an expired signature, nor sign for longer than the server allows', async () => {
    const expired = signSubjectHash({ secret: t.project.identitySecret, projectId: t.project.projectId, subject: victim, ttlSeconds: 60, now: TEST_START - 61 * SECOND });
    await refused(() => t.postUnsigned('/v1/consent', consentBody({ identity: expired })), 401, 'identity-expired');
    await refused(() => t.postUnsigned('/v1/batch', batchBody(victim, { [victim]: { identity: expired } })), 401, 'identity-expired');
    // Even the real secret cannot mint an assertion that outlives the server's maximum (7 days).
    const forever = signSubjectHash({ secret: t.project.identitySecret, projectId: t.project.projectId, subject: victim, ttlSeconds: 8 * 86_400, now: TEST_START });
    await refused(() => t.postUnsigned('/v1/consent', consentBody({ identity: forever })), 401, 'identity-invalid');
  });

  it('cannot use a signature from another project', async () => {
    // The attacker runs their own platform on the same Heed server and signs for the victim's hash.
    const foreign = signSubjectHash({ secret: other.identitySecret, projectId: other.projectId, subject: victim, now: TEST_START });
    await refused(() => t.postUnsigned('/v1/consent', consentBody({ identity: foreign })), 403, 'identity-mismatch');
    // Or signs for the victim in their own project and replays it here.
    const theirs = signSubjectHash({ secret: other.identitySecret, projectId: other.projectId, subject: identifiedHash(other.projectId, VICTIM), now: TEST_START });
    await refused(() => t.postUnsigned('/v1/consent', consentBody({ identity: theirs })), 403, 'identity-mismatch');
  });

  it('cannot pass the victim\'s hash off as anonymous', async () => {
    await refused(() => t.postUnsigned('/v1/consent', consentBody({ anonymousId: 'guessed_anonymous_id_0001' })), 403, 'identity-mismatch');
    await refused(() => t.postUnsigned('/v1/batch', batchBody(victim, { [victim]: { anonymousId: 'guessed_anonymous_id_0001' } })), 403, 'identity-mismatch');
  });

  it('reaches no one\'s data with a guessed anonymous id, nor with a replayed one', async () => {
    // A guessed id makes a new, empty subject of the attacker's own: not the victim's.
    const guessed = 'attacker_guess_00000001';
    const fresh = await t.postUnsigned('/v1/consent', consentBody({ subject: anonymousHash(t.project.projectId, guessed), anonymousId: guessed }));
    const ownToken = ((await fresh.json()) as { subjectToken: string }).subjectToken;
    const own = (await (await fetch(`${t.url}/v1/me`, { headers: { authorization: `Bearer ${ownToken}` } })).json()) as { events: unknown[]; subject: { pseudonym: string } };
    expect(own.events).toEqual([]);
    expect(own.subject.pseudonym).not.toBe(t.server.services.pseudonymizer.pseudonym(t.project.projectId, victim));
    // The victim's anonymous id, captured: the decision is the device's own subject, and no token comes back.
    const replayed = await t.postUnsigned('/v1/consent', consentBody({ subject: anonymousHash(t.project.projectId, victimAnonymousId), anonymousId: victimAnonymousId }));
    expect(replayed.status).toBe(200);
    expect(await replayed.json()).toEqual({ policyVersion: V });
  });

  it('cannot read or erase without the victim\'s token', async () => {
    const before = await t.snapshot();
    for (const token of ['', 'x'.repeat(32), victim, t.project.writeKey, t.project.identitySecret]) {
      const headers = { authorization: `Bearer ${token}` };
      expect((await fetch(`${t.url}/v1/me`, { headers })).status).toBe(401);
      expect((await fetch(`${t.url}/v1/me`, { method: 'DELETE', headers })).status).toBe(401);
    }
    expect(await t.snapshot()).toEqual(before);
    // The victim's own token still works: nothing above touched it.
    const own = (await (await fetch(`${t.url}/v1/me`, { headers: { authorization: `Bearer ${victimToken}` } })).json()) as { events: unknown[] };
    expect(own.events).toHaveLength(1);
  });

  it('would have succeeded with enforcement off: this suite catches its loss', async () => {
    await t.post('/v1/admin/identity/mode', { mode: 'off' }, { authorization: `Bearer ${t.project.adminKey}` });
    try {
      const forged = await t.postUnsigned('/v1/consent', consentBody({ purposes: { statistics: false } }));
      expect(forged.status).toBe(200);
      const injected = await t.postUnsigned('/v1/batch', batchBody(victim));
      expect(injected.status).toBe(200);
      // Without verification there is still no token for an unverified caller.
      expect(await forged.json()).toEqual({ policyVersion: V });
    } finally {
      await t.post('/v1/admin/identity/mode', { mode: 'enforce' }, { authorization: `Bearer ${t.project.adminKey}` });
    }
  });
});
