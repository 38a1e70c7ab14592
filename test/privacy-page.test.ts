/**
 * The privacy page in real Chromium against the real server: a subject sees their consent,
 * exports, restricts, objects and erases, and the database follows every click.
 */
import { startTestServer, TEST_START, type TestServer } from '@heed/server/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifacts, launchChromium, type LaunchedBrowser } from './support/chromium.js';

let t: TestServer;
let browser: LaunchedBrowser;
let token: string;

beforeAll(async () => {
  t = await startTestServer();
  const subject = t.subjectFor('page-user');
  const consent = await t.post('/v1/consent', { writeKey: t.project.writeKey, subject, policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START });
  token = ((await consent.json()) as { subjectToken: string }).subjectToken;
  await t.post('/v1/batch', {
    writeKey: t.project.writeKey, sentAt: TEST_START, tz: 'Europe/Brussels', device: 'desktop', sdk: 'test/1',
    events: [
      { id: 'evt_page_000001', type: 'session_start', subject, sessionId: 'ses_page_0001', ts: TEST_START - 60_000 },
      { id: 'evt_page_000002', type: 'heartbeat', subject, sessionId: 'ses_page_0001', ts: TEST_START - 30_000, activeMs: 15_000 },
    ],
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const flags = async () =>
  (await t.query<{ restricted: number; objected: string; erased: number }>('SELECT restricted, objected, erased FROM subjects'))[0];

it('shows what is held, downloads the API answer, toggles consent, and applies each choice', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${t.url}/privacy#t=${token}`);
  await expect.poll(() => page.textContent('#status')).toBe('This is what we hold about you.');
  // The token left the address bar at once.
  expect(new URL(page.url()).hash).toBe('');
  expect(await page.textContent('#events-count')).toBe('2');
  expect(await page.textContent('[data-state-for="statistics"]')).toBe('You consented.');

  const download = page.waitForEvent('download');
  await page.click('#export-json');
  const exported = JSON.parse(await (await download).createReadStream().then(async (stream) => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  })) as { events: unknown[]; schema: string };
  expect(exported.schema).toBe('https://heed.dev/schemas/access/v1');
  expect(exported.events).toHaveLength(2);
  // The download is the API's answer: the same sections, the same rows.
  const api = (await (await fetch(`${t.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as Record<string, unknown>;
  for (const section of ['subject', 'consentHistory', 'events', 'sessions', 'activity', 'aggregates', 'retention']) {
    expect((exported as Record<string, unknown>)[section], section).toEqual(api[section]);
  }

  // Consent toggles per consent-based purpose, recorded in the ledger.
  expect(await page.textContent('[data-consent-for="statistics"]')).toBe('Withdraw this consent');
  await page.click('[data-consent-for="statistics"]');
  await expect.poll(() => page.textContent('[data-consent-for="statistics"]')).toBe('Give consent');
  expect(await page.textContent('[data-state-for="statistics"]')).toBe('');
  await page.click('[data-consent-for="statistics"]');
  await expect.poll(() => page.textContent('[data-consent-for="statistics"]')).toBe('Withdraw this consent');
  expect((await t.query<{ action: string }>('SELECT action FROM consent_ledger ORDER BY seq')).map((row) => row.action)).toEqual(['decision', 'decision', 'decision']);
  await page.screenshot({ path: `${artifacts()}/privacy-page.png`, fullPage: true });

  await page.click('#restrict');
  await expect.poll(() => page.textContent('#status')).toBe('Processing is restricted.');
  expect(await flags()).toEqual({ restricted: 1, objected: '[]', erased: 0 });
  await page.click('#restrict');
  await expect.poll(() => page.textContent('#restrict')).toBe('Restrict processing');

  await page.click('#object');
  await expect.poll(() => page.textContent('#object')).toBe('Lift objection');
  expect(await flags()).toEqual({ restricted: 0, objected: '["update_timing"]', erased: 0 });

  page.once('dialog', (dialog) => void dialog.accept());
  await page.click('#erase');
  await expect.poll(() => page.textContent('#status')).toBe('Erased. Only the proof of your consent decisions is kept, as the law requires.');
  expect((await flags())?.erased).toBe(1);
  expect(await t.query('SELECT count(*) AS n FROM events')).toEqual([{ n: 0 }]);
  await page.screenshot({ path: `${artifacts()}/privacy-page-erased.png`, fullPage: true });
});
