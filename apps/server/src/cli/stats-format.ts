/**
 * Text output of the statistics commands for people: aligned tables and a terminal heatmap in
 * block shades (CSV is `stats/stats-rows.ts`, shared with the API). Hidden figures print as
 * `<k`, never as a number; figures nothing was recorded for print as `-`, never as `<k`.
 */
import type { HeatmapCell } from '../stats/heatmap.js';
import { NOT_MEASURED, type Row, type RowValue } from '../stats/stats-rows.js';

const cell = (value: RowValue, k: number) => (value === null ? `<${k}` : value === NOT_MEASURED ? '-' : String(value));

/** The `hidden` columns are for machines: a table already shows hidden figures as `<k`. */
const FOR_MACHINES = new Set(['hidden', 'timing_hidden']);

/** @example table([{ a: 1, b: null }], 5) // 'a  b \n-  --\n1  <5' */
export function table(rows: readonly Row[], k: number): string {
  if (rows.length === 0) return '(no rows)';
  const columns = Object.keys(rows[0]!).filter((column) => !FOR_MACHINES.has(column));
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column] ?? null, k).length)));
  const line = (values: string[]) => values.map((value, i) => (i === 0 ? value.padEnd(widths[i]!) : value.padStart(widths[i]!))).join('  ');
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((row) => line(columns.map((column) => cell(row[column] ?? null, k))))].join('\n');
}

const SHADES = [' ', '░', '▒', '▓', '█'];

/** 7 rows of 24 two-character cells, shaded by mean relative to the busiest; `··` when suppressed. */
export function heatmapText(cells: readonly HeatmapCell[]): string {
  const max = Math.max(0, ...cells.map((c) => c.mean ?? 0));
  const header = `     ${Array.from({ length: 24 }, (_, h) => (h % 3 === 0 ? String(h).padEnd(6) : '')).join('')}`;
  const rows = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map((day) => {
    const line = cells
      .filter((c) => c.day === day)
      .map((c) => {
        if (c.mean === null) return '··';
        const shade = SHADES[max === 0 ? 0 : Math.min(4, Math.ceil((c.mean / max) * 4))]!;
        return shade + shade;
      })
      .join('');
    return `${day}  ${line}`;
  });
  return [header, ...rows, `     ${SHADES.slice(1).join('')} busier   ·· fewer than k people   (max ${max} active users)`].join('\n');
}
