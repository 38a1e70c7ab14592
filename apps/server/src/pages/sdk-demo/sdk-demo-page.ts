/**
 * `GET /sdk/demo?key=<write key>&project=<project id>[&user=<id>&identity=<assertion>]`: a page that loads the script-tag SDK
 * from this server and shows the integration a platform makes (consent banner, tracking, the
 * privacy link). The end-to-end browser tests drive it; the write key is public anyway. Its
 * script is `sdk-demo-script.browser.ts`, bundled at build time (`page-scripts.ts`).
 */
export const SDK_DEMO_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Heed SDK demo</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}button{font:inherit;margin:.25rem}#consent{padding:1rem;border:1px solid #98a2ad;border-radius:.5rem}</style>
</head><body>
<h1>Heed SDK demo</h1>
<p id="who"></p>
<div id="consent"><p>May we measure when and how long you use this platform (statistics)?</p>
<button id="grant">Yes, measure usage</button><button id="deny">No</button><button id="withdraw">Withdraw consent</button></div>
<p><button id="track">Export a report</button> <a id="privacy" href="/privacy">Your privacy</a></p>
<p>Consent: <output id="state">undecided</output></p>
<script src="/sdk/heed.js"></script>
<script src="/sdk/demo.js"></script>
</body></html>`;

