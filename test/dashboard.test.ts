/**
 * The dashboard in real Chromium: paste the analyst key, and every chart and table shows the
 * figures the statistics API returns for the same key (compared mark by mark in the page).
 * A screenshot is written as an artifact. Under CI the browser must be there: no skipping.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@heed/server/testing';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = process.env.HEED_ARTIFACTS ?? join(tmpdir(), 'heed-artifacts');
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

describe.skipIf(!available)('dashboard in Chromium', () => {
  it('draws the API figures: usage bars, heatmap cells, windows, sessions and features', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
    const response = await page.goto(`${t.url}/dashboard`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.fill('#key', t.project.analystKey);
    await page.click('button[type=submit]');
    await page.waitForSelector('body[data-ready=true]', { timeout: 15_000 });

    const [usage, heatmap, windows, sessions, features] = await Promise.all([
      api('/v1/stats/usage?grain=day'), api('/v1/stats/heatmap?weeks=8'), api('/v1/stats/update-windows?duration=2h&weeks=8'), api('/v1/stats/sessions'), api('/v1/stats/features'),
    ]);
    const drawn = await page.evaluate(() => ({
      usage: [...document.querySelectorAll('[data-chart=usage] rect')].map((r) => r.getAttribute('data-value')),
      heat: [...document.querySelectorAll('[data-chart=heatmap] rect')].map((r) => r.getAttribute('data-mean')),
      sessions: [...document.querySelectorAll('[data-chart=sessions] rect')].map((r) => r.getAttribute('data-value')),
      windows: [...document.querySelectorAll('#windows tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent)),
      features: [...document.querySelectorAll('#features tbody tr')].map((tr) => [...tr.children].slice(0, 3).map((td) => td.textContent)),
      key: sessionStorage.getItem('heed.analystKey'),
    }));
    const asText = (value: number | null) => (value === null ? 'suppressed' : String(value));
    expect(drawn.usage).toEqual(usage.buckets.map((b: { activeUsers: number | null }) => asText(b.activeUsers)));
    expect(drawn.usage.filter((v) => v !== 'suppressed').length).toBe(10);
    expect(drawn.heat).toEqual(heatmap.cells.map((c: { mean: number | null }) => asText(c.mean)));
    expect(drawn.sessions).toEqual(sessions.histogram.slice(0, 16).map((b: { sessions: number | null }) => asText(b.sessions)));
    expect(drawn.windows.map((row) => row.slice(0, 2))).toEqual(windows.windows.map((w: { rank: number; day: string; start: string; end: string }) => [String(w.rank), `${w.day} ${w.start}-${w.end}`]));
    expect(drawn.windows.length).toBe(5);
    expect(drawn.features).toEqual(features.features.map((f: { name: string; events: number; users: number }) => [f.name, String(f.events), String(f.users)]));
    expect(drawn.key).toBe(t.project.analystKey);
    expect(errors).toEqual([]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    expect(existsSync(join(ARTIFACTS, 'dashboard.png'))).toBe(true);
    await page.close();
  });
});
