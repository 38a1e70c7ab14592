/**
 * Builds: ESM + CJS + types for bundlers and Node (`.`, `./node`, `./testing`), and the
 * minified script-tag IIFE `dist/heed.global.js` that sets `globalThis.Heed` (served by the
 * server as `/sdk/heed.js`). `@heed/policy` and nanoid (Node only) are bundled from source so
 * the output carries only the few pure functions the SDK uses: never zod, never a Node
 * built-in in the browser files. The ESM builds split the rights API into a chunk loaded on
 * first use (`core/lazy-rights.ts`); CJS and the IIFE, which cannot split, inline it.
 * Internal `_` properties are mangled (`build-options.ts`).
 */
import { defineConfig } from 'tsup';
import { MANGLE_PROPS } from './build-options.js';

const shared = {
  noExternal: ['@heed/policy', 'nanoid'],
  target: 'es2020',
  sourcemap: true,
  esbuildOptions(options: { alias?: Record<string, string>; mangleProps?: RegExp }) {
    options.alias = { '@heed/policy': '../policy/src/index.ts' };
    options.mangleProps = MANGLE_PROPS;
  },
} as const;

export default defineConfig([
  {
    ...shared,
    entry: { browser: 'src/entrypoints/browser.ts', testing: 'src/testing/index.ts', banner: 'src/banner/index.ts' },
    format: ['esm', 'cjs'],
    platform: 'browser',
    dts: true,
    clean: true,
  },
  {
    ...shared,
    entry: { node: 'src/entrypoints/node.ts' },
    format: ['esm', 'cjs'],
    platform: 'node',
    dts: true,
  },
  {
    ...shared,
    entry: { heed: 'src/entrypoints/global.ts' },
    format: ['iife'],
    platform: 'browser',
    minify: true,
    outExtension: () => ({ js: '.global.js' }),
  },
]);
