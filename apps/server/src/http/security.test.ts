/**
 * Who may reach what: keys of one project never read or write another's data, a write key
 * cannot read, a subject token reaches only its own subject, secure headers are set on every
 * kind of answer, and CORS lets only configured origins call the read and admin routes (never
 * `null`) while any page may send events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSubjectHash } from '@heed/sdk/node';
import { createApp } from '../app.js';
import { identifiedHash } from '../crypto/client-hash.js';
import { ConfigError, loadConfig } from '../config.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { createProject, type CreatedProject } from '../projects/projects.js';
import { TEST_START, startTestServer, type TestServer } from '../testing/test-server.js';

let t: TestServer;
let other: CreatedProject;
const tokens: Record<string, string> = {};

/** The same user id in the other project: its own subject hash, signed with its own identity secret. */
const inOther = (userId: string) => {
  const subject = identifiedHash(other.projectId, userId);
  return { subject, identity: signSubjectHash({ secret: other.identitySecret, projectId: other.projectId, subject, now: TEST_START }) };
};
const consent = async (writeKey: string, subject: string, identity?: string) => {
  const response = await t.post('/v1/consent', { writeKey, subject, identity, policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START });
  return ((await response.json()) as { subjectToken?: string }).subjectToken;
};
const batch = (writeKey: string, subject: string, id: string, identity?: string) =>
  t.post('/v1/batch', {
    writeKey, sentAt: TEST_START, tz: 'UTC', device: 'desktop', sdk: 'test/1', ...(identity ? { proofs: { [subject]: { identity } } } : {}),
    events: [{ id, type: 'session_start', subject, sessionId: 'ses_sec_00001', ts: TEST_START }],
  });
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  t = await startTestServer({ env: { HEED_CORS_ORIGINS: 'https://app.example' } });
  other = await createProject(t.server.services.store, t.server.services.identityKeys, { name: 'Other', now: TEST_START });
  tokens.a = (await consent(t.project.writeKey, t.subjectFor('shared-user')))!;
  tokens.b = (await consent(other.writeKey, inOther('shared-user').subject, inOther('shared-user').identity))!;
  await batch(t.project.writeKey, t.subjectFor('shared-user'), 'evt_sec_a_000001');
  await batch(other.writeKey, inOther('shared-user').subject, 'evt_sec_b_000001', inOther('shared-user').identity);
});
afterAll(() => t.close());

describe('project isolation', () => {
  it('keeps the same user apart in two projects: two subjects, two tokens, two pseudonyms', async () => {
    expect(tokens.a).not.toBe(tokens.b);
    expect(await t.query('SELECT project_id AS p, count(*) AS n FROM events GROUP BY project_id ORDER BY project_id')).toEqual(
      [{ p: t.project.projectId, n: 1 }, { p: other.projectId, n: 1 }].sort((x, y) => x.p.localeCompare(y.p)),
    );
    const pseudonyms = await t.query<{ pseudonym: string }>('SELECT DISTINCT pseudonym FROM subjects');
    expect(pseudonyms).toHaveLength(2);
  });

  it("lets an admin key reach only its own project's subjects and requests", async () => {
    const ownOnly = await t.post('/v1/admin/subjects/access', { userId: 'only-in-a' }, bearer(other.adminKey));
    expect(ownOnly.status).toBe(404);
    await consent(t.project.writeKey, t.subjectFor('only-in-a'));
    expect((await t.post('/v1/admin/subjects/access', { userId: 'only-in-a' }, bearer(t.project.adminKey))).status).toBe(200);
    expect((await t.post('/v1/admin/subjects/access', { userId: 'only-in-a' }, bearer(other.adminKey))).status).toBe(404);
    const requests = (await (await fetch(`${t.url}/v1/admin/requests`, { headers: bearer(other.adminKey) })).json()) as { requests: unknown[] };
    expect(requests.requests).toEqual([]);
  });

  it('refuses a write or analyst key on the admin routes, and a write key cannot read', async () => {
    for (const key of [t.project.writeKey, t.project.analystKey]) {
      expect((await fetch(`${t.url}/v1/admin/requests`, { headers: bearer(key) })).status).toBe(401);
      expect((await t.post('/v1/admin/subjects/access', { userId: 'shared-user' }, bearer(key))).status).toBe(401);
    }
    expect((await fetch(`${t.url}/v1/me`, { headers: bearer(t.project.writeKey) })).status).toBe(401);
  });

  it('lets a subject token reach only its own subject', async () => {
    const a = (await (await fetch(`${t.url}/v1/me`, { headers: bearer(tokens.a!) })).json()) as { events: { id: string }[] };
    const b = (await (await fetch(`${t.url}/v1/me`, { headers: bearer(tokens.b!) })).json()) as { events: { id: string }[] };
    expect(a.events.map((event) => event.id)).toEqual(['evt_sec_a_000001']);
    expect(b.events.map((event) => event.id)).toEqual(['evt_sec_b_000001']);
  });
});

describe('headers', () => {
  it('sets the secure headers on every answer', async () => {
    for (const path of ['/healthz', '/v1/policy', '/v1/nothing', '/privacy']) {
      const response = await fetch(`${t.url}${path}`);
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(response.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
      expect(response.headers.get('strict-transport-security'), path).toBe('max-age=15552000; includeSubDomains');
    }
    expect((await fetch(`${t.url}/privacy`)).headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('sets every secure header on answers, problems and thrown errors alike', async () => {
    const answers = {
      'a batch': await batch(t.project.writeKey, t.subjectFor('headers-user'), 'evt_sec_h_000001'),
      'a 400 problem': await t.post('/v1/batch', { writeKey: t.project.writeKey }),
      'a 401 problem': await fetch(`${t.url}/v1/stats/usage`),
      'a 405 problem': await fetch(`${t.url}/v1/batch`),
      'a 415 problem': await fetch(`${t.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<batch/>' }),
    };
    for (const [what, response] of Object.entries(answers)) {
      for (const [name, value] of SECURITY_HEADERS) expect(response.headers.get(name), `${what}: ${name}`).toBe(value);
    }
    expect(Object.values(answers).map((response) => response.status)).toEqual([200, 400, 401, 405, 415]);
  });

  it('sets the same headers when the app answers without a Node server (app.request)', async () => {
    const app = createApp(t.server.services, { bodyLimit: 65_536, rate: { perSecond: 100, burst: 100 }, ingestOrigins: ['*'], corsOrigins: ['https://app.example'] });
    const problem = await app.request('/v1/nothing');
    const preflight = await app.request('/v1/me', { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' } });
    for (const [name, value] of SECURITY_HEADERS) expect([problem.headers.get(name), preflight.headers.get(name)], name).toEqual([value, value]);
    expect([problem.status, preflight.status, preflight.headers.get('access-control-allow-origin'), preflight.headers.get('vary')])
      .toEqual([404, 204, 'https://app.example', 'Origin, Access-Control-Request-Headers']);
  });

  it('answers CORS on read and admin routes for configured origins only, never null', async () => {
    const preflight = (path: string, origin: string) =>
      fetch(`${t.url}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    for (const path of ['/v1/me', '/v1/admin/requests']) {
      expect((await preflight(path, 'https://app.example')).headers.get('access-control-allow-origin'), path).toBe('https://app.example');
      expect((await preflight(path, 'https://evil.example')).headers.get('access-control-allow-origin'), path).toBeNull();
      expect((await preflight(path, 'null')).headers.get('access-control-allow-origin'), path).toBeNull();
    }
    // Ingest takes events from any page: the write key is public and can only append.
    const ingest = await preflight('/v1/batch', 'https://evil.example');
    expect([ingest.status, ingest.headers.get('access-control-allow-origin'), ingest.headers.get('access-control-allow-methods'), ingest.headers.get('access-control-max-age')])
      .toEqual([204, '*', 'POST', '86400']);
    const read = await preflight('/v1/me', 'https://app.example');
    expect([read.status, read.headers.get('access-control-allow-headers'), read.headers.get('vary')]).toEqual([204, 'authorization,content-type', 'Origin, Access-Control-Request-Headers']);
  });

  it('lets a page read ingest answers, Retry-After included, and read routes only from configured origins', async () => {
    const sent = await fetch(`${t.url}/v1/batch`, { method: 'POST', headers: { origin: 'https://shop.example', 'content-type': 'text/plain' }, body: '{}' });
    expect([sent.status, sent.headers.get('access-control-allow-origin'), sent.headers.get('access-control-expose-headers'), sent.headers.get('vary')])
      .toEqual([400, '*', 'retry-after', null]);
    const read = (origin: string) => fetch(`${t.url}/v1/me`, { headers: { origin, ...bearer(tokens.a!) } });
    const allowed = await read('https://app.example');
    expect([allowed.status, allowed.headers.get('access-control-allow-origin'), allowed.headers.get('access-control-expose-headers'), allowed.headers.get('vary')])
      .toEqual([200, 'https://app.example', 'retry-after,content-disposition', 'Origin']);
    const refused = await read('https://evil.example');
    expect([refused.headers.get('access-control-allow-origin'), refused.headers.get('vary')]).toEqual([null, 'Origin']);
  });

  it('refuses to start with "null" as an allowed origin', () => {
    expect(() => loadConfig({ HEED_CORS_ORIGINS: 'https://app.example,null' })).toThrow(ConfigError);
    expect(() => loadConfig({ HEED_CORS_ORIGINS: 'https://app.example,null' })).toThrow(/HEED_CORS_ORIGINS: the origin "null" is never allowed/);
  });
});
