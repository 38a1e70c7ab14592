/**
 * The privacy page (`GET /privacy`): a subject sees the purposes of the policy in force, their
 * consent and flags, and can export, restrict, object, withdraw and erase. The platform links
 * to it as `/privacy#t=<subject token>` (the SDK's `rights.privacyPageUrl()`): a fragment never
 * reaches the server or its logs, and the page moves it to sessionStorage at once.
 */
import type { PolicyDocument } from '@heed/policy';
import { escapeHtml } from '../html.js';

export function privacyPageHtml(policy: PolicyDocument): string {
  const purposes = policy.purposes
    .map(
      (purpose) => `<li data-purpose="${escapeHtml(purpose.id)}"><strong>${escapeHtml(purpose.title.en)}</strong>
        <span class="basis">(${escapeHtml(purpose.basis.replace('_', ' '))})</span><br>${escapeHtml(purpose.description.en)}
        <span class="state" data-state-for="${escapeHtml(purpose.id)}"></span>${
          purpose.basis === 'consent' ? `<button data-consent-for="${escapeHtml(purpose.id)}" hidden></button>` : ''
        }</li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Your privacy: ${escapeHtml(policy.controller.name)}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1d232a; }
  h1 { font-size: 1.5rem; } .basis { color: #5b6670; font-size: .9em; } .state { display: block; font-weight: 600; }
  button { font: inherit; margin: .25rem .5rem .25rem 0; padding: .4rem .8rem; border-radius: .4rem; border: 1px solid #98a2ad; background: #fff; cursor: pointer; }
  button.danger { border-color: #b3261e; color: #b3261e; } #status { padding: .6rem .8rem; background: #eef3f7; border-radius: .4rem; }
  section { margin: 1.5rem 0; } ul { padding-left: 1.2rem; } li { margin: .5rem 0; }
</style></head>
<body>
<h1>Your privacy at ${escapeHtml(policy.controller.name)}</h1>
<p>Policy version ${escapeHtml(policy.version)}. Questions or complaints: <a href="mailto:${escapeHtml(policy.controller.contact)}">${escapeHtml(policy.controller.contact)}</a>.</p>
<p id="status" role="status">Loading what we hold about you…</p>
<section><h2>What we use your data for</h2><ul id="purposes">${purposes}</ul></section>
<section id="held" hidden><h2>What we hold</h2>
  <p><span id="events-count">0</span> usage events, <span id="sessions-count">0</span> sessions, <span id="requests-count">0</span> earlier requests.</p>
  <button id="export-json">Download as JSON</button><button id="export-csv">Download as CSV (zip)</button>
</section>
<section id="controls" hidden><h2>Your choices</h2>
  <p><button id="restrict"></button> Restriction (Art. 18): we keep your data but use it for nothing.</p>
  <p><button id="object"></button> Objection (Art. 21) to use for update timing.</p>
  <p><button id="withdraw">Withdraw consent</button> Stops all tracking at once.</p>
  <p><button id="erase" class="danger">Erase my data</button> Deletes what we hold; the proof of your consent decisions is kept as the law requires.</p>
</section>
<script src="/privacy.js"></script>
</body></html>`;
}
