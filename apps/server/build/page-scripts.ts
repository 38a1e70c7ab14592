/**
 * Bundles the pages' browser scripts: every `src/pages/**\/<name>-script.browser.ts` (a page's
 * entry; the other `*.browser.ts` are modules it imports) becomes
 * `dist/page-scripts/<name>-script.js`, an IIFE for ES2017 browsers (not minified: it is read in
 * the browser's developer tools more than it is downloaded). `pnpm build` runs this after tsup
 * (tsup.config.ts), and vitest before the tests (vitest.config.ts), so a test never serves a
 * script older than its source. Type-checking is tsc's (tsconfig.browser.json), not esbuild's.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const PAGES = join(PACKAGE, 'src', 'pages');
const SUFFIX = '.browser.ts';
/** Only a page's entry is served; bundling its modules alone would ship dead copies of them. */
const ENTRY = '-script' + SUFFIX;

function browserScripts(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? browserScripts(join(dir, entry.name)) : entry.name.endsWith(ENTRY) ? [join(dir, entry.name)] : [],
  );
}

/**
 * @example await buildPageScripts() // dist/page-scripts/dashboard-script.js, privacy-script.js, sdk-demo-script.js
 */
export async function buildPageScripts(outdir = join(PACKAGE, 'dist', 'page-scripts')): Promise<void> {
  const entryPoints = Object.fromEntries(browserScripts(PAGES).map((path) => [basename(path, SUFFIX), path]));
  await build({
    entryPoints,
    outdir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2017',
    charset: 'utf8',
    logLevel: 'warning',
    // The same output whichever folder the build runs from (its path comments are relative to this).
    absWorkingDir: PACKAGE,
  });
}

/** vitest's globalSetup hook. */
export async function setup(): Promise<void> {
  await buildPageScripts();
}
