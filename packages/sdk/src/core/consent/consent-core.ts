/**
 * What the consent state lends to the steps that load later (`decisions.ts`, `../rights.ts`):
 * its record, its gate and its parts, as one object. Those steps run rarely (a grant, a
 * withdrawal, a policy change, a right exercised), so they live in a chunk loaded on first
 * use, and they reach the main chunk only through this object: a module imported from both
 * sides would make bundlers split a third chunk that every page loads.
 */
import type { PolicyDocument } from '@heed/policy';
import type { purposeAllowed } from '../decision.js';
import type { Fail } from '../errors.js';
import type { ConsentState } from '../heed.js';
import type { HeedOptions } from '../options.js';
import type { Platform } from '../platform.js';
import type { Requester } from '../requester.js';
import type { ConsentResult } from '../heed.js';
import type { PolicySource } from './policy-source.js';
import type { StoredConsent } from './stored-consent.js';

/** How a grant ended in this page (shown as the status until the next decision; not stored). */
export type EndedStatus = 'withdrawn' | 'superseded';

export interface ConsentCore {
  /** The public state now (the change feed's value). */
  readonly _state: () => ConsentState;
  readonly _options: HeedOptions;
  readonly _platform: Platform;
  readonly _policies: PolicySource;
  readonly _fail: Fail;
  /** The client was shut down. */
  readonly _stopped: () => boolean;
  /** The consent record in force (its subject holds the token). */
  readonly _stored: () => StoredConsent;
  /** Stores a record (the change feed follows). */
  readonly _save: (next: StoredConsent) => void;
  /** Stores a changed record and opens or closes the gate to match it. */
  readonly _update: (next: StoredConsent) => void;
  /** Stops tracking and drops the queue, keeping the subject and its token (and `denied`, a refusal); returns what was in force. */
  readonly _release: (status?: EndedStatus, denied?: string) => StoredConsent;
  /** Forgets the subject and its token (after erasure). */
  readonly _wipe: () => void;
  /** Makes a usable subject current for a grant (see `subjects.ts`). */
  readonly _prepare: () => true | Promise<boolean>;
  /** Records the grant in force with the server if needed; resolves the policy once batches may go out. */
  readonly _ready: () => Promise<PolicyDocument | undefined>;
  readonly _requester: Requester;
  /**
   * The rules the main chunk holds, lent so the lazy chunk shares no module with it (bundlers
   * would split a third chunk every page loads): `isConsentCurrent` of `@heed/policy` and
   * `purposeAllowed` of decision.ts.
   */
  readonly _isCurrent: (version: string, policy: PolicyDocument) => boolean;
  readonly _allowed: typeof purposeAllowed;
  /** `consent.withdraw` (`refusing`: `consent.deny`). */
  readonly _withdraw: (refusing: boolean) => Promise<ConsentResult>;
}
