/**
 * The workspace's import graph, read from the sources with TypeScript's own pre-processor
 * (static imports, `import type`, re-exports and dynamic `import()` alike: a type import is
 * still knowledge of the other layer). Relative specifiers resolve to files; the workspace's
 * package names resolve to their packages. Used by `dependency-rules.test.ts`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** One import of one file: `to` is a workspace path (`apps/server/src/x.ts`) or a bare module name. */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
  readonly specifier: string;
}

/** The workspace packages by name, as the sources see them (see tsconfig.json's `paths`). */
const PACKAGES: Readonly<Record<string, string>> = {
  '@heed/policy': 'packages/policy/src/index.ts',
  '@heed/sdk': 'packages/sdk/src/entrypoints/browser.ts',
  '@heed/sdk/node': 'packages/sdk/src/entrypoints/node.ts',
  '@heed/sdk/testing': 'packages/sdk/src/testing/index.ts',
  '@heed/server': 'apps/server/src/index.ts',
  '@heed/server/testing': 'apps/server/src/testing/index.ts',
};

function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(root, path));
    else if (/\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function resolveRelative(root: string, from: string, specifier: string): string {
  const base = resolve(root, dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), `${base}.ts`, join(base, 'index.ts'), base];
  const found = candidates.find((candidate) => existsSync(candidate) && !candidate.endsWith('/'));
  return relative(root, found ?? base);
}

/**
 * Every import of every `.ts` file below the given folders of `root`.
 *
 * @example importEdges('/repo', ['apps/server/src']) // [{ from: 'apps/server/src/app.ts', to: 'apps/server/src/http/cors.ts', specifier: './http/cors.js' }, ...]
 */
export function importEdges(root: string, folders: readonly string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const folder of folders) {
    for (const from of sourceFiles(root, folder)) {
      // `false`: no CommonJS `require(...)` detection, which took the SDK's own `require`
      // helper for an import; ES imports, re-exports, `import()` and `import('x').T` are read.
      const info = ts.preProcessFile(readFileSync(join(root, from), 'utf8'), true, false);
      for (const { fileName: specifier } of info.importedFiles) {
        const to = specifier.startsWith('.') ? resolveRelative(root, from, specifier) : (PACKAGES[specifier] ?? specifier);
        edges.push({ from, to, specifier });
      }
    }
  }
  return edges;
}

/** Tests, contract cases and test helpers: held to the rules for production code only where a rule says so. */
export function isProduction(path: string): boolean {
  return !/\.(test|case)\.ts$/.test(path) && !/\/testing\//.test(path);
}

/**
 * The cycles among folders (strongly connected components of more than one folder), each as
 * its folders in order, given a function naming the folder of a file.
 */
export function folderCycles(edges: readonly ImportEdge[], folderOf: (path: string) => string | undefined): string[][] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    const [a, b] = [folderOf(from), folderOf(to)];
    if (a === undefined || b === undefined || a === b) continue;
    if (!next.has(a)) next.set(a, new Set());
    next.get(a)!.add(b);
  }
  // Tarjan's algorithm: small graphs, so recursion depth is no concern.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const node of next.keys()) if (!index.has(node)) visit(node);
  return cycles;
}
