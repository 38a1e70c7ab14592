/**
 * The consent gate through the public API: before a grant nothing is stored or sent; a
 * grant records the decision before any batch; withdrawal wipes and silences; a substantial
 * policy change or the server's `consentRequired` asks again.
 */
import { DEFAULT_POLICY, type BatchRequest, type ConsentRequest, type PolicyDocument } from '@heed/policy';
import { createTestPlatform, type TestPlatform } from '@heed/sdk/testing';
import { describe, expect, it, vi } from 'vitest';
import { createClient } from './client.js';
import type { HeedError } from './errors.js';
import type { HeedOptions } from './options.js';

const BASE = { endpoint: 'https://heed.test/', writeKey: 'wk_test', projectId: 'acme' };

function setup(options: Partial<HeedOptions> = {}, test: TestPlatform = createTestPlatform()) {
  const errors: HeedError[] = [];
  const onConsentRequired = vi.fn();
  const heed = createClient({ ...BASE, onError: (error) => errors.push(error), onConsentRequired, ...options }, test.platform);
  return { heed, errors, onConsentRequired, ...test };
}

const batches = (test: TestPlatform) => test.transport.to('/v1/batch').map((request) => request.json as BatchRequest);
const events = (test: TestPlatform) => batches(test).flatMap((batch) => batch.events);

describe('before a grant', () => {
  it('sends nothing, stores nothing and keeps no timer after many track() calls', async () => {
    const test = setup();
    for (let index = 0; index < 10_000; index++) test.heed.track('report.exported', { format: 'pdf' });
    const stop = test.heed.time('upload');
    stop();
    await test.heed.identify('user-42');
    await test.heed.flush();
    await test.clock.advance(3_600_000);
    test.lifecycle.fire('pagehide');
    expect(test.transport.requests).toEqual([]);
    expect(test.storage.keys()).toEqual([]);
    expect(test.clock.pending()).toBe(0);
    expect(test.lifecycle.listeners()).toBe(0);
    expect(test.heed.consent.get()).toEqual({ status: 'undecided', purposes: [], objected: [], restricted: false, policyVersion: null });
  });

  it('deny() remembers only the refusal and sends nothing', async () => {
    const test = setup({ policy: DEFAULT_POLICY });
    expect((await test.heed.consent.deny()).status).toBe('denied');
    test.heed.track('x');
    await test.clock.advance(60_000);
    expect(test.transport.requests).toEqual([]);
    expect(test.storage.keys()).toEqual(['heed:consent']);
  });
});

describe('grant', () => {
  it('fetches the policy, POSTs the decision first, keeps the token, then sends batches', async () => {
    const test = setup();
    const state = await test.heed.consent.grant(['statistics']);
    expect(state).toEqual({ status: 'granted', purposes: ['statistics'], objected: [], restricted: false, policyVersion: '2026-11-01', ok: true });
    test.heed.track('report.exported', { format: 'pdf' });
    await test.clock.advance(5_000);
    expect(test.transport.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /v1/policy?project=acme',
      'POST /v1/consent',
      'POST /v1/batch',
    ]);
    const consent = test.transport.to('/v1/consent')[0]!;
    expect(consent.contentType).toBe('text');
    const body = consent.json as ConsentRequest;
    expect(body).toEqual({
      writeKey: 'wk_test',
      subject: body.subject,
      policyVersion: '2026-11-01',
      purposes: { statistics: true, update_timing: true, marketing: false },
      gpc: false,
      objections: [],
      ts: test.clock.now() - 5_000,
      // An anonymous subject is proven by its random id: the server derives the hash itself.
      anonymousId: body.anonymousId,
    });
    expect(body.anonymousId).toMatch(/^[A-Za-z0-9_-]{21}$/);
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`heed:anon:v1:acme:${body.anonymousId}`));
    expect(body.subject).toBe(Buffer.from(digest).toString('base64url'));
    const [batch] = batches(test);
    expect(batch).toMatchObject({
      writeKey: 'wk_test', tz: 'Europe/Brussels', device: 'desktop', sdk: 'heed-js/0.1.0', sentAt: test.clock.now(),
      proofs: { [body.subject]: { anonymousId: body.anonymousId } },
    });
    expect(batch!.events.map((event) => event.type)).toEqual(['session_start', 'track']);
    expect(batch!.events[1]).toEqual({
      id: batch!.events[1]!.id,
      type: 'track',
      ts: test.clock.now() - 5_000,
      sessionId: batch!.events[0]!.sessionId,
      subject: body.subject,
      name: 'report.exported',
      props: { format: 'pdf' },
    });
    expect(JSON.parse(test.storage.get('heed:consent')!).subject).toMatchObject({ acked: true, token: `token-${body.subject.slice(0, 8)}` });
  });

  it('sends GPC as gpc: true with objection to legitimate-interest purposes', async () => {
    const test = createTestPlatform();
    test.environment.signal = true;
    const { heed, transport } = setup({ policy: DEFAULT_POLICY }, test);
    const state = await heed.consent.grant(['statistics']);
    expect(state.objected).toEqual(['update_timing']);
    const body = transport.to('/v1/consent')[0]!.json as ConsentRequest;
    expect(body.gpc).toBe(true);
    expect(body.objections).toEqual(['update_timing']);
    expect(body.purposes).toEqual({ statistics: true, update_timing: false, marketing: false });
  });

  it('hashes the identified user: base64url(SHA-256("heed:v1:" + projectId + ":" + id)), never storing the id', async () => {
    const test = setup({ policy: DEFAULT_POLICY });
    await test.heed.identify('user-42');
    await test.heed.consent.grant(['statistics']);
    const expected = Buffer.from(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode('heed:v1:acme:user-42')),
    ).toString('base64url');
    expect((test.transport.to('/v1/consent')[0]!.json as ConsentRequest).subject).toBe(expected);
    expect(JSON.stringify([...test.storage.keys()].map((key) => test.storage.get(key)))).not.toContain('user-42');
  });

  it('replaces an expired anonymous id (13 months) with a new subject', async () => {
    const test = createTestPlatform();
    const first = setup({ policy: DEFAULT_POLICY }, test);
    await first.heed.consent.grant(['statistics']);
    await first.heed.shutdown();
    await test.clock.advance(396 * 86_400_000);
    const second = setup({ policy: DEFAULT_POLICY }, test);
    await second.heed.flush();
    const subjects = test.transport.to('/v1/consent').map((request) => (request.json as ConsentRequest).subject);
    expect(subjects).toHaveLength(2);
    expect(subjects[0]).not.toBe(subjects[1]);
  });
});

describe('props JSON cannot encode', () => {
  it('never throw into the host: the event is reported as invalid_event and the queue keeps working', async () => {
    const test = setup();
    await test.heed.consent.grant(['statistics']);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => test.heed.track('big', { n: 1n } as never)).not.toThrow();
    expect(() => test.heed.track('cycle', cyclic as never)).not.toThrow();
    test.heed.track('report.exported', { format: 'pdf' });
    await test.clock.advance(5_000);
    expect(test.errors.map((error) => [error.code, error.message])).toEqual([['invalid_event', 'big'], ['invalid_event', 'cycle']]);
    expect(events(test).filter((event) => event.type === 'track').map((event) => event.name)).toEqual(['report.exported']);
  });
});

describe('withdraw', () => {
  it('stops at once, drops the queue, POSTs all purposes false, keeps only the subject and its token', async () => {
    const test = setup({ policy: DEFAULT_POLICY });
    await test.heed.consent.grant(['statistics']);
    for (let index = 0; index < 5; index++) test.heed.track('queued');
    // The queue is stored at the end of the macrotask.
    await test.clock.advance(0);
    expect(test.storage.keys().sort()).toEqual(['heed:consent', 'heed:queue']);
    test.heed.track('pending');
    const state = await test.heed.consent.withdraw();
    expect(state.status).toBe('withdrawn');
    expect(test.storage.keys()).toEqual(['heed:consent']);
    const subject = (test.transport.to('/v1/consent')[0]!.json as ConsentRequest).subject;
    expect(JSON.parse(test.storage.get('heed:consent')!)).toEqual({
      subject: { hash: subject, anonymous: true, created: expect.any(Number), acked: false, token: `token-${subject.slice(0, 8)}`, proof: { anonymousId: expect.any(String) } },
    });
    const last = test.transport.requests.at(-1)!;
    expect(last.path).toBe('/v1/consent');
    expect((last.json as ConsentRequest).purposes).toEqual({ statistics: false, update_timing: false, marketing: false });
    const count = test.transport.requests.length;
    for (let index = 0; index < 100; index++) test.heed.track('after');
    await test.heed.flush();
    await test.clock.advance(3_600_000);
    test.lifecycle.fire('pagehide');
    expect(test.transport.requests.length).toBe(count);
    expect(events(test)).toEqual([]);
    expect(test.storage.keys()).toEqual(['heed:consent']);
  });

  it('keeps the token for rights after withdrawal, across a reload, and again after a new grant', async () => {
    const test = createTestPlatform();
    const first = setup({ policy: DEFAULT_POLICY }, test);
    await first.heed.consent.grant(['statistics']);
    await first.heed.consent.withdraw();
    await first.heed.rights.export('json');
    const token = test.transport.requests.at(-1)!.token;
    expect(token).toMatch(/^token-/);

    const second = setup({ policy: DEFAULT_POLICY }, test);
    expect(second.heed.consent.get().status).toBe('undecided');
    await second.heed.rights.export('json');
    expect(test.transport.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/me?format=json', token });
    // The server issues a token only on a subject's first decision: a new grant keeps the old one.
    await second.heed.consent.grant(['statistics']);
    const subjects = test.transport.to('/v1/consent').map((request) => (request.json as ConsentRequest).subject);
    expect(new Set(subjects).size).toBe(1);
    expect(JSON.parse(test.storage.get('heed:consent')!).subject).toMatchObject({ acked: true, token });
    expect(second.errors).toEqual([]);
  });

  it('rights.withdraw POSTs /v1/me/withdraw with the bearer token, which stays', async () => {
    const test = setup({ policy: DEFAULT_POLICY });
    await test.heed.consent.grant(['statistics']);
    test.heed.track('queued');
    expect(await test.heed.rights.withdraw()).toBe(true);
    const last = test.transport.requests.at(-1)!;
    expect([last.method, last.path, last.contentType, last.json]).toEqual(['POST', '/v1/me/withdraw', 'json', {}]);
    expect(last.token).toMatch(/^token-/);
    expect(test.heed.consent.get().status).toBe('withdrawn');
    expect(test.storage.keys()).toEqual(['heed:consent']);
    expect(JSON.parse(test.storage.get('heed:consent')!).subject.token).toBe(last.token);
  });

  it('rights.erase forgets the subject and its token once the server confirmed, and keeps them to retry', async () => {
    const test = setup({ policy: DEFAULT_POLICY });
    await test.heed.consent.grant(['statistics']);
    test.transport.script(403);
    expect(await test.heed.rights.erase()).toBe(false);
    expect(test.heed.consent.get().status).toBe('withdrawn');
    expect(JSON.parse(test.storage.get('heed:consent')!).subject.token).toMatch(/^token-/);
    expect(await test.heed.rights.erase()).toBe(true);
    expect(test.transport.requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/v1/me' });
    expect(test.storage.keys()).toEqual([]);
    expect(await test.heed.rights.export('json')).toBeUndefined();
    expect(test.errors.map((error) => error.code)).toEqual(['http', 'no_subject_token']);
  });

  it('reset() after withdrawing an identified subject takes its token away with the user', async () => {
    const test = setup({ policy: DEFAULT_POLICY });
    await test.heed.identify('user-42');
    await test.heed.consent.grant(['statistics']);
    await test.heed.consent.withdraw();
    expect(test.storage.keys()).toEqual(['heed:consent']);
    await test.heed.reset();
    expect(test.storage.keys()).toEqual([]);
    await test.heed.consent.grant(['statistics']);
    const subjects = test.transport.to('/v1/consent').map((request) => (request.json as ConsentRequest).subject);
    expect(subjects[2]).not.toBe(subjects[0]);
  });
});

describe('policy changes', () => {
  const substantial: PolicyDocument = {
    ...DEFAULT_POLICY,
    version: '2027-01-01',
    substantial: true,
    history: [{ version: '2026-11-01', substantial: false }],
  };

  it('a substantial new version supersedes the grant (undecided after a reload) and sends no batch', async () => {
    const test = createTestPlatform();
    const first = setup({ policy: DEFAULT_POLICY }, test);
    await first.heed.consent.grant(['statistics']);
    first.heed.track('before-change');
    await first.heed.shutdown();
    const before = test.transport.requests.length;
    test.transport.policy = substantial;
    const second = setup({}, test);
    second.heed.track('after-change');
    await test.clock.advance(60_000);
    expect(second.onConsentRequired).toHaveBeenCalledWith({ reason: 'policy_changed', policyVersion: '2027-01-01' });
    expect(second.heed.consent.get().status).toBe('superseded');
    expect(setup({}, test).heed.consent.get().status).toBe('undecided');
    expect(test.transport.requests.slice(before).map((request) => request.path)).toEqual(['/v1/policy?project=acme']);
    expect(Object.keys(JSON.parse(test.storage.get('heed:consent')!))).toEqual(['subject']);
  });

  it('a non-substantial new version keeps the consent', async () => {
    const test = createTestPlatform();
    const first = setup({ policy: DEFAULT_POLICY }, test);
    await first.heed.consent.grant(['statistics']);
    await first.heed.shutdown();
    const minor = { ...DEFAULT_POLICY, version: '2027-01-01', history: [{ version: '2026-11-01', substantial: false }] };
    const second = setup({ policy: minor }, test);
    second.heed.track('still-on');
    await second.heed.flush();
    expect(second.onConsentRequired).not.toHaveBeenCalled();
    expect(events(test).some((event) => event.type === 'track' && event.name === 'still-on')).toBe(true);
  });

  it('consentRequired in a batch answer stops tracking, fetches the policy in force, asks again, and the next grant records under it', async () => {
    const test = setup({ policy: DEFAULT_POLICY });
    await test.heed.consent.grant(['statistics']);
    test.heed.track('x');
    test.transport.policy = substantial;
    test.transport.script({
      status: 200,
      body: { accepted: 0, duplicates: 0, suppressed: 2, reasons: { policy_superseded: 2 }, rejected: 0, rejections: {}, consentRequired: true, policyVersion: '2027-01-01' },
    });
    await test.heed.flush();
    await vi.waitFor(() => expect(test.onConsentRequired).toHaveBeenCalledWith({ reason: 'policy_changed', policyVersion: '2027-01-01' }));
    expect(test.heed.consent.get()).toEqual({ status: 'superseded', purposes: [], objected: [], restricted: false, policyVersion: null });
    expect(test.transport.requests.slice(-2).map((request) => `${request.method} ${request.path}`)).toEqual(['POST /v1/batch', 'GET /v1/policy?project=acme&after=2026-11-01']);
    const count = test.transport.requests.length;
    test.heed.track('y');
    await test.clock.advance(60_000);
    expect(test.transport.requests.length).toBe(count);

    expect(await test.heed.consent.grant(['statistics'])).toMatchObject({ status: 'granted', policyVersion: '2027-01-01', ok: true });
    expect((test.transport.to('/v1/consent').at(-1)!.json as ConsentRequest).policyVersion).toBe('2027-01-01');
    test.heed.track('z');
    await test.heed.flush();
    expect(events(test).filter((event) => event.type === 'track').map((event) => event.type === 'track' && event.name)).toEqual(['x', 'z']);
    expect(test.errors).toEqual([]);
  });
});

describe('connectivity', () => {
  it('pauses while offline and resumes on online, same events and ids', async () => {
    const test = setup({ policy: DEFAULT_POLICY });
    await test.heed.consent.grant(['statistics']);
    await test.clock.advance(10_000);
    const before = test.transport.requests.length;
    test.lifecycle.fire('offline');
    test.heed.track('offline.1');
    test.heed.track('offline.2');
    await test.clock.advance(10 * 60_000);
    expect(test.transport.requests.length).toBe(before);
    expect(JSON.parse(test.storage.get('heed:queue')!).filter((event: { type: string }) => event.type === 'track')).toHaveLength(2);
    test.lifecycle.fire('online');
    await test.clock.advance(1_000);
    expect(events(test).filter((event) => event.type === 'track').map((event) => event.type === 'track' && event.name)).toEqual(['offline.1', 'offline.2']);
  });
});

describe('queue persistence', () => {
  it('stores a burst of 1,000 track() calls with one write, and at once when the page is hidden', async () => {
    const test = setup({ policy: DEFAULT_POLICY });
    await test.heed.consent.grant(['statistics']);
    test.lifecycle.fire('offline');
    await test.clock.advance(0);
    const writes: string[] = [];
    const set = test.storage.set;
    test.storage.set = (key, value) => {
      writes.push(key);
      set(key, value);
    };
    for (let index = 0; index < 1_000; index++) test.heed.track(`burst.${index}`);
    expect(writes).toEqual([]);
    await test.clock.advance(0);
    expect(writes).toEqual(['heed:queue']);
    const stored = () => (JSON.parse(test.storage.get('heed:queue')!) as { name?: string }[]).map((event) => event.name);
    // Full at 1,000: session_start, the oldest, made room for the last of the burst.
    expect(stored()).toEqual(Array.from({ length: 1_000 }, (_, index) => `burst.${index}`));
    test.heed.track('last');
    test.lifecycle.fire('hidden');
    expect(writes).toEqual(['heed:queue', 'heed:queue']);
    expect(stored().slice(-2)).toEqual(['burst.999', 'last']);
  });
});

describe('never throws into the host', () => {
  it('reports a failing policy fetch and a throwing onError without rejecting', async () => {
    const test = createTestPlatform();
    test.transport.handler = () => 400;
    const heed = createClient({ ...BASE, onError: () => { throw new Error('host bug'); } }, test.platform);
    await expect(heed.consent.grant(['statistics'])).resolves.toMatchObject({ status: 'undecided' });
    await expect(heed.rights.export('json')).resolves.toBeUndefined();
  });

  it('leaves event checks to the server: a refused batch is reported once and dropped', async () => {
    const test = setup({ policy: DEFAULT_POLICY });
    await test.heed.consent.grant(['statistics']);
    test.heed.track('x'.repeat(101));
    test.transport.script({ status: 422, body: { type: 'about:blank', status: 422, detail: 'body.events.1.name: too long' } });
    await test.heed.flush();
    expect(test.errors.map((error) => [error.code, error.message])).toEqual([['http', '[POST] /v1/batch: 422 body.events.1.name: too long']]);
    expect(test.transport.to('/v1/batch')).toHaveLength(1);
    expect(test.storage.get('heed:queue')).toBeNull();
  });
});
