/** Event-shaped batches and rows, the same for the HTTP path and the raw-insert baseline. */
import { nanoid } from 'nanoid';
import type { BenchSubject } from './server-process.js';

/** A batch of one random subject's new session, with the subject's identity proof. */
export function makeBatch(writeKey: string, subjects: readonly BenchSubject[], size: number, now: number) {
  const { subject, identity } = subjects[Math.floor(Math.random() * subjects.length)]!;
  const sessionId = nanoid();
  const events = Array.from({ length: size }, (_, n) =>
    n % 10 === 0
      ? { id: nanoid(), type: 'track', ts: now - n, sessionId, subject, name: 'report.exported', durationMs: 420, props: { format: 'pdf' } }
      : { id: nanoid(), type: 'heartbeat', ts: now - n, sessionId, subject, activeMs: 15_000 },
  );
  const proofs = identity === undefined ? {} : { proofs: { [subject]: { identity } } };
  return { writeKey, sentAt: now, tz: 'Europe/Brussels', device: 'desktop', sdk: 'bench/1', ...proofs, events };
}
