/**
 * examples/react-app, built with Vite and driven in real Chromium against the real server,
 * served from its own origin as an integrator's app would be. What the integrators' kit
 * promises: nothing requested or stored before a choice but the policy; reject sends nothing;
 * accept puts events in the statistics API; a substantial policy change while the page is
 * open makes the banner ask again and the new grant lands in the ledger under the new version,
 * without a reload; a withdrawal on the privacy page stops the open app after its next batch;
 * the banner in nl, fr and en has no serious or critical axe-core violation, and reject and
 * accept are the same number of key presses away. Screenshots go to `.artifacts/react-app/`.
 */
import { DEFAULT_POLICY, type PolicyDocument } from '@heed/policy';
import { startTestServer, type TestServer } from '@heed/server/testing';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/chromium.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const shots = join(root, '.artifacts/react-app');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
// k = 2 so that the two users of this test make figures the statistics API shows.
const FIRST: PolicyDocument = { ...DEFAULT_POLICY, kAnonymity: 2 };
const NEXT: PolicyDocument = { ...FIRST, version: '2027-01-01', substantial: true, history: [{ version: '2026-11-01', substantial: false }] };
const QUICK_CLOSE = { HEED_SHUTDOWN_GRACE_MS: '200' };

const scratch = mkdtempSync(join(tmpdir(), 'heed-example-'));
const dist = join(scratch, 'dist');
let site: Server;
let appOrigin = '';
let t: TestServer;
let browser: Browser;

beforeAll(async () => {
  // Built as an integrator builds it: `vite build` of the example.
  await promisify(execFile)(process.execPath, [join(root, 'examples/react-app/node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
    cwd: join(root, 'examples/react-app'),
    env: { ...process.env, HEED_EXAMPLE_OUT: dist },
  });
  site = createServer((request, response) => {
    const path = new URL(request.url!, 'http://x').pathname;
    const file = path.startsWith('/assets/') ? join(dist, path) : join(dist, 'index.html');
    response.setHeader('content-type', extname(file) === '.js' ? 'text/javascript' : 'text/html');
    response.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  appOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  writeFileSync(join(scratch, 'first.json'), JSON.stringify(FIRST));
  mkdirSync(join(scratch, 'data'));
  t = await startTestServer({ start: Date.now(), dataDir: join(scratch, 'data'), env: { ...QUICK_CLOSE, HEED_POLICY_FILE: join(scratch, 'first.json') } });
  browser = await launchBrowser();
  mkdirSync(shots, { recursive: true });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await new Promise((resolve) => site?.close(resolve));
  rmSync(scratch, { recursive: true, force: true });
});

interface User {
  readonly context: BrowserContext;
  readonly page: Page;
  /** API requests to the Heed server, as `METHOD /path`. */
  readonly api: string[];
}

async function openApp(lang: 'nl' | 'fr' | 'en' = 'en'): Promise<User> {
  const context = await browser.newContext({ locale: lang });
  const page = await context.newPage();
  const api: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === t.url) api.push(`${request.method()} ${url.pathname}`);
  });
  const query = new URLSearchParams({ endpoint: t.url, key: t.project.writeKey, project: t.project.projectId, flush: '200', lang });
  await page.goto(`${appOrigin}/?${query}`);
  return { context, page, api };
}

const banner = (page: Page) => page.locator('heed-consent-banner [role="dialog"]');
const focused = (page: Page) =>
  page.evaluate(() => (document.querySelector('heed-consent-banner')?.shadowRoot?.activeElement as HTMLElement | null)?.dataset.action);
const status = (page: Page) => page.textContent('#consent-status');
const storageKeys = (page: Page) => page.evaluate(() => [...Object.keys(localStorage), ...Object.keys(sessionStorage), ...(document.cookie ? [document.cookie] : [])]);
const trackedNames = async () => (await t.query<{ name: string }>(`SELECT name FROM events WHERE type = 'track' ORDER BY ts`)).map((row) => row.name);

describe.sequential('examples/react-app', () => {
  it.each(['nl', 'fr', 'en'] as const)('before a choice (%s): only the policy fetch, nothing stored, no serious or critical axe violation', async (lang) => {
    const { context, page, api } = await openApp(lang);
    await banner(page).waitFor({ state: 'visible' });
    expect(await banner(page).getAttribute('lang')).toBe(lang);
    expect(await page.locator('heed-consent-banner [data-action="reject"]').textContent()).toBe({ nl: 'Alles weigeren', fr: 'Tout refuser', en: 'Reject all' }[lang]);
    await page.click('heed-consent-banner [data-action="choose"]');
    await page.locator('heed-consent-banner #heed-purposes').waitFor({ state: 'visible' });
    await page.screenshot({ path: join(shots, `banner-${lang}.png`) });
    await page.click('heed-consent-banner [data-action="choose"]');

    await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: Element): Promise<{ violations: { id: string; impact: string | null }[] }> } }).axe;
      const result = await axe.run(document.documentElement);
      return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact }));
    });
    expect(violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')).toEqual([]);

    await page.waitForTimeout(500);
    expect(api).toEqual(['GET /v1/policy']);
    expect(await storageKeys(page)).toEqual([]);
    await context.close();
  });

  it('reject and accept are one key press each from where the banner puts the focus', async () => {
    const { context, page } = await openApp();
    await banner(page).waitFor({ state: 'visible' });
    expect(await focused(page)).toBe('choose');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('reject');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('accept');
    // Both are the same style: equally prominent.
    const look = (action: string) =>
      page.locator(`heed-consent-banner [data-action="${action}"]`).evaluate((node) => {
        const style = getComputedStyle(node);
        return [style.backgroundColor, style.color, style.fontSize, style.fontWeight, style.borderStyle, Math.round(node.getBoundingClientRect().height)];
      });
    expect(await look('reject')).toEqual(await look('accept'));
    await context.close();
  });

  it('reject: nothing is sent, only the refusal is stored', async () => {
    const { context, page, api } = await openApp();
    await banner(page).waitFor({ state: 'visible' });
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await banner(page).waitFor({ state: 'hidden' });
    await expect.poll(() => status(page)).toBe('denied');
    for (let n = 0; n < 3; n++) await page.click('#export');
    await page.click('#edit');
    await page.click('#edit');
    await page.waitForTimeout(1_000);
    expect(api).toEqual(['GET /v1/policy']);
    expect(await storageKeys(page)).toEqual(['heed:consent']);
    expect(await trackedNames()).toEqual([]);
    await context.close();
  });

  let alice: User;

  it('accept: events reach the statistics API', async () => {
    alice = await openApp();
    const bob = await openApp();
    for (const user of [alice, bob]) {
      await banner(user.page).waitFor({ state: 'visible' });
      await user.page.keyboard.press('Tab');
      await user.page.keyboard.press('Enter');
      await expect.poll(() => status(user.page)).toBe('granted');
      await user.page.click('#export');
    }
    await expect.poll(trackedNames, { timeout: 10_000 }).toEqual(['report.exported', 'report.exported']);
    expect(alice.api.slice(0, 3)).toEqual(['GET /v1/policy', 'POST /v1/consent', 'POST /v1/batch']);
    const response = await fetch(`${t.url}/v1/stats/features`, { headers: { authorization: `Bearer ${t.project.analystKey}` } });
    const features = (await response.json()) as { k: number; features: { name: string; events: number | null; users: number | null }[] };
    expect(features.k).toBe(2);
    expect(features.features.filter((feature) => feature.name === 'report.exported').map(({ events, users }) => ({ events, users }))).toEqual([{ events: 2, users: 2 }]);
    await bob.context.close();
  });

  it('a substantial policy change while the page is open: the banner asks again and the new grant is in the ledger under the new version, no reload', async () => {
    const { page } = alice;
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    const port = new URL(t.url).port;
    await t.close();
    writeFileSync(join(scratch, 'next.json'), JSON.stringify(NEXT));
    t = await startTestServer({ start: Date.now(), dataDir: join(scratch, 'data'), project: t.project, env: { ...QUICK_CLOSE, HEED_PORT: port, HEED_POLICY_FILE: join(scratch, 'next.json') } });

    await page.click('#export');
    await banner(page).waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.locator('heed-consent-banner .notice').textContent()).toBe('Our privacy policy has changed. Please choose again.');
    expect(await status(page)).toBe('superseded');
    await page.screenshot({ path: join(shots, 'banner-policy-changed.png') });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => status(page)).toBe('granted');

    // The banner shows the grant at once; the SDK's POST /v1/consent lands a moment later.
    const versions = async () => {
      const pseudonym = (await t.query<{ pseudonym: string }>(`SELECT pseudonym FROM consent_ledger ORDER BY seq DESC LIMIT 1`))[0]!.pseudonym;
      return (await t.query<{ policy_version: string }>(`SELECT policy_version FROM consent_ledger WHERE pseudonym = ? ORDER BY seq`, pseudonym)).map((entry) => entry.policy_version);
    };
    await expect.poll(versions, { timeout: 10_000 }).toEqual(['2026-11-01', '2027-01-01']);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await page.click('#export');
    await expect.poll(async () => (await trackedNames()).length, { timeout: 10_000 }).toBe(3);
  });

  it('a withdrawal on the privacy page: the open app stops sending after its next batch', async () => {
    const { page, context, api } = alice;
    const [privacy] = await Promise.all([context.waitForEvent('page'), page.click('#privacy')]);
    await privacy.waitForLoadState();
    expect(new URL(privacy.url()).pathname).toBe('/privacy');
    await privacy.locator('#withdraw').waitFor({ state: 'visible' });
    await privacy.click('#withdraw');
    // Withdrawal asks for confirmation in a dialog (the privacy page's own suite covers it).
    await privacy.click('#confirm-yes');
    await expect.poll(() => privacy.textContent('#status')).toBe('You withdrew your consent: nothing new is recorded.');

    await page.click('#export');
    await expect.poll(() => status(page), { timeout: 10_000 }).toBe('withdrawn');
    const after = api.length;
    for (let n = 0; n < 3; n++) await page.click('#export');
    await page.click('#edit');
    await page.waitForTimeout(1_500);
    await page.click('#edit');
    await page.waitForTimeout(1_000);
    expect(api.slice(after)).toEqual([]);
    expect(await trackedNames()).toEqual(['report.exported', 'report.exported', 'report.exported']);
    await context.close();
  });
});
