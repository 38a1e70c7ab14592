/**
 * Every error status at its edge, over real HTTP: each answers problem+json and leaves the
 * database exactly as it was.
 */
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anonymousHash } from '../crypto/client-hash.js';
import { storesUnderTest, type TestStoreKind } from '../testing/test-databases.js';
import { TEST_START, startTestServer, type TestServer } from '../testing/test-server.js';

let t: TestServer;
let before: Record<string, number>;

const subject = () => t.subjectFor('alice');
const batchBody = (events = 1) => ({
  writeKey: t.project.writeKey, sentAt: TEST_START, tz: 'Europe/Brussels', device: 'desktop', sdk: 'test/1',
  proofs: { [subject()]: { identity: t.identityFor('alice') } },
  events: Array.from({ length: events }, (_, n) => ({ id: `evt_${String(n).padStart(12, '0')}`, type: 'session_start', subject: subject(), sessionId: 'ses_000000001', ts: TEST_START })),
});

async function expectProblem(response: Response, status: number, type: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = (await response.json()) as { type: string; status: number; detail: string; errors?: unknown };
  expect(body.type).toBe(`https://heed.dev/problems/${type}`);
  expect(body.status).toBe(status);
  expect(body.detail.length).toBeGreaterThan(0);
  return body;
}

async function expectUnchanged() {
  expect(await t.server.services.store.counts()).toEqual(before);
}

async function open(env: Record<string, string> = {}, store: TestStoreKind = 'sqlite') {
  t = await startTestServer({ env, store });
  await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: subject(), policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START });
  before = await t.server.services.store.counts();
}

afterEach(async () => {
  await t.close();
});

describe('error statuses', () => {
  beforeEach(() => open());

  it('400 names the failing fields', async () => {
    const bad = batchBody();
    (bad.events[0] as Record<string, unknown>).ts = 'yesterday';
    const body = await expectProblem(await t.post('/v1/batch', bad), 400, 'validation');
    expect(body.errors).toEqual([{ field: 'events.0.ts', message: 'Invalid input: expected number, received string' }]);
    await expectProblem(await t.post('/v1/batch', '{"writeKey":'), 400, 'malformed-json');
    await expectUnchanged();
  });

  it('401 for an unknown, malformed or wrong-kind write key', async () => {
    await expectProblem(await t.post('/v1/batch', { ...batchBody(), writeKey: 'heed_wk_AAAAAAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' }), 401, 'unauthorized');
    await expectProblem(await t.post('/v1/batch', { ...batchBody(), writeKey: 'nope' }), 401, 'unauthorized');
    await expectProblem(await t.post('/v1/batch', { ...batchBody(), writeKey: t.project.analystKey }), 401, 'unauthorized');
    await expectUnchanged();
  });

  it('404 and 405', async () => {
    await expectProblem(await fetch(`${t.url}/v1/nothing`), 404, 'not-found');
    const response = await fetch(`${t.url}/v1/batch`, { method: 'PUT', body: '{}' });
    await expectProblem(response, 405, 'method-not-allowed');
    expect(response.headers.get('allow')).toBe('POST');
    await expectUnchanged();
  });

  it('413 at the body limit: limit accepted, limit + 1 refused, also when chunked', async () => {
    const limit = 64 * 1024;
    const json = JSON.stringify(batchBody(3));
    // JSON ignores trailing white space: pad a valid body to the exact size.
    const sized = (bytes: number) => json + ' '.repeat(bytes - Buffer.byteLength(json));
    expect((await t.post('/v1/batch', sized(limit))).status).toBe(200);
    const countsAfterAccepted = await t.server.services.store.counts();
    await expectProblem(await t.post('/v1/batch', sized(limit + 1)), 413, 'body-too-large');
    const chunked = await fetch(`${t.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          const bytes = new TextEncoder().encode(sized(limit + 1));
          for (let offset = 0; offset < bytes.length; offset += 4_096) controller.enqueue(bytes.subarray(offset, offset + 4_096));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    await expectProblem(chunked, 413, 'body-too-large');
    expect(await t.server.services.store.counts()).toEqual(countsAfterAccepted);
  });

  it('415 for other content types', async () => {
    const response = await fetch(`${t.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    await expectProblem(response, 415, 'unsupported-media-type');
    expect((await t.post('/v1/batch', JSON.stringify(batchBody()), { 'content-type': 'text/plain;charset=UTF-8' })).status).toBe(200);
  });
});

describe('429', () => {
  beforeEach(() => open({ HEED_RATE_BURST: '3', HEED_RATE_PER_SECOND: '1' }));

  it('limits per project with Retry-After, and another project still gets through', async () => {
    // The consent in open() took one token of three.
    expect((await t.post('/v1/batch', batchBody())).status).toBe(200);
    expect((await t.post('/v1/batch', batchBody())).status).toBe(200);
    const counts = await t.server.services.store.counts();
    const limited = await t.post('/v1/batch', batchBody());
    await expectProblem(limited, 429, 'rate-limited');
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await t.server.services.store.counts()).toEqual(counts);

    const { createProject } = await import('../projects/projects.js');
    const other = await createProject(t.server.services.store, t.server.services.identityKeys, { name: 'Other', now: TEST_START });
    const anonymousId = 'V1StGXR8_Z5jdHi6B-myT';
    const otherConsent = await t.post('/v1/consent', {
      writeKey: other.writeKey, subject: anonymousHash(other.projectId, anonymousId), anonymousId, policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START,
    });
    expect(otherConsent.status).toBe(200);
    t.clock.advance(1_000);
    expect((await t.post('/v1/batch', { ...batchBody(), events: [{ ...batchBody().events[0]!, id: 'evt_after_refill' }] })).status).toBe(200);
  });
});

/**
 * Holds what a batch must write: SQLite's write lock, or on PostgreSQL a table lock on
 * `events` (the batch then waits past its lock_timeout, HEED_BUSY_TIMEOUT_MS, and gets 55P03).
 */
async function holdWriteLock(): Promise<() => Promise<void>> {
  if (t.store === 'sqlite') {
    const blocker = new Database(t.dbPath);
    blocker.exec('BEGIN IMMEDIATE');
    return async () => {
      blocker.exec('ROLLBACK');
      blocker.close();
    };
  }
  const sql = postgres(t.databaseUrl, { max: 1, onnotice: () => {} });
  const reserved = await sql.reserve();
  await reserved`BEGIN`;
  await reserved`LOCK TABLE events IN EXCLUSIVE MODE`;
  return async () => {
    await reserved`ROLLBACK`;
    reserved.release();
    await sql.end({ timeout: 5 });
  };
}

describe.each(storesUnderTest())('503 on %s', (store: TestStoreKind) => {
  beforeEach(() => open({ HEED_BUSY_TIMEOUT_MS: '50' }, store));

  it('answers 503 with Retry-After while another writer holds the lock, and the retry gets in', async () => {
    const release = await holdWriteLock();
    try {
      const busy = await t.post('/v1/batch', batchBody());
      await expectProblem(busy, 503, 'store-busy');
      expect(busy.headers.get('retry-after')).toBe('1');
    } finally {
      await release();
    }
    await expectUnchanged();
    expect(await (await t.post('/v1/batch', batchBody())).json()).toMatchObject({ accepted: 1 });
  });
});
