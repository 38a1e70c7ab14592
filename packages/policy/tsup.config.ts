import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  // The policy package is shared with the browser SDK: nothing from Node may leak in.
  platform: 'neutral',
  target: 'es2020',
});
