/**
 * The consent state machine: the policy in force, the decision, the subject and whether the
 * server has recorded the decision for that subject. It opens and closes the client's gate;
 * it never sends a batch. Only the hash of a user id is kept; before a grant nothing here
 * touches storage or the network (an `identify` waits in memory for the grant).
 */
import { isConsentCurrent, type ConsentResponse, type PolicyDocument } from '@heed/policy';
import type { BatchLimits } from './batches.js';
import { consentRequest, makeDecision, trackingAllowed, type DecisionRecord } from './decision.js';
import { HeedError } from './errors.js';
import type { ConsentState, HeedConsent } from './heed.js';
import { subjectHash, subjectUsable, type SubjectRecord } from './identity.js';
import type { ConsentRequiredInfo, ResolvedOptions } from './options.js';
import type { Platform } from './platform.js';
import type { Records } from './records.js';
import type { Requester } from './requester.js';

export interface ConsentContext {
  readonly platform: Platform;
  readonly options: ResolvedOptions;
  readonly records: Records;
  readonly requester: Requester;
  readonly report: (error: HeedError) => void;
  readonly stopped: () => boolean;
  readonly openGate: () => void;
  readonly closeGate: (forget: boolean) => void;
}

/**
 * @example const consent = createConsentState(context); await consent.api.grant(['statistics'])
 */
export function createConsentState(context: ConsentContext) {
  const { platform, options, records, requester, report, stopped, openGate, closeGate } = context;
  const { clock } = platform;
  let policy: PolicyDocument | undefined = options.policy;
  let loading: Promise<PolicyDocument | undefined> | undefined;
  let decision = records.read<DecisionRecord>('consent');
  let subject = records.read<SubjectRecord>('subject');
  let acking: Promise<boolean> | undefined;
  let pendingUser: Promise<string | undefined> | undefined;
  let lastToken: string | undefined;
  let withdrawn = false;
  let verified = false;
  const granted = () => decision?.status === 'granted';

  function ensurePolicy(): Promise<PolicyDocument | undefined> {
    if (policy) return Promise.resolve(policy);
    loading ??= requester.send({ method: 'GET', path: '/v1/policy' }, () => !stopped()).then((outcome) => {
      loading = undefined;
      if (outcome.ok) return (policy = outcome.response.body as PolicyDocument);
      report(new HeedError('policy_unavailable', 'could not load the policy (GET /v1/policy)'));
      return undefined;
    });
    return loading;
  }

  /** Checks a stored grant against the policy in force (once), then records it with the server. */
  async function ready(): Promise<boolean> {
    const current = await ensurePolicy();
    if (!current || !granted()) return false;
    if (!verified) {
      verified = true;
      if (!isConsentCurrent(decision!.version, current)) {
        require('policy_changed', current.version);
        return false;
      }
      if (!trackingAllowed(decision, current)) closeGate(true);
    }
    return ack();
  }

  /** Records the current decision for the current subject with the server; once per change. */
  function ack(): Promise<boolean> {
    acking ??= (async () => {
      while (subject && decision && !subject.acked && !stopped()) {
        const [asked, decided] = [subject, decision];
        const body = JSON.stringify(consentRequest(options.writeKey, asked.hash, decided, policy, false, clock.now()));
        const outcome = await requester.send(
          { method: 'POST', path: '/v1/consent', body, contentType: 'text' },
          () => !stopped() && decision === decided,
        );
        if (!outcome.ok) break;
        if (subject === asked && decision === decided) {
          const token = (outcome.response.body as ConsentResponse | undefined)?.subjectToken ?? asked.token;
          saveSubject({ ...asked, acked: true, token });
        }
      }
      return !!subject?.acked && granted();
    })().finally(() => {
      acking = undefined;
    });
    return acking;
  }

  function saveSubject(next: SubjectRecord): SubjectRecord {
    records.write('subject', (subject = next));
    return next;
  }

  function saveDecision(next: DecisionRecord): void {
    records.write('consent', (decision = next));
  }

  function hashOf(id: string): Promise<string | undefined> {
    return subjectHash(platform.hasher, options.projectId, id).catch((cause: unknown) => {
      report(new HeedError('hash', 'SHA-256 is unavailable (Web Crypto needs a secure context)', cause));
      return undefined;
    });
  }

  /** The subject for a new decision: the pending user, the stored one, or a new anonymous id. */
  async function ensureSubject(): Promise<SubjectRecord | undefined> {
    const user = pendingUser && (await pendingUser);
    pendingUser = undefined;
    if (!user && subjectUsable(subject, clock.now(), options.anonymousIdLifetimeMs)) return saveSubject({ ...subject, acked: false });
    const hash = user ?? (await hashOf(platform.newId()));
    if (!hash || stopped()) return undefined;
    const token = hash === subject?.hash ? subject.token : undefined;
    return saveSubject({ hash, anonymous: !user, created: clock.now(), acked: false, token });
  }

  /** Withdrawal and erasure: nothing of this subject stays on the device. */
  function forget(): void {
    lastToken = subject?.token ?? lastToken;
    closeGate(true);
    records.remove('consent');
    records.remove('subject');
    decision = subject = pendingUser = undefined;
    withdrawn = true;
    verified = false;
  }

  function require(reason: ConsentRequiredInfo['reason'], policyVersion: string): void {
    closeGate(true);
    records.remove('consent');
    decision = undefined;
    verified = false;
    // The subject and its token stay: rights over data already held still need them.
    if (subject) saveSubject({ ...subject, acked: false });
    try {
      options.onConsentRequired?.({ reason, policyVersion });
    } catch (cause) {
      report(new HeedError('callback', 'onConsentRequired threw', cause));
    }
  }

  function state(): ConsentState {
    const status = decision?.status ?? (withdrawn ? 'withdrawn' : 'undecided');
    return {
      status,
      purposes: granted() ? decision!.granted : [],
      objected: decision?.objected ?? [],
      policyVersion: decision?.version ?? null,
    };
  }

  async function grant(purposes: readonly string[]): Promise<ConsentState> {
    const current = await ensurePolicy();
    if (!current || stopped()) return state();
    const signal = options.honorPrivacySignals && platform.environment.privacySignal();
    const next = makeDecision(current, purposes, signal, decision?.objected ?? [], clock.now());
    if (!next.granted.length) return deny();
    withdrawn = false;
    verified = true;
    saveDecision(next);
    if (!(await ensureSubject()) || decision !== next) return state();
    if (trackingAllowed(next, current)) openGate();
    await ack();
    return state();
  }

  async function deny(): Promise<ConsentState> {
    if (granted()) await withdraw();
    // Remembering the refusal itself is strictly necessary (the banner must not come back).
    saveDecision({ status: 'denied', version: policy?.version ?? '', granted: [], objected: [], restricted: false, gpc: false, ts: clock.now() });
    return state();
  }

  async function withdraw(): Promise<ConsentState> {
    const [asked, decided] = [subject, decision];
    forget();
    if (asked && decided?.status === 'granted' && !stopped()) {
      const body = JSON.stringify(consentRequest(options.writeKey, asked.hash, decided, policy, true, clock.now()));
      await requester.send({ method: 'POST', path: '/v1/consent', body, contentType: 'text' }, () => !stopped());
    }
    return state();
  }

  /** Switches to `hash` when it differs; `beforeSwitch` ends the session under the old subject. */
  function switchTo(hash: string | undefined, anonymous: boolean, beforeSwitch: () => void): boolean {
    if (!hash || !subject || hash === subject.hash || !granted() || stopped()) return false;
    beforeSwitch();
    saveSubject({ hash, anonymous, created: clock.now(), acked: false });
    return true;
  }

  /** A grant from an earlier page: track at once with the stored subject, check the policy in force. */
  function start(): Promise<void> {
    if (!granted()) return Promise.resolve();
    const open = () => {
      if (trackingAllowed(decision, policy)) openGate();
      void ready();
    };
    if (subjectUsable(subject, clock.now(), options.anonymousIdLifetimeMs)) return Promise.resolve(open());
    return ensureSubject().then((fresh) => (fresh ? open() : undefined));
  }

  return {
    api: { get: state, grant, deny, withdraw } satisfies HeedConsent,
    start,
    ready,
    require,
    forget,
    readyNow: () => verified && !!subject?.acked && granted(),
    policy: () => policy,
    subject: () => subject?.hash,
    token: () => subject?.token ?? lastToken,
    limits: (): BatchLimits | undefined =>
      policy && { maxEvents: policy.limits.maxEventsPerBatch, maxBytes: policy.limits.maxBodyBytes },
    /** The policy's `maxEventAge` in days (`P7D`); older events would be refused. */
    maxAgeMs: () => Number(/^P(\d+)D$/.exec(policy?.limits.maxEventAge ?? '')?.[1] ?? 1e9) * 86_400_000,
    /** Restriction and objection change what may be tracked; the server heard of them through /v1/me. */
    amend(change: (decision: DecisionRecord) => DecisionRecord) {
      if (!decision) return;
      saveDecision(change(decision));
      if (!trackingAllowed(decision, policy)) closeGate(true);
      else if (subject) openGate();
    },
    async identify(userId: string, beforeSwitch: () => void): Promise<boolean> {
      if (stopped() || !userId) return false;
      const hashing = hashOf(String(userId));
      if (!granted()) {
        pendingUser = hashing;
        return false;
      }
      return switchTo(await hashing, false, beforeSwitch);
    },
    async reset(beforeSwitch: () => void): Promise<boolean> {
      pendingUser = undefined;
      if (!granted()) return false;
      return switchTo(await hashOf(platform.newId()), true, beforeSwitch);
    },
  };
}
