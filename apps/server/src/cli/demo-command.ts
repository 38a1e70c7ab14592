/**
 * `heed demo`: runs weeks of simulated time through the real pipeline. It starts the server
 * in-process on an ephemeral port, on the simulated clock it shares with every SDK client,
 * and plays a seeded population through the real SDK (`createHeed` from `@heed/sdk/node`,
 * one client per page load, see `demo-person.ts`) hour by hour: consent choices, sessions
 * with heartbeats, features, an objection and a few restrictions. It checks that the server
 * accepted every event the SDK sent, and leaves the data in the data directory for
 * `heed serve`.
 */
import type { PolicyDocument } from '@heed/policy';
import { signIdentity, type HeedError } from '@heed/sdk/node';
import { HOUR_MS, HOURS_PER_WEEK, MINUTE_MS, WEEK_MS } from '../aggregates/time-units.js';
import type { Config } from '../config.js';
import { seeded } from '../seeded-random.js';
import { startServer } from '../server.js';
import { createSimulatedClock, type SimulatedClock } from './demo-clock.js';
import { createPerson, leftInQueue, startVisit, type DemoPerson, type VisitContext } from './demo-person.js';
import { ensureDemoProject } from './demo-project.js';
import { createVisitPlanner, DEMO_TZ, demoChoice } from './demo-population.js';
import { createDemoTransport, httpExchange, type DemoTransport, type Exchange } from './demo-transport.js';

export interface DemoOptions {
  readonly weeks: number;
  readonly users: number;
  readonly progress?: (done: number, total: number) => void;
  /** Simulated time ends an hour before this (default: now), so the last visits are over by then. */
  readonly until?: number;
  /** The SDK's network (tests watch the wire with it); `node:http` by default. */
  readonly exchange?: Exchange;
}

/** A one-line progress bar on stderr. */
let lastPercent = -1;
export function progressBar(done: number, total: number): void {
  const percent = Math.round((done / total) * 100);
  if (percent === lastPercent && done !== total) return;
  lastPercent = percent;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round((done / total) * 100)}%${done === total ? '\n' : ''}`);
}

/**
 * Runs the demo on the store `config` names and returns what it produced; throws when the
 * server did not accept every event the SDK sent.
 *
 * @example const result = await runDemo(loadConfig(process.env), { weeks: 3, users: 200, progress: progressBar }) // { sessions, events, declined, objected, restricted, ... }
 */
export async function runDemo(config: Config, options: DemoOptions) {
  const end = Math.floor((options.until ?? Date.now()) / HOUR_MS) * HOUR_MS - HOUR_MS;
  const start = end - options.weeks * WEEK_MS;
  const clock = createSimulatedClock(start);
  // The demo is one trusted machine sending weeks of traffic as fast as it can.
  const server = await startServer({ ...config, port: 0, rate: { perSecond: 1_000_000, burst: 1_000_000 } }, { clock });
  const http = httpExchange();
  const exchange = options.exchange ?? http;
  try {
    const project = await ensureDemoProject(server.services, config.dataDir);
    const policy = JSON.parse((await exchange(`${server.url}/v1/policy`, { method: 'GET', headers: {} })).body.toString('utf8')) as PolicyDocument;
    const transport = createDemoTransport(server.url, exchange);
    const errors: HeedError[] = [];
    const context: VisitContext = {
      clock,
      closing: new Set(),
      waitFor: (work) => transport.waitFor(work),
      identityFor: (userId) => signIdentity({ secret: project.identitySecret, projectId: project.projectId, userId, now: clock.now() }),
      options: {
        endpoint: server.url,
        writeKey: project.writeKey,
        projectId: project.projectId,
        policy,
        // A heartbeat bounds what a crash loses, and simulated people do not crash: every 15
        // minutes instead of 15 s gives the same active time in a sixtieth of the heartbeats.
        heartbeatMs: 15 * MINUTE_MS,
        onError: (error) => void errors.push(error),
        platform: { clock, transport, environment: { timeZone: () => DEMO_TZ, device: () => 'desktop', privacySignal: () => false } },
      },
    };
    const random = seeded(42);
    const choices = Array.from({ length: options.users }, () => demoChoice(random));
    // A few people restrict processing (Art. 18) in the last week: their data leaves every statistic.
    const restricting = new Set(choices.flatMap((choice, i) => (choice === 'both' ? [i] : [])).slice(0, Math.max(1, Math.floor(options.users / 50))));
    const people: DemoPerson[] = choices.map((choice, i) => createPerson(`demo-${i}`, choice, restricting.has(i) ? end - WEEK_MS : undefined));
    const plan = createVisitPlanner(options.users, random);
    const hours = options.weeks * HOURS_PER_WEEK;
    for (let h = 0; h < hours; h++) {
      const hourStart = start + h * HOUR_MS;
      for (const visit of plan(hourStart)) clock.step(visit.start, () => startVisit(people[visit.person]!, visit, context));
      await clock.runUntil(hourStart + HOUR_MS);
      await transport.idle();
      // The SDK reports a failure only once its retries are spent: stop at the first.
      if (errors.length > 0) checkDelivery(transport, errors, 0);
      options.progress?.(h + 1, hours);
    }
    // Visits that began in the last hour end within the next one.
    await clock.runUntil(end + HOUR_MS);
    await closeAll(clock, transport, context.closing);
    checkDelivery(transport, errors, people.reduce((left, person) => left + leftInQueue(person), 0));
    const { tally } = transport;
    return {
      project,
      sessions: tally.events.session_start ?? 0,
      events: tally.accepted,
      eventsByType: { ...tally.events },
      requests: { ...tally.requests },
      sdk: [...tally.sdk],
      declined: people.filter((p) => p.decided && p.choice === 'deny').length,
      objected: people.filter((p) => p.decided && p.choice === 'statistics_object_timing').length,
      restricted: people.filter((p) => p.restricted).length,
    };
  } finally {
    http.close();
    await server.close();
  }
}

/**
 * Lets the last visits end and their pages deliver. A delivery waiting out a retry backoff
 * waits on simulated time: when nothing is in flight, the clock jumps to the next timer.
 */
async function closeAll(clock: SimulatedClock, transport: DemoTransport, closing: Set<Promise<void>>): Promise<void> {
  for (let next = clock.next(); next !== undefined || closing.size > 0; next = clock.next()) {
    if (next !== undefined) await clock.runUntil(next);
    await transport.idle();
    if (next === undefined) await Promise.race([Promise.all(closing), new Promise((resolve) => setTimeout(resolve, 100))]);
  }
}

/**
 * Every event the SDK queued was delivered and accepted once: the server accepted each
 * distinct event sent, none is left in a queue, and the SDK reported no failure (a full
 * queue dropping events, a refused batch). Nothing else drops queued events here: the
 * restrictions come after the page delivered.
 */
function checkDelivery({ tally }: DemoTransport, errors: readonly HeedError[], left: number): void {
  const sent = tally.ids.size;
  if (errors.length === 0 && left === 0 && tally.accepted === sent && tally.suppressed === 0 && tally.rejected === 0) return;
  throw new Error(
    `demo: the SDK sent ${sent} events, the server accepted ${tally.accepted} (${tally.duplicates} duplicates, ${tally.suppressed} suppressed, ${tally.rejected} rejected), ${left} left queued; ${errors.length} SDK errors${errors[0] ? `, first: ${errors[0].code} ${errors[0].message}` : ''}`,
    { cause: errors[0] },
  );
}
