/**
 * The consent lifecycle of an open client against the real server: a withdrawal, restriction
 * or erasure made through the privacy routes reaches the client on its next batch answer and
 * closes its gate; a substantial policy change put in force while the client runs makes it
 * fetch the policy and ask again, and the new grant lands in the ledger under the new version;
 * a grant the server refuses (409) is reported as refused, never as granted.
 */
import { DEFAULT_POLICY, type PolicyDocument } from '@heed/policy';
import { createHeed, type Heed, type HeedError } from '@heed/sdk/node';
import { startTestServer, type TestServer } from '@heed/server/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

const NEXT: PolicyDocument = { ...DEFAULT_POLICY, version: '2027-01-01', substantial: true, history: [{ version: '2026-11-01', substantial: false }] };

/** The client's keep-alive connection would hold each close for the whole shutdown grace. */
const QUICK_CLOSE = { HEED_SHUTDOWN_GRACE_MS: '200' };

let t: TestServer | undefined;
const clients: Heed[] = [];
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  // Clients first: a client shut down after its server would retry its last flush.
  for (const heed of clients.splice(0)) await heed.shutdown();
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** Requests the SDK sends (the Node transport looks `fetch` up on every call). */
function watchRequests(): string[] {
  const seen: string[] = [];
  const real = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const url = new URL(String(input));
    seen.push(`${init?.method ?? 'GET'} ${url.pathname}${url.search}`);
    return real(input, init);
  });
  return seen;
}

async function client(server: TestServer, options: { policy?: PolicyDocument } = {}) {
  const errors: HeedError[] = [];
  const asked: unknown[] = [];
  const heed: Heed = createHeed({
    endpoint: server.url,
    writeKey: server.project.writeKey,
    projectId: server.project.projectId,
    flushIntervalMs: 50,
    onError: (error) => errors.push(error),
    onConsentRequired: (info) => asked.push(info),
    ...options,
  });
  clients.push(heed);
  return { heed, errors, asked };
}

/** The subject token, as the privacy page reads it from the link the SDK gives. */
const tokenOf = (heed: Heed) => new URL(heed.consent.privacyUrl()).hash.replace('#t=', '');

async function me(server: TestServer, heed: Heed, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokenOf(heed)}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

describe('a change made on the privacy page reaches the open client on its next batch', () => {
  it.each([
    ['withdrawal', 'POST', '/v1/me/withdraw', {}, { status: 'withdrawn', restricted: false }],
    ['restriction', 'POST', '/v1/me/restrict', { restricted: true }, { status: 'granted', restricted: true }],
    ['erasure', 'DELETE', '/v1/me', undefined, { status: 'withdrawn', restricted: false }],
  ] as const)('%s closes the gate', async (_, method, path, body, expected) => {
    t = await startTestServer({ start: Date.now(), env: QUICK_CLOSE });
    cleanup.push(() => t!.close());
    const { heed, errors } = await client(t);
    expect(await heed.consent.grant(['statistics'])).toMatchObject({ status: 'granted', ok: true });
    expect(heed.consent.privacyUrl()).toMatch(new RegExp(`^${t.url}/privacy#t=.{20,}$`));
    heed.track('before');
    await heed.flush();
    expect(await t.query(`SELECT name FROM events WHERE type = 'track'`)).toEqual([{ name: 'before' }]);

    await me(t, heed, method, path, body);
    const seen = watchRequests();
    heed.track('suppressed');
    await heed.flush();
    await vi.waitFor(() => expect(heed.consent.get()).toMatchObject(expected));
    expect(seen).toEqual(['POST /v1/batch']);

    for (let index = 0; index < 5; index++) heed.track('after');
    await heed.flush();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen).toEqual(['POST /v1/batch']);
    expect(await t.query(`SELECT name FROM events WHERE type = 'track' AND name <> 'before'`)).toEqual([]);
    expect(errors).toEqual([]);
    if (path === '/v1/me' && method === 'DELETE') expect(heed.consent.privacyUrl()).toBe(`${t.url}/privacy`);
  });
});

describe('a substantial policy change while the client is open', () => {
  it('the next batch answer makes it fetch the policy and ask again; the new grant is in the ledger under the new version', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'heed-lifecycle-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await startTestServer({ start: Date.now(), dataDir, env: QUICK_CLOSE });
    const { heed, errors, asked } = await client(first);
    expect(await heed.consent.grant(['statistics'])).toMatchObject({ status: 'granted', policyVersion: '2026-11-01', ok: true });
    await heed.flush();
    const port = new URL(first.url).port;
    await first.close();

    // The operator puts a substantial change in force: same address, same data.
    const policyFile = join(dataDir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify(NEXT));
    t = await startTestServer({ start: Date.now(), dataDir, project: first.project, env: { ...QUICK_CLOSE, HEED_PORT: port, HEED_POLICY_FILE: policyFile } });
    cleanup.push(() => t!.close());

    const seen = watchRequests();
    heed.track('after-change');
    await heed.flush();
    await vi.waitFor(() => expect(asked).toEqual([{ reason: 'policy_changed', policyVersion: '2027-01-01' }]));
    expect(heed.consent.get()).toEqual({ status: 'superseded', purposes: [], objected: [], restricted: false, policyVersion: null });
    // The batch, then the policy. A busy machine may fail the batch's first try on a socket the
    // stopped server left (the SDK retries it), so the batch may appear twice, never the policy.
    expect(seen.at(-1)).toBe(`GET /v1/policy?project=${t.project.projectId}&after=2026-11-01`);
    expect([...new Set(seen.slice(0, -1))]).toEqual(['POST /v1/batch']);
    expect((await heed.consent.policy())?.version).toBe('2027-01-01');

    expect(await heed.consent.grant(['statistics'])).toMatchObject({ status: 'granted', policyVersion: '2027-01-01', ok: true });
    heed.track('regranted');
    await heed.flush();
    const pseudonym = (await t.query<{ pseudonym: string }>(`SELECT pseudonym FROM consent_ledger ORDER BY seq DESC LIMIT 1`))[0]!.pseudonym;
    const ledger = await t.query<{ action: string; policy_version: string; detail: string }>(
      'SELECT action, policy_version, detail FROM consent_ledger WHERE pseudonym = ? ORDER BY seq',
      pseudonym,
    );
    expect(ledger.map((entry) => [entry.action, entry.policy_version, JSON.parse(entry.detail).granted])).toEqual([
      ['decision', '2026-11-01', ['statistics']],
      ['decision', '2027-01-01', ['statistics']],
    ]);
    expect(await t.query(`SELECT name FROM events WHERE type = 'track' ORDER BY ts`)).toEqual([{ name: 'regranted' }]);
    expect(errors).toEqual([]);
  });

  it('a grant under the old version is refused (409) once, reported as refused, and the next one records under the new version', async () => {
    const policyDir = mkdtempSync(join(tmpdir(), 'heed-policy-'));
    cleanup.push(() => rmSync(policyDir, { recursive: true, force: true }));
    writeFileSync(join(policyDir, 'policy.json'), JSON.stringify(NEXT));
    t = await startTestServer({ start: Date.now(), env: { ...QUICK_CLOSE, HEED_POLICY_FILE: join(policyDir, 'policy.json') } });
    cleanup.push(() => t!.close());
    // The page was built with the policy of the day it shipped.
    const { heed, errors, asked } = await client(t, { policy: DEFAULT_POLICY });
    const seen = watchRequests();

    expect(await heed.consent.grant(['statistics'])).toEqual({ status: 'superseded', purposes: [], objected: [], restricted: false, policyVersion: null, ok: false });
    expect(seen).toEqual(['POST /v1/consent', `GET /v1/policy?project=${t!.project.projectId}&after=2026-11-01`]);
    expect(errors.map((error) => error.message)).toEqual([
      '[POST] /v1/consent: 409 Consent was asked under policy 2026-11-01; the policy in force is 2027-01-01. Fetch /v1/policy and ask again.',
    ]);
    expect(asked).toEqual([{ reason: 'policy_changed', policyVersion: '2027-01-01' }]);

    expect(await heed.consent.grant(['statistics'])).toMatchObject({ status: 'granted', policyVersion: '2027-01-01', ok: true });
    expect(await t.query('SELECT action, policy_version FROM consent_ledger')).toEqual([{ action: 'decision', policy_version: '2027-01-01' }]);
  });
});
