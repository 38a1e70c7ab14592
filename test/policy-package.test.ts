/**
 * `@heed/policy` as its users get it: the built package imports in Node as ESM and as CJS,
 * and bundles for the browser with no Node built-in (it is shared with the browser SDK).
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

const packageJson = createRequire(import.meta.url).resolve('@heed/policy/package.json');
const root = dirname(packageJson);
const node = (code: string, type: 'module' | 'commonjs') =>
  execFileSync(process.execPath, [`--input-type=${type}`, '-e', code], { cwd: root }).toString().trim();

it('imports from dist as ESM and as CJS, with the same decision', () => {
  const probe = "decide({ consent: { policyVersion: '2026-11-01', granted: ['statistics'], withdrawn: false }, objected: [], restricted: false, erased: false }, 'statistics', DEFAULT_POLICY).allow";
  expect(node(`import { decide, DEFAULT_POLICY } from '@heed/policy'; console.log(${probe}, DEFAULT_POLICY.version)`, 'module')).toBe('true 2026-11-01');
  expect(node(`const { decide, DEFAULT_POLICY } = require('@heed/policy'); console.log(${probe}, DEFAULT_POLICY.version)`, 'commonjs')).toBe('true 2026-11-01');
});

it('bundles for the browser from dist with no Node built-in', async () => {
  const result = await build({
    stdin: { contents: "export { decide, wireSchemas, renderRecordOfProcessing } from '@heed/policy';", resolveDir: root },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.some((path) => path.includes('policy/dist/index.js'))).toBe(true);
  expect(inputs.filter((path) => path.startsWith('node:') || /^(fs|path|crypto|os)$/.test(path))).toEqual([]);
  expect(result.outputFiles[0]!.text).not.toMatch(/require\(["']node:/);
});
