/**
 * The k-anonymity rule of every statistic (policy `kAnonymity`, 5 by default):
 *
 * 1. A cell (an hour, a day, a heatmap slot, a window, a histogram bin, a feature) is shown
 *    only when at least k distinct subjects stand behind it; otherwise every figure of the
 *    cell is `null` and the cell says `suppressed: true`.
 * 2. Everything derived from several cells (totals, shares, means, percentiles) is computed
 *    over the shown cells only. A total therefore equals the sum of the visible cells, and
 *    "total minus visible cells" is always zero: nothing about a suppressed cell can be
 *    recovered by subtraction, whatever the number of suppressed cells.
 */

/** Whether a figure computed from `subjects` distinct subjects may be shown. */
export function reportable(subjects: number | undefined, k: number): boolean {
  return subjects !== undefined && subjects >= k;
}

/** `value` when the cell is reportable, else null. */
export function shown<T>(value: T, visible: boolean): T | null {
  return visible ? value : null;
}

/** Sums a figure over the visible cells only (rule 2). */
export function visibleSum<T extends { suppressed: boolean }>(cells: readonly T[], figure: (cell: T) => number | null): number {
  let sum = 0;
  for (const cell of cells) if (!cell.suppressed) sum += figure(cell) ?? 0;
  return sum;
}
