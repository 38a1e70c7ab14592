/**
 * SDK size: each SDK's typical setup (init plus one tracked event) bundled the same way a
 * host's bundler would (esbuild, minified ESM, browser platform, everything inlined,
 * dynamic imports included), raw and gzip bytes. Heed's bundle is its browser entry
 * with consent, sessions, queue, retry and transport.
 *
 *   pnpm --filter @heed/bench exec tsx sdk-size.ts
 */
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { MANGLE_PROPS } from '../packages/sdk/build-options.js';
import { HEED, PEERS, versionOf, type Sdk } from './lib/peers.js';
import { fmt } from './lib/stats.js';

export interface SizeFigure {
  name: string;
  pkg: string;
  version: string;
  rawBytes: number;
  gzipBytes: number;
  /** Heed only: the largest source files in the bundle (minified bytes), to show where the weight is. */
  largestInputs?: { file: string; bytes: number }[];
}

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Bundles one setup snippet; Heed resolves to its sources, exactly like packages/sdk/src/size.test.ts. */
export async function bundleSize(sdk: Sdk): Promise<SizeFigure> {
  const result = await build({
    stdin: { contents: sdk.setup, resolveDir: source('.'), loader: 'ts', sourcefile: `${sdk.pkg}-setup.ts` },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
    metafile: true,
    // Some peers reference process.env.NODE_ENV; a host bundler would define it.
    define: { 'process.env.NODE_ENV': '"production"' },
    // Heed's published builds rename its internal `_` properties (the peers ship minified already).
    ...(sdk === HEED ? { mangleProps: MANGLE_PROPS } : {}),
    alias:
      sdk === HEED
        ? { '@heed/sdk': source('../packages/sdk/src/entrypoints/browser.ts'), '@heed/policy': source('../packages/policy/src/index.ts') }
        : {},
  });
  const code = result.outputFiles![0]!.contents;
  const inputs = Object.values(result.metafile!.outputs)[0]!.inputs;
  const largestInputs = Object.entries(inputs)
    .map(([file, input]) => ({ file: file.replace(/^.*?packages\//, 'packages/'), bytes: input.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 8);
  return {
    name: sdk.name,
    pkg: sdk.pkg,
    version: versionOf(sdk.pkg),
    rawBytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    ...(sdk === HEED ? { largestInputs } : {}),
  };
}

export async function benchSdkSize(): Promise<SizeFigure[]> {
  const figures: SizeFigure[] = [];
  for (const sdk of [HEED, ...PEERS]) figures.push(await bundleSize(sdk));
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await benchSdkSize();
  const heed = figures[0]!;
  console.log('SDK size: init + one track, esbuild minified ESM (browser), bytes');
  for (const f of figures) {
    console.log(`  ${f.name.padEnd(18)} ${f.version.padEnd(9)} raw ${fmt(f.rawBytes).padStart(9)}  gzip ${fmt(f.gzipBytes).padStart(8)}  (${fmt(f.gzipBytes / heed.gzipBytes, 1)}x Heed)`);
  }
  console.log('Heed, largest inputs (minified bytes):');
  for (const input of heed.largestInputs ?? []) console.log(`  ${fmt(input.bytes).padStart(6)}  ${input.file}`);
}
