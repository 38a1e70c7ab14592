/**
 * The dashboard's pictures: bar charts, the hour-of-week heatmap and tables, built with
 * createElementNS/setAttribute (no innerHTML with data, no inline styles), so they run under
 * the page's strict CSP. Each drawn mark carries its figure in a data attribute, which the
 * Chromium test compares with the API's answer; a hidden one says why in its tooltip.
 */
import type { Heatmap } from './dashboard-api.browser.js';
import { hiddenTitle } from './dashboard-explain.browser.js';

type Attributes = Record<string, string | number>;

const SVG = 'http://www.w3.org/2000/svg';
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const el = (name: string, attrs: Attributes = {}, text?: string) => {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
};
const svg = (width: number, height: number) => el('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img' });

/** A figure as a table shows it: `<k` when hidden. */
export const shownOrHidden = (value: number | null, k: number) => (value === null ? '<' + k : String(value));

export interface BarOptions {
  readonly name: string;
  readonly k: number;
  readonly short: (label: string) => string;
  /** What one bar is, for the hidden tooltip ("day", "duration bin"). */
  readonly unit: string;
}

/** One bar per value; a hidden value is a short grey stub that must not look like a figure. */
export function bars(values: readonly (number | null)[], labels: readonly string[], options: BarOptions): SVGElement {
  const width = 760, height = 160, pad = 28;
  const max = Math.max(1, ...values.map((v) => v ?? 0));
  const step = (width - pad) / Math.max(1, values.length);
  const chart = svg(width, height + 20);
  chart.setAttribute('data-chart', options.name);
  chart.append(el('text', { x: 0, y: 10 }, String(max)), el('line', { x1: pad, x2: width, y1: height, y2: height, stroke: '#e4e7ec' }));
  values.forEach((value, i) => {
    const label = labels[i] ?? '';
    const h = value === null ? 6 : (value / max) * (height - 14);
    const rect = el('rect', { x: pad + i * step + 1, y: height - h, width: Math.max(1, step - 2), height: h, class: value === null ? 'bar hidden' : 'bar', 'data-value': value === null ? 'suppressed' : value, 'data-label': label });
    rect.append(el('title', {}, value === null ? hiddenTitle(options.unit + ' ' + label, options.k) : label + ': ' + value));
    chart.append(rect);
    if (i % Math.ceil(values.length / 8) === 0) chart.append(el('text', { x: pad + i * step, y: height + 14 }, options.short(label)));
  });
  return chart;
}

export function heatmap(data: Heatmap): SVGElement {
  const cell = 28, left = 36, top = 16;
  const chart = svg(left + 24 * cell, top + 7 * cell);
  chart.setAttribute('data-chart', 'heatmap');
  const max = Math.max(0, ...data.cells.map((c) => c.mean ?? 0));
  for (let h = 0; h < 24; h += 3) chart.append(el('text', { x: left + h * cell, y: 11 }, String(h).padStart(2, '0')));
  WEEKDAYS.forEach((day, d) => chart.append(el('text', { x: 0, y: top + d * cell + 18 }, day)));
  for (const c of data.cells) {
    const d = WEEKDAYS.indexOf(c.day);
    const shade = c.mean === null || max === 0 ? 0 : c.mean / max;
    const label = c.day + ' ' + String(c.hour).padStart(2, '0') + ':00';
    const rect = el('rect', {
      x: left + c.hour * cell + 1, y: top + d * cell + 1, width: cell - 2, height: cell - 2, rx: 3,
      class: c.suppressed ? 'cell hidden' : 'cell', fill: c.suppressed ? '#d0d5dd' : 'rgb(' + Math.round(235 - 188 * shade) + ',' + Math.round(241 - 130 * shade) + ',' + Math.round(255 - 18 * shade) + ')',
      'data-day': c.day, 'data-hour': c.hour, 'data-mean': c.suppressed ? 'suppressed' : String(c.mean),
    });
    rect.append(el('title', {}, c.suppressed ? hiddenTitle(label, data.k) : label + ' - ' + c.mean + ' active users'));
    chart.append(rect);
  }
  return chart;
}

/** Fills a table's body; the first `labels` cells of a row are labels (left-aligned), the rest figures. */
export function rows(table: HTMLTableElement, list: readonly (readonly string[])[], labels: number): void {
  const body = table.tBodies[0];
  if (!body) throw new Error('the dashboard table has no body');
  body.replaceChildren(...list.map((cells) => {
    const tr = document.createElement('tr');
    cells.forEach((value, i) => {
      const td = document.createElement('td');
      td.textContent = value;
      if (i < labels) td.className = 'label';
      tr.append(td);
    });
    return tr;
  }));
}
