/**
 * Where browser suites keep what a person should look at: `.artifacts/<suite>/` at the root of
 * the repository (gitignored), kept after the run.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** @example await page.screenshot({ path: join(artifactsDir('privacy-page'), 'nl.png') }) */
export function artifactsDir(suite: string): string {
  const dir = join(ROOT, '.artifacts', suite);
  mkdirSync(dir, { recursive: true });
  return dir;
}
