/**
 * The SDK in real Chromium against the real server, on the demo page the server serves:
 * nothing before consent, sessions and heartbeats into the aggregates after it, a hidden tab
 * that stops active time, session_end on close, silence after withdrawal, and a batch the
 * network blocked delivered exactly once after a reload.
 */
import { startTestServer, type TestServer } from '@heed/server/testing';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './support/chromium.js';

let t: TestServer;
let browser: LaunchedBrowser;
let demoUrl: string;

beforeAll(async () => {
  // The browser stamps events with its own clock: start the server's clock at real time.
  t = await startTestServer({ start: Date.now() });
  demoUrl = `${t.url}/sdk/demo?key=${t.project.writeKey}&project=${t.project.projectId}&heartbeat=500&flush=300&idle=60000&retry=200`;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Requests from the page to the ingest and rights API (not the page and its scripts). */
function recordApiRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request: Request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/v1/')) seen.push(`${request.method()} ${url.pathname}`);
  });
  return seen;
}

const events = (type?: string) =>
  t.query<{ type: string; name: string | null; active_ms: number | null }>(
    `SELECT type, name, active_ms FROM events ${type ? 'WHERE type = ?' : ''} ORDER BY ts, id`,
    ...(type ? [type] : []),
  );
const sum = async (sql: string) => Number((await t.query<{ v: number | null }>(sql))[0]?.v ?? 0);
const activeMs = () => sum(`SELECT sum(active_ms) AS v FROM events`);
async function beActive(page: Page, seconds: number) {
  for (let n = 0; n < seconds * 2; n++) {
    await page.mouse.move(10 + n * 7, 20 + n * 3);
    await page.waitForTimeout(500);
  }
}

it('records nothing before consent, then sessions and active time that land in the aggregates', async () => {
  const page = await browser.context.newPage();
  const api = recordApiRequests(page);
  await page.goto(demoUrl);
  await beActive(page, 1);
  await page.click('#track');
  await page.waitForTimeout(800);
  expect(api).toEqual([]);
  expect(await page.evaluate(() => localStorage.length)).toBe(0);
  expect(await page.evaluate(() => document.cookie)).toBe('');

  await page.click('#grant');
  await expect.poll(() => page.textContent('#state')).toBe('granted');
  expect(api.slice(0, 2)).toEqual(['GET /v1/policy', 'POST /v1/consent']);
  await beActive(page, 2);
  await page.click('#track');
  await expect.poll(async () => (await events()).map((event) => event.type).filter((type) => type !== 'heartbeat'), { timeout: 10_000 })
    .toEqual(['session_start', 'track']);
  await expect.poll(() => activeMs(), { timeout: 10_000 }).toBeGreaterThan(500);
  const stored = await sum(`SELECT sum(value) AS v FROM aggregates WHERE purpose = 'statistics' AND grain = 'hour' AND metric = 'active_ms'`);
  expect(stored).toBe(await activeMs());
  expect(await sum(`SELECT sum(value) AS v FROM aggregates WHERE purpose = 'statistics' AND grain = 'hour' AND metric = 'sessions'`)).toBe(1);
  expect(await sum(`SELECT sum(value) AS v FROM aggregates WHERE purpose = 'statistics' AND grain = 'hour' AND metric = 'events' AND dim = 'report.exported'`)).toBe(1);

  // A hidden tab counts no active time, even with input arriving.
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await page.waitForTimeout(1_000);
  const hiddenFrom = await activeMs();
  await beActive(page, 2);
  await page.evaluate(() => (window as unknown as { heed: { flush(): Promise<void> } }).heed.flush());
  await page.waitForTimeout(800);
  expect(await activeMs()).toBe(hiddenFrom);
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    document.dispatchEvent(new Event('visibilitychange'));
  });

  // Closing the page delivers session_end (pagehide -> sendBeacon).
  await page.close({ runBeforeUnload: true });
  await expect.poll(async () => (await events('session_end')).length, { timeout: 10_000 }).toBe(1);
  expect(await t.query('SELECT count(*) AS n FROM sessions WHERE ended_at IS NOT NULL')).toEqual([{ n: 1 }]);
});

it('delivers a batch the network blocked exactly once after a reload', async () => {
  const page = await browser.context.newPage();
  await page.route('**/v1/batch', (route) => route.abort('internetdisconnected'));
  await page.goto(demoUrl);
  await expect.poll(() => page.textContent('#state')).toBe('granted');
  const before = (await events('track')).length;
  for (let n = 0; n < 3; n++) await page.click('#track');
  await page.waitForTimeout(1_000);
  expect((await events('track')).length).toBe(before);
  const queued = await page.evaluate(() => Object.keys(localStorage).filter((key) => (localStorage.getItem(key) ?? '').includes('report.exported')).length);
  expect(queued).toBeGreaterThan(0);
  await page.unroute('**/v1/batch');
  await page.reload();
  await expect.poll(async () => (await events('track')).length, { timeout: 10_000 }).toBe(before + 3);
  await page.waitForTimeout(1_500);
  expect((await events('track')).length).toBe(before + 3);
  const ids = await t.query<{ n: number; d: number }>('SELECT count(*) AS n, count(DISTINCT id) AS d FROM events');
  expect(ids[0]!.n).toBe(ids[0]!.d);
  await page.close();
});

it('sends nothing after withdrawal', async () => {
  const page = await browser.context.newPage();
  await page.goto(demoUrl);
  await expect.poll(() => page.textContent('#state')).toBe('granted');
  const api = recordApiRequests(page);
  await page.click('#withdraw');
  await expect.poll(() => page.textContent('#state')).toBe('withdrawn');
  const afterWithdraw = api.length;
  await beActive(page, 2);
  await page.click('#track');
  await page.waitForTimeout(1_500);
  expect(api.slice(afterWithdraw)).toEqual([]);
  expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => (localStorage.getItem(key) ?? '').includes('"events"')).length)).toBe(0);
  await page.close();
});

it('identifies the signed-in user with the assertion the platform backend signed, and records that in the ledger', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${demoUrl}&user=browser-user&identity=${t.identityFor('browser-user')}`);
  await expect.poll(() => page.textContent('#who')).toBe('Signed in as browser-user');
  await page.click('#grant');
  await expect.poll(() => page.textContent('#state')).toBe('granted');
  const pseudonym = t.server.services.pseudonymizer.pseudonym(t.project.projectId, t.subjectFor('browser-user'));
  const secretId = t.project.identitySecret.split('_')[2];
  await expect.poll(() => t.query('SELECT channel, auth FROM consent_ledger WHERE pseudonym = ?', pseudonym)).toEqual([{ channel: 'sdk', auth: `identity:${secretId}` }]);
  // The privacy link carries the token the server issued to this verified device.
  await expect.poll(() => page.getAttribute('#privacy', 'href')).toMatch(new RegExp(`^${t.url}/privacy#t=[A-Za-z0-9_-]{32}$`));
  expect(await page.evaluate(() => (window as unknown as { heedErrors: string[] }).heedErrors)).toEqual([]);
  await page.close();
});
