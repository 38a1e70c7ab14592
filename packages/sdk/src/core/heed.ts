/**
 * The public shape of a Heed client, kept small on purpose: consent, identity, tracking,
 * the data subject's rights, and delivery control. Every method is safe to call at any time
 * and never throws; failures go to `onError`.
 */
import type { Props } from '@heed/policy';

export type ConsentStatus = 'undecided' | 'granted' | 'denied' | 'withdrawn';

export interface ConsentState {
  readonly status: ConsentStatus;
  /** Consent-based purposes granted (empty unless `granted`). */
  readonly purposes: readonly string[];
  /** Legitimate-interest purposes objected to (GPC/DNT or `rights.object`). */
  readonly objected: readonly string[];
  /** Policy version the decision was made under, if any. */
  readonly policyVersion: string | null;
}

export interface HeedConsent {
  /** The current decision. */
  get(): ConsentState;
  /** Grants these consent-based purposes; records the decision with the server first. */
  grant(purposes: readonly string[]): Promise<ConsentState>;
  /** Refuses (withdrawing an earlier grant); only the refusal itself is remembered. */
  deny(): Promise<ConsentState>;
  /**
   * Withdraws all consent (Art. 7(3)): tracking stops and queued events are dropped, in
   * memory and in storage. The subject token stays, for the rights over data already held.
   */
  withdraw(): Promise<ConsentState>;
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

export interface Heed {
  readonly consent: HeedConsent;
  /** Switches the subject to the hash of this user id; the id itself is never kept. */
  identify(userId: string): Promise<void>;
  /** Forgets the user (logout): a fresh anonymous subject from now on. */
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
