/**
 * Text output of the statistics commands: aligned tables for people, CSV for machines, and a
 * terminal heatmap in block shades. Suppressed figures print as `<k`, never as a number.
 */
import type { HeatmapCell } from '../stats/heatmap.js';

export type Row = Record<string, string | number | boolean | null>;

const cell = (value: Row[string], k: number) => (value === null ? `<${k}` : String(value));

/** @example table([{ a: 1, b: null }], 5) // 'a  b \n-  --\n1  <5' */
export function table(rows: readonly Row[], k: number): string {
  if (rows.length === 0) return '(no rows)';
  const columns = Object.keys(rows[0]!);
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column] ?? null, k).length)));
  const line = (values: string[]) => values.map((value, i) => (i === 0 ? value.padEnd(widths[i]!) : value.padStart(widths[i]!))).join('  ');
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((row) => line(columns.map((column) => cell(row[column] ?? null, k))))].join('\n');
}

/** RFC 4180 CSV; empty for suppressed figures, so tools never mistake them for zero. */
export function csv(rows: readonly Row[]): string {
  if (rows.length === 0) return '';
  const columns = Object.keys(rows[0]!);
  const quote = (value: Row[string]) => {
    const text = value === null ? '' : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns.join(','), ...rows.map((row) => columns.map((column) => quote(row[column] ?? null)).join(','))].join('\n');
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
