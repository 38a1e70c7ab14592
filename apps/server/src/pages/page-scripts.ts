/**
 * The pages' browser scripts (`*.browser.ts`), as the build bundled them: type-checked
 * TypeScript, bundled by esbuild into `dist/page-scripts/` (`apps/server/build/page-scripts.ts`,
 * run by `pnpm build` and before the tests), read once and then served from memory. From
 * `src/` (tests, tsx) and from the bundled `dist/` alike: walk up to the package's `dist/`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Each script by the name of its bundle; the source is `<page folder>/<name>.browser.ts`. */
export type PageScript = 'dashboard-script' | 'privacy-script' | 'sdk-demo-script';

function bundleFolder(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth++) {
    for (const candidate of [join(dir, 'page-scripts'), join(dir, 'dist', 'page-scripts')]) {
      if (existsSync(candidate)) return candidate;
    }
    dir = dirname(dir);
  }
  return undefined;
}

const loaded = new Map<PageScript, string>();

/**
 * The bundled script, or an Error naming what is missing (a checkout that was never built).
 *
 * @example pageScript('privacy-script') // '(() => { ... })();'
 */
export function pageScript(name: PageScript): string {
  let script = loaded.get(name);
  if (script === undefined) {
    const folder = bundleFolder();
    if (folder === undefined) throw new Error(`the page scripts are not built (no dist/page-scripts above ${fileURLToPath(import.meta.url)}): run pnpm build`);
    script = readFileSync(join(folder, `${name}.js`), 'utf8');
    loaded.set(name, script);
  }
  return script;
}
