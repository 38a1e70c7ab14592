/**
 * axe-core (the npm package) run inside a page in real Chromium. The source is evaluated
 * through the DevTools protocol, which a page's CSP does not govern, so the page under test
 * keeps its own CSP (script-src 'self') while it is scanned: no `bypassCSP` needed.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  /** CSS selectors of the offending elements, so a failure names them. */
  readonly targets: readonly string[];
}

/**
 * The serious and critical violations axe-core finds in the whole document ([] when none).
 *
 * @example expect(await seriousAxeViolations(page)).toEqual([])
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    interface Result { violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }
    const axe = (window as unknown as { axe: { run(context: Element): Promise<Result> } }).axe;
    const result = await axe.run(document.documentElement);
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, targets: violation.nodes.map((node) => node.target.join(' ')) }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}
