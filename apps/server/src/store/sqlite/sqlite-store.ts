/**
 * The embedded store: SQLite through better-sqlite3, schema and migrations from drizzle.
 * Reads and rare writes go through drizzle; the ingest transaction uses prepared statements
 * on the same connection, because it runs once per event and drizzle's query building would
 * cost more than the insert itself (bench/ingest measures both against raw inserts).
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { SubjectState } from '@heed/policy';
import { GENESIS_HASH, chainHash } from '../../ledger/chain.js';
import { planAggregates } from '../aggregate-plan.js';
import {
  StoreBusyError,
  type ConsentWrite,
  type ConsentWriteResult,
  type IngestResult,
  type IngestWrite,
  type KeyRow,
  type LedgerAppend,
  type LedgerEntry,
  type ProjectRow,
  type Store,
  type SubjectRecord,
} from '../store.js';
import { openSqlite, type SqliteOptions } from './open.js';
import type { Database as SqliteClient } from 'better-sqlite3';
import { apiKeys, consentLedger, projects } from './schema.js';

interface SubjectSqlRow {
  project_id: string;
  pseudonym: string;
  key_id: string;
  created_at: number;
  tz: string | null;
  device: string | null;
  consent_version: string | null;
  consent_granted: string;
  consent_withdrawn: number;
  consent_at: number | null;
  objected: string;
  restricted: number;
  erased: number;
  last_seen_at: number | null;
}

const TABLES = ['projects', 'api_keys', 'subjects', 'consent_ledger', 'events', 'sessions', 'activity', 'aggregates', 'suppressions', 'rights_requests'] as const;

function toSubjectRecord(row: SubjectSqlRow): SubjectRecord {
  const state: SubjectState = {
    consent:
      row.consent_version === null
        ? null
        : { policyVersion: row.consent_version, granted: JSON.parse(row.consent_granted) as string[], withdrawn: row.consent_withdrawn === 1 },
    objected: JSON.parse(row.objected) as string[],
    restricted: row.restricted === 1,
    erased: row.erased === 1,
  };
  return {
    projectId: row.project_id,
    pseudonym: row.pseudonym,
    keyId: row.key_id,
    createdAt: row.created_at,
    tz: row.tz,
    device: row.device,
    consentAt: row.consent_at,
    lastSeenAt: row.last_seen_at,
    state,
  };
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
}

/**
 * @example const store = createSqliteStore({ path: './data/heed.db' });
 */
export function createSqliteStore(options: SqliteOptions): Store & { readonly client: SqliteClient } {
  const { client, db } = openSqlite(options);

  const statements = {
    subject: client.prepare<[string, string], SubjectSqlRow>('SELECT * FROM subjects WHERE project_id = ? AND pseudonym = ?'),
    insertSubject: client.prepare(
      'INSERT INTO subjects (project_id, pseudonym, key_id, created_at, token_hash) VALUES (?, ?, ?, ?, ?)',
    ),
    updateConsent: client.prepare(
      `UPDATE subjects SET consent_version = ?, consent_granted = ?, consent_withdrawn = 0, consent_at = ?, objected = ?
       WHERE project_id = ? AND pseudonym = ?`,
    ),
    lastLedgerHash: client.prepare<[string], { hash: string }>(
      'SELECT hash FROM consent_ledger WHERE project_id = ? ORDER BY seq DESC LIMIT 1',
    ),
    insertLedger: client.prepare(
      `INSERT INTO consent_ledger (project_id, pseudonym, action, policy_version, detail, at, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertEvent: client.prepare(
      `INSERT INTO events (project_id, id, pseudonym, session_id, type, ts, received_at, name, duration_ms, active_ms, props, purposes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    upsertSession: client.prepare(
      `INSERT INTO sessions (project_id, session_id, pseudonym, started_at, last_seen_at, ended_at, active_ms, events)
       VALUES (?, ?, ?, ?, ?, ?, ?, 1)
       ON CONFLICT (project_id, session_id) DO UPDATE SET
         started_at = min(started_at, excluded.started_at),
         last_seen_at = max(last_seen_at, excluded.last_seen_at),
         ended_at = coalesce(excluded.ended_at, ended_at),
         active_ms = active_ms + excluded.active_ms,
         events = events + 1`,
    ),
    insertActivity: client.prepare(
      'INSERT INTO activity (project_id, purpose, grain, bucket, pseudonym) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    upsertAggregate: client.prepare(
      `INSERT INTO aggregates (project_id, purpose, grain, bucket, metric, dim, value) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (project_id, purpose, grain, bucket, metric, dim) DO UPDATE SET value = value + excluded.value`,
    ),
    upsertSuppression: client.prepare(
      `INSERT INTO suppressions (project_id, day, reason, count) VALUES (?, ?, ?, ?)
       ON CONFLICT (project_id, day, reason) DO UPDATE SET count = count + excluded.count`,
    ),
    touchSubject: client.prepare(
      `UPDATE subjects SET tz = ?, device = ?, last_seen_at = max(coalesce(last_seen_at, 0), ?)
       WHERE project_id = ? AND pseudonym = ?`,
    ),
  };

  /** Runs `work` in an IMMEDIATE transaction (the write lock up front: no upgrade deadlocks). */
  function writeTransaction<T>(work: () => T): T {
    try {
      return client.transaction(work).immediate();
    } catch (error) {
      if (isBusy(error)) throw new StoreBusyError({ cause: error });
      throw error;
    }
  }

  function appendLedger(entry: LedgerAppend): void {
    const prevHash = statements.lastLedgerHash.get(entry.projectId)?.hash ?? GENESIS_HASH;
    const detailJson = JSON.stringify(entry.detail);
    const hash = chainHash(prevHash, { ...entry, detailJson });
    statements.insertLedger.run(entry.projectId, entry.pseudonym, entry.action, entry.policyVersion, detailJson, entry.at, prevHash, hash);
  }

  const store = {
    dialect: 'sqlite' as const,
    client,

    async createProject(project: ProjectRow) {
      db.insert(projects).values(project).run();
    },

    async listProjects() {
      return db.select().from(projects).orderBy(asc(projects.createdAt)).all();
    },

    async insertKey(key: KeyRow & { hash: string }) {
      db.insert(apiKeys).values(key).run();
    },

    async findKey(id: string) {
      const row = db.select().from(apiKeys).where(eq(apiKeys.id, id)).get();
      return row && row.revokedAt === null ? row : undefined;
    },

    async listKeys(projectId: string) {
      return db
        .select({ id: apiKeys.id, projectId: apiKeys.projectId, kind: apiKeys.kind, label: apiKeys.label, createdAt: apiKeys.createdAt, revokedAt: apiKeys.revokedAt })
        .from(apiKeys)
        .where(eq(apiKeys.projectId, projectId))
        .orderBy(asc(apiKeys.createdAt))
        .all();
    },

    async revokeKey(id: string, at: number) {
      const result = db.update(apiKeys).set({ revokedAt: at }).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))).run();
      return result.changes > 0;
    },

    async loadSubjects(projectId: string, pseudonyms: readonly string[]) {
      const found = new Map<string, SubjectRecord>();
      for (const pseudonym of pseudonyms) {
        const row = statements.subject.get(projectId, pseudonym);
        if (row) found.set(pseudonym, toSubjectRecord(row));
      }
      return found;
    },

    async recordConsent(write: ConsentWrite): Promise<ConsentWriteResult> {
      return writeTransaction(() => {
        const existing = statements.subject.get(write.projectId, write.pseudonym);
        if (existing?.erased === 1) return { created: false, erased: true };
        if (!existing) statements.insertSubject.run(write.projectId, write.pseudonym, write.keyId, write.at, write.newTokenHash);
        statements.updateConsent.run(
          write.policyVersion,
          JSON.stringify(write.granted),
          write.at,
          JSON.stringify(write.objected),
          write.projectId,
          write.pseudonym,
        );
        appendLedger(write.ledger);
        return { created: !existing, erased: false };
      });
    },

    async ingest(write: IngestWrite): Promise<IngestResult> {
      return writeTransaction(() => {
        const inserted = [];
        const touched = new Map<string, number>();
        for (const event of write.events) {
          const changes = statements.insertEvent.run(
            write.projectId, event.id, event.pseudonym, event.sessionId, event.type, event.ts, write.receivedAt,
            event.name, event.durationMs, event.activeMs, event.propsJson, event.purposes.join(','),
          ).changes;
          if (changes === 0) continue;
          inserted.push(event);
          statements.upsertSession.run(
            write.projectId, event.sessionId, event.pseudonym, event.ts, event.ts,
            event.type === 'session_end' ? event.ts : null, event.activeMs ?? 0,
          );
          touched.set(event.pseudonym, Math.max(touched.get(event.pseudonym) ?? 0, event.ts));
        }
        const plan = planAggregates(inserted);
        const subjectsAdded = new Map<string, { purpose: string; grain: string; bucket: number; value: number }>();
        for (const mark of plan.activity) {
          const added = statements.insertActivity.run(write.projectId, mark.purpose, mark.grain, mark.bucket, mark.pseudonym).changes;
          if (added === 0) continue;
          const key = `${mark.purpose}\u0000${mark.grain}\u0000${mark.bucket}`;
          const entry = subjectsAdded.get(key);
          if (entry) entry.value += 1;
          else subjectsAdded.set(key, { purpose: mark.purpose, grain: mark.grain, bucket: mark.bucket, value: 1 });
        }
        for (const c of plan.counters) {
          statements.upsertAggregate.run(write.projectId, c.purpose, c.grain, c.bucket, c.metric, c.dim, c.value);
        }
        for (const s of subjectsAdded.values()) {
          statements.upsertAggregate.run(write.projectId, s.purpose, s.grain, s.bucket, 'subjects', '', s.value);
        }
        const day = Math.floor(write.receivedAt / 86_400_000) * 86_400_000;
        for (const [reason, count] of Object.entries(write.suppressed)) {
          if (count > 0) statements.upsertSuppression.run(write.projectId, day, reason, count);
        }
        for (const [pseudonym, lastTs] of touched) {
          statements.touchSubject.run(write.tz, write.device, lastTs, write.projectId, pseudonym);
        }
        return { accepted: inserted.length, duplicates: write.events.length - inserted.length };
      });
    },

    async *ledgerEntries(projectId?: string): AsyncIterable<LedgerEntry> {
      const filter = projectId === undefined ? undefined : eq(consentLedger.projectId, projectId);
      const rows = db.select().from(consentLedger).where(filter).orderBy(asc(consentLedger.seq)).all();
      for (const row of rows) {
        yield {
          seq: row.seq,
          projectId: row.projectId,
          pseudonym: row.pseudonym,
          action: row.action,
          policyVersion: row.policyVersion,
          detail: JSON.parse(row.detail) as Record<string, unknown>,
          detailJson: row.detail,
          at: row.at,
          prevHash: row.prevHash,
          hash: row.hash,
        };
      }
    },

    async counts() {
      const result: Record<string, number> = {};
      for (const table of TABLES) {
        result[table] = (client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      }
      return result;
    },

    async close() {
      if (client.open) client.close();
    },
  };
  return store;
}
