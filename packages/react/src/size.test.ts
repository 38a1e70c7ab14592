/**
 * `@heed/react`'s weight in an app's bundle, minified and gzipped, without React and the SDK
 * (the app has both anyway) and without the banner (imported when `<ConsentBanner>` mounts).
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';

const CEILING = 2_048;

it('stays within 2 KB gzip, leaving React, the SDK and the banner to their own modules', async () => {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    jsx: 'automatic',
    external: ['react', 'react/jsx-runtime', '@heed/sdk', '@heed/sdk/banner'],
    write: false,
  });
  const code = result.outputFiles[0]!.text;
  const gzip = gzipSync(code, { level: 9 }).length;
  console.log(`@heed/react: ${code.length} bytes minified, ${gzip} bytes gzip`);
  // The banner stays a dynamic import, so an app's bundler splits it off.
  expect(code).toMatch(/import\("@heed\/sdk\/banner"\)/);
  expect(gzip).toBeLessThanOrEqual(CEILING);
});
