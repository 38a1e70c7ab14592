/**
 * ESM + CJS + types. React and the SDK stay external: the app brings React, and the SDK is
 * its own package (its banner is imported lazily from `@heed/sdk/banner`, so it stays a
 * chunk of its own in the app's build).
 */
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  platform: 'browser',
  target: 'es2020',
  dts: true,
  clean: true,
  sourcemap: true,
  external: ['react', '@heed/sdk', '@heed/sdk/banner'],
});
