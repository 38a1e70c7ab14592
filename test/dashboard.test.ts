/**
 * The dashboard in real Chromium: paste the analyst key, and every chart and table shows the
 * figures the statistics API returns for the same key, range and purpose (compared mark by
 * mark in the page); a hidden figure says why; each panel's CSV download is byte for byte the
 * API's CSV. Screenshots go to .artifacts/dashboard/. Under CI the browser must be there.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@heed/server/testing';
import { artifactsDir } from './support/artifacts.js';

const CHROMIUM = '/usr/bin/chromium';
const HOUR = 3_600_000;
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === 'true') throw new Error(`Chromium is required in CI at ${CHROMIUM}`);

let t: TestServer;
let browser: BrowserContext;
let profile: string;

async function populate() {
  const people = Array.from({ length: 12 }, (_, i) => `d${i}`);
  for (const user of people) {
    await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor(user), policyVersion: '2026-11-01', purposes: { statistics: true, update_timing: true }, ts: t.clock.now() });
  }
  let n = 0;
  // Two weeks of weekday mornings and afternoons: 6 to 12 people, 10 to 40 minutes.
  for (let day = 0; day < 14; day++) {
    const dayStart = Date.UTC(2026, 10, 16) + day * 24 * HOUR; // Mon 16 Nov 2026, 00:00 UTC
    if (day % 7 >= 5) continue;
    for (const hour of [8, 13]) {
      const ts = dayStart + hour * HOUR + 5 * 60_000;
      t.clock.set(ts + HOUR);
      const count = 6 + ((day + hour) % 7);
      const events = people.slice(0, count).flatMap((user, i) => {
        const subject = t.subjectFor(user);
        const sessionId = `ses_${user}_${day}_${hour}_000`;
        const length = (10 + ((i * 7 + day) % 30)) * 60_000;
        return [
          { id: `evt_${++n}_dashboard_00`, type: 'session_start', ts, sessionId, subject },
          { id: `evt_${++n}_dashboard_00`, type: 'track', ts: ts + 60_000, sessionId, subject, name: i % 2 ? 'report.viewed' : 'report.exported', durationMs: 200 + i * 150 },
          { id: `evt_${++n}_dashboard_00`, type: 'heartbeat', ts: ts + length / 2, sessionId, subject, activeMs: length / 2 },
          { id: `evt_${++n}_dashboard_00`, type: 'session_end', ts: ts + length, sessionId, subject, activeMs: length / 4 },
        ];
      });
      const response = await t.post('/v1/batch', { writeKey: t.project.writeKey, sentAt: t.clock.now(), tz: 'Europe/Brussels', device: 'desktop', sdk: 'test/1', events });
      expect(response.status).toBe(200);
    }
  }
  t.clock.set(Date.UTC(2026, 10, 30, 16)); // Mon 30 Nov, 17:00 CET
}

beforeAll(async () => {
  if (!available) return;
  t = await startTestServer({ start: Date.UTC(2026, 10, 15) });
  await populate();
  profile = mkdtempSync(join(tmpdir(), 'heed-chromium-'));
  // A fresh profile per run: launchPersistentContext passes it as --user-data-dir.
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    viewport: { width: 1280, height: 1100 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function api(path: string) {
  const response = await fetch(`${t.url}${path}${path.includes('?') ? '&' : '?'}tz=Europe%2FBrussels`, { headers: { authorization: `Bearer ${t.project.analystKey}` } });
  return (await response.json()) as any;
}

async function apiCsv(path: string) {
  const response = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${t.project.analystKey}` } });
  expect(response.status).toBe(200);
  return response.text();
}

const asText = (value: number | null) => (value === null ? 'suppressed' : String(value));

/** What the page drew: each mark's figure, each table's cells, the sentences under the panels. */
async function drawn(page: Page) {
  return page.evaluate(() => ({
    usage: [...document.querySelectorAll('[data-chart=usage] rect')].map((r) => r.getAttribute('data-value')),
    usageLabels: [...document.querySelectorAll('[data-chart=usage] rect')].map((r) => r.getAttribute('data-label')),
    heat: [...document.querySelectorAll('[data-chart=heatmap] rect')].map((r) => r.getAttribute('data-mean')),
    sessions: [...document.querySelectorAll('[data-chart=sessions] rect')].map((r) => r.getAttribute('data-value')),
    trends: Object.fromEntries([...document.querySelectorAll('[data-chart^="trend:"]')].map((chart) => [chart.getAttribute('data-chart')!.slice(6), [...chart.querySelectorAll('rect')].map((r) => r.getAttribute('data-value'))])),
    windows: [...document.querySelectorAll('#windows tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent)),
    features: [...document.querySelectorAll('#features tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent)),
    visible: [...document.querySelectorAll<HTMLElement>('section[data-purpose]')].filter((s) => !s.hidden).map((s) => s.id),
    scope: document.getElementById('scope')!.textContent,
    explain: Object.fromEntries([...document.querySelectorAll('.explain')].map((p) => [p.id, p.textContent])),
    links: [...document.querySelectorAll('.explain a')].map((a) => a.getAttribute('href')),
  }));
}

/** A new page with the analyst key (and a range, `to` inclusive) filled in and shown. */
async function opened(range?: { from: string; to: string }): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${t.url}/dashboard`);
  await page.fill('#key', t.project.analystKey);
  if (range) {
    await page.fill('#from', range.from);
    await page.fill('#to', range.to);
  }
  await submit(page);
  return page;
}

async function submit(page: Page) {
  await page.evaluate(() => document.body.removeAttribute('data-ready'));
  await page.click('button[type=submit]');
  await page.waitForSelector('body[data-ready=true]', { timeout: 15_000 });
}

describe.skipIf(!available)('dashboard in Chromium', () => {
  it('draws the API figures: usage bars, sessions, features and their trends; the key placeholder is the real prefix', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
    const response = await page.goto(`${t.url}/dashboard`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(await page.getAttribute('#key', 'placeholder')).toBe('heed_an_...');
    expect(t.project.analystKey.startsWith('heed_an_')).toBe(true);
    await page.fill('#key', t.project.analystKey);
    await submit(page);

    const [usage, sessions, features, trends] = await Promise.all([
      api('/v1/stats/usage?grain=day'), api('/v1/stats/sessions'), api('/v1/stats/features'), api('/v1/stats/feature-trends?grain=day'),
    ]);
    const page1 = await drawn(page);
    expect(page1.visible).toEqual(['usage-panel', 'sessions-panel', 'features-panel', 'trends-panel']);
    expect(page1.usage).toEqual(usage.buckets.map((b: { activeUsers: number | null }) => asText(b.activeUsers)));
    expect(page1.usage.filter((v) => v !== 'suppressed').length).toBe(10);
    expect(page1.sessions).toEqual(sessions.histogram.slice(0, 16).map((b: { sessions: number | null }) => asText(b.sessions)));
    expect(page1.features).toEqual(features.features.map((f: { name: string; events: number; users: number; p50Ms: number; p90Ms: number }) => [f.name, String(f.events), String(f.users), `${f.p50Ms} ms`, `${f.p90Ms} ms`]));
    expect(Object.keys(page1.trends)).toEqual(trends.features);
    for (const name of trends.features) {
      expect(page1.trends[name]).toEqual(trends.buckets.map((b: { cells: { name: string; events: number | null }[] }) => asText(b.cells.find((c) => c.name === name)!.events)));
    }
    expect(page1.scope).toBe('Statistics from 2026-11-03 to 2026-11-30, in local time Europe/Brussels (UTC+01:00).');
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(artifactsDir('dashboard'), 'statistics-28-days.png'), fullPage: true });
    await page.close();
  });

  it('a chosen range and purpose change the panels, each to what the API answers for them', async () => {
    // Mon 16 to Fri 20 November: five days, every one with people enough.
    const page = await opened({ from: '2026-11-16', to: '2026-11-20' });
    const range = 'from=2026-11-16&to=2026-11-21';
    const [usage, sessions, features] = await Promise.all([api(`/v1/stats/usage?grain=day&${range}`), api(`/v1/stats/sessions?${range}`), api(`/v1/stats/features?${range}`)]);
    const week = await drawn(page);
    expect(week.usageLabels).toEqual(['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20']);
    expect(week.usage).toEqual(usage.buckets.map((b: { activeUsers: number | null }) => asText(b.activeUsers)));
    expect(week.usage.every((v) => v !== 'suppressed')).toBe(true);
    expect(week.sessions).toEqual(sessions.histogram.slice(0, 16).map((b: { sessions: number | null }) => asText(b.sessions)));
    expect(week.features.map((row) => row.slice(0, 3))).toEqual(features.features.map((f: { name: string; events: number; users: number }) => [f.name, String(f.events), String(f.users)]));
    expect(week.scope).toBe('Statistics from 2026-11-16 to 2026-11-20, in local time Europe/Brussels (UTC+01:00).');

    // Update timing over the same two weeks' length: the heatmap and windows, nothing else.
    await page.fill('#from', '2026-11-16');
    await page.fill('#to', '2026-11-29');
    await page.selectOption('#purpose', 'update_timing');
    await page.waitForSelector('body[data-ready=true]', { timeout: 15_000 });
    const [heatmap, windows] = await Promise.all([api('/v1/stats/heatmap?weeks=2'), api('/v1/stats/update-windows?duration=2h&weeks=2')]);
    const timing = await drawn(page);
    expect(timing.visible).toEqual(['heatmap-panel', 'windows-panel']);
    expect(timing.heat).toEqual(heatmap.cells.map((c: { mean: number | null }) => asText(c.mean)));
    expect(timing.windows.map((row) => row.slice(0, 2))).toEqual(windows.windows.map((w: { rank: number; day: string; start: string; end: string }) => [String(w.rank), `${w.day} ${w.start}-${w.end}`]));
    expect(timing.windows.length).toBe(5);
    expect(timing.scope).toBe('Update timing over the last 2 full week(s), 2026-11-16 to 2026-11-29, in local time Europe/Brussels (UTC+01:00).');
    await page.screenshot({ path: join(artifactsDir('dashboard'), 'update-timing-2-weeks.png'), fullPage: true });
    await page.close();
  });

  it('a hidden figure explains itself: its tooltip and the sentence under its panel say how many people it needs and why, with a link', async () => {
    const page = await opened();
    const usage = await api('/v1/stats/usage?grain=day');
    const hidden = usage.buckets.filter((b: { suppressed: boolean }) => b.suppressed).length;
    expect(hidden).toBe(18);
    const title = await page.textContent('[data-chart=usage] rect.hidden title');
    expect(title).toBe('day 2026-11-03: hidden. Fewer than 5 people stand behind it; a figure is shown only from 5 people up (k-anonymity).');
    const page2 = await drawn(page);
    expect(page2.explain['usage-hidden']).toBe(
      '18 of 28 days are hidden: each needs at least 5 different people behind it, so that no figure describes one identifiable person (k-anonymity). Choose a longer range to reach 5 people sooner. Why figures are hidden.',
    );
    expect(new Set(page2.links)).toEqual(new Set(['/dashboard/k-anonymity']));
    const doc = await fetch(`${t.url}/dashboard/k-anonymity`);
    expect(doc.status).toBe(200);
    expect(await doc.text()).toContain('# Why a figure is hidden (k-anonymity)');
    await page.locator('[data-chart=usage] rect.hidden').first().hover();
    await page.screenshot({ path: join(artifactsDir('dashboard'), 'hidden-days-explained.png'), fullPage: true });
    await page.close();
  });

  it('each panel downloads as CSV exactly what the API answers as CSV', async () => {
    const page = await opened({ from: '2026-11-16', to: '2026-11-29' });
    const range = 'tz=Europe%2FBrussels&from=2026-11-16&to=2026-11-30';
    const expected: Record<string, string> = {
      usage: `/v1/stats/usage?grain=day&${range}&format=csv`,
      sessions: `/v1/stats/sessions?${range}&format=csv`,
      features: `/v1/stats/features?${range}&format=csv`,
      'feature-trends': `/v1/stats/feature-trends?grain=day&${range}&format=csv`,
    };
    const download = async (name: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.click(`button[data-csv="${name}"]`)]);
      expect(file.suggestedFilename()).toBe(`heed-${name}.csv`);
      return readFileSync((await file.path())!, 'utf8');
    };
    for (const [name, path] of Object.entries(expected)) expect(await download(name)).toBe(await apiCsv(path));
    expect((await download('usage')).split('\n')[0]).toBe('start,users,sessions,active_min,events,hidden');
    await page.selectOption('#purpose', 'update_timing');
    await page.waitForSelector('body[data-ready=true]', { timeout: 15_000 });
    expect(await download('heatmap')).toBe(await apiCsv('/v1/stats/heatmap?weeks=2&tz=Europe%2FBrussels&format=csv'));
    expect(await download('update-windows')).toBe(await apiCsv('/v1/stats/update-windows?duration=2h&weeks=2&tz=Europe%2FBrussels&format=csv'));
    await page.close();
  });
});
