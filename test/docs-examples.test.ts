/**
 * Docs that never rot: every ```ts and ```tsx block of README.md, docs/*.md and the packages'
 * and examples' READMEs is written out as a module and type-checked by `tsc` against the
 * workspace's sources; blocks marked ```ts run are also run, against a real server, and must
 * record what they say. A deliberately broken block is fed through the same check to show it
 * fails.
 */
import { startTestServer } from '@heed/server/testing';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
// Inside test/, so `react` and the other test dependencies resolve from the snippets.
const out = join(root, 'test/.docs-check');

interface Block {
  readonly source: string;
  readonly index: number;
  readonly lang: 'ts' | 'tsx';
  readonly run: boolean;
  readonly code: string;
}

function markdownFiles(): string[] {
  const inDir = (dir: string, name = (file: string) => file.endsWith('.md')) =>
    readdirSync(join(root, dir)).filter(name).map((file) => join(dir, file));
  const readmes = (dir: string) => readdirSync(join(root, dir)).map((name) => join(dir, name, 'README.md')).filter((file) => {
    try {
      readFileSync(join(root, file));
      return true;
    } catch (error) {
      void error; // no README in this folder
      return false;
    }
  });
  return ['README.md', ...inDir('docs'), ...readmes('packages'), ...readmes('examples')];
}

function blocksOf(file: string): Block[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^```(tsx?)( run)?\n([\s\S]*?)^```$/gm)].map((match, index) => ({
    source: file,
    index,
    lang: match[1] as 'ts' | 'tsx',
    run: match[2] !== undefined,
    code: match[3]!,
  }));
}

const fileOf = (block: Block) => `${block.source.replace(/[^a-z0-9]+/gi, '_')}_${block.index}.${block.lang}`;

/** Type-checks the blocks as modules; resolves tsc's output ('' when clean). */
async function typeCheck(blocks: readonly Block[]): Promise<string> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const block of blocks) writeFileSync(join(out, fileOf(block)), `${block.code}\nexport {};\n`);
  writeFileSync(join(out, 'tsconfig.json'), JSON.stringify({ extends: '../../tsconfig.json', compilerOptions: { noEmit: true }, include: ['*.ts', '*.tsx'], exclude: [] }));
  return promisify(execFile)(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(out, 'tsconfig.json')], { cwd: root }).then(
    () => '',
    (error: { stdout: string }) => error.stdout,
  );
}

afterAll(() => rmSync(out, { recursive: true, force: true }));

const blocks = markdownFiles().flatMap(blocksOf);

it('finds the examples of every guide', () => {
  const sources = new Set(blocks.map((block) => block.source));
  for (const file of ['README.md', 'packages/sdk/README.md', 'packages/react/README.md', 'packages/policy/README.md', 'docs/react.md', 'docs/cross-origin.md', 'docs/own-policy.md', 'docs/k-anonymity.md']) {
    expect(sources).toContain(file);
  }
  expect(blocks.filter((block) => block.run).map((block) => block.source)).toEqual(['README.md']);
});

it('type-checks every ts and tsx block', async () => {
  const errors = await typeCheck(blocks);
  // Name the markdown file and block of each error.
  const named = errors.replace(/test\/\.docs-check\/(\S+?)\((\d+)/g, (_, file: string, line: string) => {
    const block = blocks.find((candidate) => fileOf(candidate) === file);
    return block ? `${block.source} block ${block.index + 1}, line ${line}` : `${file}(${line}`;
  });
  expect(named).toBe('');
}, 120_000);

it('fails a deliberately broken example', async () => {
  const broken: Block = {
    source: 'broken.md',
    index: 0,
    lang: 'ts',
    run: false,
    code: "import { createHeed } from '@heed/sdk';\nconst heed = createHeed({ endpoint: 'https://heed.example.com', writeKey: 'wk' });\nheed.track(42);\n",
  };
  const errors = await typeCheck([broken]);
  expect(errors).toContain("broken_md_0.ts(2,25): error TS2345: Argument of type '{ endpoint: string; writeKey: string; }' is not assignable");
  expect(errors).toContain("broken_md_0.ts(3,12): error TS2345: Argument of type 'number' is not assignable to parameter of type 'string'.");
}, 120_000);

it('runs the runnable blocks against a real server, and they record what they say', async () => {
  const t = await startTestServer({ start: Date.now() });
  try {
    Object.assign(process.env, { HEED_URL: t.url, HEED_WRITE_KEY: t.project.writeKey, HEED_PROJECT: t.project.projectId });
    mkdirSync(out, { recursive: true });
    for (const block of blocks.filter((candidate) => candidate.run)) {
      const file = join(out, `run_${fileOf(block)}`);
      writeFileSync(file, `${block.code}\nexport {};\n`);
      await import(pathToFileURL(file).href);
    }
    expect(await t.query(`SELECT type, name FROM events WHERE type = 'track'`)).toEqual([{ type: 'track', name: 'job.finished' }]);
    expect(relative(root, out)).toBe('test/.docs-check');
  } finally {
    for (const name of ['HEED_URL', 'HEED_WRITE_KEY', 'HEED_PROJECT']) delete process.env[name];
    await t.close();
  }
}, 60_000);
