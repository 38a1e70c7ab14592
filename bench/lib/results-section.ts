/**
 * A benchmark run on its own updates its part of bench/RESULTS.md, between markers named after
 * it (`<!-- name -->` ... `<!-- /name -->`; appended with them when absent), leaving the rest
 * as `pnpm bench` wrote it.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export const sectionMarkers = (name: string) => ({ start: `<!-- ${name} -->`, end: `<!-- /${name} -->` });

/** @example writeResultsSection('postgres-ingest', table) */
export function writeResultsSection(name: string, section: string): void {
  const { start, end } = sectionMarkers(name);
  const file = new URL('../RESULTS.md', import.meta.url);
  const text = readFileSync(file, 'utf8');
  const block = `${start}\n${section}\n${end}`;
  const at = text.indexOf(start);
  const next = at >= 0 ? text.slice(0, at) + block + text.slice(text.indexOf(end, at) + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}
