/**
 * The SDK demo page's script, bundled at build time and served as `/sdk/demo.js`. It runs
 * after `/sdk/heed.js`, the SDK's script-tag build, and integrates Heed as a platform would:
 * a consent banner, one tracked feature, the privacy link, and a signed-in user when the link
 * carries one (`user` and `identity`: what the platform's backend signed for its logged-in
 * user; `heed serve --demo` prints such a link). Timings come from the query string so the
 * browser tests can shorten them; `window.heed` and `window.heedErrors` are for them too.
 */
import type { createHeed, HeedErrorCode, Heed as HeedClient } from '@heed/sdk';

declare global {
  /** Set by `/sdk/heed.js` (packages/sdk/src/entrypoints/global.ts). */
  const Heed: { readonly createHeed: typeof createHeed };
  interface Window {
    heed: HeedClient;
    heedErrors: HeedErrorCode[];
  }
}

const params = new URLSearchParams(location.search);
const number = (name: string) => (params.get(name) ? Number(params.get(name)) : undefined);
const errors: HeedErrorCode[] = [];
const heed = Heed.createHeed({
  endpoint: location.origin,
  writeKey: params.get('key') || '',
  projectId: params.get('project') || '',
  heartbeatMs: number('heartbeat'),
  flushIntervalMs: number('flush'),
  idleAfterMs: number('idle'),
  retryBaseMs: number('retry'),
  onError: (error) => {
    errors.push(error.code);
  },
});

/** An element of the page (sdk-demo-page.ts): its absence is a bug, not a state. */
function $(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the SDK demo page has no #${id}`);
  return node;
}
const show = () => {
  $('state').textContent = heed.consent.get().status;
  // The privacy page, with this subject's token once the server issued one.
  $('privacy').setAttribute('href', heed.consent.privacyUrl());
};
const user = params.get('user');
const identity = params.get('identity');
$('who').textContent = user ? `Signed in as ${user}` : 'Not signed in: an anonymous visitor';
// A platform identifies its logged-in user on every page load, with a fresh assertion.
if (user && identity) void heed.identify(user, { identity });
heed.consent.subscribe(show);
$('grant').addEventListener('click', () => void heed.consent.grant(['statistics']).then(show));
$('deny').addEventListener('click', () => void heed.consent.deny().then(show));
$('withdraw').addEventListener('click', () => void heed.consent.withdraw().then(show));
$('track').addEventListener('click', () => heed.track('report.exported', { format: 'pdf' }));
window.heed = heed;
window.heedErrors = errors;
show();
