/** Event-shaped batches and rows, the same for the HTTP path and the raw-insert baseline. */
import { nanoid } from 'nanoid';

export function makeBatch(writeKey: string, subjects: readonly string[], size: number, now: number) {
  const subject = subjects[Math.floor(Math.random() * subjects.length)]!;
  const sessionId = nanoid();
  const events = Array.from({ length: size }, (_, n) =>
    n % 10 === 0
      ? { id: nanoid(), type: 'track', ts: now - n, sessionId, subject, name: 'report.exported', durationMs: 420, props: { format: 'pdf' } }
      : { id: nanoid(), type: 'heartbeat', ts: now - n, sessionId, subject, activeMs: 15_000 },
  );
  return { writeKey, sentAt: now, tz: 'Europe/Brussels', device: 'desktop', sdk: 'bench/1', events };
}
