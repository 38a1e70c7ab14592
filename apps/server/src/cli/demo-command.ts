/**
 * `heed demo`: runs weeks of simulated time through the real pipeline. It starts the server
 * in-process on an ephemeral port with a manual clock, records consent for a population with
 * mixed choices, sends their sessions hour by hour over HTTP in the v1 wire format, then
 * restricts a few subjects, and leaves the data in the data directory for `heed serve`.
 */
import { createHash } from 'node:crypto';
import { manualClock } from '../clock.js';
import type { Config } from '../config.js';
import { startServer } from '../server.js';
import { ensureDemoProject } from './demo-project.js';
import { DEMO_FEATURES, DEMO_TZ, demoChoice, seeded, sessionChance } from './demo-population.js';

const HOUR = 3_600_000;

export interface DemoOptions {
  readonly weeks: number;
  readonly users: number;
  readonly progress?: (done: number, total: number) => void;
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

export async function runDemo(config: Config, options: DemoOptions) {
  const now = Date.now();
  const start = Math.floor((now - options.weeks * 7 * 24 * HOUR) / HOUR) * HOUR;
  const clock = manualClock(start);
  // The demo is one trusted client sending weeks of traffic as fast as it can.
  const server = await startServer({ ...config, port: 0, rate: { perSecond: 1_000_000, burst: 1_000_000 } }, { clock });
  try {
    const project = await ensureDemoProject(server.services, config.dataDir);
    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`[POST] ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as Record<string, unknown>;
    };
    const random = seeded(42);
    const policyVersion = server.services.policy.version;
    const people = Array.from({ length: options.users }, (_, i) => ({
      subject: createHash('sha256').update(`heed:v1:${project.projectId}:demo-${i}`).digest('base64url'),
      choice: demoChoice(random),
      token: undefined as string | undefined,
    }));
    for (const person of people) {
      const granted = person.choice !== 'deny';
      const answer = await post('/v1/consent', {
        writeKey: project.writeKey, subject: person.subject, policyVersion, ts: clock.now(),
        purposes: { statistics: granted, update_timing: granted && person.choice === 'both', marketing: false },
        ...(person.choice === 'statistics_object_timing' ? { objections: ['update_timing'] } : {}),
      });
      person.token = answer.subjectToken as string | undefined;
    }
    const hours = options.weeks * 7 * 24;
    let sessions = 0;
    let events = 0;
    for (let h = 0; h < hours; h++) {
      const hourStart = start + h * HOUR;
      const batch: Record<string, unknown>[] = [];
      for (const [index, person] of people.entries()) {
        if (random() >= sessionChance(hourStart)) continue;
        const sessionId = `demo_${index}_${h}_${Math.floor(random() * 1e9)}`;
        const begin = hourStart + Math.floor(random() * 50) * 60_000;
        const minutes = 3 + Math.floor(random() ** 2 * 55);
        const id = () => `${sessionId}_${batch.length}`;
        batch.push({ id: id(), type: 'session_start', ts: begin, sessionId, subject: person.subject });
        for (let m = 15; m < minutes; m += 15) batch.push({ id: id(), type: 'heartbeat', ts: begin + m * 60_000, sessionId, subject: person.subject, activeMs: 12 * 60_000 });
        const uses = Math.floor(random() * 3);
        for (let u = 0; u < uses; u++) {
          const name = DEMO_FEATURES[Math.floor(random() ** 1.5 * DEMO_FEATURES.length)]!;
          batch.push({ id: id(), type: 'track', ts: begin + Math.floor(random() * minutes) * 60_000, sessionId, subject: person.subject, name, durationMs: 150 + Math.floor(random() * 4_000) });
        }
        batch.push({ id: id(), type: 'session_end', ts: begin + minutes * 60_000, sessionId, subject: person.subject, activeMs: 60_000 });
        sessions++;
      }
      clock.set(hourStart + 2 * HOUR); // after the longest session of the hour ends
      for (let i = 0; i < batch.length; i += 200) {
        await post('/v1/batch', { writeKey: project.writeKey, sentAt: clock.now(), tz: DEMO_TZ, device: 'desktop', sdk: 'heed-demo/1', events: batch.slice(i, i + 200) });
      }
      events += batch.length;
      options.progress?.(h + 1, hours);
    }
    // A few people ask for restriction at the end (Art. 18): their data leaves every statistic.
    const restricted = people.filter((p) => p.token !== undefined && p.choice === 'both').slice(0, Math.max(1, Math.floor(options.users / 50)));
    for (const person of restricted) await post('/v1/me/restrict', { restricted: true }, { authorization: `Bearer ${person.token}` });
    return { project, sessions, events, restricted: restricted.length, objected: people.filter((p) => p.choice === 'statistics_object_timing').length, declined: people.filter((p) => p.choice === 'deny').length };
  } finally {
    await server.close();
  }
}
