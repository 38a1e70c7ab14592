/**
 * Reads a V8 `.cpuprofile` (node --cpu-prof) and says where the time went: self time per
 * category (the package or Heed layer a frame belongs to), inclusive time of the functions
 * that bound the ingest path, and the hottest functions by self time. Categories are
 * decided by the frame's file, so they survive bundling (Heed's dist is one chunked build;
 * its frames are told apart by function name).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  categories: { name: string; ms: number; share: number }[];
  inclusive: { name: string; ms: number; share: number }[];
  hottest: { name: string; ms: number; share: number }[];
}

const CATEGORIES: [string, (url: string, fn: string) => boolean][] = [
  ['idle', (_url, fn) => fn === '(idle)'],
  ['gc', (_url, fn) => fn === '(garbage collector)'],
  ['program (native, unattributed)', (_url, fn) => fn === '(program)'],
  ['better-sqlite3', (url) => url.includes('better-sqlite3')],
  ['@hono/node-server', (url) => url.includes('@hono/node-server') || url.includes('@hono+node-server')],
  ['hono', (url) => /\/hono[@/]/.test(url)],
  ['zod', (url) => /\/zod[@/]/.test(url)],
  ['@heed/policy', (url) => url.includes('packages/policy')],
  ['drizzle', (url) => url.includes('drizzle')],
  ['heed server', (url) => url.includes('apps/server')],
  ['node internals', (url) => url.startsWith('node:')],
  ['native (no url)', (url) => url === ''],
];

function categoryOf(url: string, fn: string): string {
  return CATEGORIES.find(([, test]) => test(url, fn))?.[0] ?? 'other';
}

/** Function names whose inclusive time marks a stage of the ingest path. */
export const STAGES = [
  'flush', 'writeTransaction', 'insertEvents', 'applyGroup', 'apply', 'ingestBatch', 'validate', 'safeParse', 'readJson',
  'readBatch', 'parseBatch', 'loadSubjects', 'resolve', 'candidates', 'planAggregates', 'foldSessions', 'handleRequest',
  'getRequestListener', 'dispatch', 'compose', 'responseViaResponseObject', 'batchIngested', 'onBatch',
];

export function summarizeProfile(path: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000));
  const totalMs = [...self.values()].reduce((sum, ms) => sum + ms, 0);

  const categories = new Map<string, number>();
  const hottest = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, ms] of self) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const category = categoryOf(url, functionName);
    categories.set(category, (categories.get(category) ?? 0) + ms);
    const label = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    hottest.set(label, (hottest.get(label) ?? 0) + ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = byId.get(at)!.callFrame.functionName;
      if (STAGES.includes(name) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
      }
    }
  }
  const rows = (map: Map<string, number>, limit = Infinity) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([name, ms]) => ({ name, ms, share: ms / totalMs }));
  return { totalMs, categories: rows(categories), inclusive: rows(inclusive), hottest: rows(hottest, top) };
}

export function printProfile(summary: ProfileSummary): void {
  const line = (row: { name: string; ms: number; share: number }) =>
    `  ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.ms.toFixed(0).padStart(7)} ms  ${row.name}`;
  console.log(`profile: ${(summary.totalMs / 1000).toFixed(1)} s sampled`);
  console.log('self time by category');
  summary.categories.forEach((row) => console.log(line(row)));
  console.log('inclusive time of ingest stages');
  summary.inclusive.forEach((row) => console.log(line(row)));
  console.log('hottest functions (self)');
  summary.hottest.forEach((row) => console.log(line(row)));
}
