/**
 * The public shape of a Heed client, kept small on purpose: consent, identity, tracking,
 * the data subject's rights, and delivery control. Every method is safe to call at any time
 * and never throws; failures go to `onError`.
 */
import type { PolicyDocument, Props } from '@heed/policy';

/**
 * Where the user stands, as this device knows it:
 * - `undecided`: no decision yet (or a stored one was lost): nothing is recorded.
 * - `granted`: a grant is in force; tracking runs (unless `restricted`).
 * - `denied`: the user refused; remembered, so the question is not asked again.
 * - `withdrawn`: the user withdrew, here or elsewhere (the privacy page, staff), or the data
 *   was erased; nothing is recorded. Shown until the page is left, then `undecided`.
 * - `superseded`: a substantial policy change ended the grant; ask again. Shown until the
 *   page is left, then `undecided`.
 */
export type ConsentStatus = 'undecided' | 'granted' | 'denied' | 'withdrawn' | 'superseded';

export interface ConsentState {
  readonly status: ConsentStatus;
  /** Consent-based purposes granted (empty unless `granted`). */
  readonly purposes: readonly string[];
  /** Legitimate-interest purposes objected to (GPC/DNT or `rights.object`). */
  readonly objected: readonly string[];
  /** Art. 18 restriction in force (asked here, or seen in a batch answer): nothing new is collected. */
  readonly restricted: boolean;
  /** Policy version the decision was made under, if any. */
  readonly policyVersion: string | null;
}

/** What a consent call ends with: the state it left, and whether the server recorded the decision. */
export interface ConsentResult extends ConsentState {
  /**
   * True once the server recorded the decision. False when it refused it (then a grant does
   * not stand: `status` is not `granted`, and `onError` has the reason) or could not be
   * reached (a grant then stays `granted` on this device, events wait, and it is recorded
   * before the first batch; a withdrawal holds here at once).
   */
  readonly ok: boolean;
}

export interface HeedConsent {
  /** The current decision; the same object until it changes (usable as a React snapshot). */
  get(): ConsentState;
  /**
   * Grants these consent-based purposes; records the decision with the server first. A grant
   * the server refuses does not stand (after a policy change the policy in force is fetched,
   * `onConsentRequired` fires, and the next grant is recorded under the new version).
   * `objected` lists the legitimate-interest purposes the user objects to (Art. 21), recorded
   * with the decision; without it the objections of the last grant stay. Granting nothing
   * is a refusal, like `deny()`.
   */
  grant(purposes: readonly string[], objected?: readonly string[]): Promise<ConsentResult>;
  /** Refuses (withdrawing an earlier grant); only the refusal itself is remembered. */
  deny(): Promise<ConsentResult>;
  /**
   * Withdraws all consent (Art. 7(3)): tracking stops and queued events are dropped, in
   * memory and in storage. The subject token stays, for the rights over data already held.
   */
  withdraw(): Promise<ConsentResult>;
  /** Calls `listener` after each change of `get()`, from this page or seen in a batch answer. Returns the unsubscribe function. */
  subscribe(listener: (state: ConsentState) => void): () => void;
  /** The policy in force: fetched from `GET /v1/policy` on first call (the only request allowed before a decision), again after the server said it changed. */
  policy(): Promise<PolicyDocument | undefined>;
  /** The privacy page for this subject: `<endpoint>/privacy#t=<subject token>`, or without the fragment before the first recorded decision. */
  privacyUrl(): string;
}

/** The data subject's rights over what the server holds (Art. 15 to 21), with the subject token. */
export interface HeedRights {
  /** Access and portability: JSON, or the CSV zip as bytes. Undefined on failure. Loaded on first use. */
  export(format?: 'json' | 'csv'): Promise<unknown>;
  /** Art. 18: `true` stops collection and excludes held data from statistics. */
  restrict(on: boolean): Promise<boolean>;
  /** Art. 21: objects to legitimate-interest purposes (`on = false` lifts it). */
  object(purposes: readonly string[], on?: boolean): Promise<boolean>;
  /** Withdraws consent through `POST /v1/me/withdraw`; locally like `consent.withdraw` (the token stays). */
  withdraw(): Promise<boolean>;
  /** Art. 17: erases everything held. Tracking stops at once; the token goes once the server confirmed. */
  erase(): Promise<boolean>;
}

/** Ends a timer started by `time(name)`, tracking `name` with its duration. */
export type StopTimer = (props?: Props) => void;

/** What `identify` is given besides the user id. */
export interface IdentifyOptions {
  /**
   * The identity assertion your backend signed for this logged-in user (`signIdentity` from
   * `@heed/sdk/node`). Projects enforce it: without it the server refuses the user's decisions
   * and events. Call `identify` again with a fresh one before it expires (24 hours by default).
   */
  readonly identity?: string;
}

export interface Heed {
  readonly consent: HeedConsent;
  /**
   * Switches the subject to the hash of this user id (the id itself is never kept), vouched for
   * by the assertion your backend signed. A grant given before carries over as this user's own
   * signed decision.
   *
   * @example await heed.identify(user.id, { identity: await (await fetch('/api/heed-identity')).text() })
   */
  identify(userId: string, options?: IdentifyOptions): Promise<void>;
  /**
   * Logout: sends what is queued, then forgets the user, their grant and their token on this
   * device. The next visitor is asked for their own decision.
   */
  reset(): Promise<void>;
  /** Records a feature use. A no-op without consent. */
  track(name: string, props?: Props): void;
  /** Starts timing `name`; call the returned function when it is done. */
  time(name: string): StopTimer;
  readonly rights: HeedRights;
  /** Sends what is queued now. */
  flush(): Promise<void>;
  /** Ends the session, sends what is queued and stops. */
  shutdown(): Promise<void>;
}
