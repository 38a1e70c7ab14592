/**
 * One simulated person on the platform, through the real SDK (`createHeed` from
 * `@heed/sdk/node`). Each visit is a page load: a new client over the person's own storage,
 * so the consent decision, the subject and its token carry over as they do in localStorage.
 * The page load opens a session (the SDK's gate opens on a stored grant); input reaches the
 * SDK as lifecycle `activity`, features go through `track` and `time`, heartbeats come from
 * the SDK's own timer, and closing the page is `pagehide` (session_end, the queue handed to
 * the beacon) and `shutdown()`.
 *
 * The first visit answers the consent banner after `identify`: grant statistics (update
 * timing rests on legitimate interest and follows), grant and then object to update timing
 * (Art. 21, `rights.object`), or decline (`consent.deny`: the SDK then records and sends
 * nothing, so the server never hears of that person). A person picked to restrict processing
 * (Art. 18) calls `rights.restrict(true)` when closing their first visit from `restrictFrom`
 * on; the SDK records nothing in their later visits.
 */
import { createHeed, type Heed, type NodeHeedOptions, type Storage } from '@heed/sdk/node';
import { createFakeLifecycle, createMemoryStorage, type FakeLifecycle } from '@heed/sdk/testing';
import { MINUTE_MS } from '../aggregates/time-units.js';
import type { SimulatedClock } from './demo-clock.js';
import { visitScript, type DemoChoice, type PlannedVisit } from './demo-population.js';

export interface DemoPerson {
  readonly userId: string;
  readonly choice: DemoChoice;
  /** Restricts processing when closing the first visit that starts at or after this time. */
  readonly restrictFrom: number | undefined;
  /** The person's browser storage. */
  readonly storage: Storage;
  decided: boolean;
  restricted: boolean;
  /** The last page's shutdown: it sends what the beacon did not take. */
  closing: Promise<void> | undefined;
}

export interface VisitContext {
  readonly clock: SimulatedClock;
  /** What every client gets (endpoint, keys, policy, clock, transport, onError); each visit adds its lifecycle and the person's storage. */
  readonly options: NodeHeedOptions;
  /** Pages still shutting down; the demo waits for them at the end. */
  readonly closing: Set<Promise<void>>;
  /**
   * Waits for SDK work that must be done before the simulation goes on (a consent decision,
   * a restriction, the previous page's delivery), as long as its requests are in flight:
   * work waiting out a retry backoff waits on the very clock the caller holds.
   */
  readonly waitFor: (work: Promise<unknown>) => Promise<void>;
  /**
   * What the platform's backend signs for its logged-in user on each page load (the demo
   * project's identity secret, the simulated clock): `identify(userId, { identity })`.
   */
  readonly identityFor: (userId: string) => string;
}

/** @example createPerson('demo-7', 'both', undefined).decided // false */
export function createPerson(userId: string, choice: DemoChoice, restrictFrom: number | undefined): DemoPerson {
  return { userId, choice, restrictFrom, storage: createMemoryStorage(), decided: false, restricted: false, closing: undefined };
}

/**
 * Events still waiting in the person's stored queue: the SDK keeps what the server has not
 * acknowledged in its `queue` record (`heed:queue`, the default storage prefix) until it is
 * delivered, so after the last page closed this is what delivery left behind.
 *
 * @example leftInQueue(person) // 0
 */
export function leftInQueue(person: DemoPerson): number {
  const text = person.storage.get('heed:queue');
  return text ? (JSON.parse(text) as unknown[]).length : 0;
}

/** The consent banner on the first visit; the decision is recorded before the visit goes on. */
async function decide(heed: Heed, person: DemoPerson): Promise<void> {
  if (person.choice === 'deny') await heed.consent.deny();
  else {
    await heed.consent.grant(['statistics']);
    if (person.choice === 'statistics_object_timing') await heed.rights.object(['update_timing']);
  }
  person.decided = true;
}

/**
 * Plays `visit` from its first moment: run it as a clock step at `visit.start`. Input,
 * features and the page closing are scheduled on the simulated clock.
 *
 * @example clock.step(visit.start, () => startVisit(person, visit, context))
 */
export async function startVisit(person: DemoPerson, visit: PlannedVisit, context: VisitContext): Promise<void> {
  const { clock } = context;
  // The previous page may still be delivering from the same storage: one tab closes before the next opens.
  if (person.closing) await context.waitFor(person.closing);
  const lifecycle = createFakeLifecycle();
  const heed = createHeed({ ...context.options, platform: { ...context.options.platform, lifecycle, storage: person.storage } });
  // The platform knows who is logged in: every page load identifies them with a fresh assertion.
  await heed.identify(person.userId, { identity: context.identityFor(person.userId) });
  if (!person.decided) await context.waitFor(decide(heed, person));
  const script = visitScript(visit.minutes, visit.seed);
  const at = (offset: number, callback: () => void) => clock.setTimeout(callback, visit.start + offset - clock.now());
  for (const offset of script.inputs) at(offset, () => lifecycle.fire('activity'));
  for (const use of script.uses) {
    const { name, durationMs, props } = use;
    if (durationMs === undefined) at(use.at, () => heed.track(name, props));
    else {
      at(use.at, () => {
        const stop = heed.time(name);
        clock.setTimeout(() => stop(props), durationMs);
      });
    }
  }
  const restrict = person.restrictFrom !== undefined && visit.start >= person.restrictFrom && !person.restricted;
  clock.step(visit.start + visit.minutes * MINUTE_MS, () => (restrict ? restrictAndClose(heed, person, context) : closePage(heed, lifecycle, person, context)));
}

/**
 * The tab closes as in a browser: on `pagehide` the SDK ends the session at once and hands
 * its queue to the beacon; `shutdown()` then stops the client. The beacons of an hour's
 * closing pages go out together when the simulation next yields, and the server commits
 * batches that arrive together in one transaction.
 */
function closePage(heed: Heed, lifecycle: FakeLifecycle, person: DemoPerson, context: VisitContext): void {
  lifecycle.fire('pagehide');
  const closing = heed.shutdown();
  person.closing = closing;
  context.closing.add(closing);
  void closing.then(() => context.closing.delete(closing));
}

/** Closing the page through `shutdown()` (session_end, then delivery), then restricting (Art. 18) once it was delivered. */
function restrictAndClose(heed: Heed, person: DemoPerson, context: VisitContext): Promise<void> {
  return context.waitFor(
    (async () => {
      await heed.shutdown();
      person.restricted = await heed.rights.restrict(true);
    })(),
  );
}
