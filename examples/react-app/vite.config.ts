/**
 * The example's build. Inside this repository the Heed packages resolve to their sources, so
 * the suite that builds and drives this app never runs a stale `dist/`; an app outside the
 * repository imports the same names from the installed packages and needs no alias.
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const source = (path: string) => fileURLToPath(new URL(`../../packages/${path}`, import.meta.url));

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^@heed\/react$/, replacement: source('react/src/index.ts') },
      { find: /^@heed\/sdk\/banner$/, replacement: source('sdk/src/banner/index.ts') },
      { find: /^@heed\/sdk$/, replacement: source('sdk/src/entrypoints/browser.ts') },
      { find: /^@heed\/policy$/, replacement: source('policy/src/index.ts') },
    ],
  },
  build: { outDir: process.env.HEED_EXAMPLE_OUT ?? 'dist', emptyOutDir: true },
});
