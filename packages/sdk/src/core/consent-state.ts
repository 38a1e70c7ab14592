/**
 * The consent state machine: the policy in force, the grant, the subject and whether the
 * server has recorded the grant for that subject, kept as one record (`heed:consent`). It
 * opens and closes the client's gate; it never sends a batch. Only the hash of a user id is
 * kept; before a grant nothing here touches storage or the network (an `identify` waits in
 * memory for the grant).
 */
import { isConsentCurrent, type ConsentResponse, type PolicyDocument } from '@heed/policy';
import { consentRequest, makeDecision, trackingAllowed, type DecisionRecord } from './decision.js';
import { HeedError } from './errors.js';
import type { ConsentState, HeedConsent } from './heed.js';
import { subjectHash, subjectUsable, type SubjectRecord } from './identity.js';
import type { ConsentRequiredInfo, ResolvedOptions } from './options.js';
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

export interface ConsentContext {
  readonly platform: Platform;
  readonly options: ResolvedOptions;
  readonly records: Records;
  readonly requester: Requester;
  readonly report: (error: HeedError) => void;
  readonly stopped: () => boolean;
  /** Opens (true) or closes the gate; closing also drops queued events. */
  readonly gate: (open: boolean) => void;
}

export type ConsentMachine = ReturnType<typeof createConsentState>;

/**
 * @example const consent = createConsentState(context); await consent.api.grant(['statistics'])
 */
export function createConsentState({ platform, options, records, requester, report, stopped, gate }: ConsentContext) {
  const { clock } = platform;
  let policy = options.policy;
  let loading: Promise<PolicyDocument | undefined> | undefined;
  let stored = records.read<StoredConsent>('consent') ?? {};
  let acking: Promise<boolean> | undefined;
  let pendingUser: Promise<string | undefined> | undefined;
  let lastToken: string | undefined;
  let withdrawn = false;
  let verified = false;
  const live = () => !stopped();
  /** Opens the gate when the grant allows usage tracking, closes (and forgets the queue) otherwise. */
  const apply = () => gate(trackingAllowed(stored.decision, policy?.purposes));

  function save(next: StoredConsent): void {
    stored = next;
    records.write('consent', next);
  }

  function ensurePolicy(): Promise<PolicyDocument | undefined> {
    return (loading ??= policy
      ? Promise.resolve(policy)
      : requester.send({ method: 'GET', path: '/v1/policy' }, live).then((outcome) => {
          loading = undefined;
          if (outcome.ok) return (policy = outcome.response.body as PolicyDocument);
          report(new HeedError('policy_unavailable', 'no policy'));
        }));
  }

  function postConsent({ subject, decision }: StoredConsent, withdraw: boolean, ok: () => boolean) {
    const body = JSON.stringify(consentRequest(options.writeKey, subject!.hash, decision!, policy!.purposes, withdraw, clock.now()));
    return requester.send({ method: 'POST', path: '/v1/consent', body, contentType: 'text' }, ok);
  }

  /**
   * Ready to send: the policy is known, a stored grant still counts under it (checked once),
   * and the server recorded the current grant for the current subject.
   */
  async function ready(): Promise<boolean> {
    const current = await ensurePolicy();
    const asked = stored;
    if (!current || !asked.decision || !asked.subject) return false;
    if (!verified) {
      verified = true;
      if (!isConsentCurrent(asked.decision.version, current)) return require('policy_changed', current.version);
      apply();
    }
    if (asked.subject.acked) return true;
    return (acking ??= postConsent(asked, false, () => live() && stored.decision === asked.decision).then((outcome) => {
      acking = undefined;
      // A grant or subject that changed meanwhile is posted by the next call.
      if (!outcome.ok || stored !== asked) return false;
      const token = (outcome.response.body as ConsentResponse | undefined)?.subjectToken ?? asked.subject!.token;
      save({ ...asked, subject: { ...asked.subject!, acked: true, token } });
      return true;
    }));
  }

  function hashOf(id: string): Promise<string | undefined> {
    return subjectHash(platform.hasher, options.projectId, id).catch((cause: unknown) => {
      report(new HeedError('hash', 'no SHA-256 (Web Crypto needs a secure context)', cause));
      return undefined;
    });
  }

  /** A subject for a new grant: the identified user, the stored one if still valid, or a new anonymous id. */
  async function newSubject(): Promise<SubjectRecord | undefined> {
    const user = await pendingUser;
    const old = stored.subject;
    pendingUser = undefined;
    if (!user && subjectUsable(old, clock.now(), options.anonymousIdLifetimeMs)) return { ...old, acked: false };
    const hash = user ?? (await hashOf(platform.newId()));
    return hash ? { hash, anonymous: !user, created: clock.now(), acked: false, token: hash === old?.hash ? old.token : undefined } : undefined;
  }

  /** Withdrawal and erasure: nothing of this subject stays on the device. */
  function forget(): void {
    lastToken = stored.subject?.token ?? lastToken;
    gate(false);
    records.remove('consent');
    stored = {};
    pendingUser = undefined;
    withdrawn = true;
    verified = false;
  }

  function require(reason: ConsentRequiredInfo['reason'], policyVersion: string): false {
    gate(false);
    // The subject and its token stay: rights over data already held still need them.
    save({ subject: stored.subject && { ...stored.subject, acked: false } });
    verified = false;
    try {
      options.onConsentRequired?.({ reason, policyVersion });
    } catch (cause) {
      report(new HeedError('callback', 'onConsentRequired threw', cause));
    }
    return false;
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
    const signal = options.honorPrivacySignals && platform.environment.privacySignal();
    const decision = makeDecision(current, purposes, signal, stored.decision?.objected ?? []);
    if (!decision.granted.length) return deny();
    const subject = await newSubject();
    if (!subject || stopped()) return state();
    withdrawn = false;
    verified = true;
    save({ decision, subject });
    apply();
    await ready();
    return state();
  }

  async function deny(): Promise<ConsentState> {
    await withdraw();
    save({ denied: policy?.version ?? '' });
    return state();
  }

  async function withdraw(): Promise<ConsentState> {
    const asked = stored;
    forget();
    if (asked.subject && asked.decision && policy) await postConsent(asked, true, live);
    return state();
  }

  /** Switches to the subject `hashing` resolves to; `beforeSwitch` ends the session under the old one. */
  async function switchTo(hashing: Promise<string | undefined>, anonymous: boolean, beforeSwitch: () => void): Promise<boolean> {
    const hash = await hashing;
    const { subject } = stored;
    if (!hash || !subject || hash === subject.hash || !stored.decision) return false;
    beforeSwitch();
    save({ ...stored, subject: { hash, anonymous, created: clock.now(), acked: false } });
    return true;
  }

  /** Restriction and objection change what may be tracked; the server heard of them through /v1/me. */
  function amend(change: Partial<DecisionRecord>): void {
    if (!stored.decision) return;
    save({ ...stored, decision: { ...stored.decision, ...change } });
    apply();
  }

  return {
    api: { get: state, grant, deny, withdraw } satisfies HeedConsent,
    /** A grant from an earlier page: track at once with the stored subject; check the policy in force. */
    async start(): Promise<void> {
      if (!stored.decision) return;
      if (!subjectUsable(stored.subject, clock.now(), options.anonymousIdLifetimeMs)) {
        const subject = await newSubject();
        if (!subject) return;
        save({ ...stored, subject });
      }
      apply();
      void ready();
    },
    ready,
    require,
    forget,
    readyNow: () => verified && !!stored.decision && !!stored.subject?.acked,
    policy: () => policy,
    subject: () => stored.subject?.hash,
    token: () => stored.subject?.token ?? lastToken,
    restrict: (restricted: boolean) => amend({ restricted }),
    object(purposes: readonly string[], on: boolean) {
      const objected = stored.decision?.objected ?? [];
      amend({ objected: on ? [...new Set([...objected, ...purposes])] : objected.filter((id) => !purposes.includes(id)) });
    },
    identify(userId: string, beforeSwitch: () => void): Promise<boolean> {
      const hashing = hashOf(String(userId));
      // Without consent nothing is kept: the hash waits in memory for a grant.
      if (!stored.decision) pendingUser = hashing;
      return switchTo(hashing, false, beforeSwitch);
    },
    reset(beforeSwitch: () => void): Promise<boolean> {
      pendingUser = undefined;
      return stored.decision ? switchTo(hashOf(platform.newId()), true, beforeSwitch) : Promise.resolve(false);
    },
  };
}
