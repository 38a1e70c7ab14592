/**
 * Builds the server (ESM for Node 20: the library, the `heed` CLI and the test helpers), then
 * the pages' browser scripts into dist/page-scripts/ (build/page-scripts.ts), which the
 * server reads and serves.
 */
import { defineConfig } from 'tsup';
import { buildPageScripts } from './build/page-scripts.js';

export default defineConfig({
  entry: { index: 'src/index.ts', cli: 'src/cli.ts', testing: 'src/testing/index.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' } },
  clean: true,
  sourcemap: true,
  platform: 'node',
  target: 'node20',
  onSuccess: buildPageScripts,
});
