/**
 * Debian's Chromium driven by playwright-core, as the machine allows it: no browser download,
 * a fresh profile per launch, and the flags that stop it from reaching for the network.
 * Tests that need it never skip when `CI=true`: a missing browser fails them.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.HEED_CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LaunchedBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** A persistent context on a fresh profile directory, so storage survives reloads within a test. */
export async function launchChromium(): Promise<LaunchedBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'heed-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: FLAGS, headless: true });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS, headless: true });
}

/** Where browser tests write screenshots: `$HEED_ARTIFACTS`, default /tmp/heed-artifacts. */
export function artifacts(): string {
  const dir = process.env.HEED_ARTIFACTS ?? '/tmp/heed-artifacts';
  mkdirSync(dir, { recursive: true });
  return dir;
}
