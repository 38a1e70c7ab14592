/**
 * The repository's docs/k-anonymity.md, which the dashboard links from every hidden figure:
 * found by walking up from this module (from `src/` in tests and from the bundled `dist/`
 * alike), read once. Served as plain text, so the page needs no Markdown renderer.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let text: string | undefined;

/** The document's text, or undefined where the server runs without the repository's docs. */
export function kAnonymityDoc(): string | undefined {
  if (text !== undefined) return text;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 7; depth++) {
    const candidate = join(dir, 'docs', 'k-anonymity.md');
    if (existsSync(candidate)) return (text = readFileSync(candidate, 'utf8'));
    dir = dirname(dir);
  }
  return undefined;
}
