/**
 * The consent state machine: the grant in force, whether the server recorded it, and how a
 * grant ended in this page (withdrawn, or superseded by a substantial policy change). It
 * opens and closes the client's gate; it never sends a batch. Before a grant nothing here
 * touches storage or the network, except fetching the policy when asked for it. Withdrawal,
 * refusal and a substantial policy change keep the subject and its token: the server issues
 * a token only on a subject's first decision, and the user still holds rights (access,
 * erasure) over the data already collected.
 *
 * What every page view needs is here: the record, the gate, the check of a stored grant
 * against the policy in force and its recording with the server. The rest loads on first use
 * (`decisions.ts`). Its parts, each changing for its own reasons: the policy in force
 * (`policy-source.ts`), the subject (`subjects.ts`), the one consent request
 * (`post-decision.ts`) and the change feed (`change-feed.ts`).
 */
import { isConsentCurrent, type BatchResponse, type PolicyDocument, type SubjectProof } from '@heed/policy';
import { purposeAllowed, trackingAllowed } from '../decision.js';
import type { Fail } from '../errors.js';
import type { ConsentResult, ConsentState, HeedConsent } from '../heed.js';
import { later, type Later } from '../lazy.js';
import type { HeedOptions } from '../options.js';
import type { Platform } from '../platform.js';
import type { Records } from '../records.js';
import type { Requester } from '../requester.js';
import { createChangeFeed } from './change-feed.js';
import type { ConsentCore, EndedStatus } from './consent-core.js';
import { createPolicySource } from './policy-source.js';
import type { StoredConsent } from './stored-consent.js';
import { createSubjects } from './subjects.js';

export type ConsentMachine = ReturnType<typeof createConsentState>;

/** What the consent state is built from. */
export interface ConsentStateOptions {
  readonly _platform: Platform;
  readonly _options: HeedOptions;
  readonly _records: Records;
  readonly _requester: Requester;
  /** Builds and reports a HeedError. */
  readonly _fail: Fail;
  /** The client was shut down. */
  readonly _stopped: () => boolean;
  /** Opens (true) or closes the client's gate; closing also drops queued events. */
  readonly _gate: (open: boolean) => void;
  /** Gets each change of subject to make (see `subjects.ts`). */
  readonly _switching: (commit: () => void) => void;
  /** Ends the running session and sends what is queued (logout: the last user's events go out first). */
  readonly _flushed: () => Promise<void>;
}

/**
 * @example const consent = createConsentState({ _platform, _options, _records, _requester, _fail, _stopped: () => false, _gate, _switching: (commit) => commit() }); await consent._api.grant(['statistics'])
 */
export function createConsentState({ _platform: platform, _options: options, _records: records, _requester: requester, _fail: fail, _stopped: stopped, _gate: gate, _switching, _flushed }: ConsentStateOptions) {
  const live = () => !stopped();
  const policies = createPolicySource(requester, options.projectId, options.policy, live, fail);
  let stored: StoredConsent = records._read('consent') ?? {};
  let ended: EndedStatus | undefined;
  let acking: Promise<PolicyDocument | undefined> | undefined;
  let verified = false;
  const feed = createChangeFeed(state, fail);
  const save = (next: StoredConsent) => {
    records._write('consent', (stored = next));
    feed._notify();
  };
  /** Nothing of this subject stays on the device (erasure, or nothing was ever granted). */
  const wipe = () => {
    stored = {};
    records._remove('consent');
    feed._notify();
  };
  const subjects = createSubjects({ _platform: platform, _options: options, _fail: fail, _stored: () => stored, _save: save, _switching });
  /** Opens the gate when the grant allows usage tracking, closes (and forgets the queue) otherwise. */
  const apply = () => gate(trackingAllowed(stored.decision, policies._known()?.purposes));

  function state(): ConsentState {
    const { decision, denied } = stored;
    return {
      status: decision ? 'granted' : denied !== undefined ? 'denied' : (ended ?? 'undecided'),
      purposes: decision?.granted ?? [],
      objected: decision?.objected ?? [],
      restricted: !!decision?.restricted,
      policyVersion: decision?.version ?? denied ?? null,
    };
  }

  /**
   * The policy once ready to send: it is known, a stored grant still counts under it (checked
   * once), and the server recorded the current grant for the current subject
   * (`decisions.recordGrant`, one request however many callers wait).
   */
  async function ready(): Promise<PolicyDocument | undefined> {
    const current = await policies._load();
    const asked = stored;
    const { decision, subject } = asked;
    if (!current || !decision || !subject) return;
    if (!verified) {
      verified = true;
      if (!isConsentCurrent(decision.version, current)) return stop((chunk) => chunk.askAgain(core, current.version)) as Promise<undefined>;
      apply();
    }
    if (subject.acked) return current;
    return (acking ??= later(fail, (chunk) => chunk.recordGrant(core, asked, current), undefined).finally(() => (acking = undefined)));
  }

  /**
   * Stops tracking and drops the queue; only the subject and its token stay, for the rights
   * over data already held, and with `denied` a refusal (one write, one change). Returns what
   * was in force, for the server.
   */
  function release(status?: EndedStatus, denied?: string): StoredConsent {
    const asked = stored;
    const { subject } = asked;
    gate(false);
    verified = false;
    subjects._forget();
    ended = status;
    if (subject || denied !== undefined) save({ subject: subject && { ...subject, acked: false }, denied });
    else wipe();
    return asked;
  }

  /**
   * Stops tracking at once and lets the lazy chunk set the state from what the server said
   * (`decisions.answered`, `decisions.askAgain`): the gate must not wait for a chunk to load.
   */
  function stop(use: (chunk: Later) => Promise<undefined> | void): Promise<undefined | void> {
    gate(false);
    return later(fail, use, undefined);
  }

  /** What a consent call answers when the lazy chunk cannot load: the state as it is, not recorded. */
  const unrecorded = (): ConsentResult => ({ ...feed._get(), ok: false });

  /** Withdrawal takes effect here at once, whatever the server or the lazy chunk do. */
  function withdraw(refusing: boolean): Promise<ConsentResult> {
    // A refusal is remembered (with the policy version refused) so the banner does not come back.
    const released = release('withdrawn', refusing ? (policies._known()?.version ?? '') : undefined);
    return later(fail, (chunk) => chunk.recordWithdrawal(core, released), unrecorded());
  }

  const update = (next: StoredConsent) => {
    save(next);
    apply();
  };
  const core: ConsentCore = {
    _state: feed._get,
    _options: options,
    _platform: platform,
    _policies: policies,
    _fail: fail,
    _stopped: stopped,
    _stored: () => stored,
    _save: save,
    _update: update,
    _release: release,
    _wipe: wipe,
    _prepare: subjects._prepare,
    _ready: ready,
    _requester: requester,
    _isCurrent: isConsentCurrent,
    _allowed: purposeAllowed,
    _withdraw: withdraw,
  };

  return {
    _api: {
      get: feed._get,
      grant: (purposes, objected) => later(fail, (chunk) => chunk.grant(core, purposes, objected), unrecorded()),
      deny: () => withdraw(true),
      withdraw: () => withdraw(false),
      subscribe: feed._subscribe,
      policy: async () => policies._load(),
      privacyUrl: () => `${options.endpoint}/privacy${stored.subject?.token ? '#t=' + stored.subject.token : ''}`,
    } satisfies HeedConsent,
    _core: core,
    /** A grant from an earlier page: track at once with the stored subject; check the policy in force. */
    async _start(): Promise<void> {
      if (!stored.decision) return;
      // Synchronous when the stored subject is usable: the host may `track` right after creating the client.
      const prepared = subjects._prepare();
      if (prepared === true || (await prepared)) {
        apply();
        void ready();
      }
    },
    _ready: ready,
    /** The policy if batches may go out now (unload cannot wait). `verified` implies a grant: only release clears one. */
    _readyNow: () => (verified && stored.subject?.acked ? policies._known() : undefined),
    /**
     * A batch answer. `consentRequired` (the server no longer counts the grant), or refused as
     * a whole (every event suppressed, none accepted or seen before: the subject's state
     * changed elsewhere): the gate closes at once and `decisions.answered` sets the state.
     */
    _answer(answer: BatchResponse | undefined): void {
      if (stored.decision && answer && (answer.consentRequired || (!answer.accepted && !answer.duplicates && answer.suppressed))) {
        void stop((chunk) => chunk.answered(core, answer));
      }
    },
    /** The record in force: its subject is what events carry. */
    _stored: () => stored,
    /** The proof of each subject `events` carry, for a batch: the current subject's, or the one it replaced. */
    _proofs(events: readonly { subject: string }[]) {
      const proofs: Record<string, SubjectProof | undefined> = {};
      for (const { subject } of events) proofs[subject] = [stored.subject, stored.prev].find((known) => known?.hash === subject)?.proof;
      return proofs;
    },
    _identify: subjects._identify,
    /** `reset` (logout), a rare step: see `decisions.reset`. */
    _reset: () => later(fail, (chunk) => chunk.reset(core, _flushed), undefined),
  };
}
