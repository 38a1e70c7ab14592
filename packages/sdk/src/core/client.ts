/**
 * Wires the core into a Heed client: the consent gate, the subject, sessions, the queue and
 * delivery, over the platform ports. The gate is the point of the design: until a grant,
 * `track` returns on its first line, nothing is stored, no identifier exists and no request
 * leaves. A grant records the decision with the server before any batch; withdrawal wipes
 * everything local at once; a substantial policy change sends the SDK back to "undecided".
 */
import {
  approximateDurationMs,
  isConsentCurrent,
  parseDuration,
  type ConsentResponse,
  type PolicyDocument,
  type Props,
  type WireEvent,
} from '@heed/policy';
import type { BatchLimits } from './batches.js';
import { consentRequest, makeDecision, trackingAllowed, type DecisionRecord } from './decision.js';
import { createDelivery } from './delivery.js';
import { HeedError } from './errors.js';
import { trackProblem } from './event-check.js';
import type { ConsentState, Heed, StopTimer } from './heed.js';
import { subjectHash, subjectUsable, type SubjectRecord } from './identity.js';
import { resolveOptions, type ConsentRequiredInfo, type HeedOptions } from './options.js';
import type { LifecycleEvent, Platform } from './platform.js';
import { createQueue, type EventQueue } from './queue.js';
import { createRecords } from './records.js';
import { createRequester } from './requester.js';
import { createRights } from './rights.js';
import { createSessionTracker } from './session.js';

export const SDK_VERSION = 'heed-js/0.1.0';
const MAX_DURATION_MS = 7 * 86_400_000;
const NOOP: StopTimer = () => undefined;

/**
 * Creates a client on the given platform. Entry points call this with their platform.
 *
 * @example const heed = createClient({ endpoint, writeKey, projectId }, createTestPlatform().platform)
 */
export function createClient(input: HeedOptions, platform: Platform): Heed {
  const options = resolveOptions(input);
  const { clock, lifecycle, hasher, environment } = platform;
  const report = (error: HeedError): void => {
    try {
      options.onError?.(error);
    } catch (thrown) {
      // The host's own handler threw; there is nowhere left to report it, and throwing would break the host.
      void thrown;
    }
  };
  const storageError = (cause: unknown) => report(new HeedError('storage', 'storage refused a read or write', cause));
  const records = createRecords(platform.storage, options.storagePrefix, storageError);
  const requester = createRequester({
    transport: platform.transport,
    clock,
    random: platform.random,
    maxRetries: options.maxRetries,
    baseMs: options.retryBaseMs,
    maxMs: options.retryMaxMs,
    report,
  });

  let policy: PolicyDocument | undefined = options.policy;
  let loading: Promise<PolicyDocument | undefined> | undefined;
  let decision = records.read<DecisionRecord>('consent');
  let subject = records.read<SubjectRecord>('subject');
  let withdrawn = false;
  let verified = false;
  let open = false;
  let stopped = false;
  let queue: EventQueue | undefined;
  let unsubscribe: (() => void) | undefined;
  let acking: Promise<boolean> | undefined;
  let pendingUser: Promise<string | undefined> | undefined;
  let lastToken: string | undefined;
  const live = () => open && !stopped;

  const session = createSessionTracker({
    clock,
    newId: platform.newId,
    gapMs: options.sessionGapMs,
    idleMs: options.idleAfterMs,
    heartbeatMs: options.heartbeatMs,
    visible: lifecycle.visible(),
    emit: (type, sessionId, activeMs) => enqueue(type === 'session_start' ? { type } : { type, activeMs }, sessionId),
  });

  const delivery = createDelivery({
    queue: () => queue,
    requester,
    transport: platform.transport,
    clock,
    flushIntervalMs: options.flushIntervalMs,
    retryLaterMs: options.retryMaxMs,
    envelope: () => ({ writeKey: options.writeKey, tz: environment.timeZone(), device: environment.device(), sdk: SDK_VERSION }),
    prepare: async () => ((await verify()) && (await ack()) && live() ? limits() : undefined),
    readyNow: () => (verified && subject?.acked && live() ? limits() : undefined),
    prune: (event) => {
      const age = policy && parseDuration(policy.limits.maxEventAge);
      const problem = policy && trackProblem(event, policy.limits);
      if (problem) report(new HeedError('invalid_event', `dropped "${event.type}" event: ${problem}`));
      return !problem && (!age || event.ts >= clock.now() - approximateDurationMs(age));
    },
    online: lifecycle.online,
    live,
    onResponse: (response) => {
      if (response?.consentRequired) requireConsent('server', response.policyVersion);
    },
  });

  function limits(): BatchLimits | undefined {
    return policy && { maxEvents: policy.limits.maxEventsPerBatch, maxBytes: policy.limits.maxBodyBytes };
  }

  function ensurePolicy(): Promise<PolicyDocument | undefined> {
    if (policy) return Promise.resolve(policy);
    loading ??= requester.send({ method: 'GET', path: '/v1/policy' }, () => !stopped).then((outcome) => {
      loading = undefined;
      if (outcome.ok) return (policy = outcome.response.body as PolicyDocument);
      report(new HeedError('policy_unavailable', 'could not load the policy (GET /v1/policy)'));
      return undefined;
    });
    return loading;
  }

  /** Checks a stored grant against the policy in force, once. */
  async function verify(): Promise<boolean> {
    const current = await ensurePolicy();
    if (!current || !decision || decision.status !== 'granted') return false;
    if (!verified) {
      verified = true;
      if (!isConsentCurrent(decision.version, current)) {
        requireConsent('policy_changed', current.version);
        return false;
      }
      if (!trackingAllowed(decision, current)) closeGate(true);
    }
    return true;
  }

  /** Records the current decision for the current subject with the server; once per change. */
  function ack(): Promise<boolean> {
    acking ??= (async () => {
      while (subject && decision && !subject.acked && !stopped) {
        const [asked, decided] = [subject, decision];
        const body = JSON.stringify(consentRequest(options.writeKey, asked.hash, decided, policy, false, clock.now()));
        const outcome = await requester.send(
          { method: 'POST', path: '/v1/consent', body, contentType: 'text' },
          () => !stopped && decision === decided,
        );
        if (!outcome.ok) break;
        if (subject === asked && decision === decided) {
          const token = (outcome.response.body as ConsentResponse | undefined)?.subjectToken ?? asked.token;
          saveSubject({ ...asked, acked: true, token });
        }
      }
      return !!subject?.acked;
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

  /** The subject for a new decision: the pending user, the stored one, or a new anonymous id. */
  async function ensureSubject(): Promise<SubjectRecord | undefined> {
    const user = pendingUser && (await pendingUser);
    pendingUser = undefined;
    if (!user && subjectUsable(subject, clock.now(), options.anonymousIdLifetimeMs)) {
      return saveSubject({ ...subject, acked: false });
    }
    const hash = user ?? (await hashOf(platform.newId()));
    if (!hash || stopped) return undefined;
    return saveSubject({ hash, anonymous: !user, created: clock.now(), acked: false, token: hash === subject?.hash ? subject.token : undefined });
  }

  function hashOf(id: string): Promise<string | undefined> {
    return subjectHash(hasher, options.projectId, id).catch((cause: unknown) => {
      report(new HeedError('hash', 'SHA-256 is unavailable (Web Crypto needs a secure context)', cause));
      return undefined;
    });
  }

  function enqueue(fields: Partial<WireEvent>, sessionId: string | null): void {
    if (!live() || !queue || !subject || !sessionId) return;
    queue.push({ id: platform.newId(), type: 'track', ts: clock.now(), sessionId, subject: subject.hash, ...fields } as WireEvent);
    delivery.schedule();
  }

  function onLifecycle(event: LifecycleEvent): void {
    if (event === 'activity') session.activity();
    if (event === 'visible' || event === 'hidden') session.visibility(event === 'visible');
    if (event === 'hidden' || event === 'online') {
      requester.wake();
      void delivery.flush();
    }
    if (event === 'pagehide') {
      session.end();
      delivery.beacon();
    }
  }

  function openGate(): void {
    if (open || stopped) return;
    open = true;
    queue = createQueue({
      storage: platform.storage,
      key: records.key('queue'),
      maxEvents: options.maxQueueEvents,
      maxBytes: options.maxQueueBytes,
      onDrop: (count) => report(new HeedError('queue_overflow', `queue full: dropped the ${count} oldest event(s)`)),
      onStorageError: storageError,
    });
    unsubscribe = lifecycle.subscribe(onLifecycle);
    if (lifecycle.visible()) session.activity();
    delivery.schedule();
  }

  /** Stops tracking; `forget` also drops every queued event, in memory and in storage. */
  function closeGate(forget: boolean): void {
    open = false;
    session.stop();
    delivery.stop();
    unsubscribe?.();
    unsubscribe = undefined;
    requester.wake();
    if (forget) {
      queue?.clear();
      records.remove('queue');
    }
    queue = undefined;
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

  function requireConsent(reason: ConsentRequiredInfo['reason'], policyVersion: string): void {
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

  function track(name: string, props?: Props, durationMs?: number): void {
    if (!open) return;
    session.activity();
    const event = { type: 'track', name, durationMs, props } as WireEvent;
    const problem = policy && trackProblem(event, policy.limits);
    if (problem) return report(new HeedError('invalid_event', `track("${name}"): ${problem}`));
    enqueue(event, session.id());
  }

  function state(): ConsentState {
    const status = decision?.status ?? (withdrawn ? 'withdrawn' : 'undecided');
    return {
      status,
      purposes: status === 'granted' ? decision!.granted : [],
      objected: decision?.objected ?? [],
      policyVersion: decision?.version ?? null,
    };
  }

  async function withdraw(): Promise<ConsentState> {
    const [asked, decided] = [subject, decision];
    forget();
    if (asked && decided?.status === 'granted' && !stopped) {
      const body = JSON.stringify(consentRequest(options.writeKey, asked.hash, decided, policy, true, clock.now()));
      await requester.send({ method: 'POST', path: '/v1/consent', body, contentType: 'text' }, () => !stopped);
    }
    return state();
  }

  /** Restriction and objection change what may be tracked; the server heard of them through /v1/me. */
  function setDecision(next: DecisionRecord): void {
    saveDecision(next);
    if (!trackingAllowed(next, policy)) closeGate(true);
    else if (subject) openGate();
  }

  async function grant(purposes: readonly string[]): Promise<ConsentState> {
    const current = await ensurePolicy();
    if (!current || stopped) return state();
    const signal = options.honorPrivacySignals && environment.privacySignal();
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
    if (decision?.status === 'granted') await withdraw();
    // Remembering the refusal itself is strictly necessary (the banner must not come back).
    saveDecision({ status: 'denied', version: policy?.version ?? '', granted: [], objected: [], restricted: false, gpc: false, ts: clock.now() });
    return state();
  }

  // A grant from an earlier page: track at once with the stored subject, check the policy in force.
  if (decision?.status === 'granted') {
    if (subjectUsable(subject, clock.now(), options.anonymousIdLifetimeMs)) {
      if (trackingAllowed(decision, policy)) openGate();
      void verify();
    } else {
      void ensureSubject().then((ready) => {
        if (ready && trackingAllowed(decision, policy)) openGate();
        return verify();
      });
    }
  }

  return {
    consent: {
      get: state,
      grant,
      deny,
      withdraw,
    },
    async identify(userId) {
      if (stopped || !userId) return;
      const hashing = hashOf(String(userId));
      if (decision?.status !== 'granted') {
        pendingUser = hashing;
        return;
      }
      const hash = await hashing;
      if (!hash || hash === subject?.hash || !subject || stopped) return;
      session.end();
      saveSubject({ hash, anonymous: false, created: clock.now(), acked: false });
      void ack();
    },
    async reset() {
      pendingUser = undefined;
      if (decision?.status !== 'granted' || !subject || stopped) return;
      session.end();
      const hash = await hashOf(platform.newId());
      if (hash && subject) saveSubject({ hash, anonymous: true, created: clock.now(), acked: false });
      void ack();
    },
    track: (name, props) => track(name, props),
    time(name) {
      if (!open) return NOOP;
      const start = clock.now();
      return (props) => track(name, props, Math.min(MAX_DURATION_MS, Math.max(0, clock.now() - start)));
    },
    rights: createRights({
      requester,
      token: () => subject?.token ?? lastToken,
      live: () => !stopped,
      report,
      restrict: (on) => decision && setDecision({ ...decision, restricted: on }),
      object: (purposes, on) =>
        decision &&
        setDecision({
          ...decision,
          objected: on ? [...new Set([...decision.objected, ...purposes])] : decision.objected.filter((id) => !purposes.includes(id)),
        }),
      forget,
    }),
    flush: () => delivery.flush(),
    async shutdown() {
      if (stopped) return;
      if (open) {
        session.end();
        await delivery.flush();
      }
      stopped = true;
      closeGate(false);
    },
  };
}
