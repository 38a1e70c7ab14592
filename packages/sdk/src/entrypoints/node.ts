/**
 * `@heed/sdk/node`: the Node entry. Global fetch, node:crypto, memory storage unless a
 * `storageFile` is given. Call `await heed.shutdown()` before the process exits.
 */
import { createClient } from '../core/client.js';
import type { Heed } from '../core/heed.js';
import type { HeedOptions } from '../core/options.js';
import { createFileStorage, createNodePlatform } from '../platform/node.js';

export interface NodeHeedOptions extends HeedOptions {
  /** Keep consent, subject and queued events in this JSON file (owner-only) across restarts. */
  readonly storageFile?: string;
}

/**
 * Creates a Heed client for Node.
 *
 * @example
 * import { createHeed } from '@heed/sdk/node'
 * const heed = createHeed({ endpoint: 'http://localhost:8787', writeKey, projectId: 'acme' })
 * await heed.consent.grant(['statistics'])
 * heed.track('job.finished')
 * await heed.shutdown()
 */
export function createHeed(options: NodeHeedOptions): Heed {
  const endpoint = options.endpoint.replace(/\/+$/, '');
  const platform = createNodePlatform(endpoint);
  const storage = options.storageFile ? createFileStorage(options.storageFile) : platform.storage;
  return createClient({ ...options, endpoint }, { ...platform, storage, ...options.platform });
}

export { createFileStorage };
export { signIdentity, signSubjectHash } from '../backend/sign-identity.js';
export type { SignIdentityOptions } from '../backend/sign-identity.js';
export { HeedError, HeedRequestError } from '../core/errors.js';
export type { HeedErrorCode } from '../core/errors.js';
export type { ConsentResult, ConsentState, ConsentStatus, Heed, HeedConsent, HeedRights, IdentifyOptions, StopTimer } from '../core/heed.js';
export type { ConsentRequiredInfo, HeedOptions } from '../core/options.js';
// The policy's types an app meets through the SDK (the policy document `consent.policy()`
// returns, event props), so an app needs no import of `@heed/policy` itself.
export type { BatchResponse, DeviceClass, IngestLimits, LegalBasis, PolicyDocument, PropValue, Props, Purpose } from '@heed/policy';
export type { Clock, Environment, HttpRequest, HttpResponse, Lifecycle, LifecycleEvent, Platform, Storage, Transport } from '../core/platform.js';
