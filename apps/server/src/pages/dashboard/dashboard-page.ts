/**
 * The dashboard's HTML and CSS: a static shell with no figures in it. The browser script
 * (dashboard-script.browser.ts) asks the statistics API with the analyst key the person pastes, so
 * the page itself needs no key and holds nothing secret. No external assets; script and
 * style are same-origin files, so a strict Content-Security-Policy applies.
 */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Heed dashboard</title>
<link rel="icon" href="/dashboard/icon.svg">
<link rel="stylesheet" href="/dashboard/app.css">
<script type="module" src="/dashboard/app.js"></script>
</head>
<body>
<header>
  <h1>Heed</h1>
  <form id="key-form" autocomplete="off">
    <label for="key">Analyst key</label>
    <input id="key" name="key" type="password" placeholder="heed_an_..." spellcheck="false">
    <label for="purpose">Purpose</label>
    <select id="purpose" name="purpose">
      <option value="statistics">Statistics: usage, sessions, features</option>
      <option value="update_timing">Update timing: when and how often to ship</option>
    </select>
    <label for="from">From</label>
    <input id="from" name="from" type="date">
    <label for="to">To</label>
    <input id="to" name="to" type="date">
    <label for="tz">Time zone</label>
    <input id="tz" name="tz" type="text" value="Europe/Brussels" spellcheck="false">
    <button type="submit">Show</button>
  </form>
</header>
<p id="status" role="status">Paste an analyst key to see the statistics. It stays in this tab only (sessionStorage).</p>
<p id="scope" class="scope"></p>
<main id="panels" hidden>
  <section data-purpose="statistics" id="usage-panel"><h2>Active users per day <small id="usage-range"></small></h2><button type="button" class="csv" data-csv="usage">Download CSV</button><div id="usage-chart" class="chart"></div><p id="usage-totals" class="note"></p><p id="usage-hidden" class="explain"></p></section>
  <section data-purpose="statistics" id="sessions-panel"><h2>Session durations <small id="session-summary"></small></h2><button type="button" class="csv" data-csv="sessions">Download CSV</button><div id="sessions-chart" class="chart"></div><p id="sessions-hidden" class="explain"></p></section>
  <section data-purpose="statistics" id="features-panel"><h2>Features</h2><button type="button" class="csv" data-csv="features">Download CSV</button><table id="features"><thead><tr><th>Feature</th><th>Events</th><th>Users</th><th>Median</th><th>p90</th></tr></thead><tbody></tbody></table><p id="features-note" class="note"></p><p id="features-hidden" class="explain"></p></section>
  <section data-purpose="statistics" id="trends-panel"><h2>Feature use over time <small id="trends-range"></small></h2><button type="button" class="csv" data-csv="feature-trends">Download CSV</button><div id="trends" class="chart"></div><p id="trends-hidden" class="explain"></p></section>
  <section data-purpose="update_timing" id="heatmap-panel" hidden><h2>When people use it <small id="heatmap-range"></small></h2><button type="button" class="csv" data-csv="heatmap">Download CSV</button><div id="heatmap" class="chart"></div><p id="heatmap-hidden" class="explain"></p></section>
  <section data-purpose="update_timing" id="windows-panel" hidden><h2>Recommended update windows <small>2 hours, quietest first</small></h2><button type="button" class="csv" data-csv="update-windows">Download CSV</button><table id="windows"><thead><tr><th>#</th><th>Window</th><th>Next</th><th>Users</th><th>Sessions</th><th>Share</th><th>Weeks</th></tr></thead><tbody></tbody></table><p id="cadence" class="note"></p><p id="windows-hidden" class="explain"></p></section>
</main>
<footer>Figures from fewer than k people are hidden (grey cells and stubs, or &lt;k in tables); - means nothing was measured. <a href="/dashboard/k-anonymity" id="k-docs">Why a figure is hidden (docs/k-anonymity.md)</a>.</footer>
</body>
</html>
`;

/** A small mark, so the browser does not ask for /favicon.ico. */
export const DASHBOARD_ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#2f6fed"/><rect x="3" y="8" width="2" height="5" fill="#fff"/><rect x="7" y="4" width="2" height="9" fill="#fff"/><rect x="11" y="6" width="2" height="7" fill="#fff"/></svg>';

export const DASHBOARD_CSS = `
:root { color-scheme: light; --ink: #1d2433; --muted: #667085; --line: #e4e7ec; --accent: #2f6fed; --hidden: #d0d5dd; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f7f8fa; }
header { display: flex; align-items: center; gap: 24px; padding: 12px 24px; background: #fff; border-bottom: 1px solid var(--line); }
h1 { margin: 0; font-size: 20px; letter-spacing: .5px; }
form { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
input { padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
#key { width: 240px; }
button { padding: 6px 14px; border: 0; border-radius: 6px; background: var(--accent); color: #fff; font: inherit; cursor: pointer; }
#status { margin: 12px 24px; color: var(--muted); }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 16px; padding: 0 24px 24px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 12px 16px; }
h2 { margin: 0 0 8px; font-size: 15px; }
h2 small { color: var(--muted); font-weight: normal; margin-left: 6px; }
.chart svg { width: 100%; height: auto; display: block; }
.note { color: var(--muted); margin: 6px 0 0; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: right; padding: 4px 6px; border-bottom: 1px solid var(--line); }
th:first-child, td:first-child, td.label { text-align: left; }
svg text { font: 10px system-ui, sans-serif; fill: var(--muted); }
.bar { fill: var(--accent); }
.bar.hidden, .cell.hidden { fill: var(--hidden); }
footer { padding: 0 24px 24px; color: var(--muted); }
select { padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; font: inherit; background: #fff; }
.scope { margin: 0 24px 12px; }
section { position: relative; }
section h2 { padding-right: 120px; }
button.csv { position: absolute; top: 10px; right: 12px; padding: 3px 10px; background: #fff; color: var(--accent); border: 1px solid var(--line); }
.explain { margin: 6px 0 0; padding: 6px 8px; background: #f2f4f7; border-radius: 6px; }
.explain:empty { display: none; }
a { color: var(--accent); }
figure { margin: 0 0 8px; }
figcaption { color: var(--muted); }
`;
