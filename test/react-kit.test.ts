/**
 * `@heed/react` with React 18 and with React 19: each version bundled (esbuild, the package's
 * sources, `react` aliased to that version) and run twice: rendered on the server in Node with
 * no DOM, and as an app in real Chromium over the SDK's fake server, where the hooks follow
 * every consent change, including one seen in a batch answer.
 */
import { build, type Plugin } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './support/chromium.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixture = (name: string) => join(root, 'test/fixtures/react', name);
const reactModules = join(root, 'packages/react/node_modules');
const SOURCES: Record<string, string> = {
  '@heed/react': 'packages/react/src/index.ts',
  '@heed/sdk': 'packages/sdk/src/entrypoints/browser.ts',
  '@heed/sdk/banner': 'packages/sdk/src/banner/index.ts',
  '@heed/sdk/testing': 'packages/sdk/src/testing/index.ts',
  '@heed/policy': 'packages/policy/src/index.ts',
};

/** Resolves `react`, `react-dom` (and their subpaths) to one installed version, and the workspace packages to their sources. */
function versionPlugin(major: '18' | '19'): Plugin {
  const suffix = major === '18' ? '-18' : '';
  return {
    name: `react-${major}`,
    setup(plugin) {
      plugin.onResolve({ filter: /^(react|react-dom)(\/.*)?$/ }, async (args) => {
        const [, name, rest = ''] = /^(react|react-dom)(\/.*)?$/.exec(args.path)!;
        return plugin.resolve(`./${name}${suffix}${rest}`, { kind: args.kind, resolveDir: reactModules });
      });
      plugin.onResolve({ filter: /^@heed\// }, (args) => (SOURCES[args.path] ? { path: join(root, SOURCES[args.path]!) } : undefined));
    },
  };
}

async function bundle(entry: string, major: '18' | '19', platform: 'node' | 'browser'): Promise<string> {
  const result = await build({
    entryPoints: [fixture(entry)],
    bundle: true,
    write: false,
    format: platform === 'node' ? 'esm' : 'iife',
    platform,
    jsx: 'automatic',
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [versionPlugin(major)],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

const scratch = mkdtempSync(join(tmpdir(), 'heed-react-'));
let browser: LaunchedBrowser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe.each(['18', '19'] as const)('React %s', (major) => {
  it('renders on the server with no DOM: no client, undecided, an empty banner slot, no global touched', async () => {
    const file = join(scratch, `server-${major}.mjs`);
    writeFileSync(file, await bundle('server-render.tsx', major, 'node'));
    const touched: string[] = [];
    // `document` is left out: the SDK's browser platform reads `globalThis.document` once at
    // import, as a value that may be undefined (and is, here), and never uses it on the server.
    const traps = ['window', 'localStorage', 'sessionStorage'];
    for (const name of traps) {
      Object.defineProperty(globalThis, name, { configurable: true, get: () => void touched.push(name) });
    }
    const realFetch = globalThis.fetch;
    globalThis.fetch = (() => {
      touched.push('fetch');
      return Promise.reject(new Error('no request on the server'));
    }) as typeof fetch;
    try {
      const module = (await import(pathToFileURL(file).href)) as { reactVersion: string; render(): string };
      expect(module.reactVersion.split('.')[0]).toBe(major);
      const html = module.render();
      expect(html.replace(/<!-- -->/g, '')).toBe('<div data-heed-banner=""></div><p>undecided false</p>');
    } finally {
      for (const name of traps) delete (globalThis as Record<string, unknown>)[name];
      globalThis.fetch = realFetch;
    }
    expect(touched).toEqual([]);
  });

  it('follows consent in the browser: grant, objection, identify passed through, track, timer, a withdrawal seen in a batch answer', async () => {
    const page: Page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // Served from localhost (routed, no server): a secure context, where Web Crypto hashes.
    const script = await bundle('harness.tsx', major, 'browser');
    await page.route('http://localhost/harness', (route) =>
      route.fulfill({ contentType: 'text/html', body: `<!doctype html><html lang="en"><body><div id="root"></div><script>${script.replace(/<\/script/gi, '<\\/script')}</script></body></html>` }),
    );
    await page.goto('http://localhost/harness');
    const text = (id: string) => page.textContent(`#${id}`);
    type Fake = { fake: { transport: { requests: { path: string; json: { objections?: string[]; subject?: string; events?: { type: string; name?: string; durationMs?: number }[] } }[]; script(...answers: unknown[]): void }; clock: { advance(ms: number): Promise<void> } } };
    const requests = () => page.evaluate(() => (window as unknown as Fake).fake.transport.requests.map((request) => ({ path: request.path, json: request.json })));
    const advance = (ms: number) => page.evaluate((by) => (window as unknown as Fake).fake.clock.advance(by), ms);

    await expect.poll(() => text('ready')).toBe('true');
    expect(await text('react')).toMatch(new RegExp(`^${major}\\.`));
    expect(await text('status')).toBe('undecided');
    await expect.poll(() => text('policy')).toBe('2026-11-01');
    expect(await requests()).toEqual([]);

    await page.click('#grant');
    await expect.poll(() => text('status')).toBe('granted');
    expect(await text('purposes')).toBe('statistics');
    await page.click('#object');
    await expect.poll(() => text('objected')).toBe('update_timing');
    expect((await requests()).filter((request) => request.path === '/v1/consent').map((request) => request.json.objections)).toEqual([[], ['update_timing']]);

    await page.click('#identify');
    const expected = createHash('sha256').update('heed:v1:acme:user-42').digest('base64url');
    await expect.poll(async () => (await requests()).filter((request) => request.path === '/v1/consent').at(-1)?.json.subject).toBe(expected);

    await page.click('#edit');
    await advance(2_000);
    await page.click('#edit');
    await page.click('#track');
    await advance(5_000);
    const tracked = (await requests()).flatMap((request) => request.json.events ?? []).filter((event) => event.type === 'track');
    expect(tracked.map((event) => [event.name, event.durationMs])).toEqual([['report.editor', 2_000], ['report.exported', undefined]]);

    // The privacy page withdrew: the next batch answer says so, and the tree re-renders.
    await page.evaluate(() =>
      (window as unknown as Fake).fake.transport.script({ status: 200, body: { accepted: 0, duplicates: 0, suppressed: 1, reasons: { withdrawn: 1 }, rejected: 0, rejections: {}, consentRequired: false, policyVersion: '2026-11-01' } }),
    );
    await page.click('#track');
    await advance(5_000);
    await expect.poll(() => text('status')).toBe('withdrawn');
    expect(await text('purposes')).toBe('');
    expect(await page.evaluate(() => (window as unknown as { renders(): number }).renders())).toBeLessThan(40);
    expect(errors).toEqual([]);
    await page.close();
  });
});
