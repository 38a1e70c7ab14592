/**
 * The dashboard's browser script, bundled at build time and served as /dashboard/app.js: the
 * pickers (key, purpose, date range, time zone), one fetch per panel of the chosen purpose,
 * and the panels drawn from the answers (dashboard-charts), with a sentence under each panel
 * whose figures are hidden (dashboard-explain) and a CSV download of the same route.
 */
import { api, downloadCsv, query, type FeatureTrends, type Features, type Heatmap, type Sessions, type UpdateWindows, type Usage } from './dashboard-api.browser.js';
import { bars, heatmap, rows, shownOrHidden } from './dashboard-charts.browser.js';
import { explain, hiddenSentence } from './dashboard-explain.browser.js';

type Purpose = 'statistics' | 'update_timing';

interface Choice {
  readonly key: string;
  readonly purpose: Purpose;
  /** Local dates, `to` inclusive; '' for the API's default (the last 28 days). */
  readonly from: string;
  readonly to: string;
  readonly tz: string;
}

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Ranges up to this many days are drawn per day, longer ones per week. */
const DAILY_TRENDS_UP_TO = 62;

/** An element of the page shell (dashboard-page.ts): its absence is a bug, not a state. */
function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the dashboard has no #${id}`);
  return node as T;
}

const minutes = (ms: number | null) => (ms === null ? '-' : (ms / MINUTE_MS).toFixed(1) + ' min');
const dayMs = (date: string) => Date.parse(date + 'T00:00:00Z');
const nextDay = (date: string) => new Date(dayMs(date) + DAY_MS).toISOString().slice(0, 10);
/** The last local date of a range whose end (an answer's `to`) is exclusive. */
const dayBefore = (end: string) => new Date(dayMs(end.slice(0, 10)) - DAY_MS).toISOString().slice(0, 10);
const offsetOf = (local: string) => 'UTC' + (local.slice(16) || '+00:00');

/** The paths of each panel's route for a choice: what is drawn and what a download saves. */
function paths(choice: Choice): Record<string, string> {
  const range = { tz: choice.tz, from: choice.from, to: choice.to === '' ? '' : nextDay(choice.to) };
  const days = choice.from !== '' && choice.to !== '' ? (dayMs(choice.to) - dayMs(choice.from)) / DAY_MS + 1 : 28;
  // Update timing reads whole weeks before this one: the range's length in weeks.
  const weeks = Math.min(52, Math.max(1, Math.round(days / 7)));
  return {
    usage: '/v1/stats/usage?' + query({ grain: 'day', ...range }),
    sessions: '/v1/stats/sessions?' + query(range),
    features: '/v1/stats/features?' + query(range),
    'feature-trends': '/v1/stats/feature-trends?' + query({ grain: days <= DAILY_TRENDS_UP_TO ? 'day' : 'week', ...range }),
    heatmap: '/v1/stats/heatmap?' + query({ weeks, tz: choice.tz }),
    'update-windows': '/v1/stats/update-windows?' + query({ duration: '2h', weeks, tz: choice.tz }),
  };
}

async function showStatistics(choice: Choice, path: Record<string, string>) {
  const [usage, sessions, features, trends] = await Promise.all([
    api<Usage>(path.usage!, choice.key), api<Sessions>(path.sessions!, choice.key), api<Features>(path.features!, choice.key), api<FeatureTrends>(path['feature-trends']!, choice.key),
  ]);
  const k = usage.k;
  const lastDay = dayBefore(usage.to);
  $('scope').textContent = 'Statistics from ' + usage.from.slice(0, 10) + ' to ' + lastDay + ', in local time ' + usage.tz + ' (' + offsetOf(usage.from) + ').';
  $('usage-range').textContent = usage.from.slice(0, 10) + ' to ' + lastDay + ' (' + usage.tz + ')';
  $('usage-chart').replaceChildren(bars(usage.buckets.map((b) => b.activeUsers), usage.buckets.map((b) => b.start.slice(0, 10)), { name: 'usage', k, short: (l) => l.slice(5), unit: 'day' }));
  const t = usage.totals;
  $('usage-totals').textContent = 'Over shown days: ' + shownOrHidden(t.activeUsers, k) + ' distinct users, ' + t.sessions + ' sessions, ' + Math.round(t.activeMs / HOUR_MS) + ' active hours, ' + t.events + ' events.';
  explain($('usage-hidden'), hiddenSentence(t.suppressedBuckets, usage.buckets.length, 'day', 'days', k, 'Choose a longer range to reach ' + k + ' people sooner.'));

  const hiddenBins = sessions.histogram.filter((b) => b.suppressed).length;
  $('session-summary').textContent = sessions.histogram.every((b) => b.sessions === 0)
    ? 'no sessions in this range (not measured)'
    : sessions.sessions === 0
      ? 'every duration hidden'
      : sessions.sessions + ' sessions by ' + sessions.users + ' people, median ' + minutes(sessions.medianMs) + ', p75 ' + minutes(sessions.p75Ms) + ', p90 ' + minutes(sessions.p90Ms) + ' (within ' + sessions.relativeAccuracy * 100 + '%)';
  const shownBins = sessions.histogram.slice(0, 16);
  $('sessions-chart').replaceChildren(bars(shownBins.map((b) => b.sessions), shownBins.map((b) => (b.fromMs >= MINUTE_MS ? b.fromMs / MINUTE_MS + 'm' : b.fromMs / 1000 + 's')), { name: 'sessions', k, short: (l) => l, unit: 'sessions from' }));
  explain($('sessions-hidden'), hiddenSentence(hiddenBins, sessions.histogram.filter((b) => b.sessions !== 0).length, 'duration bin', 'duration bins', k, 'The percentiles are read from the shown bins only.'));

  // Never timed: nothing measured (-); timed by fewer than k people: hidden (<k).
  const ms = (value: number | null, timed: number) => (timed === 0 ? '-' : value === null ? '<' + k : value + ' ms');
  rows($<HTMLTableElement>('features'), features.features.map((f) => [f.name, String(f.events), String(f.users), ms(f.p50Ms, f.timed), ms(f.p90Ms, f.timed)]), 1);
  $('features-note').textContent = 'Percentiles within ' + features.relativeAccuracy * 100 + '% of the true value; - means the feature was never timed, <' + k + ' that fewer than ' + k + ' people timed it.';
  explain($('features-hidden'), features.suppressedFeatures === 0 ? '' : features.suppressedFeatures + ' feature(s) are not listed: a feature is named only when at least ' + k + ' different people used it in the range, so that no figure describes one identifiable person (k-anonymity).');

  $('trends-range').textContent = 'per ' + trends.grain;
  const charts = trends.features.slice(0, 4).map((name) => {
    const figure = document.createElement('figure');
    const caption = document.createElement('figcaption');
    caption.textContent = name + ' (events per ' + trends.grain + ')';
    const cells = trends.buckets.map((b) => b.cells.find((c) => c.name === name)!);
    figure.append(caption, bars(cells.map((c) => c.events), trends.buckets.map((b) => b.start.slice(0, 10)), { name: 'trend:' + name, k, short: (l) => l.slice(5), unit: name + ' on' }));
    return figure;
  });
  $('trends').replaceChildren(...charts);
  const trendCells = trends.buckets.flatMap((b) => b.cells.filter((c) => trends.features.slice(0, 4).includes(c.name)));
  explain($('trends-hidden'), hiddenSentence(trendCells.filter((c) => c.suppressed).length, trendCells.length, (trends.grain === 'day' ? 'daily' : 'weekly') + ' figure', (trends.grain === 'day' ? 'daily' : 'weekly') + ' figures', k, 'Weekly figures reach ' + k + ' people sooner than daily ones.'));
}

async function showUpdateTiming(choice: Choice, path: Record<string, string>) {
  const [heat, windows] = await Promise.all([api<Heatmap>(path.heatmap!, choice.key), api<UpdateWindows>(path['update-windows']!, choice.key)]);
  const k = heat.k;
  $('scope').textContent = 'Update timing over the last ' + heat.weeks + ' full week(s), ' + heat.from.slice(0, 10) + ' to ' + dayBefore(heat.to) + ', in local time ' + choice.tz + ' (' + offsetOf(heat.from) + ').';
  $('heatmap-range').textContent = 'mean active users per local hour, ' + heat.weeks + ' week(s)';
  $('heatmap').replaceChildren(heatmap(heat));
  explain($('heatmap-hidden'), hiddenSentence(heat.cells.filter((c) => c.suppressed).length, heat.cells.length, 'hour of the week', 'hours of the week', k, 'Quiet hours stay hidden until ' + k + ' people use them.'));
  rows($<HTMLTableElement>('windows'), windows.windows.map((w) => [String(w.rank), w.day + ' ' + w.start + '-' + w.end, w.next.replace('T', ' '), shownOrHidden(w.users, k), shownOrHidden(w.sessions, k), w.share === null ? '<' + k : (w.share * 100).toFixed(2) + '%', String(w.weeksObserved)]), 2);
  const best = windows.windows[0];
  $('cadence').textContent = best?.reason ? 'Best: ' + best.reason + '. Cadence: ' + windows.cadence.summary : 'No update-timing data yet. ' + windows.cadence.summary;
  explain($('windows-hidden'), hiddenSentence(windows.windows.filter((w) => w.suppressed).length, windows.windows.length, 'window', 'windows', k, 'A window with fewer people is still ranked, but its figures are not shown.'));
}

let current: { choice: Choice; path: Record<string, string> } | undefined;

async function show(choice: Choice) {
  $('status').textContent = 'Loading...';
  document.body.removeAttribute('data-ready');
  const path = paths(choice);
  for (const section of document.querySelectorAll<HTMLElement>('section[data-purpose]')) section.hidden = section.dataset.purpose !== choice.purpose;
  if (choice.purpose === 'statistics') await showStatistics(choice, path);
  else await showUpdateTiming(choice, path);
  current = { choice, path };
  $('panels').hidden = false;
  $('status').textContent = 'Updated ' + new Date().toLocaleTimeString() + '.';
  document.body.setAttribute('data-ready', 'true');
}

function start() {
  const form = $<HTMLFormElement>('key-form');
  const input = (id: string) => $<HTMLInputElement>(id);
  const failed = (error: Error) => {
    $('status').textContent = 'Could not load: ' + error.message;
  };
  const savedTz = sessionStorage.getItem('heed.tz');
  if (savedTz) input('tz').value = savedTz;
  const choice = (): Choice => ({
    key: input('key').value.trim() || sessionStorage.getItem('heed.analystKey') || '',
    purpose: $<HTMLSelectElement>('purpose').value === 'update_timing' ? 'update_timing' : 'statistics',
    from: input('from').value,
    to: input('to').value,
    tz: input('tz').value.trim() || 'Europe/Brussels',
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = choice();
    sessionStorage.setItem('heed.analystKey', chosen.key);
    sessionStorage.setItem('heed.tz', chosen.tz);
    show(chosen).catch(failed);
  });
  // Changing the purpose redraws at once (with the pickers as they are) when a key is in use.
  $<HTMLSelectElement>('purpose').addEventListener('change', () => {
    if (current) show({ ...choice(), key: current.choice.key }).catch(failed);
  });
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-csv]')) {
    button.addEventListener('click', () => {
      const name = button.dataset.csv!;
      if (current) downloadCsv(current.path[name]!, current.choice.key, name).catch(failed);
    });
  }
  if (sessionStorage.getItem('heed.analystKey')) show(choice()).catch(failed);
}
start();
