/**
 * The privacy page in real Chromium against the real server, in Dutch, French and English
 * (issue #15, item 6). For each language: the page speaks the browser's language, shows every
 * purpose with its legal basis and whether it is processed now, the rights, retention per data
 * class, the policy version and the complaint route; a correction made on the page reaches
 * `GET /v1/me` and survives the next batch; a legal hold shows, and erasure, confirmed in the
 * page's dialog, is refused with it; axe-core finds nothing serious or critical. Then the
 * other choices (consent, objection, restriction, withdrawal, revocation, export, erasure),
 * the language switch and what it stores, and a project with a policy of its own.
 * On both stores; screenshots go to `.artifacts/privacy-page/<store>/`.
 */
import { DEFAULT_POLICY, type PolicyDocument } from '@heed/policy';
import { startTestServer, storesUnderTest, TEST_START, type TestServer, type TestStoreKind } from '@heed/server/testing';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setProjectPolicy } from '../apps/server/src/policies/policy-archive.js';
import { artifactsDir } from './support/artifacts.js';
import { seriousAxeViolations } from './support/axe.js';
import { launchBrowser } from './support/chromium.js';
import { EXPECTED, type Lang } from './support/privacy-expected.js';
import { accessAnswer, consentingSubject, openPrivacyPage, storage, text, texts, usePlatform } from './support/privacy-page.js';

let t: TestServer;
let browser: Browser;
let shots = '';
/** 30 June 2027, 10:00 UTC: 12:00 in Brussels, where the test browser lives. */
const HOLD_UNTIL = Date.UTC(2027, 5, 30, 10, 0);

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const admin = (path: string, body: unknown) =>
  fetch(`${t.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${t.project.adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const me = (token: string) => accessAnswer(t, token);
const batch = (userId: string, tz: string, device: string, from: number) => usePlatform(t, userId, tz, device, from);
const subjectWithData = (userId: string, version?: string) => consentingSubject(t, userId, version);
const openPage = (token: string, locale: string) => openPrivacyPage(t, browser, token, locale);

// Every right the page uses goes through the store: both stores, the same page.
describe.sequential.each(storesUnderTest())('the privacy page on %s', (store: TestStoreKind) => {
  beforeAll(async () => {
    t = await startTestServer({ store });
    shots = artifactsDir(`privacy-page/${store}`);
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each(['nl', 'fr', 'en'] as const)('in %s: the complaint route, rectification that sticks, a hold that refuses erasure, no serious axe violation', async (lang: Lang) => {
    const want = EXPECTED[lang];
    const userId = `user-${lang}`;
    const token = await subjectWithData(userId);
    const { context, page, errors } = await openPage(token, { nl: 'nl-BE', fr: 'fr-BE', en: 'en-GB' }[lang]);

    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    expect(await text(page, '#heading')).toBe(want.heading);
    expect(await text(page, '#status')).toBe(want.loaded);
    expect(await page.title()).toBe(want.title);
    // Every purpose with its basis and whether it is processed now.
    expect(await texts(page, '#purposes h3')).toEqual(want.purposes);
    expect(await texts(page, '#purposes .basis')).toEqual(want.bases);
    expect(await texts(page, '#purposes .state')).toEqual(want.states);
    expect(await texts(page, '#rights li strong')).toEqual(want.rights);
    expect(await texts(page, '#retention tr')).toEqual(want.retention);
    expect(await text(page, '#policy')).toBe(want.policy);
    // The complaint route: the authority with its address, visible.
    expect(await page.isVisible('#complaint')).toBe(true);
    expect(await text(page, '#complaint-text')).toBe(want.complaint);
    expect(await text(page, '#complaint')).toBe('Gegevensbeschermingsautoriteit, Drukpersstraat 35, 1000 Brussel, contact@apd-gba.be');
    expect(await page.getAttribute('#complaint a', 'href')).toBe('mailto:contact@apd-gba.be');
    expect(await texts(page, '#held li')).toEqual([want.events, want.sessions, want.requests[0], want.tzHeld, want.deviceHeld]);

    // The answer lists the request it answers; the page counts the earlier ones: the first view is one.
    await page.reload();
    await page.locator('#content').waitFor({ state: 'visible' });
    expect(await text(page, '#requests-count')).toBe(want.requests[1]);

    // Rectification: the server has it, and the next batch does not undo it.
    await page.selectOption('#tz', 'Europe/Amsterdam');
    await page.selectOption('#device', 'tablet');
    await page.click('#save');
    await expect.poll(() => text(page, '#status')).toBe(want.saved);
    expect(await texts(page, '#held li')).toEqual([want.events, want.sessions, want.requests[2], want.tzCorrected, want.deviceCorrected]);
    expect((await me(token)).subject).toMatchObject({ timeZone: 'Europe/Amsterdam', deviceClass: 'tablet', corrected: ['tz', 'device'] });
    await batch(userId, 'Europe/Brussels', 'desktop', 1);
    await page.reload();
    await page.locator('#content').waitFor({ state: 'visible' });
    expect([await text(page, '#events-count'), await text(page, '#sessions-count'), await text(page, '#tz-held'), await text(page, '#device-held')]).toEqual([want.moreEvents, want.moreSessions, want.tzCorrected, want.deviceCorrected]);
    expect(await page.inputValue('#tz')).toBe('Europe/Amsterdam');
    expect((await me(token)).subject).toMatchObject({ timeZone: 'Europe/Amsterdam', deviceClass: 'tablet' });

    // A legal hold shows (ground, reason, until), and erasure, confirmed, is refused with it.
    expect(await page.isVisible('#hold')).toBe(false);
    expect((await admin('/v1/admin/subjects/hold', { userId, ground: 'legal_claims', reason: 'Case 2026/41', until: HOLD_UNTIL })).status).toBe(200);
    await page.reload();
    await page.locator('#hold').waitFor({ state: 'visible' });
    expect(await texts(page, '#hold h2, #hold p')).toEqual(want.hold);
    await page.click('#erase');
    await page.locator('#confirm').waitFor({ state: 'visible' });
    expect(await text(page, '#confirm-title')).toBe(want.confirmErase);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('confirm-cancel');
    await page.screenshot({ path: join(shots, `${lang}-confirm-erase.png`) });
    await page.click('#confirm-yes');
    await expect.poll(() => text(page, '#status')).toBe(want.refused);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('erase');
    // Every view and the refusal are in the log: views, the correction, views, the refusal, the view after it.
    expect(await text(page, '#requests-count')).toBe(want.requests[3]);
    const after = await me(token);
    expect(after.rightsRequests.filter((request) => request.kind !== 'access').map(({ kind, state, refusalGround }) => ({ kind, state, refusalGround }))).toEqual([
      { kind: 'rectification', state: 'completed', refusalGround: null },
      { kind: 'erasure', state: 'refused', refusalGround: 'legal_claims' },
    ]);

    // The policy's archived text, the exact wording this answer was given under.
    const archived = await fetch(`${t.url}${await page.getAttribute('#policy-link', 'href')}`);
    expect(archived.status).toBe(200);
    expect(((await archived.json()) as { hash: string }).hash).toBe(after.policy.hash);

    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, `${lang}.png`), fullPage: true });
    // Nothing stored but the token; the page ran under its CSP without a complaint.
    expect(await storage(page)).toEqual({ session: ['heed.subjectToken'], local: [], cookie: '' });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('keyboard and choices: the focus order, a visible focus, consent per purpose, objection, restriction, other links closed, export, and withdrawal and erasure each confirmed first', async () => {
    const userId = 'user-choices';
    const token = await subjectWithData(userId);
    // The same user on a second device: one other token can open the page.
    await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor(userId), policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START });
    const { context, page, errors } = await openPage(token, 'en-GB');

    // Tab walks the page in reading order, and each stop shows a 3px ring.
    const stops: string[] = [];
    for (let n = 0; n < 15; n++) {
      await page.keyboard.press('Tab');
      stops.push(await page.evaluate(() => {
        const node = document.activeElement as HTMLElement;
        const ring = getComputedStyle(node);
        return `${node.id || node.textContent?.trim()}${ring.outlineStyle === 'solid' && ring.outlineWidth === '3px' ? '' : ' (no visible focus)'}`;
      }));
    }
    expect(stops).toEqual([
      'Nederlands', 'Français', 'English', 'Withdraw this consent', 'Object', 'Give consent', 'export-json', 'export-csv',
      'tz', 'device', 'save', 'restrict', 'withdraw', 'erase', 'revoke',
    ]);

    // Consent per consent-based purpose, recorded in the ledger as the subject's own decision.
    await page.click('[data-consent-for="statistics"]');
    await expect.poll(() => text(page, '[data-consent-for="statistics"]')).toBe('Give consent');
    await expect.poll(() => text(page, '#status')).toBe('Your consent choice is saved.');
    expect(await text(page, '[data-state-for="statistics"]')).toBe('Not processed now: you did not consent to it.');
    await page.click('[data-consent-for="statistics"]');
    await expect.poll(() => text(page, '[data-consent-for="statistics"]')).toBe('Withdraw this consent');
    expect(await text(page, '[data-state-for="statistics"]')).toBe('Processed now.');
    const pseudonym = t.server.services.pseudonymizer.pseudonym(t.project.projectId, t.subjectFor(userId));
    const ledger = async () => (await t.query<{ action: string; channel: string }>('SELECT action, channel FROM consent_ledger WHERE pseudonym = ? ORDER BY seq', pseudonym)).map((row) => `${row.action}:${row.channel}`);
    expect(await ledger()).toEqual(['decision:sdk', 'decision:sdk', 'decision:subject', 'decision:subject']);

    // Objection to the legitimate-interest purpose, then restriction, each in the flags.
    const flags = async () => (await t.query<{ restricted: number; objected: string }>('SELECT restricted, objected FROM subjects WHERE pseudonym = ?', pseudonym))[0];
    await page.click('[data-object-for="update_timing"]');
    await expect.poll(() => text(page, '[data-object-for="update_timing"]')).toBe('Lift objection');
    expect(await text(page, '[data-state-for="update_timing"]')).toBe('Not processed now: you objected.');
    expect(await flags()).toEqual({ restricted: 0, objected: '["update_timing"]' });
    await page.click('#restrict');
    await expect.poll(() => text(page, '#status')).toBe('Processing is restricted: your data is kept and used for nothing.');
    expect(await texts(page, '#purposes .state')).toEqual(Array(3).fill('Not processed now: processing is restricted.'));
    expect(await flags()).toEqual({ restricted: 1, objected: '["update_timing"]' });
    await page.click('#restrict');
    await expect.poll(() => text(page, '#status')).toBe('The restriction is lifted.');
    expect(await text(page, '#restrict')).toBe('Restrict processing');

    // Other links: one, closed; the one in use stays.
    expect(await text(page, '#tokens-count')).toBe('1 other device or link can open this page.');
    await page.click('#revoke');
    await expect.poll(() => text(page, '#status')).toBe('1 other link no longer opens this page.');
    expect(await text(page, '#tokens-count')).toBe('0 other devices or links can open this page.');
    expect(await page.isVisible('#revoke')).toBe(false);

    // The download is the API's answer.
    const download = page.waitForEvent('download');
    await page.click('#export-json');
    const exported = JSON.parse(await (await download).createReadStream().then(async (stream) => {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    })) as Record<string, unknown>;
    expect(exported.schema).toBe('https://heed.dev/schemas/access/v2');
    const api = (await (await fetch(`${t.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as Record<string, unknown>;
    for (const section of ['subject', 'consentHistory', 'events', 'sessions', 'purposes', 'retention', 'rights', 'complaint']) {
      expect(exported[section], section).toEqual(api[section]);
    }
    await expect.poll(() => text(page, '#status')).toBe('Your export is downloading.');

    // Withdrawal asks first: Escape leaves everything as it was, focus back where it was.
    await page.click('#withdraw');
    await page.locator('#confirm').waitFor({ state: 'visible' });
    expect(await text(page, '#confirm-title')).toBe('Withdraw all consent?');
    await page.keyboard.press('Escape');
    await page.locator('#confirm').waitFor({ state: 'hidden' });
    // The dialog hides before the page writes its status and moves the focus back: wait for both.
    await expect.poll(() => text(page, '#status')).toBe('Nothing was changed.');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('withdraw');
    expect((await ledger()).filter((entry) => entry.startsWith('withdraw'))).toEqual([]);
    await page.click('#withdraw');
    await page.click('#confirm-yes');
    await expect.poll(() => text(page, '#status')).toBe('You withdrew your consent: nothing new is recorded.');
    expect((await me(token)).subject.consent?.withdrawn).toBe(true);
    expect((await ledger()).at(-1)).toBe('withdraw:subject');

    // Erasure asks first: Cancel erases nothing; Yes erases, and the outcome takes the focus.
    await page.click('#erase');
    await page.click('#confirm-cancel');
    await expect.poll(() => text(page, '#status')).toBe('Nothing was changed.');
    expect(await t.query('SELECT erased FROM subjects WHERE pseudonym = ?', pseudonym)).toEqual([{ erased: 0 }]);
    await page.click('#erase');
    await page.click('#confirm-yes');
    await expect.poll(() => text(page, '#status')).toBe('Erased. Only the proof of your consent decisions is kept, as the law requires.');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('status');
    expect(await page.isVisible('#content')).toBe(false);
    expect(await t.query('SELECT erased FROM subjects WHERE pseudonym = ?', pseudonym)).toEqual([{ erased: 1 }]);
    expect(await t.query('SELECT count(*) AS n FROM events WHERE pseudonym = ?', pseudonym)).toEqual([{ n: 0 }]);
    expect(await storage(page)).toEqual({ session: [], local: [], cookie: '' });
    await page.screenshot({ path: join(shots, 'en-erased.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("speaks the browser's first language the page has (English otherwise); a switch holds for the tab's session and stores nothing else", async () => {
    const token = await subjectWithData('user-switch');
    // German first, then French: the page has no German, so French.
    const context = await browser.newContext({ locale: 'de-BE', timezoneId: 'Europe/Brussels' });
    await context.addInitScript(() => Object.defineProperty(navigator, 'languages', { get: () => ['de-BE', 'fr-BE', 'en'] }));
    const page = await context.newPage();
    await page.goto(`${t.url}/privacy`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await text(page, '#status')).toBe('Ouvrez cette page depuis le lien de confidentialité de la plateforme pour voir vos données.');
    expect(await page.isVisible('#content')).toBe(false);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // The privacy link followed on the open page: only the fragment changes, and the page loads it.
    await page.goto(`${t.url}/privacy#t=${token}`);
    await page.locator('#content').waitFor({ state: 'visible' });
    expect(new URL(page.url()).hash).toBe('');
    expect(await text(page, '#heading')).toBe('Votre vie privée chez CloudPiling BV');
    expect(await page.getAttribute('[data-lang="fr"]', 'aria-pressed')).toBe('true');

    await page.click('[data-lang="nl"]');
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    expect(await text(page, '#heading')).toBe('Uw privacy bij CloudPiling BV');
    expect(await text(page, '#status')).toBe('Dit is wat we over u bewaren.');
    expect(await page.getAttribute('#languages', 'aria-label')).toBe('Taal');
    expect(await texts(page, '[data-lang]').then(async (names) => [names, await page.locator('[data-lang]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('aria-pressed')))]))
      .toEqual([['Nederlands', 'Français', 'English'], ['true', 'false', 'false']]);
    expect(await text(page, '#retention-section h2')).toBe('Hoe lang we ze bewaren');

    // Remembered for this tab's session: a reload keeps Dutch.
    await page.reload();
    await page.locator('#content').waitFor({ state: 'visible' });
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    expect(await text(page, '#status')).toBe('Dit is wat we over u bewaren.');
    expect(await storage(page)).toEqual({ session: ['heed.privacyLang', 'heed.subjectToken'], local: [], cookie: '' });
    await context.close();
  });

  it('a project with a policy of its own: its controller and texts, and the policy\'s English (marked as English) where it has no French', async () => {
    const own: PolicyDocument = {
      ...DEFAULT_POLICY,
      version: '2026-12-01',
      effectiveDate: '2026-12-01',
      controller: { ...DEFAULT_POLICY.controller, name: 'Voorbeeld BV', contact: 'privacy@voorbeeld.example' },
      purposes: DEFAULT_POLICY.purposes.map((purpose) => (purpose.id === 'statistics'
        ? { ...purpose, title: { nl: 'Gebruiksstatistiek', en: 'Usage statistics' }, description: { nl: 'Hoe het platform gebruikt wordt.', en: 'How the platform is used.' } }
        : purpose)),
    };
    await setProjectPolicy(t.server.services, t.project.projectId, own, { channel: 'staff', auth: 'test' });
    const token = await subjectWithData('user-own-policy', '2026-12-01');
    const { context, page, errors } = await openPage(token, 'fr-BE');

    expect(await text(page, '#heading')).toBe('Votre vie privée chez Voorbeeld BV');
    expect(await text(page, '#policy')).toBe('Politique de confidentialité version 2026-12-01, en vigueur depuis le 1 décembre 2026.');
    const statistics = page.locator('[data-purpose="statistics"]');
    expect(await statistics.locator('h3').textContent()).toBe('Usage statistics');
    expect(await statistics.locator('h3').getAttribute('lang')).toBe('en');
    expect(await statistics.locator('p:not(.basis):not(.state)').textContent()).toBe('How the platform is used.');
    expect(await statistics.locator('p:not(.basis):not(.state)').getAttribute('lang')).toBe('en');
    // Where the policy has French, it is French and carries no language of its own.
    const marketing = page.locator('[data-purpose="marketing"] h3');
    expect([await marketing.textContent(), await marketing.getAttribute('lang')]).toEqual(['Finalités de marketing', null]);
    // The link reaches this project's archived text, not the server's.
    const archived = await fetch(`${t.url}${await page.getAttribute('#policy-link', 'href')}`);
    expect(((await archived.json()) as { document: PolicyDocument }).document.controller.name).toBe('Voorbeeld BV');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'fr-own-policy.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
