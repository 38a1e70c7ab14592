/**
 * `@heed/sdk`: the browser entry (and bundlers). Picks the browser platform; every part of
 * it can be replaced through `options.platform`.
 */
import { createClient } from '../core/client.js';
import type { Heed } from '../core/heed.js';
import type { HeedOptions } from '../core/options.js';
import { createBrowserPlatform } from '../platform/browser.js';

/**
 * Creates a Heed client. Nothing is stored or sent until `consent.grant`.
 *
 * @example
 * const heed = createHeed({ endpoint: 'https://heed.example.com', writeKey: 'heed_wk_...', projectId: 'acme' })
 * await heed.consent.grant(['statistics'])
 * heed.track('report.exported', { format: 'pdf' })
 */
export function createHeed(options: HeedOptions): Heed {
  const endpoint = options.endpoint.replace(/\/+$/, '');
  return createClient({ ...options, endpoint }, { ...createBrowserPlatform(endpoint), ...options.platform });
}

export { HeedError, HeedRequestError } from '../core/errors.js';
export type { HeedErrorCode } from '../core/errors.js';
export type { ConsentResult, ConsentState, ConsentStatus, Heed, HeedConsent, HeedRights, IdentifyOptions, StopTimer } from '../core/heed.js';
export type { ConsentRequiredInfo, HeedOptions } from '../core/options.js';
// The policy's types an app meets through the SDK (the policy document `consent.policy()`
// returns, event props), so an app needs no import of `@heed/policy` itself.
export type { BatchResponse, DeviceClass, IngestLimits, LegalBasis, PolicyDocument, PropValue, Props, Purpose } from '@heed/policy';
export type { Clock, Environment, HttpRequest, HttpResponse, Lifecycle, LifecycleEvent, Platform, Storage, Transport } from '../core/platform.js';
