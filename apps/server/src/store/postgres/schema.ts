/**
 * The PostgreSQL tables: the same data classes, names and keys as `../sqlite/schema.ts`, so
 * both stores answer the same contract and the same SQL reads both in tests. Times and
 * counters are `bigint` (epoch milliseconds and summed milliseconds outgrow `integer`); the
 * connection parses them to numbers (exact up to 2^53, far beyond any bucket or sum here).
 */
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, customType, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';

const ms = (name: string) => bigint(name, { mode: 'number' });
/** Binary images, read and written as Buffers (postgres.js's own mapping of bytea). */
const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

export const projects = pgTable('projects', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: ms('created_at').notNull(),
  /**
   * Bumped in the transaction that takes activity marks or sessions out (restriction,
   * erasure, retention): the stats caches (`store/activity-index`) trust what they loaded only
   * while this epoch holds, since removals can hide behind equal counts and change feeds.
   */
  statsEpoch: integer('stats_epoch').notNull().default(0),
  /**
   * Bumped in the transaction that rewrites folded counters (slot 0 of `aggregates`: a fold,
   * retention): a process keeps them in memory while this epoch holds (`folded-counters/`).
   */
  countersEpoch: integer('counters_epoch').notNull().default(0),
  /**
   * enforce | report | off (store.ts, IdentityMode). New projects enforce identity
   * verification; the migration that added it put existing projects in `report`.
   */
  identityMode: text('identity_mode', { enum: ['enforce', 'report', 'off'] }).notNull().default('enforce'),
  /** The project's own policy document (`policy_versions.hash`); null: the server's policy applies. */
  policyHash: text('policy_hash'),
});

/**
 * The removals that raised a project's `stats_epoch`, one row per step, written in the
 * transaction that made the step: statistics caches under an older epoch apply the steps
 * (`activity-index/`) instead of reading weeks of marks again, whichever process or
 * connection made them (`rules/stats-removal-log.ts`). No pseudonym: a step of one subject
 * (an erasure, a restriction, an objection) names the consent-ledger entry that proves the
 * change, which holds the pseudonym as the consent proof does (and keeps it after erasure).
 * Each step deletes the project's steps past the newest 1,024 or older than 7 days.
 */
export const statsRemovals = pgTable(
  'stats_removals',
  {
    projectId: text('project_id').notNull(),
    epoch: integer('epoch').notNull(),
    /** `consent_ledger.seq` of the change whose subject the step took out; null for a retention cut. */
    ledgerSeq: bigint('ledger_seq', { mode: 'number' }),
    /** The rest of the `StatsRemoval`, as JSON: purposes, a retention cut-off, deleted sessions' keys. */
    removal: text('removal').notNull(),
    /** When the step was logged, by the database's clock (the age limit compares it with the same clock). */
    at: ms('at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.projectId, table.epoch] })],
);

/**
 * The statistics caches' snapshot per project (`activity-index/snapshot/`), here where every
 * process finds it: a process that starts restores the caches from it and reads only what
 * changed since (the counters, the session feed, the removal log), instead of every mark and
 * session. The last process to write it wins; each image is whole and checked against the
 * database before use. Rewritten (or deleted) by an erasure, and never written with what a
 * logged removal took out.
 */
export const statsSnapshots = pgTable(
  'stats_snapshots',
  {
    projectId: text('project_id').notNull(),
    /** The image in parts of 1 MiB (`stats-snapshots.ts`): each part is one statement to write and one row to read. */
    part: integer('part').notNull(),
    bytes: bytea('bytes').notNull(),
    writtenAt: ms('written_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.projectId, table.part] })],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull().references(() => projects.id),
    kind: text('kind', { enum: ['write', 'analyst', 'admin', 'backend'] }).notNull(),
    /** SHA-256 of the whole key; keys are random, so a fast hash is enough. */
    hash: text('hash').notNull(),
    label: text('label').notNull().default(''),
    createdAt: ms('created_at').notNull(),
    revokedAt: ms('revoked_at'),
  },
  (table) => [uniqueIndex('api_keys_hash').on(table.hash), index('api_keys_project').on(table.projectId)],
);

export const subjects = pgTable(
  'subjects',
  {
    projectId: text('project_id').notNull(),
    pseudonym: text('pseudonym').notNull(),
    /** Which pseudonymisation key made the pseudonym, so the key can be rotated. */
    keyId: text('key_id').notNull(),
    createdAt: ms('created_at').notNull(),
    tz: text('tz'),
    device: text('device'),
    consentVersion: text('consent_version'),
    /** JSON array of granted consent-based purposes. */
    consentGranted: text('consent_granted').notNull().default('[]'),
    consentWithdrawn: boolean('consent_withdrawn').notNull().default(false),
    consentAt: ms('consent_at'),
    /** JSON array of legitimate-interest purposes objected to (Art. 21). */
    objected: text('objected').notNull().default('[]'),
    restricted: boolean('restricted').notNull().default(false),
    /** Art. 17 done: the row is the suppression record (pseudonym only). */
    erased: boolean('erased').notNull().default(false),
    lastSeenAt: ms('last_seen_at'),
    /**
     * Values the subject corrected (Art. 16), JSON: they take precedence over what later
     * batches report, wherever the subject is read (subject-row.ts).
     */
    corrected: text('corrected').notNull().default('{}'),
    /** A legal hold (Art. 17(3)): erasure is refused and retention waits, with the ground, until `hold_until`. */
    holdGround: text('hold_ground'),
    holdReason: text('hold_reason'),
    holdUntil: ms('hold_until'),
  },
  (table) => [primaryKey({ columns: [table.projectId, table.pseudonym] })],
);

/** Append-only; each entry hashes the previous one of its project (tamper evidence). */
export const consentLedger = pgTable(
  'consent_ledger',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    projectId: text('project_id').notNull(),
    pseudonym: text('pseudonym').notNull(),
    action: text('action').notNull(),
    policyVersion: text('policy_version').notNull(),
    /** JSON of the action's details, kept as the exact text that was hashed. */
    detail: text('detail').notNull(),
    at: ms('at').notNull(),
    /** SHA-256 of the policy document in force when the entry was made ('' before it was kept). */
    policyHash: text('policy_hash').notNull().default(''),
    /** Who decided: the channel (sdk, subject, staff, backend, system) and how they were authenticated. */
    channel: text('channel').notNull().default('legacy'),
    auth: text('auth').notNull().default('unrecorded'),
    /** The ledger key that sealed the entry (ledger/chain.ts); null until a pre-key entry is re-sealed. */
    keyId: text('key_id'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (table) => [index('consent_ledger_subject').on(table.projectId, table.pseudonym), index('consent_ledger_project').on(table.projectId, table.seq)],
);

/**
 * The newest entry of each project's chain, updated in the transaction that appends: an
 * append reads its predecessor here (one key lookup, whatever the ledger's size) instead of
 * sorting the project's entries, and PostgreSQL serialises a project's appends on this row.
 */
export const ledgerHeads = pgTable('ledger_heads', {
  projectId: text('project_id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});

/**
 * Subject tokens (Bearer for `/v1/me`), stored as SHA-256 digests. A subject may hold several
 * (a second device, a link minted by the platform's backend); each has an id the ledger names.
 */
export const subjectTokens = pgTable(
  'subject_tokens',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull(),
    pseudonym: text('pseudonym').notNull(),
    hash: text('hash').notNull(),
    createdAt: ms('created_at').notNull(),
    /** The channel of the verified caller it was issued to. */
    channel: text('channel').notNull(),
  },
  (table) => [uniqueIndex('subject_tokens_hash').on(table.hash), index('subject_tokens_subject').on(table.projectId, table.pseudonym)],
);

/**
 * Project identity secrets, without the secret: it is derived from `salt` under the identity
 * master key, which lives apart from the database (identity/secrets.ts).
 */
export const identitySecrets = pgTable(
  'identity_secrets',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull().references(() => projects.id),
    salt: text('salt').notNull(),
    masterKeyId: text('master_key_id').notNull(),
    createdAt: ms('created_at').notNull(),
    /** The end of a rotation's overlap period; null while it is the project's newest. */
    expiresAt: ms('expires_at'),
  },
  (table) => [index('identity_secrets_project').on(table.projectId)],
);

/**
 * Every policy document the server has put in force, by the SHA-256 of its text (what each
 * ledger entry records): the wording a user agreed to stays servable
 * (`GET /v1/policy/versions/:version`). `project_id` is '' for the server's own policy.
 */
export const policyVersions = pgTable(
  'policy_versions',
  {
    hash: text('hash').primaryKey(),
    projectId: text('project_id').notNull(),
    version: text('version').notNull(),
    document: text('document').notNull(),
    archivedAt: ms('archived_at').notNull(),
  },
  (table) => [index('policy_versions_line').on(table.projectId, table.version)],
);

/**
 * Where each project's consent ledger starts after retention pruned its oldest entries: the
 * seq and hash of the last pruned entry, sealed with the ledger key, so the remaining chain
 * still verifies from a point nobody holding only the database could move.
 */
export const ledgerCheckpoints = pgTable('ledger_checkpoints', {
  projectId: text('project_id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
  pruned: bigint('pruned', { mode: 'number' }).notNull(),
  at: ms('at').notNull(),
  keyId: text('key_id').notNull(),
  seal: text('seal').notNull(),
});

export const events = pgTable(
  'events',
  {
    projectId: text('project_id').notNull(),
    id: text('id').notNull(),
    pseudonym: text('pseudonym').notNull(),
    sessionId: text('session_id').notNull(),
    type: text('type').notNull(),
    ts: ms('ts').notNull(),
    receivedAt: ms('received_at').notNull(),
    name: text('name'),
    durationMs: ms('duration_ms'),
    activeMs: ms('active_ms'),
    props: text('props'),
    /** Comma-separated purposes the event was aggregated under, so erasure can take it out. */
    purposes: text('purposes').notNull(),
  },
  (table) => [
    // (project, ts, id) as in the SQLite schema: the same dedupe rule on both stores, and
    // inserts that land at the right edge of the index instead of all over it.
    primaryKey({ columns: [table.projectId, table.ts, table.id] }),
    index('events_subject').on(table.projectId, table.pseudonym),
    // BRIN, not b-tree (migration 0010): only retention looks events up by arrival, and rows
    // arrive in that order, so a summary per 128 pages finds them without an entry per event.
    index('events_received').using('brin', table.receivedAt),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    projectId: text('project_id').notNull(),
    sessionId: text('session_id').notNull(),
    pseudonym: text('pseudonym').notNull(),
    startedAt: ms('started_at').notNull(),
    lastSeenAt: ms('last_seen_at').notNull(),
    endedAt: ms('ended_at'),
    activeMs: ms('active_ms').notNull().default(0),
    events: ms('events').notNull().default(0),
    /**
     * The transaction that last wrote the row (`pg_current_xact_id()`): the session feed of the
     * stats cache reads rows from transactions at or after the oldest one still running when it
     * last read, so a row committed late is never skipped (stats-queries.ts, `changedAfter`).
     */
    changedXid: ms('changed_xid').notNull().default(0),
    /** A number per row, rising as rows are inserted: the session cache's key (`SessionChange.key`). */
    rowKey: bigint('row_key', { mode: 'number' }).generatedAlwaysAsIdentity(),
  },
  (table) => [
    primaryKey({ columns: [table.projectId, table.sessionId] }),
    index('sessions_subject').on(table.projectId, table.pseudonym),
    index('sessions_changed').on(table.projectId, table.changedXid),
  ],
);

/** One row per subject, purpose and bucket it was active in: distinct-subject counts. */
export const activity = pgTable(
  'activity',
  {
    projectId: text('project_id').notNull(),
    purpose: text('purpose').notNull(),
    grain: text('grain', { enum: ['hour', 'day'] }).notNull(),
    bucket: ms('bucket').notNull(),
    pseudonym: text('pseudonym').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.projectId, table.purpose, table.grain, table.bucket, table.pseudonym] }),
    index('activity_subject').on(table.projectId, table.pseudonym),
  ],
);

/**
 * Counters per purpose, grain (hour/day) and bucket: `metric` is sessions, active_ms,
 * subjects, events, duration_ms or timed; `dim` is the event name for per-feature metrics.
 */
export const aggregates = pgTable(
  'aggregates',
  {
    projectId: text('project_id').notNull(),
    purpose: text('purpose').notNull(),
    grain: text('grain', { enum: ['hour', 'day'] }).notNull(),
    bucket: ms('bucket').notNull(),
    metric: text('metric').notNull(),
    dim: text('dim').notNull().default(''),
    /**
     * The writer slot (`heed_writer_slot()`, one per live connection): every transaction adds
     * to its own slot's row, so concurrent writers, in one process or many, never wait on one
     * row to add to a count. Reads sum over slots.
     */
    slot: integer('slot').notNull().default(0),
    value: ms('value').notNull(),
  },
  // Metric before bucket: every read asks for a few metrics over a range of buckets, and
  // with bucket first it walked every metric of every hour in the range (21k rows for 7k).
  (table) => [
    primaryKey({ columns: [table.projectId, table.purpose, table.grain, table.metric, table.bucket, table.dim, table.slot] }),
    // The writer slots' rows only (migration 0011): the few a freshness check reads beside the folded counters it keeps.
    index('aggregates_writer_slots').on(table.projectId, table.purpose, table.grain, table.metric, table.bucket).where(sql`${table.slot} <> 0`),
  ],
);

/** What was not stored, as numbers only, per UTC day and reason. */
export const suppressions = pgTable(
  'suppressions',
  {
    projectId: text('project_id').notNull(),
    day: ms('day').notNull(),
    reason: text('reason').notNull(),
    /** The writer slot, as in `aggregates`: reads sum over slots. */
    slot: integer('slot').notNull().default(0),
    count: ms('count').notNull(),
  },
  (table) => [primaryKey({ columns: [table.projectId, table.day, table.reason, table.slot] })],
);

export const rightsRequests = pgTable(
  'rights_requests',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull(),
    pseudonym: text('pseudonym').notNull(),
    kind: text('kind').notNull(),
    via: text('via').notNull(),
    receivedAt: ms('received_at').notNull(),
    dueAt: ms('due_at').notNull(),
    completedAt: ms('completed_at'),
    outcome: text('outcome'),
    /** received -> extended -> completed | refused (rights/requests.ts). */
    state: text('state', { enum: ['received', 'extended', 'completed', 'refused'] }).notNull().default('received'),
    /** The one-month due date before any extension: an extension adds at most two months to it (Art. 12(3)). */
    originalDueAt: ms('original_due_at'),
    extensionReason: text('extension_reason'),
    /** When the subject was told of the extension and its reasons (within the first month). */
    noticeAt: ms('notice_at'),
    /** Why a request was refused: a ground from a fixed list, with `outcome` as the reason in words. */
    refusalGround: text('refusal_ground'),
  },
  (table) => [index('rights_requests_project').on(table.projectId, table.dueAt)],
);
