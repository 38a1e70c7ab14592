/**
 * The consent lifecycle in an open page, through the public API over the fake server: a
 * refused decision never reads as granted, a stale policy is fetched again before asking,
 * a withdrawal, restriction or erasure made elsewhere closes the gate on the next batch
 * answer, changes reach subscribers once each, the getters, and a CORS block on a rights call
 * reported once without retries.
 */
import { DEFAULT_POLICY, type BatchResponse, type ConsentRequest, type PolicyDocument } from '@heed/policy';
import { createTestPlatform, type TestPlatform } from '@heed/sdk/testing';
import { describe, expect, it, vi } from 'vitest';
import { createClient } from '../client.js';
import type { HeedError } from '../errors.js';
import type { ConsentState } from '../heed.js';
import type { HeedOptions } from '../options.js';

const BASE = { endpoint: 'https://heed.test', writeKey: 'wk_test', projectId: 'acme' };
const SUBSTANTIAL: PolicyDocument = { ...DEFAULT_POLICY, version: '2027-01-01', substantial: true, history: [{ version: '2026-11-01', substantial: false }] };

function setup(options: Partial<HeedOptions> = {}, test: TestPlatform = createTestPlatform()) {
  const errors: HeedError[] = [];
  const asked: unknown[] = [];
  const heed = createClient({ ...BASE, onError: (error) => errors.push(error), onConsentRequired: (info) => asked.push(info), ...options }, test.platform);
  const changes: ConsentState[] = [];
  heed.consent.subscribe((state) => changes.push(state));
  return { heed, errors, asked, changes, ...test };
}

const paths = (test: TestPlatform, from = 0) => test.transport.requests.slice(from).map((request) => `${request.method} ${request.path}`);

/** A batch answer refused as a whole for `reasons`, as the server writes it. */
const refused = (reasons: BatchResponse['reasons'], count = 2): BatchResponse => ({
  accepted: 0, duplicates: 0, suppressed: count, reasons, rejected: 0, rejections: {}, consentRequired: false, policyVersion: '2026-11-01',
});

describe('a decision the server refuses', () => {
  it('409 policy_version: never granted; the policy in force is fetched, the user asked again, the next grant recorded under it', async () => {
    // The page was given the old policy; the server put a substantial change in force.
    const test = setup({ policy: DEFAULT_POLICY });
    test.transport.policy = SUBSTANTIAL;
    test.transport.handler = (request) =>
      request.path === '/v1/consent' && (JSON.parse(request.body!) as ConsentRequest).policyVersion !== '2027-01-01'
        ? { status: 409, body: { type: 'https://heed.dev/problems/policy-version', status: 409, detail: 'Fetch /v1/policy and ask again.' } }
        : undefined;
    test.heed.track('before');

    const refusedGrant = await test.heed.consent.grant(['statistics']);
    expect(refusedGrant).toEqual({ status: 'superseded', purposes: [], objected: [], restricted: false, policyVersion: null, ok: false });
    expect(paths(test)).toEqual(['POST /v1/consent', 'GET /v1/policy?project=acme&after=2026-11-01']);
    expect(test.errors.map((error) => [error.code, error.message])).toEqual([['http', '[POST] /v1/consent: 409 Fetch /v1/policy and ask again.']]);
    expect(test.asked).toEqual([{ reason: 'policy_changed', policyVersion: '2027-01-01' }]);
    expect(await test.heed.consent.policy()).toBe(SUBSTANTIAL);
    expect(test.storage.get('heed:queue')).toBeNull();

    const granted = await test.heed.consent.grant(['statistics']);
    expect(granted).toEqual({ status: 'granted', purposes: ['statistics'], objected: [], restricted: false, policyVersion: '2027-01-01', ok: true });
    expect(paths(test, 2)).toEqual(['POST /v1/consent']);
    test.heed.track('after');
    await test.heed.flush();
    expect(paths(test, 3)).toEqual(['POST /v1/batch']);
    // Granted here the moment the user chose, until the server refused: then asked again.
    expect(test.changes.map((state) => state.status)).toEqual(['granted', 'superseded', 'granted']);
  });

  it('another refusal (a wrong write key): undecided, reported, asked again with reason server, nothing queued', async () => {
    const test = setup({ policy: DEFAULT_POLICY });
    test.transport.handler = (request) => (request.path === '/v1/consent' ? { status: 401, body: { status: 401, detail: 'unknown write key' } } : undefined);
    expect(await test.heed.consent.grant(['statistics'])).toMatchObject({ status: 'undecided', ok: false });
    expect(test.asked).toEqual([{ reason: 'server', policyVersion: '2026-11-01' }]);
    expect(test.errors.map((error) => error.message)).toEqual(['[POST] /v1/consent: 401 unknown write key']);
    test.heed.track('x');
    await test.clock.advance(60_000);
    // The policy is fetched past any cache, under a URL naming the version it replaces.
    expect(paths(test)).toEqual(['POST /v1/consent', 'GET /v1/policy?project=acme&after=2026-11-01']);
  });

  it('no answer at all: granted here with ok false, events wait, the decision goes first once the server is back', async () => {
    const test = setup({ policy: DEFAULT_POLICY, maxRetries: 1 });
    test.transport.script('network', 'network');
    const pending = await test.clock.runUntil(test.heed.consent.grant(['statistics']));
    expect(pending).toMatchObject({ status: 'granted', ok: false });
    test.heed.track('waiting');
    await test.clock.advance(5_000);
    expect(paths(test)).toEqual(['POST /v1/consent', 'POST /v1/consent', 'POST /v1/consent', 'POST /v1/batch']);
    expect(test.transport.to('/v1/batch')[0]!.json).toMatchObject({ events: [{ type: 'session_start' }, { type: 'track', name: 'waiting' }] });
  });

  it('a withdrawal under a policy the server replaced is posted again under the one in force', async () => {
    const test = setup({ policy: DEFAULT_POLICY });
    await test.heed.consent.grant(['statistics']);
    test.transport.policy = SUBSTANTIAL;
    test.transport.script({ status: 409, body: { status: 409, detail: 'policy' } });
    const withdrawn = await test.heed.consent.withdraw();
    expect(withdrawn).toMatchObject({ status: 'withdrawn', ok: true });
    expect(paths(test, 1)).toEqual(['POST /v1/consent', 'GET /v1/policy?project=acme&after=2026-11-01', 'POST /v1/consent']);
    const last = test.transport.requests.at(-1)!.json as ConsentRequest;
    expect([last.policyVersion, last.purposes]).toEqual(['2027-01-01', { statistics: false, update_timing: false, marketing: false }]);
  });

  it('a withdrawal the server keeps refusing holds here and says ok: false', async () => {
    const test = setup({ policy: DEFAULT_POLICY });
    await test.heed.consent.grant(['statistics']);
    test.transport.handler = (request) => (request.path === '/v1/consent' ? 403 : undefined);
    expect(await test.heed.consent.withdraw()).toMatchObject({ status: 'withdrawn', ok: false });
    expect(test.storage.keys()).toEqual(['heed:consent']);
  });
});

describe('a change made elsewhere, seen in the next batch answer', () => {
  async function granted() {
    const test = setup({ policy: DEFAULT_POLICY });
    await test.heed.consent.grant(['statistics']);
    test.heed.track('x');
    return test;
  }

  it.each([
    ['withdrawn', { withdrawn: 2 }],
    ['not_granted (consent taken back purpose by purpose)', { not_granted: 2 }],
  ] as const)('%s: the gate closes, the queue goes, the status is withdrawn, the token stays', async (_, reasons) => {
    const test = await granted();
    test.transport.script({ status: 200, body: refused(reasons) });
    await test.heed.flush();
    await vi.waitFor(() => expect(test.heed.consent.get().status).toBe('withdrawn'));
    const count = test.transport.requests.length;
    for (let index = 0; index < 20; index++) test.heed.track('after');
    await test.clock.advance(3_600_000);
    test.lifecycle.fire('pagehide');
    expect(test.transport.requests.length).toBe(count);
    expect(test.storage.keys()).toEqual(['heed:consent']);
    expect(JSON.parse(test.storage.get('heed:consent')!).subject.token).toMatch(/^token-/);
    expect(test.changes.map((state) => state.status)).toEqual(['granted', 'withdrawn']);
    expect(test.asked).toEqual([]);
  });

  it('restricted: the gate closes and the state says restricted, the grant kept', async () => {
    const test = await granted();
    test.transport.script({ status: 200, body: refused({ restricted: 2 }) });
    await test.heed.flush();
    await vi.waitFor(() => expect(test.heed.consent.get().restricted).toBe(true));
    expect(test.heed.consent.get()).toEqual({ status: 'granted', purposes: ['statistics'], objected: [], restricted: true, policyVersion: '2026-11-01' });
    const count = test.transport.requests.length;
    test.heed.track('after');
    await test.clock.advance(3_600_000);
    expect(test.transport.requests.length).toBe(count);
    expect(JSON.parse(test.storage.get('heed:consent')!).decision.restricted).toBe(true);
  });

  it('erased: nothing of the subject stays on the device, the status is withdrawn', async () => {
    const test = await granted();
    const url = test.heed.consent.privacyUrl();
    expect(url).toMatch(/^https:\/\/heed\.test\/privacy#t=token-/);
    test.transport.script({ status: 200, body: refused({ erased: 1, withdrawn: 1 }) });
    await test.heed.flush();
    await vi.waitFor(() => expect(test.storage.keys()).toEqual([]));
    expect(test.heed.consent.get().status).toBe('withdrawn');
    expect(test.heed.consent.privacyUrl()).toBe('https://heed.test/privacy');
  });

  it('a batch with accepted or duplicate events changes nothing (it was processed for its subject)', async () => {
    const test = await granted();
    test.transport.script({ status: 200, body: { ...refused({ withdrawn: 1 }, 1), accepted: 1 } });
    test.heed.track('y');
    await test.heed.flush();
    test.heed.track('z');
    await test.heed.flush();
    expect(test.heed.consent.get().status).toBe('granted');
    expect(test.transport.to('/v1/batch')).toHaveLength(2);
  });
});

describe('subscribe and the getters', () => {
  it('calls each listener once per change, keeps get() the same object between changes, and stops after unsubscribe', async () => {
    const test = setup({ policy: DEFAULT_POLICY });
    const first = test.heed.consent.get();
    expect(test.heed.consent.get()).toBe(first);
    const late: string[] = [];
    const stop = test.heed.consent.subscribe((state) => late.push(state.status));
    await test.heed.consent.grant(['statistics']);
    // The grant and its acknowledgement by the server are two writes and one change.
    expect(test.changes.map((state) => state.status)).toEqual(['granted']);
    expect(test.heed.consent.get()).toBe(test.changes[0]);
    stop();
    await test.heed.consent.withdraw();
    expect(test.changes.map((state) => state.status)).toEqual(['granted', 'withdrawn']);
    expect(late).toEqual(['granted']);
  });

  it('reports a throwing listener as callback and still calls the others', async () => {
    const test = setup({ policy: DEFAULT_POLICY });
    test.heed.consent.subscribe(() => {
      throw new Error('host bug');
    });
    const after: string[] = [];
    test.heed.consent.subscribe((state) => after.push(state.status));
    await expect(test.heed.consent.deny()).resolves.toMatchObject({ status: 'denied', ok: true });
    expect(after).toEqual(['denied']);
    expect(test.errors.map((error) => [error.code, error.message])).toEqual([['callback', 'subscribe']]);
  });

  it('policy() fetches the policy once, the only request before a decision, and nothing is stored', async () => {
    const test = setup();
    const [one, two] = await Promise.all([test.heed.consent.policy(), test.heed.consent.policy()]);
    expect(one).toEqual(DEFAULT_POLICY);
    expect(two).toBe(one);
    expect(await test.heed.consent.policy()).toBe(one);
    expect(paths(test)).toEqual(['GET /v1/policy?project=acme']);
    expect(test.storage.keys()).toEqual([]);
    expect(test.heed.consent.privacyUrl()).toBe('https://heed.test/privacy');
  });
});

describe('a rights call the browser blocks (CORS)', () => {
  it('is reported once with code cors, naming HEED_CORS_ORIGINS, and not retried', async () => {
    const test = setup({ policy: DEFAULT_POLICY });
    await test.heed.consent.grant(['statistics']);
    const from = test.transport.requests.length;
    test.transport.handler = (request) => (request.path.startsWith('/v1/me') ? 'network' : undefined);
    expect(await test.heed.rights.export('json')).toBeUndefined();
    expect(paths(test, from)).toEqual(['GET /v1/me?format=json', 'GET /v1/policy']);
    expect(test.errors.map((error) => [error.code, error.message])).toEqual([
      ['cors', "[GET] /v1/me?format=json: no response while GET /v1/policy answers: the browser blocked it (CORS). Add this page's origin to HEED_CORS_ORIGINS on the Heed server."],
    ]);
    // It resolved without the clock moving: no backoff was waited out.
  });

  it('tells an unreachable server apart: retried as a network error', async () => {
    const test = setup({ policy: DEFAULT_POLICY, maxRetries: 2 });
    await test.heed.consent.grant(['statistics']);
    const from = test.transport.requests.length;
    test.transport.handler = () => 'network';
    expect(await test.clock.runUntil(test.heed.rights.restrict(true))).toBe(false);
    expect(paths(test, from).filter((path) => path === 'POST /v1/me/restrict')).toHaveLength(3);
    expect(test.errors.map((error) => error.code)).toEqual(['network']);
  });
});

describe('objections with a grant', () => {
  it('records the legitimate-interest purposes objected to with the decision, and keeps them on the next grant', async () => {
    const test = setup({ policy: DEFAULT_POLICY });
    expect(await test.heed.consent.grant(['statistics'], ['update_timing'])).toMatchObject({ status: 'granted', objected: ['update_timing'], ok: true });
    const first = test.transport.to('/v1/consent')[0]!.json as ConsentRequest;
    expect([first.purposes, first.objections]).toEqual([{ statistics: true, update_timing: false, marketing: false }, ['update_timing']]);
    await test.heed.consent.grant(['statistics', 'marketing']);
    expect((test.transport.to('/v1/consent')[1]!.json as ConsentRequest).objections).toEqual(['update_timing']);
    await test.heed.consent.grant(['statistics'], []);
    expect((test.transport.to('/v1/consent')[2]!.json as ConsentRequest).objections).toEqual([]);
  });
});
