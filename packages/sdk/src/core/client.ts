/**
 * Wires the core into a Heed client: the consent gate, the subject, sessions, the queue and
 * delivery, over the platform ports. The gate is the point of the design: until a grant,
 * `track` returns on its first line, nothing is stored, no identifier exists and no request
 * leaves. A grant records the decision with the server before any batch; withdrawal stops
 * tracking and drops every queued event at once; a substantial policy change sends the SDK
 * back to "undecided". The consent state machine itself is in `consent/consent-state.ts`.
 */
import type { Props, WireEvent } from '@heed/policy';
import { createConsentState } from './consent/consent-state.js';
import { createDelivery } from './delivery.js';
import { HeedError, type HeedErrorCode } from './errors.js';
import type { Heed } from './heed.js';
import { lazyRights } from './lazy-rights.js';
import type { HeedOptions } from './options.js';
import type { LifecycleEvent, Platform } from './platform.js';
import { createQueue, type EventQueue } from './queue.js';
import { createRecords } from './records.js';
import { createRequester } from './requester.js';
import { createSessionTracker } from './session.js';

const MAX_DURATION_MS = 7 * 86_400_000;

/**
 * Creates a client on the given platform; the entry points call it with theirs.
 *
 * @example const heed = createClient({ endpoint, writeKey, projectId }, createTestPlatform().platform)
 */
export function createClient(options: HeedOptions, platform: Platform): Heed {
  const { clock, lifecycle } = platform;
  const report = (error: HeedError): void => {
    try {
      options.onError?.(error);
    } catch {
      // The host's own handler threw; there is nowhere left to report it, and throwing would break the host.
    }
  };
  const fail = (code: HeedErrorCode, message: string, cause?: unknown) => report(new HeedError(code, message, cause));
  const records = createRecords(platform.storage, options.storagePrefix ?? 'heed:', (cause) => fail('storage', 'failed', cause));
  const requester = createRequester(platform, options, report);
  let stopped = false;
  /** The open gate: a queue exists exactly while tracking may run (granted, not shut down). */
  let queue: EventQueue | undefined;
  let unsubscribe: (() => void) | undefined;

  const session = createSessionTracker(platform, options, enqueue);

  const consent = createConsentState({
    _platform: platform,
    _options: options,
    _records: records,
    _requester: requester,
    _fail: fail,
    _stopped: () => stopped,
    _gate: (on) => (on ? openGate() : closeGate(true)),
    // A new subject: the old session ends under the old subject, the next starts under the new.
    _switching(commit) {
      session._end();
      commit();
      if (queue && lifecycle.visible()) session._activity();
      void delivery._flush();
    },
    _flushed() {
      session._end();
      return delivery._flush();
    },
  });

  const delivery = createDelivery(platform, options, () => queue, requester, consent);

  /** Queues an event: `fields` (its type and what goes with it) plus id, time, session and subject. */
  function enqueue(fields: Partial<WireEvent>, sessionId: string): void {
    if (!queue) return;
    // An open gate has a grant and a subject (the consent state opens it only then).
    queue._push({ id: platform.newId(), ts: clock.now(), sessionId, subject: consent._stored().subject!.hash, ...fields } as WireEvent);
    delivery._schedule();
  }

  function onLifecycle(event: LifecycleEvent) {
    if (event === 'activity') return session._activity();
    if (event === 'visible') return session._visibility(true);
    if (event === 'pagehide') {
      session._end();
      // The page may be frozen or gone before the next macrotask: store the queue now, and
      // again with what the beacon took out.
      queue?._save();
      delivery._beacon();
      return queue?._save();
    }
    if (event === 'hidden') {
      session._visibility(false);
      // Hidden is the last moment a mobile browser reliably runs code (it may kill the tab after).
      queue?._save();
    }
    // Hidden: last chance to send; online: resume; offline: end any backoff, sending pauses.
    requester._wake();
    void delivery._flush();
  }

  function openGate(): void {
    if (queue || stopped) return;
    queue = createQueue(records, clock, options, (count) => fail('queue_overflow', `dropped ${count}`));
    unsubscribe = lifecycle.subscribe(onLifecycle);
    if (lifecycle.visible()) session._activity();
    delivery._schedule();
  }

  /** Stops tracking; `forget` also drops every queued event, in memory and in storage. */
  function closeGate(forget: boolean): void {
    const closing = queue;
    queue = undefined;
    session._stop();
    delivery._stop();
    unsubscribe?.();
    unsubscribe = undefined;
    requester._wake();
    if (forget) {
      // Clearing the old queue too: a request still in flight must not write it back.
      closing?._clear();
      records._remove('queue');
    } else closing?._save();
  }

  function track(name: string, props?: Props, durationMs?: number): void {
    if (!queue) return;
    try {
      enqueue({ type: 'track', name, durationMs, props }, session._activity());
    } catch {
      // Props JSON cannot encode (a BigInt, a cycle): the event is not queued, the host gets no throw.
      fail('invalid_event', name);
    }
  }

  const started = consent._start();

  return {
    consent: consent._api,
    identify: consent._identify,
    reset: consent._reset,
    track: (name, props) => track(name, props),
    time(name) {
      if (!queue) return () => undefined;
      const start = clock.now();
      return (props) => track(name, props, Math.min(MAX_DURATION_MS, Math.max(0, clock.now() - start)));
    },
    rights: lazyRights(consent._core, report, fail),
    flush: () => started.then(delivery._flush),
    async shutdown() {
      await started;
      if (stopped) return;
      // Without a queue there is no session to end and nothing to send: both return at once.
      session._end();
      await delivery._flush();
      stopped = true;
      closeGate(false);
    },
  };
}
