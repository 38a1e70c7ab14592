/**
 * A group's batches after their events were inserted, summed per project before anything else
 * is written, for both stores: the batches of one turn mostly share their project, hour,
 * purposes and sessions, so sessions, activity marks and counters cost a handful of upserts
 * per group, not per batch.
 */
import { DAY_MS } from '../../aggregates/time-units.js';
import type { AcceptedEvent, IngestResult, IngestWrite, LateReason } from '../store.js';

/** One batch after its events were inserted. */
export interface StoredBatch {
  readonly write: IngestWrite;
  /** The events the unique key did not refuse as already seen. */
  readonly inserted: AcceptedEvent[];
  readonly late: Partial<Record<LateReason, number>>;
  lateCount: number;
}

/** The latest event a subject sent in a group, with the time zone and device of its batch. */
export interface LastSeen {
  ts: number;
  tz: string;
  device: string;
}

/** A project's share of a group: its new events, suppression counts by day and reason, subjects last seen. */
export interface ProjectShare {
  readonly events: AcceptedEvent[];
  /** Keyed `day \0 reason`. */
  readonly suppressed: Map<string, number>;
  readonly seen: Map<string, LastSeen>;
}

/**
 * @example for (const [projectId, share] of shareByProject(stored)) writeSessions(projectId, foldSessions(share.events))
 */
export function shareByProject(stored: readonly StoredBatch[]): Map<string, ProjectShare> {
  const byProject = new Map<string, ProjectShare>();
  for (const { write, inserted, late } of stored) {
    let project = byProject.get(write.projectId);
    if (!project) byProject.set(write.projectId, (project = { events: [], suppressed: new Map(), seen: new Map() }));
    project.events.push(...inserted);
    const day = Math.floor(write.receivedAt / DAY_MS) * DAY_MS;
    for (const [reason, count] of [...Object.entries(write.suppressed), ...Object.entries(late)]) {
      if (count > 0) project.suppressed.set(`${day}\u0000${reason}`, (project.suppressed.get(`${day}\u0000${reason}`) ?? 0) + count);
    }
    for (const event of inserted) {
      const seen = project.seen.get(event.pseudonym);
      if (!seen) project.seen.set(event.pseudonym, { ts: event.ts, tz: write.tz, device: write.device });
      else if (event.ts >= seen.ts) {
        seen.ts = event.ts;
        seen.tz = write.tz;
        seen.device = write.device;
      }
    }
  }
  return byProject;
}

/** A suppression key of `ProjectShare.suppressed`, split. */
export function suppressionKey(key: string): { day: number; reason: string } {
  const [day, reason] = key.split('\u0000');
  return { day: Number(day), reason: reason! };
}

/** What each batch of a group is answered. */
export function batchResult({ write, inserted, late, lateCount }: StoredBatch): IngestResult {
  return {
    accepted: inserted.length,
    duplicates: write.events.length - inserted.length - lateCount,
    ...(lateCount > 0 ? { lateSuppressed: late } : {}),
  };
}
