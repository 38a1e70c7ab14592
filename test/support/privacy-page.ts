/**
 * What the privacy-page suite does again and again: a subject who consented and used the
 * platform, the access answer as the API gives it, the page opened in a browser of a given
 * language (and time zone: Brussels, so dates and times are exact), and reading its texts.
 */
import { TEST_START, type TestServer } from '@heed/server/testing';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';

/** The fields of `GET /v1/me` the suite checks. */
export interface Access {
  subject: { timeZone: string | null; deviceClass: string | null; corrected: string[]; consent: { granted: string[]; withdrawn: boolean } | null; legalHold: unknown };
  rightsRequests: { kind: string; state: string; refusalGround: string | null }[];
  policy: { version: string; hash: string };
}

/** The access answer for a subject token (itself a logged access request). */
export async function accessAnswer(t: TestServer, token: string): Promise<Access> {
  return (await (await fetch(`${t.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as Access;
}

/** One session of two events from the platform, sent with this time zone and device class. */
export async function usePlatform(t: TestServer, userId: string, tz: string, device: string, from: number): Promise<void> {
  const subject = t.subjectFor(userId);
  const response = await t.post('/v1/batch', {
    writeKey: t.project.writeKey, sentAt: TEST_START, tz, device, sdk: 'test/1',
    events: [
      { id: `evt_${userId}_${from}_1`, type: 'session_start', subject, sessionId: `ses_${userId}_${from}`, ts: TEST_START - 60_000 + from },
      { id: `evt_${userId}_${from}_2`, type: 'heartbeat', subject, sessionId: `ses_${userId}_${from}`, ts: TEST_START - 30_000 + from, activeMs: 15_000 },
    ],
  });
  expect(response.status).toBe(200);
}

/** A subject who consented to statistics under `version` and used the platform once (Brussels, desktop): their subject token. */
export async function consentingSubject(t: TestServer, userId: string, version = '2026-11-01'): Promise<string> {
  const consent = await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor(userId), policyVersion: version, purposes: { statistics: true }, ts: TEST_START });
  expect(consent.status).toBe(200);
  await usePlatform(t, userId, 'Europe/Brussels', 'desktop', 0);
  return ((await consent.json()) as { subjectToken: string }).subjectToken;
}

/**
 * The page through the subject's privacy link, in a browser whose language is `locale`, once
 * the answer is drawn. `errors` collects script errors and console errors (a CSP refusal
 * among them).
 */
export async function openPrivacyPage(t: TestServer, browser: Browser, token: string, locale: string) {
  const context = await browser.newContext({ locale, timezoneId: 'Europe/Brussels' });
  const page = await context.newPage();
  const errors: string[] = [];
  // A refused answer (409, 404 for the favicon) is logged as a failed load: an outcome, not a fault of the page.
  page.on('console', (message) => void (message.type() === 'error' && !message.text().startsWith('Failed to load resource') && errors.push(message.text())));
  page.on('pageerror', (error) => void errors.push(error.message));
  await page.goto(`${t.url}/privacy#t=${token}`);
  await page.locator('#content').waitFor({ state: 'visible' });
  return { context, page, errors };
}

export const text = async (page: Page, selector: string) => (await page.textContent(selector))?.trim();
export const texts = (page: Page, selector: string) => page.locator(selector).evaluateAll((nodes) => nodes.map((node) => node.textContent?.trim() ?? ''));
/** What the page keeps in the browser: storage keys and cookies. */
export const storage = (page: Page) => page.evaluate(() => ({ session: Object.keys(sessionStorage).sort(), local: Object.keys(localStorage), cookie: document.cookie }));
