/**
 * The dashboard's browser script, served as /dashboard/app.js. Plain DOM and SVG built with
 * createElementNS/setAttribute (no innerHTML with data, no inline styles), so it runs under
 * the page's strict CSP. Each drawn mark carries its figure in a data attribute, which the
 * Chromium test compares with the API's answer.
 */
export const DASHBOARD_SCRIPT = String.raw`
const SVG = 'http://www.w3.org/2000/svg';
const $ = (id) => document.getElementById(id);
const el = (name, attrs = {}, text) => {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
};
const svg = (width, height) => el('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img' });
const hidden = (value, k) => (value === null ? '<' + k : String(value));
const minutes = (ms) => (ms === null ? '-' : (ms / 60000).toFixed(1) + ' min');

async function api(path, key, tz) {
  const sep = path.includes('?') ? '&' : '?';
  const response = await fetch(path + sep + 'tz=' + encodeURIComponent(tz), { headers: { authorization: 'Bearer ' + key } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail || body.title || response.statusText);
  return body;
}

function bars(container, values, labels, options) {
  const width = 760, height = 200, pad = 28;
  const max = Math.max(1, ...values.map((v) => v ?? 0));
  const step = (width - pad) / Math.max(1, values.length);
  const chart = svg(width, height + 20);
  chart.setAttribute('data-chart', options.name);
  chart.append(el('text', { x: 0, y: 10 }, String(max)), el('line', { x1: pad, x2: width, y1: height, y2: height, stroke: '#e4e7ec' }));
  values.forEach((value, i) => {
    // A hidden figure is a short grey stub: it must not look like a value.
    const h = value === null ? 6 : ((value ?? 0) / max) * (height - 14);
    const rect = el('rect', { x: pad + i * step + 1, y: height - h, width: Math.max(1, step - 2), height: h, class: value === null ? 'bar hidden' : 'bar', 'data-value': value === null ? 'suppressed' : value, 'data-label': labels[i] });
    rect.append(el('title', {}, labels[i] + ': ' + hidden(value, options.k)));
    chart.append(rect);
    if (i % Math.ceil(values.length / 8) === 0) chart.append(el('text', { x: pad + i * step, y: height + 14 }, options.short(labels[i])));
  });
  container.replaceChildren(chart);
}

function heatmap(container, data) {
  const cell = 28, left = 36, top = 16;
  const chart = svg(left + 24 * cell, top + 7 * cell);
  chart.setAttribute('data-chart', 'heatmap');
  const max = Math.max(0, ...data.cells.map((c) => c.mean ?? 0));
  for (let h = 0; h < 24; h += 3) chart.append(el('text', { x: left + h * cell, y: 11 }, String(h).padStart(2, '0')));
  ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].forEach((day, d) => chart.append(el('text', { x: 0, y: top + d * cell + 18 }, day)));
  for (const c of data.cells) {
    const d = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(c.day);
    const shade = c.mean === null || max === 0 ? 0 : c.mean / max;
    const rect = el('rect', {
      x: left + c.hour * cell + 1, y: top + d * cell + 1, width: cell - 2, height: cell - 2, rx: 3,
      class: c.suppressed ? 'cell hidden' : 'cell', fill: c.suppressed ? '#d0d5dd' : 'rgb(' + Math.round(235 - 188 * shade) + ',' + Math.round(241 - 130 * shade) + ',' + Math.round(255 - 18 * shade) + ')',
      'data-day': c.day, 'data-hour': c.hour, 'data-mean': c.suppressed ? 'suppressed' : c.mean,
    });
    rect.append(el('title', {}, c.day + ' ' + String(c.hour).padStart(2, '0') + ':00 - ' + (c.suppressed ? 'fewer than ' + data.k + ' people' : c.mean + ' active users')));
    chart.append(rect);
  }
  container.replaceChildren(chart);
}

function rows(table, list) {
  const body = table.tBodies[0];
  body.replaceChildren(...list.map((cells) => {
    const tr = document.createElement('tr');
    for (const [i, value] of cells.entries()) {
      const td = document.createElement('td');
      td.textContent = value;
      if (i <= 1) td.className = 'label';
      tr.append(td);
    }
    return tr;
  }));
}

async function show(key, tz) {
  $('status').textContent = 'Loading...';
  const [usage, heat, windows, sessions, features] = await Promise.all([
    api('/v1/stats/usage?grain=day', key, tz),
    api('/v1/stats/heatmap?weeks=8', key, tz),
    api('/v1/stats/update-windows?duration=2h&weeks=8', key, tz),
    api('/v1/stats/sessions', key, tz),
    api('/v1/stats/features', key, tz),
  ]);
  const k = usage.k;
  $('usage-range').textContent = usage.from.slice(0, 10) + ' to ' + usage.to.slice(0, 10) + ' (' + usage.tz + ')';
  bars($('usage-chart'), usage.buckets.map((b) => b.activeUsers), usage.buckets.map((b) => b.start), { name: 'usage', k, short: (l) => l.slice(5, 10) });
  const t = usage.totals;
  $('usage-totals').textContent = 'Over shown days: ' + hidden(t.activeUsers, k) + ' distinct users, ' + t.sessions + ' sessions, ' + Math.round(t.activeMs / 3600000) + ' active hours, ' + t.events + ' events; ' + t.suppressedBuckets + ' day(s) hidden.';
  heatmap($('heatmap'), heat);
  rows($('windows'), windows.windows.map((w) => [String(w.rank), w.day + ' ' + w.start + '-' + w.end, w.next.replace('T', ' '), hidden(w.users, k), hidden(w.sessions, k), w.share === null ? '<' + k : (w.share * 100).toFixed(2) + '%', String(w.weeksObserved)]));
  $('cadence').textContent = windows.windows.map((w) => w.reason)[0] ? 'Best: ' + windows.windows[0].reason + '. Cadence: ' + windows.cadence.summary : 'No update-timing data yet. ' + windows.cadence.summary;
  $('session-summary').textContent = sessions.sessions + ' sessions, median ' + minutes(sessions.medianMs) + ', p75 ' + minutes(sessions.p75Ms) + ', p90 ' + minutes(sessions.p90Ms);
  const shownBins = sessions.histogram.slice(0, 16);
  bars($('sessions-chart'), shownBins.map((b) => b.sessions), shownBins.map((b) => (b.fromMs >= 60000 ? b.fromMs / 60000 + 'm' : b.fromMs / 1000 + 's')), { name: 'sessions', k, short: (l) => l });
  rows($('features'), features.features.map((f) => [f.name, String(f.events), String(f.users), f.p50Ms === null ? '-' : f.p50Ms + ' ms', f.p90Ms === null ? '-' : f.p90Ms + ' ms']));
  $('features-note').textContent = features.suppressedFeatures + ' feature(s) used by fewer than ' + k + ' people are not listed.';
  $('panels').hidden = false;
  $('status').textContent = 'Updated ' + new Date().toLocaleTimeString() + '.';
  document.body.setAttribute('data-ready', 'true');
}

function start() {
  const form = $('key-form');
  const saved = sessionStorage.getItem('heed.analystKey');
  if (sessionStorage.getItem('heed.tz')) $('tz').value = sessionStorage.getItem('heed.tz');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = $('key').value.trim();
    const tz = $('tz').value.trim() || 'Europe/Brussels';
    sessionStorage.setItem('heed.analystKey', key);
    sessionStorage.setItem('heed.tz', tz);
    show(key, tz).catch((error) => { $('status').textContent = 'Could not load: ' + error.message; });
  });
  if (saved) show(saved, $('tz').value).catch((error) => { $('status').textContent = 'Could not load: ' + error.message; });
}
start();
`;
