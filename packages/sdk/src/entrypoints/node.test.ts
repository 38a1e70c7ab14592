/**
 * The Node entry over real HTTP (a stub server on a random port, not the Heed server):
 * global fetch, node:crypto hashing, text/plain ingest bodies, the bearer token on rights
 * calls, the file storage surviving a restart, and shutdown delivering what is queued.
 */
import { DEFAULT_POLICY, type BatchRequest, type ConsentRequest } from '@heed/policy';
import { createHeed } from '@heed/sdk/node';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

const seen: { method: string; url: string; type?: string; auth?: string; body: unknown }[] = [];
const server = createServer(async (request: IncomingMessage, response) => {
  let text = '';
  for await (const chunk of request) text += chunk;
  seen.push({ method: request.method!, url: request.url!, type: request.headers['content-type'], auth: request.headers.authorization, body: text ? JSON.parse(text) : undefined });
  response.setHeader('content-type', 'application/json');
  if (request.url === '/v1/policy?project=acme') return response.end(JSON.stringify(DEFAULT_POLICY));
  if (request.url === '/v1/consent') return response.end(JSON.stringify({ subjectToken: 'tok_1', policyVersion: DEFAULT_POLICY.version }));
  if (request.url === '/v1/batch') {
    const count = (JSON.parse(text) as BatchRequest).events.length;
    return response.end(JSON.stringify({ accepted: count, duplicates: 0, suppressed: 0, reasons: {}, consentRequired: false, policyVersion: DEFAULT_POLICY.version }));
  }
  response.end('{}');
});
let endpoint = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('grants, tracks and delivers on shutdown from Node, keeping state in a file', async () => {
  const storageFile = join(mkdtempSync(join(tmpdir(), 'heed-sdk-')), 'state.json');
  const errors: unknown[] = [];
  const heed = createHeed({ endpoint, writeKey: 'wk_node', projectId: 'acme', storageFile, onError: (error) => errors.push(error) });
  await heed.identify('user-42');
  expect((await heed.consent.grant(['statistics'])).status).toBe('granted');
  heed.track('job.finished', { ok: true });
  await heed.shutdown();

  expect(seen.map((request) => `${request.method} ${request.url}`)).toEqual(['GET /v1/policy?project=acme', 'POST /v1/consent', 'POST /v1/batch']);
  expect(seen[1]!.type).toBe('text/plain;charset=UTF-8');
  const subject = (seen[1]!.body as ConsentRequest).subject;
  const { createHash } = await import('node:crypto');
  expect(subject).toBe(createHash('sha256').update('heed:v1:acme:user-42').digest('base64url'));
  const batch = seen[2]!.body as BatchRequest;
  expect(batch).toMatchObject({ writeKey: 'wk_node', device: 'other', sdk: 'heed-js/0.1.0' });
  expect(batch.events.map((event) => event.type)).toEqual(['session_start', 'track', 'session_end']);
  expect(statSync(storageFile).mode & 0o777).toBe(0o600);
  expect(readFileSync(storageFile, 'utf8')).not.toContain('user-42');
  expect(errors).toEqual([]);

  const again = createHeed({ endpoint, writeKey: 'wk_node', projectId: 'acme', storageFile });
  expect(again.consent.get().status).toBe('granted');
  await again.rights.export('json');
  expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/v1/me?format=json', auth: 'Bearer tok_1' });
  await again.shutdown();
});
