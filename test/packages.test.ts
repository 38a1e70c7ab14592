/**
 * The published packages install anywhere: `pnpm pack` of @heed/policy, @heed/sdk and
 * @heed/react leaves no `workspace:` range; the tarballs
 * install with npm into a scratch project outside the workspace, with no workspace and no
 * link; every entry imports as ESM and as CJS in Node; and `tsc` type-checks an app that uses
 * them from an ES module and from a CommonJS module (module resolution `nodenext`, so the
 * `exports` maps' `types` are what is checked).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'heed-packages-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ESM = `
import { DEFAULT_POLICY } from '@heed/policy';
import { createHeed, HeedError } from '@heed/sdk';
import { createHeed as createNodeHeed } from '@heed/sdk/node';
import { createTestPlatform } from '@heed/sdk/testing';
import { mountConsentBanner, pickLanguage } from '@heed/sdk/banner';
import { HeedProvider, useConsent } from '@heed/react';
const heed = createNodeHeed({ endpoint: 'http://127.0.0.1:9', writeKey: 'wk', projectId: 'acme', policy: DEFAULT_POLICY, platform: createTestPlatform().platform });
const granted = await heed.consent.grant(['statistics']);
console.log(JSON.stringify([typeof createHeed, typeof HeedError, typeof mountConsentBanner, pickLanguage(['fr-BE']), typeof HeedProvider, typeof useConsent, granted.status, granted.ok]));
await heed.shutdown();
`;

const CJS = `
const { DEFAULT_POLICY } = require('@heed/policy');
const { createHeed, HeedError } = require('@heed/sdk');
const { createHeed: createNodeHeed } = require('@heed/sdk/node');
const { mountConsentBanner, pickLanguage } = require('@heed/sdk/banner');
const { HeedProvider, useConsent } = require('@heed/react');
console.log(JSON.stringify([DEFAULT_POLICY.version, typeof createHeed, typeof HeedError, typeof createNodeHeed, typeof mountConsentBanner, pickLanguage(['nl']), typeof HeedProvider, typeof useConsent]));
`;

/** An app's code, once as an ES module and once as CommonJS: the types an app needs come from the SDK. */
const TYPED = `
import { createHeed, type ConsentResult, type ConsentState, type HeedOptions, type PolicyDocument, type Props } from '@heed/sdk';
import type { ConsentBannerOptions } from '@heed/sdk/banner';
import { HeedProvider, useConsent, type UseConsent } from '@heed/react';
const options: HeedOptions = { endpoint: 'https://heed.example.com', writeKey: 'wk', projectId: 'acme' };
const heed = createHeed(options);
const props: Props = { format: 'pdf' };
heed.track('report.exported', props);
export async function decide(): Promise<ConsentState['status']> {
  const policy: PolicyDocument | undefined = await heed.consent.policy();
  const result: ConsentResult = await heed.consent.grant(policy ? policy.purposes.map((purpose) => purpose.id) : []);
  return result.ok ? result.status : 'undecided';
}
export const banner: ConsentBannerOptions = { lang: 'nl' };
export const hook: () => UseConsent = useConsent;
export const provider = HeedProvider;
// @ts-expect-error: a status the SDK does not have
export const wrong: ConsentState['status'] = 'maybe';
`;

it('packs without workspace ranges, installs with npm outside the workspace, imports as ESM and CJS, and type-checks', async () => {
  // What `pnpm build` (scripts/bootstrap.sh) built is packed as it is: building here would
  // replace dist/ under the other suites that run servers from it at the same time.
  // `pnpm publish` builds first (`prepublishOnly`).
  for (const name of ['policy', 'sdk', 'react']) expect(existsSync(join(root, 'packages', name, 'dist/index.d.ts')) || existsSync(join(root, 'packages', name, 'dist/browser.d.ts'))).toBe(true);
  const packs = join(scratch, 'packs');
  for (const name of ['policy', 'sdk', 'react']) {
    await run('pnpm', ['pack', '--pack-destination', packs], { cwd: join(root, 'packages', name) });
  }
  const tarballs = readdirSync(packs).sort();
  expect(tarballs).toEqual(['heed-policy-0.1.0.tgz', 'heed-react-0.1.0.tgz', 'heed-sdk-0.1.0.tgz']);
  for (const tarball of tarballs) {
    const { stdout } = await run('tar', ['-xOzf', join(packs, tarball), 'package/package.json']);
    expect(stdout).not.toContain('workspace:');
    const files = (await run('tar', ['-tzf', join(packs, tarball)])).stdout.split('\n');
    expect(files).toEqual(expect.arrayContaining(['package/LICENSE', 'package/README.md', 'package/package.json']));
    expect(files.filter((file) => file.startsWith('package/src/'))).toEqual([]);
  }

  const app = join(scratch, 'app');
  await run('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true, version: '1.0.0' }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs.map((tarball) => join(packs, tarball)), 'react@19.3.1', '@types/react@19.3.0'], {
    cwd: app,
    env: { ...process.env, npm_config_workspaces: 'false' },
  });

  writeFileSync(join(app, 'esm.mjs'), ESM);
  writeFileSync(join(app, 'cjs.cjs'), CJS);
  const esm = await run(process.execPath, ['esm.mjs'], { cwd: app });
  expect(JSON.parse(esm.stdout)).toEqual(['function', 'function', 'function', 'fr', 'function', 'function', 'granted', true]);
  const cjs = await run(process.execPath, ['cjs.cjs'], { cwd: app });
  expect(JSON.parse(cjs.stdout)).toEqual(['2026-11-01', 'function', 'function', 'function', 'function', 'nl', 'function', 'function']);

  writeFileSync(join(app, 'app.mts'), TYPED);
  writeFileSync(join(app, 'app.cts'), TYPED);
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, lib: ['es2022', 'dom'], types: [] }, files: ['app.mts', 'app.cts'] }),
  );
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const checked = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app }).then(
    () => 'ok',
    (error: { stdout: string }) => error.stdout,
  );
  expect(checked).toBe('ok');

  // The check is real: a wrong use of an SDK type fails it.
  writeFileSync(join(app, 'app.mts'), `${TYPED}\nexport const broken: ConsentResult = { ok: true };\n`);
  const failed = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app }).then(() => '', (error: { stdout: string }) => error.stdout);
  expect(failed).toMatch(/app\.mts\(\d+,\d+\): error TS2739/);
}, 240_000);
