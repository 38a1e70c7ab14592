/**
 * The layers point one way (docs/design.md, "Layout"): the rules below are checked against
 * every import of the workspace's sources, so a forbidden import fails here, naming the file,
 * the import and the rule, instead of surfacing later as a cycle or a store that knows HTTP.
 * Production code only, unless a rule says otherwise: tests may reach across layers.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { folderCycles, importEdges, isProduction, type ImportEdge } from './support/import-graph.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER = 'apps/server/src';

/** The server's domain: what it does, free of how it is asked (routes, HTTP, pages, CLI). */
const DOMAIN = ['aggregates', 'compliance', 'identity', 'ingest', 'ledger', 'policies', 'projects', 'retention', 'rights', 'stats'];
/** How the server is asked and assembled: nothing below may import these. */
const PRESENTATION = ['routes', 'http', 'pages', 'openapi', 'cli', 'app.ts', 'server.ts', 'cli.ts'];

/** The first folder (or root file) of a server path, or undefined outside the server's sources. */
function serverPart(path: string): string | undefined {
  return path.startsWith(`${SERVER}/`) ? path.slice(SERVER.length + 1).split('/')[0] : undefined;
}
const inServer = (...parts: string[]) => (path: string) => parts.includes(serverPart(path) ?? '');
const under = (...prefixes: string[]) => (path: string) => prefixes.some((prefix) => path.startsWith(prefix));
const builtin = (path: string) => path.startsWith('node:');

interface Rule {
  readonly name: string;
  readonly from: (path: string) => boolean;
  readonly forbidden: (to: string) => boolean;
  /** Also held against tests and test helpers. */
  readonly includeTests?: boolean;
}

const RULES: readonly Rule[] = [
  {
    name: 'policy imports nothing of the SDK or the server',
    from: under('packages/policy/src/'),
    forbidden: under('packages/sdk/', 'apps/'),
  },
  {
    name: 'the SDK core imports no platform and no server',
    from: under('packages/sdk/src/core/'),
    forbidden: (to) => under('packages/sdk/src/platform/', 'packages/sdk/src/entrypoints/', 'apps/')(to) || builtin(to),
  },
  {
    name: 'the SDK imports nothing of the server',
    from: under('packages/sdk/src/'),
    forbidden: under('apps/'),
    includeTests: true,
  },
  {
    name: 'aggregates imports nothing of the server but itself (it sits below store/ and stats/)',
    from: inServer('aggregates'),
    forbidden: (to) => serverPart(to) !== undefined && serverPart(to) !== 'aggregates',
  },
  {
    name: 'store imports no domain and no presentation',
    from: inServer('store'),
    // The ledger's seal reaches the store as a port (store.ts, LedgerSeal), so the store
    // needs nothing of ledger/.
    forbidden: inServer(...DOMAIN.filter((part) => part !== 'aggregates'), ...PRESENTATION, 'services.ts'),
  },
  {
    name: 'domain imports no routes, no HTTP and no presentation',
    from: inServer(...DOMAIN),
    forbidden: inServer(...PRESENTATION),
  },
  {
    // Bundled for the browser (apps/server/build/page-scripts.ts): server code would not run there.
    name: 'page scripts import nothing of the server and no Node built-in',
    from: (path) => path.endsWith('.browser.ts'),
    forbidden: (to) => (serverPart(to) !== undefined && !to.endsWith('.browser.ts')) || builtin(to),
  },
  {
    name: 'test helpers import nothing from the CLI',
    from: inServer('testing'),
    forbidden: inServer('cli', 'cli.ts'),
    includeTests: true,
  },
];

/**
 * Known violations, each to be fixed by the change named beside it; listed so that the rule
 * holds for everything else meanwhile. An entry that no longer occurs fails the test below:
 * delete it with the fix.
 */
const KNOWN_VIOLATIONS: readonly string[] = [];

/** The folder of a production file for the cycle rule: a server folder or root file, or a package's source folder. */
function folderOf(path: string): string | undefined {
  const part = serverPart(path);
  if (part !== undefined) return `${SERVER}/${part}`;
  const match = /^(packages\/[^/]+\/src)\/([^/]+)/.exec(path);
  return match ? `${match[1]}/${match[2]}` : undefined;
}

function violations(edges: readonly ImportEdge[]): string[] {
  const found = new Set<string>();
  for (const rule of RULES) {
    for (const edge of edges) {
      if ((rule.includeTests || isProduction(edge.from)) && rule.from(edge.from) && rule.forbidden(edge.to)) {
        found.add(`${rule.name}: ${edge.from} -> ${edge.to}`);
      }
    }
  }
  for (const cycle of folderCycles(edges.filter((edge) => isProduction(edge.from)), folderOf)) {
    found.add(`no folder cycles: ${cycle.join(' <-> ')}`);
  }
  return [...found].sort();
}

describe('dependency rules', () => {
  const edges = importEdges(ROOT, ['packages/policy/src', 'packages/sdk/src', SERVER]);

  it('reads the import graph (a rule over no edges proves nothing)', () => {
    expect(edges.length).toBeGreaterThan(500);
    expect(edges).toContainEqual({ from: `${SERVER}/stats/sketch-quantile.ts`, to: `${SERVER}/aggregates/duration-sketch.ts`, specifier: '../aggregates/duration-sketch.js' });
  });

  it('finds no import that breaks a rule, beyond the known ones', () => {
    expect(violations(edges).filter((violation) => !KNOWN_VIOLATIONS.includes(violation))).toEqual([]);
  });

  it('lists no known violation that is already fixed', () => {
    const found = violations(edges);
    expect(KNOWN_VIOLATIONS.filter((violation) => !found.includes(violation))).toEqual([]);
  });

  it('fails on a forbidden import and on a folder cycle', () => {
    // A small graph of its own, so the check is shown to bite whatever the tree holds today.
    const edge = (from: string, to: string): ImportEdge => ({ from, to, specifier: to });
    expect(violations([
      edge(`${SERVER}/store/sqlite/sqlite-store.ts`, `${SERVER}/stats/histogram.ts`),
      edge(`${SERVER}/stats/stats-service.ts`, `${SERVER}/store/store.ts`),
      edge(`${SERVER}/rights/subject-rights.ts`, `${SERVER}/routes/me.ts`),
      edge('packages/sdk/src/core/client.ts', 'node:crypto'),
      edge('packages/policy/src/index.ts', 'packages/sdk/src/entrypoints/browser.ts'),
      edge(`${SERVER}/store/store.test.ts`, `${SERVER}/rights/subject-rights.ts`),
      edge(`${SERVER}/pages/privacy/privacy-script.browser.ts`, `${SERVER}/pages/html.ts`),
    ])).toEqual([
      'domain imports no routes, no HTTP and no presentation: apps/server/src/rights/subject-rights.ts -> apps/server/src/routes/me.ts',
      'no folder cycles: apps/server/src/stats <-> apps/server/src/store',
      'page scripts import nothing of the server and no Node built-in: apps/server/src/pages/privacy/privacy-script.browser.ts -> apps/server/src/pages/html.ts',
      'policy imports nothing of the SDK or the server: packages/policy/src/index.ts -> packages/sdk/src/entrypoints/browser.ts',
      'store imports no domain and no presentation: apps/server/src/store/sqlite/sqlite-store.ts -> apps/server/src/stats/histogram.ts',
      'the SDK core imports no platform and no server: packages/sdk/src/core/client.ts -> node:crypto',
    ]);
  });
});
