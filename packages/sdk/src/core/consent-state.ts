/**
 * The consent state machine: the policy in force, the decision, the subject and whether the
 * server has recorded the decision for that subject, kept as one record (`heed:consent`).
 * It opens and closes the client's gate; it never sends a batch. Only the hash of a user id
 * is kept; before a grant nothing here touches storage or the network (an `identify` waits
 * in memory for the grant).
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

/** What `heed:consent` holds: the decision (absent when undecided) and the subject. */
export interface StoredConsent {
  readonly decision?: DecisionRecord;
  readonly subject?: SubjectRecord;
}

export interface ConsentContext {
  readonly platform: Platform;
  readonly options: ResolvedOptions;
  readonly records: Records;
  readonly requester: Requester;
  readonly report: (error: HeedError) => void;
  readonly stopped: () => boolean;
  /** Opens (true) or closes the gate; closing with `forget` also drops queued events. */
  readonly gate: (open: boolean, forget?: boolean) => void;
}

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
  const granted = () => stored.decision?.status === 'granted';
  const usable = () => subjectUsable(stored.subject, clock.now(), options.anonymousIdLifetimeMs);
  /** Opens the gate when the decision allows usage tracking, closes (and forgets) otherwise. */
  const apply = () => gate(trackingAllowed(stored.decision, policy), true);

  function save(next: StoredConsent): void {
    stored = next;
    if (next.decision || next.subject) records.write('consent', next);
    else records.remove('consent');
  }

  function ensurePolicy(): Promise<PolicyDocument | undefined> {
    loading ??= policy
      ? Promise.resolve(policy)
      : requester.send({ method: 'GET', path: '/v1/policy' }, () => !stopped()).then((outcome) => {
          loading = undefined;
          if (outcome.ok) return (policy = outcome.response.body as PolicyDocument);
          report(new HeedError('policy_unavailable', 'GET /v1/policy failed'));
        });
    return loading;
  }

  function postConsent(subject: SubjectRecord, decision: DecisionRecord, withdraw: boolean, live: () => boolean) {
    const body = JSON.stringify(consentRequest(options.writeKey, subject.hash, decision, policy, withdraw, clock.now()));
    return requester.send({ method: 'POST', path: '/v1/consent', body, contentType: 'text' }, live);
  }

  /**
   * Ready to send: the policy is known, a stored grant still counts under it (checked once),
   * and the server recorded the current decision for the current subject.
   */
  async function ready(): Promise<boolean> {
    const current = await ensurePolicy();
    if (!current || !granted()) return false;
    if (!verified) {
      verified = true;
      if (!isConsentCurrent(stored.decision!.version, current)) {
        require('policy_changed', current.version);
        return false;
      }
      apply();
    }
    const asked = stored;
    if (!asked.subject || asked.subject.acked) return !!asked.subject;
    acking ??= postConsent(asked.subject, asked.decision!, false, () => !stopped() && stored.decision === asked.decision).then(
      (outcome) => {
        acking = undefined;
        // A decision or subject that changed meanwhile is posted by the next call.
        if (!outcome.ok || stored !== asked) return false;
        const token = (outcome.response.body as ConsentResponse | undefined)?.subjectToken ?? asked.subject!.token;
        save({ ...asked, subject: { ...asked.subject!, acked: true, token } });
        return true;
      },
    );
    return acking;
  }

  function hashOf(id: string): Promise<string | undefined> {
    return subjectHash(platform.hasher, options.projectId, id).catch((cause: unknown) => {
      report(new HeedError('hash', 'SHA-256 unavailable (Web Crypto needs a secure context)', cause));
      return undefined;
    });
  }

  /** A fresh subject for a new decision: the identified user, the stored one if still valid, or a new anonymous id. */
  async function newSubject(): Promise<SubjectRecord | undefined> {
    const user = pendingUser && (await pendingUser);
    pendingUser = undefined;
    const old = stored.subject;
    if (!user && usable()) return { ...old!, acked: false };
    const hash = user ?? (await hashOf(platform.newId()));
    return hash ? { hash, anonymous: !user, created: clock.now(), acked: false, token: hash === old?.hash ? old.token : undefined } : undefined;
  }

  /** Withdrawal and erasure: nothing of this subject stays on the device. */
  function forget(): void {
    lastToken = stored.subject?.token ?? lastToken;
    gate(false, true);
    save({});
    pendingUser = undefined;
    withdrawn = true;
    verified = false;
  }

  function require(reason: ConsentRequiredInfo['reason'], policyVersion: string): void {
    gate(false, true);
    // The subject and its token stay: rights over data already held still need them.
    save({ subject: stored.subject && { ...stored.subject, acked: false } });
    verified = false;
    try {
      options.onConsentRequired?.({ reason, policyVersion });
    } catch (cause) {
      report(new HeedError('callback', 'onConsentRequired threw', cause));
    }
  }

  function state(): ConsentState {
    const decision = stored.decision;
    return {
      status: decision?.status ?? (withdrawn ? 'withdrawn' : 'undecided'),
      purposes: granted() ? decision!.granted : [],
      objected: decision?.objected ?? [],
      policyVersion: decision?.version ?? null,
    };
  }

  async function grant(purposes: readonly string[]): Promise<ConsentState> {
    const current = await ensurePolicy();
    if (!current || stopped()) return state();
    const signal = options.honorPrivacySignals && platform.environment.privacySignal();
    const decision = makeDecision(current, purposes, signal, stored.decision?.objected ?? [], clock.now());
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
    if (granted()) await withdraw();
    // Remembering the refusal itself is strictly necessary (the banner must not come back).
    const decision: DecisionRecord = { status: 'denied', version: policy?.version ?? '', granted: [], objected: [], restricted: false, gpc: false, ts: clock.now() };
    save({ decision });
    return state();
  }

  async function withdraw(): Promise<ConsentState> {
    const { decision, subject } = stored;
    forget();
    if (subject && decision?.status === 'granted') await postConsent(subject, decision, true, () => !stopped());
    return state();
  }

  /** Switches to the subject `hashing` resolves to; `beforeSwitch` ends the session under the old one. */
  async function switchTo(hashing: Promise<string | undefined>, anonymous: boolean, beforeSwitch: () => void): Promise<boolean> {
    if (!granted()) {
      // Without consent nothing is kept: the hash waits in memory for a grant.
      pendingUser = hashing;
      return false;
    }
    const hash = await hashing;
    if (!hash || !stored.subject || hash === stored.subject.hash || !granted()) return false;
    beforeSwitch();
    save({ ...stored, subject: { hash, anonymous, created: clock.now(), acked: false } });
    return true;
  }

  return {
    api: { get: state, grant, deny, withdraw } satisfies HeedConsent,
    /** A grant from an earlier page: track at once with the stored subject; check the policy in force. */
    async start(): Promise<void> {
      if (!granted()) return;
      if (!usable()) {
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
    readyNow: () => verified && !!stored.subject?.acked && granted(),
    policy: () => policy,
    subject: () => stored.subject?.hash,
    token: () => stored.subject?.token ?? lastToken,
    /** Restriction and objection change what may be tracked; the server heard of them through /v1/me. */
    amend(change: (decision: DecisionRecord) => DecisionRecord): void {
      if (!stored.decision) return;
      save({ ...stored, decision: change(stored.decision) });
      apply();
    },
    identify: (userId: string, beforeSwitch: () => void) => switchTo(hashOf(String(userId)), false, beforeSwitch),
    reset: (beforeSwitch: () => void) => {
      pendingUser = undefined;
      return granted() ? switchTo(hashOf(platform.newId()), true, beforeSwitch) : Promise.resolve(false);
    },
  };
}
