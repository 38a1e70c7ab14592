/**
 * The consent state machine: the policy in force, the grant, the subject and whether the
 * server has recorded the grant for that subject, kept as one record (`heed:consent`). It
 * opens and closes the client's gate; it never sends a batch. Only the hash of a user id is
 * kept; before a grant nothing here touches storage or the network (an `identify` waits in
 * memory for the grant). Withdrawal, refusal and a substantial policy change keep the
 * subject and its token: the server issues a token only on a subject's first decision, and
 * the user still holds rights (access, erasure) over the data already collected.
 */
import { isConsentCurrent, type ConsentResponse, type PolicyDocument } from '@heed/policy';
import { consentRequest, makeDecision, trackingAllowed, type DecisionRecord } from './decision.js';
import type { HeedErrorCode } from './errors.js';
import type { ConsentState, HeedConsent } from './heed.js';
import { subjectHash, subjectUsable, type SubjectRecord } from './identity.js';
import type { ConsentRequiredInfo, HeedOptions } from './options.js';
import type { Platform } from './platform.js';
import type { Records } from './records.js';
import type { Requester } from './requester.js';

/** What `heed:consent` holds. */
export interface StoredConsent {
  /** The grant in force; absent when undecided, denied or withdrawn. */
  readonly decision?: DecisionRecord;
  /** A refusal, remembered so the banner does not come back (the policy version refused). */
  readonly denied?: string;
  readonly subject?: SubjectRecord;
}

export type ConsentMachine = ReturnType<typeof createConsentState>;

/**
 * `fail` builds and reports a HeedError; `stopped` says the client was shut down; `gate`
 * opens (true) or closes the client's gate, and closing also drops queued events;
 * `switching` gets each change of subject to make (`commit`), so the client can end the
 * running session before it (reported under the subject it belongs to) and start the next
 * one after it.
 *
 * @example const consent = createConsentState(platform, options, records, requester, fail, () => false, gate, (commit) => commit()); await consent._api.grant(['statistics'])
 */
export function createConsentState(
  platform: Platform,
  options: HeedOptions,
  records: Records,
  requester: Requester,
  fail: (code: HeedErrorCode, message: string, cause?: unknown) => void,
  stopped: () => boolean,
  gate: (open: boolean) => void,
  switching: (commit: () => void) => void,
) {
  const { clock, newId } = platform;
  let policy = options.policy;
  let loading: Promise<PolicyDocument | undefined> | undefined;
  let stored: StoredConsent = records._read('consent') ?? {};
  let acking: Promise<PolicyDocument | undefined> | undefined;
  let pendingUser: Promise<string | void> | undefined;
  let withdrawn = false;
  let verified = false;
  const live = () => !stopped();
  /** Opens the gate when the grant allows usage tracking, closes (and forgets the queue) otherwise. */
  const apply = () => gate(trackingAllowed(stored.decision, policy?.purposes));
  const save = (next: StoredConsent) => records._write('consent', (stored = next));
  // Anonymous ids live 13 months (395 days) unless configured.
  const usable = () => subjectUsable(stored.subject, clock.now(), options.anonymousIdLifetimeMs ?? 395 * 86_400_000);

  const ensurePolicy = () =>
    policy ??
    (loading ??= requester._send({ method: 'GET', path: '/v1/policy' }, live).then(({ _response }) => {
      loading = undefined;
      if (_response) return (policy = _response.body as PolicyDocument);
      fail('policy_unavailable', 'no policy');
    }));

  function postConsent({ subject, decision }: StoredConsent, withdraw: boolean, ok: () => boolean) {
    const body = JSON.stringify(consentRequest(options.writeKey, subject!.hash, decision!, policy!.purposes, withdraw, clock.now()));
    return requester._send({ method: 'POST', path: '/v1/consent', body, contentType: 'text' }, ok);
  }

  /**
   * The policy once ready to send: it is known, a stored grant still counts under it (checked
   * once), and the server recorded the current grant for the current subject.
   */
  async function ready(): Promise<PolicyDocument | undefined> {
    const current = await ensurePolicy();
    const asked = stored;
    const { decision, subject } = asked;
    if (!current || !decision || !subject) return;
    if (!verified) {
      verified = true;
      if (!isConsentCurrent(decision.version, current)) return require('policy_changed', current.version);
      apply();
    }
    if (subject.acked) return current;
    return (acking ??= postConsent(asked, false, () => live() && stored.decision === decision).then(({ _response }) => {
      acking = undefined;
      // A grant or subject that changed meanwhile is posted by the next call.
      if (!_response || stored !== asked) return;
      const token = (_response.body as ConsentResponse | undefined)?.subjectToken ?? subject.token;
      save({ ...asked, subject: { ...subject, acked: true, token } });
      return current;
    }));
  }

  /** The subject hash of a user id, or of a new random id for an anonymous subject. */
  function hashOf(id = newId()): Promise<string | void> {
    return subjectHash(platform.hasher, options.projectId, id).catch((cause: unknown) => fail('hash', 'SHA-256', cause));
  }

  /**
   * Makes the subject `hashing` resolves to current, unacknowledged. The token carries over
   * only for the same subject (the server issues one per subject, on its first decision).
   */
  async function switchTo(hashing: Promise<string | void>, anonymous: boolean): Promise<void> {
    const hash = await hashing;
    if (hash && hash !== stored.subject?.hash) {
      switching(() => save({ ...stored, subject: { hash, anonymous, created: clock.now(), acked: false } }));
    }
  }

  /** Nothing of this subject stays on the device (erasure, or nothing was ever granted). */
  function wipe(): void {
    stored = {};
    records._remove('consent');
  }

  /**
   * Stops tracking and drops the queue; only the subject and its token stay, for the rights
   * over data already held. Returns what was in force, for the server.
   */
  function release(withdrawing: boolean): StoredConsent {
    const asked = stored;
    gate(false);
    verified = false;
    pendingUser = undefined;
    withdrawn = withdrawing;
    if (asked.subject) save({ subject: { ...asked.subject, acked: false } });
    else wipe();
    return asked;
  }

  function require(reason: ConsentRequiredInfo['reason'], policyVersion: string): undefined {
    release(false);
    try {
      options.onConsentRequired?.({ reason, policyVersion });
    } catch (cause) {
      fail('callback', 'onConsentRequired', cause);
    }
    return undefined;
  }

  function state(): ConsentState {
    const { decision, denied } = stored;
    return {
      status: decision ? 'granted' : denied !== undefined ? 'denied' : withdrawn ? 'withdrawn' : 'undecided',
      purposes: decision?.granted ?? [],
      objected: decision?.objected ?? [],
      policyVersion: decision?.version ?? denied ?? null,
    };
  }

  async function grant(purposes: readonly string[]): Promise<ConsentState> {
    const current = await ensurePolicy();
    if (!current || stopped()) return state();
    const signal = options.honorPrivacySignals !== false && platform.environment.privacySignal();
    const decision = makeDecision(current, purposes, signal, stored.decision?.objected ?? []);
    if (!decision.granted.length) return withdraw(true);
    const user = pendingUser;
    pendingUser = undefined;
    // The identified user, else the stored subject while it is valid, else a new anonymous one.
    if (user) await switchTo(user, false);
    else if (!usable()) await switchTo(hashOf(), true);
    const { subject } = stored;
    if (!subject || stopped()) return state();
    withdrawn = false;
    verified = true;
    save({ decision, subject: { ...subject, acked: false } });
    apply();
    await ready();
    return state();
  }

  /** Withdrawal, or with `refusing` a refusal, remembered so the banner does not come back. */
  async function withdraw(refusing: boolean): Promise<ConsentState> {
    const asked = release(true);
    if (asked.subject && asked.decision && policy) await postConsent(asked, true, live);
    if (refusing) save({ ...stored, denied: policy?.version ?? '' });
    return state();
  }

  return {
    _api: { get: state, grant, deny: () => withdraw(true), withdraw: () => withdraw(false) } satisfies HeedConsent,
    /** A grant from an earlier page: track at once with the stored subject; check the policy in force. */
    async _start(): Promise<void> {
      if (!stored.decision) return;
      // An anonymous id past its lifetime is replaced before anything is sent under it (and
      // if hashing failed, nothing is sent under the old one).
      if (!usable()) await switchTo(hashOf(), true);
      if (!usable()) return;
      apply();
      void ready();
    },
    _ready: ready,
    /** The policy if batches may go out now (unload cannot wait). `verified` implies a grant: only release clears one. */
    _readyNow: () => (verified && stored.subject?.acked ? policy : undefined),
    _require: require,
    // What the rights chunk (`rights.ts`) builds restriction, objection, withdrawal and erasure on.
    _release: release,
    _wipe: wipe,
    /** The record in force: its subject is what events carry and what the rights calls are authorised for. */
    _stored: () => stored,
    /** Stores a changed record and opens or closes the gate to match it. */
    _update(next: StoredConsent): void {
      save(next);
      apply();
    },
    /** `identify`: switches to the user's subject; without a grant the hash only waits in memory for one. */
    async _identify(userId: string): Promise<void> {
      const hashing = hashOf(String(userId));
      if (stored.decision) await switchTo(hashing, false);
      else pendingUser = hashing;
    },
    /** `reset` (logout): a new anonymous subject; without a grant, an identified subject and its token leave with the user. */
    async _reset(): Promise<void> {
      const { decision, denied, subject } = stored;
      pendingUser = undefined;
      if (decision) await switchTo(hashOf(), true);
      else if (subject && !subject.anonymous) {
        if (denied === undefined) wipe();
        else save({ denied });
      }
    },
  };
}
