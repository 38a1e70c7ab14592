/**
 * The browser build's weight, minified and gzipped the way a host's bundler would see it, in
 * memory with esbuild and the published builds' options (`build-options.ts`). Issue #4 sizes
 * "consent, sessions, queue, transport": that is the main entry chunk, and it may not exceed
 * 5 KB (5,120 bytes). The rights API (`rights.ts`) is split off with a dynamic import and
 * loaded on first use, so it is printed but not counted; the main chunk may not import any
 * chunk statically, or the split would only hide bytes. Also fails if zod or a Node built-in
 * leaks into any output.
 *
 * The chunk is close to the limit (the headroom is printed). Measured per input, most of it
 * is the consent state machine (about 2.4 KB minified) and the client, browser platform and
 * delivery (1.1 to 1.4 KB each), all required behaviour; a change that crosses the limit has
 * to pay for itself elsewhere. gzip rewards repetition, so measure each change: a shorter
 * source can compress worse.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { MANGLE_PROPS } from '../build-options.js';

// Issue #4's limit. 5,569 bytes before the pass that met it (internal `_` names, option
// defaults where read, the queue as the gate, rights-only consent steps in the rights chunk...).
const CEILING = 5_120;

it('keeps the gzipped main browser chunk within 5 KB, without zod or Node built-ins', async () => {
  const entry = fileURLToPath(new URL('./entrypoints/browser.ts', import.meta.url));
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    // As tsup builds it: internal `_` properties renamed.
    mangleProps: MANGLE_PROPS,
    outdir: '/heed-size',
    write: false,
    metafile: true,
    alias: { '@heed/policy': fileURLToPath(new URL('../../policy/src/index.ts', import.meta.url)) },
  });
  const outputs = Object.entries(result.metafile.outputs);
  const name = (path: string) => path.split('/').pop()!;
  const gzipOf = (path: string) => gzipSync(result.outputFiles.find((file) => name(file.path) === name(path))!.contents, { level: 9 }).length;
  // A dynamically imported module is an entry point of its own chunk: pick the browser entry by name.
  const [mainPath, main] = outputs.find(([, output]) => output.entryPoint?.endsWith('entrypoints/browser.ts'))!;
  const gzip = gzipOf(mainPath);
  const margin = gzip > CEILING ? `${gzip - CEILING} bytes over` : `${CEILING - gzip} bytes under`;
  console.log(`@heed/sdk browser main chunk: ${main.bytes} bytes minified, ${gzip} bytes gzip, ${margin} the ${CEILING}-byte limit`);
  for (const [path, output] of outputs.filter(([path]) => path !== mainPath && path.endsWith('.js'))) {
    console.log(`  lazy ${name(path)}: ${output.bytes} bytes minified, ${gzipOf(path)} bytes gzip`);
  }

  expect(main.imports.filter((imported) => imported.kind !== 'dynamic-import')).toEqual([]);
  expect(main.imports.map((imported) => name(imported.path).replace(/-\w+\.js$/, '.js'))).toEqual(['rights.js']);
  const bundled = outputs.flatMap(([, output]) => Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([path]) => path));
  expect(bundled.filter((path) => /zod|^node:/.test(path))).toEqual([]);
  expect(gzip).toBeLessThanOrEqual(CEILING);
});
