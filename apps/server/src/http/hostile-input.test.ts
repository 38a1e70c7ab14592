/**
 * Hostile input over real HTTP: 10,000 generated requests (broken JSON, wrong types, huge and
 * deeply nested values, unicode edge cases, prototype keys, wrong content types) against
 * /v1/batch, /v1/consent and /v1/me, then raw-socket chunked, slow and incomplete requests.
 * No 5xx, the server stays up, and the database holds exactly what the 200s reported.
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_START, startTestServer, type TestServer } from '../testing/test-server.js';

let t: TestServer;
let token: string;
const REQUESTS = 10_000;

beforeAll(async () => {
  // Every limit wide open: this is about what hostile bodies do, not how often they may come.
  t = await startTestServer({ env: { HEED_RATE_PER_SECOND: '1000000', HEED_RATE_BURST: '1000000', HEED_CONSENT_PER_SUBJECT_PER_MINUTE: '10000', HEED_IDENTITY_FAILURES_PER_MINUTE: '1000000' } });
  const response = await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor('fuzz'), policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START });
  token = ((await response.json()) as { subjectToken: string }).subjectToken;
});
afterAll(() => t.close());

interface Shot {
  method: string;
  path: string;
  contentType: string;
  body: string | undefined;
  auth: boolean;
}

let sequence = 0;
const validEvent = () => ({ id: `evt_fuzz_${String(++sequence).padStart(8, '0')}`, type: 'heartbeat', subject: t.subjectFor('fuzz'), sessionId: 'ses_fuzz_0001', ts: TEST_START - 1_000, activeMs: 10 });
const validBatch = () => ({
  writeKey: t.project.writeKey, sentAt: TEST_START, tz: 'Europe/Brussels', device: 'desktop', sdk: 'fuzz/1',
  proofs: { [t.subjectFor('fuzz')]: { identity: t.identityFor('fuzz') } }, events: [validEvent(), validEvent()],
});

const hostileValue = fc.oneof(
  fc.jsonValue(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme-composite', maxLength: 50 }),
  fc.constantFrom('\u0000', '\uFEFF', '\uD800', '\u202E', 'é'.normalize('NFD'), '𝕳𝖊𝖊𝖉', '__proto__', 'constructor'),
  fc.integer().map((n) => '9'.repeat(Math.abs(n % 400) + 1)),
  fc.nat({ max: 200 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  fc.nat({ max: 3 }).map((n) => 'x'.repeat([10, 70_000, 130_000, 1_000][n]!)),
);

/** A valid body with one field replaced by something hostile. */
const mutated = fc.tuple(fc.constantFrom('writeKey', 'tz', 'device', 'events', 'sentAt', 'e.id', 'e.ts', 'e.type', 'e.subject', 'e.activeMs', 'e.props', 'e.__proto__'), hostileValue)
  .map(([field, value]) => {
    const batch = validBatch() as Record<string, unknown>;
    const events = batch.events as Record<string, unknown>[];
    const hostile = typeof value === 'string' && value.startsWith('[') ? JSON.parse(value) : value;
    if (field.startsWith('e.')) {
      const key = field.slice(2);
      if (key === '__proto__') return JSON.stringify(batch).replace('"type":"heartbeat"', `"__proto__":${JSON.stringify(hostile)},"type":"heartbeat"`);
      events[0]![key] = hostile;
    } else batch[field] = hostile;
    return JSON.stringify(batch);
  });

const body = fc.oneof(
  { weight: 2, arbitrary: fc.constant(null).map(() => JSON.stringify(validBatch())) },
  { weight: 4, arbitrary: mutated },
  { weight: 2, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(null), fc.nat()).map(([, cut]) => { const text = JSON.stringify(validBatch()); return text.slice(0, cut % text.length); }) },
  { weight: 1, arbitrary: hostileValue.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))) },
);

const shot: fc.Arbitrary<Shot> = fc.record({
  target: fc.constantFrom('batch', 'consent', 'me-get', 'me-patch', 'me-restrict', 'me-object'),
  contentType: fc.constantFrom('application/json', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', '', 'application/json; charset=utf-16'),
  body,
  auth: fc.boolean(),
}).map(({ target, contentType, body: text, auth }) => {
  switch (target) {
    case 'batch': return { method: 'POST', path: '/v1/batch', contentType, body: text, auth: false };
    case 'consent': return { method: 'POST', path: '/v1/consent', contentType, body: text.replace('"events":', '"purposes":{"statistics":true},"subject":"' + t.subjectFor('fuzz2') + '","identity":"' + t.identityFor('fuzz2') + '","policyVersion":"2026-11-01","ts":1,"x":'), auth: false };
    case 'me-get': return { method: 'GET', path: `/v1/me?format=${text.slice(0, 8)}`, contentType, body: undefined, auth };
    case 'me-patch': return { method: 'PATCH', path: '/v1/me', contentType, body: text, auth };
    case 'me-restrict': return { method: 'POST', path: '/v1/me/restrict', contentType, body: text, auth };
    default: return { method: 'POST', path: '/v1/me/object', contentType, body: text, auth };
  }
});

it(`answers ${REQUESTS.toLocaleString('en')} generated requests without a 5xx, and stores exactly what it accepted`, async () => {
  const shots = fc.sample(shot, { numRuns: REQUESTS, seed: 20261124 });
  const before = await t.server.services.store.counts();
  const statuses = new Map<number, number>();
  let acceptedEvents = 0;
  let consents = 0;
  let requestsLogged = 0;
  let flagChanges = 0;
  let index = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (index < shots.length) {
      const s = shots[index++]!;
      const headers: Record<string, string> = {};
      if (s.contentType) headers['content-type'] = s.contentType;
      if (s.auth) headers.authorization = `Bearer ${token}`;
      const response = await fetch(`${t.url}${s.path}`, { method: s.method, headers, body: s.body });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const text = await response.text();
      if (response.status >= 500) throw new Error(`${s.method} ${s.path} -> ${response.status}: ${text}`);
      if (response.status !== 200) {
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        continue;
      }
      if (s.path === '/v1/batch') acceptedEvents += (JSON.parse(text) as { accepted: number }).accepted;
      else if (s.path === '/v1/consent') consents++;
      else {
        requestsLogged++;
        // Restriction and objection are proven in the ledger as well.
        if (s.path === '/v1/me/restrict' || s.path === '/v1/me/object') flagChanges++;
      }
    }
  }));
  const sent = [...statuses.values()].reduce((a, b) => a + b, 0);
  const rejected = sent - (statuses.get(200) ?? 0);
  console.log(`hostile input: ${sent} requests, ${statuses.get(200) ?? 0} accepted, ${rejected} rejected (${[...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`).join(', ')}), 0 server errors; ${acceptedEvents} events stored, as reported`);
  expect(sent).toBe(REQUESTS);
  expect(statuses.get(200) ?? 0).toBeGreaterThan(500);
  expect([...statuses.keys()].every((status) => status < 500)).toBe(true);
  const after = await t.server.services.store.counts();
  const delta = (table: string) => (after[table] ?? 0) - (before[table] ?? 0);
  expect(delta('events')).toBe(acceptedEvents);
  expect(delta('consent_ledger')).toBe(consents + flagChanges);
  expect(delta('rights_requests')).toBe(requestsLogged);
  expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
}, 180_000);

function rawRequest(lines: string, options: { endAfterMs?: number } = {}): Promise<string> {
  const { port, hostname } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(lines);
      if (options.endAfterMs !== undefined) setTimeout(() => socket.end(), options.endAfterMs);
    });
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy());
  });
}

it('refuses a chunked body over the limit, and survives incomplete and abandoned requests', async () => {
  const chunk = 'x'.repeat(16_000);
  const chunks = Array.from({ length: 5 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('');
  const chunked = await rawRequest(`POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunks}0\r\n\r\n`);
  expect(chunked.split('\r\n')[0]).toBe('HTTP/1.1 413 Payload Too Large');
  // Headers promise more than is sent, then the client goes away.
  await rawRequest('POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"writeKey":', { endAfterMs: 200 });
  await rawRequest('POST /v1/consent HTTP/1.1\r\nHost: x\r\n', { endAfterMs: 100 });
  expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  expect(await (await t.post('/v1/batch', validBatch())).json()).toMatchObject({ accepted: 2 });
});
