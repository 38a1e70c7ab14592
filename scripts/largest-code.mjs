// The largest production files and functions of a checkout, for reviews of the code's shape
// (issue "The house" quotes them before and after). Production: apps/*/src and packages/*/src,
// without tests, contract cases, testing/ helpers and declaration files. Functions are measured
// by the TypeScript parser, from their first to their last line.
//
//   node scripts/largest-code.mjs [checkout]   # default: this repository
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { createRequire } from 'node:module';
const root = process.argv[2] ?? new URL('..', import.meta.url).pathname;
const require = createRequire(root + '/apps/server/package.json');
const ts = require('typescript');
const files = execSync(`git -C ${root} ls-files 'apps/*/src/**.ts' 'packages/*/src/**.ts' 'apps/*/src/**.tsx' 'packages/*/src/**.tsx'`, { encoding: 'utf8' })
  .split('\n').filter((f) => f && !/\.(test|case)\.tsx?$/.test(f) && !f.includes('/testing/') && !f.endsWith('.d.ts'));
const sizes = []; let fns = [];
for (const f of files) {
  const text = readFileSync(`${root}/${f}`, 'utf8');
  sizes.push([text.split('\n').length, f]);
  const sf = ts.createSourceFile(f, text, ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node)) {
      const a = sf.getLineAndCharacterOfPosition(node.getStart()).line, b = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      let name = node.name?.getText?.() ?? (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText() : '(anonymous)');
      fns.push([b - a + 1, `${f} ${name}`]);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
sizes.sort((x, y) => y[0] - x[0]); fns.sort((x, y) => y[0] - x[0]);
const lines = sizes.map((s) => s[0]).sort((a, b) => a - b);
console.log(`files ${sizes.length}, median ${lines[Math.floor(lines.length / 2)]} lines`);
console.log('largest files:', sizes.slice(0, 4).map(([n, f]) => `${f} ${n}`).join('; '));
console.log('largest functions:', fns.slice(0, 4).map(([n, f]) => `${f} ${n}`).join('; '));
