/**
 * Identity verification as an operator and a platform meet it: one project moved from
 * `report` to `enforce` (the same unsigned requests accepted and counted, then refused), the
 * limits on decisions per subject and failed verifications at their edges, the backend's
 * tokens and privacy links, revocation, and secret rotation with its overlap. Real server,
 * real store, each store.
 */
import { signSubjectHash } from '@heed/sdk/node';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePrometheusText, sampleValue } from '../testing/prometheus-text.js';
import { storesUnderTest, type TestStoreKind } from '../testing/test-databases.js';
import { TEST_START, startTestServer, type TestServer } from '../testing/test-server.js';

const V = '2026-11-01';
let t: TestServer;
afterEach(() => t?.close());

const admin = () => ({ authorization: `Bearer ${t.project.adminKey}` });
const consent = (subject: string, extra: Record<string, unknown> = {}) =>
  ({ writeKey: t.project.writeKey, subject, policyVersion: V, purposes: { statistics: true }, ts: TEST_START, ...extra });
const batch = (subject: string, id: string, extra: Record<string, unknown> = {}) => ({
  writeKey: t.project.writeKey, sentAt: TEST_START, tz: 'UTC', device: 'desktop', sdk: 'test/1', ...extra,
  events: [{ id, type: 'session_start', subject, sessionId: 'ses_identity_01', ts: TEST_START }],
});
const json = async <T>(response: Response) => (await response.json()) as T;
const metrics = async () => parsePrometheusText(await (await fetch(`${t.url}/metrics`)).text());
const metricValue = sampleValue;

describe.each(storesUnderTest())('on %s', (store: TestStoreKind) => {
  it('report mode accepts and counts unsigned traffic; enforce refuses the same requests', async () => {
    t = await startTestServer({ store });
    const subject = t.subjectFor('legacy-user');
    const mode = (value: string) => t.post('/v1/admin/identity/mode', { mode: value }, admin());
    expect(await json(await mode('report'))).toEqual({ projectId: t.project.projectId, mode: 'report' });

    // An integration from before identity verification: no proofs at all.
    expect((await t.postUnsigned('/v1/consent', consent(subject))).status).toBe(200);
    expect(await json(await t.postUnsigned('/v1/batch', batch(subject, 'evt_report_0001')))).toMatchObject({ accepted: 1 });
    expect(await json(await t.postUnsigned('/v1/batch', batch(subject, 'evt_report_0002', { proofs: { [subject]: { anonymousId: 'not_this_subjects_id_00' } } })))).toMatchObject({ accepted: 1 });
    const status = await json<{ mode: string; unverified: { total: number; byFailure: Record<string, number> } }>(await fetch(`${t.url}/v1/admin/identity`, { headers: admin() }));
    expect(status.mode).toBe('report');
    expect(status.unverified).toEqual({ days: 30, total: 3, byFailure: { missing: 2, anonymous_mismatch: 1 } });
    const report = await metrics();
    expect(metricValue(report, 'heed_identity_checks_total', { outcome: 'missing', mode: 'report' })).toBe(2);
    expect(metricValue(report, 'heed_identity_checks_total', { outcome: 'anonymous_mismatch', mode: 'report' })).toBe(1);
    // The ledger says how the decision was authenticated: not at all.
    expect(await t.query('SELECT channel, auth FROM consent_ledger WHERE pseudonym != ? ORDER BY seq', '')).toEqual([{ channel: 'sdk', auth: 'unverified:missing' }]);

    await mode('enforce');
    const before = await t.snapshot();
    expect((await t.postUnsigned('/v1/consent', consent(subject))).status).toBe(401);
    expect((await t.postUnsigned('/v1/batch', batch(subject, 'evt_report_0003'))).status).toBe(401);
    expect(await t.snapshot()).toEqual(before);
    expect(metricValue(await metrics(), 'heed_identity_checks_total', { outcome: 'missing', mode: 'enforce' })).toBe(2);
    // The same user, now signed by the platform's backend: accepted.
    expect(await json(await t.post('/v1/batch', batch(subject, 'evt_report_0004')))).toMatchObject({ accepted: 1 });
    // Both mode changes are in the ledger, with the admin key that made them.
    const changes = await t.query<{ action: string; detail: string; channel: string }>("SELECT action, detail, channel FROM consent_ledger WHERE action = 'identity_mode' ORDER BY seq");
    expect(changes.map((row) => [JSON.parse(row.detail).mode, row.channel])).toEqual([['report', 'staff'], ['enforce', 'staff']]);
  });

  it('mints tokens and privacy links for the backend, and revokes them', async () => {
    t = await startTestServer({ store });
    const backend = { authorization: `Bearer ${t.project.backendKey}` };
    const first = await json<{ subjectToken: string }>(await t.post('/v1/consent', consent(t.subjectFor('ann'))));
    // Nothing is held about a user who never decided.
    expect((await t.post('/v1/backend/subject-token', { userId: 'nobody' }, backend)).status).toBe(404);
    // Other keys are not backend keys.
    for (const key of [t.project.writeKey, t.project.adminKey, t.project.analystKey]) {
      expect((await t.post('/v1/backend/subject-token', { userId: 'ann' }, { authorization: `Bearer ${key}` })).status).toBe(401);
    }
    t.clock.advance(1_000);
    const minted = await t.post('/v1/backend/subject-token', { userId: 'ann' }, backend);
    expect(minted.status).toBe(201);
    const grant = await json<{ subjectToken: string; tokenId: string; privacyUrl: string }>(minted);
    expect(grant.privacyUrl).toBe(`${t.url}/privacy#t=${grant.subjectToken}`);
    const me = (token: string, init: RequestInit = {}) => fetch(`${t.url}/v1/me${init.method === 'DELETE' ? '/tokens' : ''}`, { ...init, headers: { authorization: `Bearer ${token}` } });
    const access = await json<{ subjectTokens: { id: string; issuedTo: string }[]; consentHistory: { action: string; channel: string }[] }>(await me(grant.subjectToken));
    expect(access.subjectTokens.map((token) => token.issuedTo)).toEqual(['sdk', 'backend']);
    expect(access.consentHistory.map((entry) => [entry.action, entry.channel])).toEqual([['decision', 'sdk'], ['token_issued', 'backend']]);

    // The subject revokes every other token (a lost phone): the one in use stays.
    expect(await json(await me(grant.subjectToken, { method: 'DELETE' }))).toEqual({ revoked: 1 });
    expect((await me(first.subjectToken)).status).toBe(401);
    expect((await me(grant.subjectToken)).status).toBe(200);
    // Logout everywhere, from the backend.
    expect(await json(await t.post('/v1/backend/revoke-tokens', { userId: 'ann' }, backend))).toEqual({ revoked: 1 });
    expect((await me(grant.subjectToken)).status).toBe(401);
  });
});

describe('limits', () => {
  it('bounds consent decisions per subject per minute at the edge, changing nothing beyond it', async () => {
    t = await startTestServer({ env: { HEED_CONSENT_PER_SUBJECT_PER_MINUTE: '3' } });
    const subject = t.subjectFor('busy');
    for (let n = 0; n < 3; n++) expect((await t.post('/v1/consent', consent(subject))).status).toBe(200);
    const before = await t.snapshot();
    const limited = await t.post('/v1/consent', consent(subject));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('20');
    expect(await t.snapshot()).toEqual(before);
    // Another subject is not held back by this one.
    expect((await t.post('/v1/consent', consent(t.subjectFor('calm')))).status).toBe(200);
    expect(metricValue(await metrics(), 'heed_limit_reached_total', { limit: 'consent_per_subject' })).toBe(1);
    t.clock.advance(20_000);
    expect((await t.post('/v1/consent', consent(subject))).status).toBe(200);
  });

  it('bounds failed verifications per project at the edge: then 429, still refused, while valid proofs pass', async () => {
    t = await startTestServer({ env: { HEED_IDENTITY_FAILURES_PER_MINUTE: '2' } });
    const subject = t.subjectFor('target');
    const forged = () => t.postUnsigned('/v1/consent', consent(subject, { identity: `hid1.AAAAAAAAAAAA.${Math.floor(TEST_START / 1000) + 60}.${'A'.repeat(43)}` }));
    expect((await forged()).status).toBe(401);
    expect((await forged()).status).toBe(401);
    const before = await t.snapshot();
    const limited = await forged();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(await t.snapshot()).toEqual(before);
    expect((await t.post('/v1/consent', consent(subject))).status).toBe(200);
    expect(metricValue(await metrics(), 'heed_limit_reached_total', { limit: 'identity_failures' })).toBe(1);
  });
});

describe('identity secret rotation', () => {
  it('keeps the previous secret verifying through the overlap, and not after it', async () => {
    t = await startTestServer();
    const rotated = await json<{ id: string; secret: string; previousSecretsValidUntil: number }>(
      await t.post('/v1/admin/identity/secrets', { overlapMs: 3_600_000 }, admin()));
    expect(rotated.secret).toMatch(/^heed_id_[0-9A-Za-z]{12}_[0-9a-f]{64}$/);
    expect(rotated.previousSecretsValidUntil).toBe(TEST_START + 3_600_000);
    const sign = (secret: string, user: string) => signSubjectHash({ secret, projectId: t.project.projectId, subject: t.subjectFor(user), now: t.clock.now() });
    expect((await t.postUnsigned('/v1/consent', consent(t.subjectFor('old'), { identity: sign(t.project.identitySecret, 'old') }))).status).toBe(200);
    expect((await t.postUnsigned('/v1/consent', consent(t.subjectFor('new'), { identity: sign(rotated.secret, 'new') }))).status).toBe(200);
    // The overlap ends (and the server's cache of the secret with it).
    t.clock.advance(3_600_000 + 10_000);
    expect((await t.postUnsigned('/v1/consent', consent(t.subjectFor('old'), { identity: sign(t.project.identitySecret, 'old') }))).status).toBe(401);
    expect((await t.postUnsigned('/v1/consent', consent(t.subjectFor('new'), { identity: sign(rotated.secret, 'new') }))).status).toBe(200);
    const status = await json<{ secrets: { id: string; live: boolean }[] }>(await fetch(`${t.url}/v1/admin/identity`, { headers: admin() }));
    expect(status.secrets.map((secret) => secret.live)).toEqual([false, true]);
  });
});
