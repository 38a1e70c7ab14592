/**
 * Finds the drizzle-kit output folder whether the code runs from `src/` (tests, tsx) or from
 * the bundled `dist/` (the CLI): walk up from this module to the package root.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function migrationsFolder(dialect: 'sqlite' | 'postgres'): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const candidate = join(dir, 'drizzle', dialect);
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`drizzle migrations for ${dialect} not found above ${fileURLToPath(import.meta.url)}`);
}
