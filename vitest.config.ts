/**
 * One vitest configuration for the whole workspace: unit tests beside the code in every
 * package, and the cross-package suites in test/. Workspace packages resolve to their
 * sources, so a test never runs against a stale dist/.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@heed\/server\/testing$/, replacement: source('./apps/server/src/testing/index.ts') },
      { find: /^@heed\/server$/, replacement: source('./apps/server/src/index.ts') },
      { find: /^@heed\/policy$/, replacement: source('./packages/policy/src/index.ts') },
      { find: /^@heed\/sdk\/node$/, replacement: source('./packages/sdk/src/entrypoints/node.ts') },
      { find: /^@heed\/sdk\/testing$/, replacement: source('./packages/sdk/src/testing/index.ts') },
      { find: /^@heed\/sdk\/banner$/, replacement: source('./packages/sdk/src/banner/index.ts') },
      { find: /^@heed\/react$/, replacement: source('./packages/react/src/index.ts') },
      { find: /^@heed\/sdk$/, replacement: source('./packages/sdk/src/entrypoints/browser.ts') },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.{ts,tsx}', 'apps/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: end-to-end suites start servers and a browser; more workers only thrash.
    maxWorkers: 2,
    // The pages' browser scripts, bundled from their sources first: a test never serves an old one.
    globalSetup: ['./apps/server/build/page-scripts.ts'],
  },
});
