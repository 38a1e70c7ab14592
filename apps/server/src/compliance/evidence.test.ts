/**
 * The compliance report cannot rot: every test it cites exists, in that file, with exactly
 * that title, and is not skipped; every right and principle has proof; and `heed compliance`
 * prints the Art. 30 record followed by all of it.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DEFAULT_POLICY, renderRecordOfProcessing } from '@heed/policy';
import { describe, expect, it } from 'vitest';
import { renderComplianceReport } from './compliance-report.js';
import { EVIDENCE, PRINCIPLE_IDS } from './evidence.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The title as it appears in source, in each quote style. */
function literals(title: string): string[] {
  const backslashed = title.replace(/\\/g, '\\\\');
  return [`'${backslashed.replace(/'/g, "\\'")}'`, `"${backslashed.replace(/"/g, '\\"')}"`, `\`${backslashed.replace(/`/g, '\\`')}\``];
}

/** True when `source` declares a test (at the start of a line: not skipped, not in a comment) with exactly this title. */
function declaresTest(source: string, title: string): boolean {
  return literals(title).some((literal) => new RegExp(`^[ \\t]*(?:it|test)(?:\\.(?:only|concurrent|sequential))?\\(\\s*${escapeRegExp(literal)}\\s*,`, 'm').test(source));
}

describe('the evidence table', () => {
  it('names an existing test file and an exact, live test title for every proof', () => {
    const missing: string[] = [];
    for (const principle of EVIDENCE) {
      for (const proof of principle.proofs) {
        const path = join(ROOT, proof.file);
        if (!existsSync(path)) missing.push(`${principle.id}: no file ${proof.file}`);
        else if (!declaresTest(readFileSync(path, 'utf8'), proof.test)) missing.push(`${principle.id}: no test "${proof.test}" in ${proof.file}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('covers every right and principle of the policy once, each with proof', () => {
    expect(EVIDENCE.map((principle) => principle.id)).toEqual([...PRINCIPLE_IDS]);
    for (const principle of EVIDENCE) expect(principle.proofs.length, principle.id).toBeGreaterThan(0);
  });

  it('matches titles exactly, in any quote style, and not skipped tests', () => {
    expect(declaresTest(`it('keeps it', () => {})`, 'keeps it')).toBe(true);
    expect(declaresTest(`it("lets a key reach its project's data", async () => {})`, "lets a key reach its project's data")).toBe(true);
    expect(declaresTest(`it('lets a key reach its project\\'s data', async () => {})`, "lets a key reach its project's data")).toBe(true);
    expect(declaresTest(`it('keeps it and more', () => {})`, 'keeps it')).toBe(false);
    expect(declaresTest(`it.skip('keeps it', () => {})`, 'keeps it')).toBe(false);
    expect(declaresTest(`// it('keeps it', ...) was removed`, 'keeps it')).toBe(false);
  });
});

describe('heed compliance', () => {
  it('prints the Art. 30 record, then each right and principle with its tests', async () => {
    const report = renderComplianceReport(DEFAULT_POLICY);
    expect(report.startsWith(renderRecordOfProcessing(DEFAULT_POLICY).trimEnd())).toBe(true);
    const proofs = EVIDENCE.reduce((n, principle) => n + principle.proofs.length, 0);
    expect(report).toContain(`${EVIDENCE.length} rights and principles, ${proofs} tests.`);
    expect(report).toContain('### Right to erasure (Art. 17)');
    expect(report).toContain("| `apps/server/src/ledger/ledger.test.ts` | fails at the changed row when a grant is rewritten |");

    const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, 'compliance']);
    expect(stdout).toBe(`${report}\n`);
  });
});
