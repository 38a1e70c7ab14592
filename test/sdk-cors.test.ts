/**
 * The SDK on a page of another origin, in real Chromium, against the real server: ingest
 * works from any origin, while a rights call is blocked until the page's origin is in
 * `HEED_CORS_ORIGINS`. The block is reported once, as `cors`, naming the setting, without
 * retries; with the origin configured the same call answers.
 */
import { startTestServer, type TestServer } from '@heed/server/testing';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './support/chromium.js';

let browser: LaunchedBrowser;
let site: Server;
let origin = '';
const servers: TestServer[] = [];

beforeAll(async () => {
  // The platform's own site: one page that loads the SDK from the Heed server.
  site = createServer((request, response) => {
    const heed = new URL(request.url!, 'http://x').searchParams.get('heed')!;
    response.setHeader('content-type', 'text/html');
    response.end(`<!doctype html><title>platform</title><script src="${heed}/sdk/heed.js"></script>`);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  for (const server of servers) await server.close();
  await new Promise((resolve) => site?.close(resolve));
});

async function exportFrom(t: TestServer) {
  const page = await browser.context.newPage();
  const api: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/v1/')) api.push(`${request.method()} ${url.pathname}`);
  });
  await page.goto(`${origin}/?heed=${encodeURIComponent(t.url)}`);
  const outcome = await page.evaluate(
    async ({ endpoint, writeKey, projectId }) => {
      // Each test's server has a project of its own; this page's origin is shared between them.
      localStorage.clear();
      const errors: { code: string; message: string }[] = [];
      const heed = (window as unknown as { Heed: typeof import('@heed/sdk') }).Heed.createHeed({
        endpoint, writeKey, projectId, retryBaseMs: 50, onError: (error) => errors.push({ code: error.code, message: error.message }),
      });
      const granted = await heed.consent.grant(['statistics']);
      const exported = (await heed.rights.export('json')) as { subject?: { consent?: unknown } } | undefined;
      return { granted: granted.ok, exported: exported?.subject !== undefined, errors };
    },
    { endpoint: t.url, writeKey: t.project.writeKey, projectId: t.project.projectId },
  );
  await page.close();
  return { ...outcome, api };
}

it('reports a rights call the server does not allow for this origin once, as cors, without retrying', async () => {
  const t = await startTestServer({ start: Date.now() });
  servers.push(t);
  const { granted, exported, errors, api } = await exportFrom(t);
  expect(granted).toBe(true);
  expect(exported).toBe(false);
  expect(errors).toEqual([
    { code: 'cors', message: "[GET] /v1/me?format=json: no response while GET /v1/policy answers: the browser blocked it (CORS). Add this page's origin to HEED_CORS_ORIGINS on the Heed server." },
  ]);
  expect(api.filter((request) => request.endsWith('/v1/me'))).toEqual(['GET /v1/me']);
});

it('answers the same call once the origin is in HEED_CORS_ORIGINS', async () => {
  const t = await startTestServer({ start: Date.now(), env: { HEED_CORS_ORIGINS: origin } });
  servers.push(t);
  const { granted, exported, errors } = await exportFrom(t);
  expect({ granted, exported, errors }).toEqual({ granted: true, exported: true, errors: [] });
});
