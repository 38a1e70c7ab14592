/**
 * The SDKs a Heed user would pick instead, and each one's typical setup (init plus one
 * tracked event with a small props object), as source text. The size benchmark bundles these
 * exact snippets; the per-call benchmark drives the same calls. Versions come from
 * bench/package.json, so RESULTS.md names what was measured.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface Sdk {
  /** Name in the tables. */
  readonly name: string;
  /** npm package whose version is quoted (`@heed/sdk` for Heed). */
  readonly pkg: string;
  /** Init plus one `track` with a small props object, as an ES module. */
  readonly setup: string;
}

export const HEED: Sdk = {
  name: 'Heed',
  pkg: '@heed/sdk',
  setup: `import { createHeed } from '@heed/sdk';
const heed = createHeed({ endpoint: 'https://heed.example.com', writeKey: 'wk_x', projectId: 'acme' });
void heed.consent.grant(['statistics']).then(() => heed.track('report.exported', { format: 'pdf' }));`,
};

export const PEERS: readonly Sdk[] = [
  {
    name: 'PostHog',
    pkg: 'posthog-js',
    setup: `import posthog from 'posthog-js';
posthog.init('phc_x', { api_host: 'https://eu.i.posthog.com' });
posthog.capture('report.exported', { format: 'pdf' });`,
  },
  {
    name: 'Countly',
    pkg: 'countly-sdk-web',
    setup: `import Countly from 'countly-sdk-web';
Countly.init({ app_key: 'x', url: 'https://countly.example.com' });
Countly.add_event({ key: 'report.exported', count: 1, segmentation: { format: 'pdf' } });`,
  },
  {
    name: 'Segment',
    pkg: '@segment/analytics-next',
    setup: `import { AnalyticsBrowser } from '@segment/analytics-next';
const analytics = AnalyticsBrowser.load({ writeKey: 'x' });
analytics.track('report.exported', { format: 'pdf' });`,
  },
  {
    name: 'plausible-tracker',
    pkg: 'plausible-tracker',
    setup: `import Plausible from 'plausible-tracker';
const { trackEvent } = Plausible({ domain: 'example.com' });
trackEvent('report.exported', { props: { format: 'pdf' } });`,
  },
  {
    name: 'Plausible (new)',
    pkg: '@plausible-analytics/tracker',
    setup: `import { init, track } from '@plausible-analytics/tracker';
init({ domain: 'example.com', autoCapturePageviews: false });
track('report.exported', { props: { format: 'pdf' } });`,
  },
  {
    name: 'Aptabase',
    pkg: '@aptabase/web',
    setup: `import { init, trackEvent } from '@aptabase/web';
init('A-EU-0000000000');
trackEvent('report.exported', { format: 'pdf' });`,
  },
];

const require = createRequire(import.meta.url);

/** The installed version of a package, read from its package.json. */
export function versionOf(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
  } catch (error) {
    // Packages whose exports map hides package.json: find it beside the resolved entry.
    const entry = require.resolve(pkg);
    const root = entry.slice(0, entry.lastIndexOf(`/node_modules/${pkg}/`) + `/node_modules/${pkg}/`.length);
    if (root.length <= pkg.length + 15) throw new Error(`cannot find the version of ${pkg}`, { cause: error });
    return (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string }).version;
  }
}
