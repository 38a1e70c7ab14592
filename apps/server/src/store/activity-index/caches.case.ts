/**
 * What the statistics-cache tests share: a test server on SQLite (its connection stands for
 * another process on the file), a connection of the test's own over the same database, a
 * small population sent through the real pipeline, reads that count the mark rows and session
 * changes they return, and every answer the caches serve.
 */
import { afterEach, beforeEach, expect } from 'vitest';
import { DURATION_EDGES } from '../../aggregates/duration-bins.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';
import { connectSqlite, type SqliteConnection } from '../sqlite/connection.js';
import { createStatsQueries } from '../sqlite/stats-queries.js';
import type { CellMarks, MarkCell, ReturnGap, SessionDurations, SessionFeed, StatsReads } from '../stats-store.js';
import type { IndexedStats } from './indexed-stats.js';
import { bytesSource } from './snapshot/cache-image.js';
import { decodeSnapshot, type CacheSnapshots } from './snapshot/project-snapshot.js';

export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const START = Date.UTC(2026, 2, 2, 9);

export interface Answers {
  readonly users: number;
  readonly gaps: readonly ReturnGap[];
  readonly sessions: SessionDurations;
}

export interface CacheCase {
  readonly t: TestServer;
  readonly connection: SqliteConnection;
  /** Consents the user to both purposes; answers its subject token. */
  consent(user: string): Promise<string>;
  /** A session of one minute for each user, starting at `ts`. */
  visit(users: readonly string[], ts: number): Promise<void>;
  /** ann, bob, cem and dee consent; ann, bob, cem visit on day 0, ann and bob on day 1, ann on day 2. Answers their tokens. */
  population(): Promise<Map<string, string>>;
  /** The reads of the test's connection, counting the mark rows and session changes they return. */
  countedReads(): { reads: StatsReads; read: { marks: number; sessions: number }; base: ReturnType<typeof createStatsQueries> };
  /** Every answer the caches serve, over the first three days. */
  answers(stats: IndexedStats): Promise<Answers>;
}

/** Every answer the caches serve for a project, over the first three days from START. */
export async function cacheAnswers(stats: IndexedStats, projectId: string): Promise<Answers> {
  const users = await stats.distinctSubjects(projectId, [{ key: 'all', purpose: 'statistics', from: START - HOUR, to: START + 3 * DAY }]);
  const gaps = await stats.returnIntervals(projectId, 'update_timing', START - DAY, START + 3 * DAY);
  const sessions = await stats.sessionDurations(projectId, START - HOUR, START + 3 * DAY, DURATION_EDGES, 'statistics', 1);
  return { users: users.get('all') ?? 0, gaps, sessions };
}

/** Registers the per-test setup and teardown; call the result inside a test. */
export function cacheCase(): () => CacheCase {
  let world: CacheCase & { close(): Promise<void> };
  beforeEach(async () => {
    world = await openCacheCase();
  });
  afterEach(() => world.close());
  return () => world;
}

/** A new test server and connection of the test's own (`cacheCase` opens one per test; a property test one per run). */
export async function openCacheCase(): Promise<CacheCase & { close(): Promise<void> }> {
  const t = await startTestServer({ start: START - HOUR, store: 'sqlite' });
  const connection = connectSqlite({ path: t.dbPath, checkpointIntervalMs: 0 });
  let counter = 0;
  const id = () => `evt_cache_${String(++counter).padStart(8, '0')}`;

  const consent = async (user: string) => {
    const response = await t.post('/v1/consent', {
      writeKey: t.project.writeKey, subject: t.subjectFor(user), policyVersion: '2026-11-01', purposes: { statistics: true, update_timing: true }, ts: t.clock.now(),
    });
    return ((await response.json()) as { subjectToken: string }).subjectToken;
  };
  const visit = async (users: readonly string[], ts: number) => {
    t.clock.set(Math.max(t.clock.now(), ts + 120_000));
    const events = users.flatMap((user) => [
      { id: id(), type: 'session_start', ts, sessionId: `ses_${user}_${ts}`, subject: t.subjectFor(user) },
      { id: id(), type: 'heartbeat', ts: ts + 60_000, sessionId: `ses_${user}_${ts}`, subject: t.subjectFor(user), activeMs: 60_000 },
    ]);
    const response = await t.post('/v1/batch', { writeKey: t.project.writeKey, sentAt: t.clock.now(), tz: 'UTC', device: 'desktop', sdk: 'test/1', events });
    expect(await response.json()).toMatchObject({ accepted: events.length });
  };

  return {
    t,
    connection,
    async close() {
      connection.client.close();
      await t.close();
    },
    consent,
    visit,
    async population() {
      const tokens = new Map<string, string>();
      for (const user of ['ann', 'bob', 'cem', 'dee']) tokens.set(user, await consent(user));
      await visit(['ann', 'bob', 'cem'], START);
      await visit(['ann', 'bob'], START + DAY);
      await visit(['ann'], START + 2 * DAY);
      return tokens;
    },
    countedReads() {
      const base = createStatsQueries(connection);
      const feed = base.sessions as SessionFeed;
      const read = { marks: 0, sessions: 0 };
      const reads: StatsReads = {
        ...base,
        marks: async (...args) => {
          const cells = await base.marks(...args);
          for (const cell of cells) read.marks += cell.pseudonyms.length;
          return cells;
        },
        sessions: {
          ...feed,
          changedAfter: async (...args) => {
            const page = await feed.changedAfter(...args);
            read.sessions += page.changes.length;
            return page;
          },
        },
      };
      return { reads, read, base };
    },
    answers: (stats) => cacheAnswers(stats, t.project.projectId),
  };
}

/** Snapshots kept in memory, by project. */
export function memorySnapshots(): CacheSnapshots & { files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  return {
    files,
    read: async (projectId, use) => {
      const bytes = files.get(projectId);
      return bytes && use(bytesSource(bytes));
    },
    write: (projectId, chunks) => void files.set(projectId, Buffer.concat(chunks)),
    remove: (projectId) => void files.delete(projectId),
  };
}

/** A project's statistics cache snapshot as a test server's store keeps it (its rows of parts, in order); no bytes when there is none. */
export async function storedSnapshot(t: TestServer): Promise<Buffer> {
  const parts = await t.query<{ bytes: Buffer }>('SELECT bytes FROM stats_snapshots WHERE project_id = ? ORDER BY part', t.project.projectId);
  return Buffer.concat(parts.map((row) => row.bytes));
}

/** Whether a snapshot's marks still place the pseudonym in any cell (hour lists and day bits alike). */
export function snapshotPlaces(bytes: Uint8Array, projectId: string, pseudonym: string): boolean {
  const { dictionary, marks } = decodeSnapshot(bytesSource(bytes), { projectId, usableEpoch: () => true, feedHead: Number.MAX_SAFE_INTEGER });
  const ordinal = dictionary?.ordinalOf(pseudonym);
  if (ordinal === undefined || !marks) return false;
  return ['statistics', 'update_timing'].some((purpose) =>
    marks.cellsOf('hour', purpose).sets.some((set) => set.includes(ordinal)) || marks.cellsOf('day', purpose).sets.some((set) => set.has(ordinal)));
}

/** One activity mark, as tests write them. */
export interface Mark extends MarkCell {
  readonly pseudonym: string;
}

/** Marks as `StatsReads.marks` answers them: a list per cell, in the order cells first appear. */
export function marksByCell(marks: readonly Mark[]): CellMarks[] {
  const cells = new Map<string, { purpose: string; bucket: number; pseudonyms: string[] }>();
  for (const { purpose, bucket, pseudonym } of marks) {
    const key = `${purpose}\u0000${bucket}`;
    const cell = cells.get(key) ?? { purpose, bucket, pseudonyms: [] };
    cell.pseudonyms.push(pseudonym);
    cells.set(key, cell);
  }
  return [...cells.values()];
}
