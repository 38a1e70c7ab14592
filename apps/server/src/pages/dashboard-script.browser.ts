/**
 * The dashboard's browser script, bundled at build time and served as /dashboard/app.js.
 * Plain DOM and SVG built with createElementNS/setAttribute (no innerHTML with data, no
 * inline styles), so it runs under the page's strict CSP. Each drawn mark carries its figure
 * in a data attribute, which the Chromium test compares with the API's answer.
 */

/** The fields of the statistics API's answers that the dashboard draws (see /openapi.json). */
interface Usage {
  readonly k: number;
  readonly from: string;
  readonly to: string;
  readonly tz: string;
  readonly buckets: readonly { readonly start: string; readonly activeUsers: number | null }[];
  readonly totals: { readonly activeUsers: number | null; readonly sessions: number; readonly activeMs: number; readonly events: number; readonly suppressedBuckets: number };
}
interface HeatmapCell {
  readonly day: string;
  readonly hour: number;
  readonly mean: number | null;
  readonly suppressed: boolean;
}
interface Heatmap {
  readonly k: number;
  readonly cells: readonly HeatmapCell[];
}
interface UpdateWindows {
  readonly windows: readonly {
    readonly rank: number; readonly day: string; readonly start: string; readonly end: string; readonly next: string;
    readonly users: number | null; readonly sessions: number | null; readonly share: number | null; readonly weeksObserved: number; readonly reason: string;
  }[];
  readonly cadence: { readonly summary: string };
}
interface Sessions {
  readonly sessions: number;
  readonly medianMs: number | null;
  readonly p75Ms: number | null;
  readonly p90Ms: number | null;
  readonly histogram: readonly { readonly fromMs: number; readonly sessions: number | null }[];
}
interface Features {
  readonly features: readonly { readonly name: string; readonly events: number; readonly users: number; readonly p50Ms: number | null; readonly p90Ms: number | null }[];
  readonly suppressedFeatures: number;
}

type Attributes = Record<string, string | number>;

const SVG = 'http://www.w3.org/2000/svg';
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** An element of the page shell (dashboard-page.ts): its absence is a bug, not a state. */
function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the dashboard has no #${id}`);
  return node as T;
}
const el = (name: string, attrs: Attributes = {}, text?: string) => {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
};
const svg = (width: number, height: number) => el('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img' });
const hidden = (value: number | null, k: number) => (value === null ? '<' + k : String(value));
const minutes = (ms: number | null) => (ms === null ? '-' : (ms / MINUTE_MS).toFixed(1) + ' min');

async function api<T>(path: string, key: string, tz: string): Promise<T> {
  const sep = path.includes('?') ? '&' : '?';
  const response = await fetch(path + sep + 'tz=' + encodeURIComponent(tz), { headers: { authorization: 'Bearer ' + key } });
  const body = (await response.json()) as T & { detail?: string; title?: string };
  if (!response.ok) throw new Error(body.detail || body.title || response.statusText);
  return body;
}

function bars(container: HTMLElement, values: readonly (number | null)[], labels: readonly string[], options: { name: string; k: number; short: (label: string) => string }) {
  const width = 760, height = 200, pad = 28;
  const max = Math.max(1, ...values.map((v) => v ?? 0));
  const step = (width - pad) / Math.max(1, values.length);
  const chart = svg(width, height + 20);
  chart.setAttribute('data-chart', options.name);
  chart.append(el('text', { x: 0, y: 10 }, String(max)), el('line', { x1: pad, x2: width, y1: height, y2: height, stroke: '#e4e7ec' }));
  values.forEach((value, i) => {
    const label = labels[i] ?? '';
    // A hidden figure is a short grey stub: it must not look like a value.
    const h = value === null ? 6 : ((value ?? 0) / max) * (height - 14);
    const rect = el('rect', { x: pad + i * step + 1, y: height - h, width: Math.max(1, step - 2), height: h, class: value === null ? 'bar hidden' : 'bar', 'data-value': value === null ? 'suppressed' : value, 'data-label': label });
    rect.append(el('title', {}, label + ': ' + hidden(value, options.k)));
    chart.append(rect);
    if (i % Math.ceil(values.length / 8) === 0) chart.append(el('text', { x: pad + i * step, y: height + 14 }, options.short(label)));
  });
  container.replaceChildren(chart);
}

function heatmap(container: HTMLElement, data: Heatmap) {
  const cell = 28, left = 36, top = 16;
  const chart = svg(left + 24 * cell, top + 7 * cell);
  chart.setAttribute('data-chart', 'heatmap');
  const max = Math.max(0, ...data.cells.map((c) => c.mean ?? 0));
  for (let h = 0; h < 24; h += 3) chart.append(el('text', { x: left + h * cell, y: 11 }, String(h).padStart(2, '0')));
  WEEKDAYS.forEach((day, d) => chart.append(el('text', { x: 0, y: top + d * cell + 18 }, day)));
  for (const c of data.cells) {
    const d = WEEKDAYS.indexOf(c.day);
    const shade = c.mean === null || max === 0 ? 0 : c.mean / max;
    const rect = el('rect', {
      x: left + c.hour * cell + 1, y: top + d * cell + 1, width: cell - 2, height: cell - 2, rx: 3,
      class: c.suppressed ? 'cell hidden' : 'cell', fill: c.suppressed ? '#d0d5dd' : 'rgb(' + Math.round(235 - 188 * shade) + ',' + Math.round(241 - 130 * shade) + ',' + Math.round(255 - 18 * shade) + ')',
      'data-day': c.day, 'data-hour': c.hour, 'data-mean': c.suppressed ? 'suppressed' : String(c.mean),
    });
    rect.append(el('title', {}, c.day + ' ' + String(c.hour).padStart(2, '0') + ':00 - ' + (c.suppressed ? 'fewer than ' + data.k + ' people' : c.mean + ' active users')));
    chart.append(rect);
  }
  container.replaceChildren(chart);
}

function rows(table: HTMLTableElement, list: readonly (readonly string[])[]) {
  const body = table.tBodies[0];
  if (!body) throw new Error('the dashboard table has no body');
  body.replaceChildren(...list.map((cells) => {
    const tr = document.createElement('tr');
    cells.forEach((value, i) => {
      const td = document.createElement('td');
      td.textContent = value;
      if (i <= 1) td.className = 'label';
      tr.append(td);
    });
    return tr;
  }));
}

async function show(key: string, tz: string) {
  $('status').textContent = 'Loading...';
  const [usage, heat, windows, sessions, features] = await Promise.all([
    api<Usage>('/v1/stats/usage?grain=day', key, tz),
    api<Heatmap>('/v1/stats/heatmap?weeks=8', key, tz),
    api<UpdateWindows>('/v1/stats/update-windows?duration=2h&weeks=8', key, tz),
    api<Sessions>('/v1/stats/sessions', key, tz),
    api<Features>('/v1/stats/features', key, tz),
  ]);
  const k = usage.k;
  $('usage-range').textContent = usage.from.slice(0, 10) + ' to ' + usage.to.slice(0, 10) + ' (' + usage.tz + ')';
  bars($('usage-chart'), usage.buckets.map((b) => b.activeUsers), usage.buckets.map((b) => b.start), { name: 'usage', k, short: (l) => l.slice(5, 10) });
  const t = usage.totals;
  $('usage-totals').textContent = 'Over shown days: ' + hidden(t.activeUsers, k) + ' distinct users, ' + t.sessions + ' sessions, ' + Math.round(t.activeMs / HOUR_MS) + ' active hours, ' + t.events + ' events; ' + t.suppressedBuckets + ' day(s) hidden.';
  heatmap($('heatmap'), heat);
  rows($<HTMLTableElement>('windows'), windows.windows.map((w) => [String(w.rank), w.day + ' ' + w.start + '-' + w.end, w.next.replace('T', ' '), hidden(w.users, k), hidden(w.sessions, k), w.share === null ? '<' + k : (w.share * 100).toFixed(2) + '%', String(w.weeksObserved)]));
  const best = windows.windows[0];
  $('cadence').textContent = best?.reason ? 'Best: ' + best.reason + '. Cadence: ' + windows.cadence.summary : 'No update-timing data yet. ' + windows.cadence.summary;
  $('session-summary').textContent = sessions.sessions + ' sessions, median ' + minutes(sessions.medianMs) + ', p75 ' + minutes(sessions.p75Ms) + ', p90 ' + minutes(sessions.p90Ms);
  const shownBins = sessions.histogram.slice(0, 16);
  bars($('sessions-chart'), shownBins.map((b) => b.sessions), shownBins.map((b) => (b.fromMs >= MINUTE_MS ? b.fromMs / MINUTE_MS + 'm' : b.fromMs / 1000 + 's')), { name: 'sessions', k, short: (l) => l });
  rows($<HTMLTableElement>('features'), features.features.map((f) => [f.name, String(f.events), String(f.users), f.p50Ms === null ? '-' : f.p50Ms + ' ms', f.p90Ms === null ? '-' : f.p90Ms + ' ms']));
  $('features-note').textContent = features.suppressedFeatures + ' feature(s) used by fewer than ' + k + ' people are not listed.';
  $('panels').hidden = false;
  $('status').textContent = 'Updated ' + new Date().toLocaleTimeString() + '.';
  document.body.setAttribute('data-ready', 'true');
}

function start() {
  const form = $<HTMLFormElement>('key-form');
  const keyInput = $<HTMLInputElement>('key');
  const tzInput = $<HTMLInputElement>('tz');
  const failed = (error: Error) => {
    $('status').textContent = 'Could not load: ' + error.message;
  };
  const saved = sessionStorage.getItem('heed.analystKey');
  const savedTz = sessionStorage.getItem('heed.tz');
  if (savedTz) tzInput.value = savedTz;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = keyInput.value.trim();
    const tz = tzInput.value.trim() || 'Europe/Brussels';
    sessionStorage.setItem('heed.analystKey', key);
    sessionStorage.setItem('heed.tz', tz);
    show(key, tz).catch(failed);
  });
  if (saved) show(saved, tzInput.value).catch(failed);
}
start();
