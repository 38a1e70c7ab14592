/**
 * The browser build's weight: the whole browser entry (consent, sessions, queue, delivery,
 * transport, platform, rights), minified and gzipped the way a host's bundler would see it,
 * in memory with esbuild. Also fails if zod or a Node built-in leaks in through an import.
 *
 * The target is 5 KB (5,120 bytes). The build does not meet it yet (about 6.5 KB,
 * see the closing note of issue #4), so the assertion is a ceiling that stops growth while
 * the target stays printed; lower CEILING as the bundle shrinks, down to TARGET.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';

const TARGET = 5_120;
const CEILING = 6_700;

it('keeps the gzipped browser entry under its ceiling, without zod or Node built-ins', async () => {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./entrypoints/browser.ts', import.meta.url))],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    write: false,
    metafile: true,
    alias: { '@heed/policy': fileURLToPath(new URL('../../policy/src/index.ts', import.meta.url)) },
  });
  const code = result.outputFiles[0]!.contents;
  const gzip = gzipSync(code, { level: 9 }).length;
  const over = gzip > TARGET ? `, ${gzip - TARGET} bytes over the ${TARGET}-byte target` : '';
  console.log(`@heed/sdk browser build: ${code.length} bytes minified, ${gzip} bytes gzip${over}`);
  const bundled = Object.entries(Object.values(result.metafile.outputs)[0]!.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path]) => path);
  expect(bundled.filter((path) => /zod|^node:/.test(path))).toEqual([]);
  expect(gzip).toBeLessThanOrEqual(CEILING);
});
