/**
 * Policy versions and a policy per project, on each store: a server refuses to start on a
 * version that widens what is processed without being marked substantial (naming the field);
 * every text put in force is archived and served, and each ledger entry carries the hash of
 * the text it was made under; two projects with different policies on one server decide,
 * count and answer each by its own.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { DEFAULT_POLICY, type PolicyDocument } from '@heed/policy';
import { signSubjectHash } from '@heed/sdk/node';
import { afterEach, describe, expect, it } from 'vitest';
import { identifiedHash } from '../crypto/client-hash.js';
import { createProject } from '../projects/projects.js';
import { storesUnderTest } from '../testing/test-databases.js';
import { TEST_START, startTestServer, type TestServer } from '../testing/test-server.js';
import { setProjectPolicy } from './policy-archive.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const NEXT = { ...DEFAULT_POLICY, version: '2026-12-01', history: [{ version: '2026-11-01', substantial: false }], retention: { ...DEFAULT_POLICY.retention, rawEvents: 'P60D' } };
const sha256 = (document: PolicyDocument) => createHash('sha256').update(JSON.stringify(document)).digest('hex');

/** Another controller's policy: one purpose, its own versions, a smaller k, a shorter retention. */
const OTHER: PolicyDocument = {
  ...DEFAULT_POLICY,
  version: '2027-01-01',
  substantial: true,
  effectiveDate: '2027-01-01',
  history: [],
  changeSummary: undefined,
  controller: { ...DEFAULT_POLICY.controller, name: 'Other Platform NV', address: 'Kerkstraat 1, 9000 Gent' },
  purposes: [{ ...DEFAULT_POLICY.purposes[0]!, title: { nl: 'Gebruik', en: 'Usage', fr: 'Utilisation' } }],
  kAnonymity: 2,
  retention: { ...DEFAULT_POLICY.retention, rawEvents: 'P10D' },
};

describe.each(storesUnderTest())('on %s', (store) => {
  it('refuses to start on a widening version not marked substantial, and archives and serves every text it put in force', async () => {
    const first = await startTestServer({ store });
    const { dataDir, project, databaseUrl } = first;
    const decision = { writeKey: project.writeKey, subject: first.subjectFor('ann'), policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START };
    expect((await first.post('/v1/consent', decision)).status).toBe(200);
    await first.server.close();
    const reopen = (policy: PolicyDocument) => {
      const file = `${dataDir}/policy-${policy.version}-${policy.substantial}.json`;
      writeFileSync(file, JSON.stringify(policy));
      return startTestServer({ store, dataDir, project, databaseUrl: databaseUrl || undefined, env: { HEED_POLICY_FILE: file } });
    };
    await expect(reopen({ ...NEXT, substantial: false })).rejects.toThrow(/retention\.rawEvents: rawEvents is kept longer: P30D -> P60D \(a widening change: mark the version substantial\)/);
    t = await reopen({ ...NEXT, substantial: true });
    const archived = async (version: string) => (await fetch(`${t!.url}/v1/policy/versions/${version}`)).json() as Promise<{ hash: string; document: PolicyDocument }>;
    expect((await archived('2026-11-01')).document).toEqual(DEFAULT_POLICY);
    expect((await archived('2026-11-01')).hash).toBe(sha256(DEFAULT_POLICY));
    expect((await archived('2026-12-01')).document.retention.rawEvents).toBe('P60D');
    expect((await fetch(`${t.url}/v1/policy/versions/2025-01-01`)).status).toBe(404);
    // Each ledger entry names the text it was made under.
    expect((await t.post('/v1/consent', { ...decision, policyVersion: '2026-12-01' })).status).toBe(200);
    const hashes = await t.query<{ policy_version: string; policy_hash: string }>("SELECT policy_version, policy_hash FROM consent_ledger WHERE action = 'decision' ORDER BY seq");
    expect(hashes).toEqual([
      { policy_version: '2026-11-01', policy_hash: sha256(DEFAULT_POLICY) },
      { policy_version: '2026-12-01', policy_hash: (await archived('2026-12-01')).hash },
    ]);
    const { rmSync } = await import('node:fs');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets two projects with different policies decide, count and answer each by its own', async () => {
    t = await startTestServer({ store });
    const { services } = t.server;
    const other = await createProject(services.store, services.identityKeys, { name: 'Other', now: TEST_START });
    // A widening or invalid document is refused with its field; a valid one is set and recorded.
    await expect(setProjectPolicy(services, other.projectId, { ...OTHER, kAnonymity: 1 }, { channel: 'staff', auth: 'operator_cli' })).rejects.toMatchObject({ code: 'validation' });
    expect(await setProjectPolicy(services, other.projectId, OTHER, { channel: 'staff', auth: 'operator_cli' })).toEqual({ version: '2027-01-01', hash: sha256(OTHER) });
    const wider = { ...OTHER, version: '2027-02-01', history: [{ version: '2027-01-01', substantial: true }], substantial: false, retention: { ...OTHER.retention, rawEvents: 'P20D' } };
    await expect(setProjectPolicy(services, other.projectId, wider, { channel: 'staff', auth: 'x' }))
      .rejects.toMatchObject({ code: 'unprocessable', errors: [{ field: 'retention.rawEvents', message: 'rawEvents is kept longer: P10D -> P20D (a widening change: mark the version substantial)' }] });
    expect((await (await fetch(`${t.url}/v1/policy?project=${other.projectId}`)).json()) as PolicyDocument).toEqual(OTHER);
    expect(((await (await fetch(`${t.url}/v1/policy?project=${t.project.projectId}`)).json()) as PolicyDocument).version).toBe('2026-11-01');

    // Decisions: each project accepts its own version only.
    const decide = (project: typeof other, user: string, version: string) => {
      const subject = identifiedHash(project.projectId, user);
      return t!.postUnsigned('/v1/consent', {
        writeKey: project.writeKey, subject, identity: signSubjectHash({ secret: project.identitySecret, projectId: project.projectId, subject, now: TEST_START }),
        policyVersion: version, purposes: { statistics: true }, ts: TEST_START,
      });
    };
    expect((await decide(other, 'x', '2026-11-01')).status).toBe(409);
    expect((await decide(t.project, 'x', '2027-01-01')).status).toBe(409);
    const tokens: string[] = [];
    for (const user of ['x', 'y']) {
      tokens.push(((await (await decide(other, user, '2027-01-01')).json()) as { subjectToken: string }).subjectToken);
      expect((await decide(t.project, user, '2026-11-01')).status).toBe(200);
    }
    // Counting: two people are enough in the project whose k is 2, hidden in the one whose k is 5.
    for (const project of [other, t.project]) {
      const events = ['x', 'y'].map((user, n) => ({ id: `evt_two_${user}_00000`, type: 'session_start', subject: identifiedHash(project.projectId, user), sessionId: `ses_two_${n}_000000`, ts: TEST_START }));
      const proofs = Object.fromEntries(events.map((event) => [event.subject, { identity: signSubjectHash({ secret: project.identitySecret, projectId: project.projectId, subject: event.subject, now: TEST_START }) }]));
      expect((await t.postUnsigned('/v1/batch', { writeKey: project.writeKey, sentAt: TEST_START, tz: 'UTC', device: 'desktop', sdk: 'test/1', proofs, events })).status).toBe(200);
    }
    const usage = async (key: string) => ((await (await fetch(`${t!.url}/v1/stats/usage?grain=day&tz=UTC&from=2026-11-24&to=2026-11-25`, { headers: { authorization: `Bearer ${key}` } })).json()) as { k: number; buckets: { activeUsers: number | null }[] });
    expect(await usage(other.analystKey)).toMatchObject({ k: 2, buckets: [{ activeUsers: 2 }] });
    expect(await usage(t.project.analystKey)).toMatchObject({ k: 5, buckets: [{ activeUsers: null }] });
    // Answering: the other project's subject hears of its controller and its one purpose.
    const answer = (await (await fetch(`${t.url}/v1/me`, { headers: { authorization: `Bearer ${tokens[0]}` } })).json()) as { controller: { name: string }; purposes: { id: string }[]; policy: { version: string; hash: string; text: string } };
    expect(answer.controller.name).toBe('Other Platform NV');
    expect(answer.purposes.map((purpose) => purpose.id)).toEqual(['statistics']);
    expect(answer.policy).toMatchObject({ version: '2027-01-01', hash: sha256(OTHER), text: `/v1/policy/versions/2027-01-01?project=${other.projectId}&hash=${sha256(OTHER)}` });
    // The answer's link reaches the project's own archived text, not the server's.
    expect(((await (await fetch(`${t.url}${answer.policy.text}`)).json()) as { document: PolicyDocument }).document).toEqual(OTHER);
    // Setting the policy is in the project's ledger.
    expect(await t.query("SELECT action, channel, policy_hash FROM consent_ledger WHERE action = 'policy_set'")).toEqual([{ action: 'policy_set', channel: 'staff', policy_hash: sha256(OTHER) }]);
  });
});
