/**
 * How the per-call benchmark drives each SDK: set up as its docs show (autocapture, page
 * views and session recording off, so only the tracked call is measured), one `track`, the
 * SDK's own opt-out. Imported only after the DOM shim is installed: several SDKs read
 * `window` when their module loads.
 */
import { DEFAULT_POLICY } from '@heed/policy';
import type { Responder } from './dom-shim.js';

export interface Driver {
  /** One tracked event with the shared small props object; may return the SDK's promise. */
  track(): unknown;
  /** The SDK's own opt-out; undefined when it has none. */
  optOut?: () => Promise<void> | void;
  /** Untimed work between samples (Heed: send what its 5 s timer would have sent). */
  between?: () => Promise<void>;
}

export interface DriverSpec {
  respond?: Responder;
  create(): Promise<Driver>;
  note?: string;
}

/** Created once and shared: the caller's object literal is not the SDK's cost. */
const PROPS = { format: 'pdf' };
const NAME = 'report.exported';

export const DRIVERS: Record<string, DriverSpec> = {
  Heed: {
    respond: (url, body) => {
      if (url.endsWith('/v1/policy')) return DEFAULT_POLICY;
      if (url.endsWith('/v1/consent')) return { subjectToken: 'token', policyVersion: DEFAULT_POLICY.version };
      if (url.endsWith('/v1/batch')) {
        const accepted = body ? (JSON.parse(body) as { events: unknown[] }).events.length : 0;
        return { accepted, duplicates: 0, suppressed: 0, reasons: {}, consentRequired: false, policyVersion: DEFAULT_POLICY.version };
      }
      return {};
    },
    async create() {
      const { createHeed } = await import('@heed/sdk');
      const heed = createHeed({ endpoint: 'https://heed.example.com', writeKey: 'wk_bench', projectId: 'acme', policy: DEFAULT_POLICY });
      await heed.consent.grant(['statistics']);
      return { track: () => heed.track(NAME, PROPS), optOut: async () => void (await heed.consent.withdraw()), between: () => heed.flush() };
    },
  },
  PostHog: {
    note: 'default client rate limiter (10/s, burst 100): past the burst, events are dropped',
    async create() {
      const { default: posthog } = await import('posthog-js');
      posthog.init('phc_bench', { api_host: 'https://ph.example.com', autocapture: false, capture_pageview: false, capture_pageleave: false, disable_session_recording: true, advanced_disable_flags: true, persistence: 'localStorage' });
      return { track: () => posthog.capture(NAME, PROPS), optOut: () => posthog.opt_out_capturing() };
    },
  },
  'PostHog (no limiter)': {
    note: 'rate limiter raised to 1e9/s so every event takes the full capture path',
    async create() {
      const { default: posthog } = await import('posthog-js');
      posthog.init('phc_bench', {
        api_host: 'https://ph.example.com', autocapture: false, capture_pageview: false, capture_pageleave: false, disable_session_recording: true, advanced_disable_flags: true, persistence: 'localStorage',
        rate_limiting: { events_per_second: 1e9, events_burst_limit: 1e9 },
      });
      return { track: () => posthog.capture(NAME, PROPS), optOut: () => posthog.opt_out_capturing() };
    },
  },
  Countly: {
    note: 'writes its whole event queue to localStorage on every add_event; opt_out (deprecated) only stops sending',
    async create() {
      const { default: Countly } = await import('countly-sdk-web');
      Countly.init({ app_key: 'bench', url: 'https://countly.example.com', debug: false });
      return { track: () => Countly.add_event({ key: NAME, count: 1, segmentation: PROPS }), optOut: () => (Countly as unknown as { opt_out(): void }).opt_out() };
    },
  },
  Segment: {
    note: 'no opt-out in the core SDK (consent is a separate wrapper); track resolves after its plugin chain',
    async create() {
      const { AnalyticsBrowser } = await import('@segment/analytics-next');
      const analytics = AnalyticsBrowser.load({ writeKey: 'bench', cdnSettings: { integrations: { 'Segment.io': { apiKey: 'bench' } } } } as Parameters<typeof AnalyticsBrowser.load>[0]);
      await analytics.ready();
      return { track: () => analytics.track(NAME, PROPS) };
    },
  },
  'plausible-tracker': {
    note: 'one request per event; opt-out is the plausible_ignore localStorage flag',
    async create() {
      const { default: Plausible } = await import('plausible-tracker');
      const { trackEvent } = Plausible({ domain: 'example.com', apiHost: 'https://plausible.example.com' });
      return { track: () => trackEvent(NAME, { props: PROPS }), optOut: () => localStorage.setItem('plausible_ignore', 'true') };
    },
  },
  'Plausible (new)': {
    note: 'one request per event; opt-out is the plausible_ignore localStorage flag',
    async create() {
      const { init, track } = await import('@plausible-analytics/tracker');
      init({ domain: 'example.com', endpoint: 'https://plausible.example.com/api/event', autoCapturePageviews: false, logging: false });
      return { track: () => track(NAME, { props: PROPS }), optOut: () => localStorage.setItem('plausible_ignore', 'true') };
    },
  },
  Aptabase: {
    note: 'one request per event; no opt-out API',
    async create() {
      const { init, trackEvent } = await import('@aptabase/web');
      init('A-EU-0000000000');
      return { track: () => trackEvent(NAME, PROPS) };
    },
  },
};
