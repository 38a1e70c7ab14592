/**
 * The SQLite tables, one per data class of DESIGN.md ("Storage"). Times are epoch
 * milliseconds; buckets are UTC hour and day starts, so any local time zone can be derived on
 * read (stats convert per request). No column holds a raw user id, an IP address or a secret:
 * subjects are keyed by their HMAC pseudonym, keys and tokens by their SHA-256.
 */
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const projects = sqliteTable('projects', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: integer('created_at').notNull(),
  /**
   * Bumped in the transaction that takes activity marks or sessions out (restriction,
   * erasure, retention): the stats caches (`store/activity-index`) trust what they loaded only
   * while this epoch holds, since removals can hide behind equal counts and change feeds.
   */
  statsEpoch: integer('stats_epoch').notNull().default(0),
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
/**
 * The statistics caches' snapshots (`stats-snapshots.ts`): a project's image in parts of 64 KiB,
 * each one row, so a write or a read never holds more than a part beside the caches.
 */
export const statsSnapshots = sqliteTable(
  'stats_snapshots',
  {
    projectId: text('project_id').notNull(),
    part: integer('part').notNull(),
    bytes: blob('bytes', { mode: 'buffer' }).notNull(),
    writtenAt: integer('written_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.projectId, table.part] })],
);

export const statsRemovals = sqliteTable(
  'stats_removals',
  {
    projectId: text('project_id').notNull(),
    epoch: integer('epoch').notNull(),
    /** `consent_ledger.seq` of the change whose subject the step took out; null for a retention cut. */
    ledgerSeq: integer('ledger_seq'),
    /** The rest of the `StatsRemoval`, as JSON: purposes, a retention cut-off, deleted sessions' keys. */
    removal: text('removal').notNull(),
    /** When the step was logged, by the database's clock (the age limit compares it with the same clock). */
    at: integer('at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.projectId, table.epoch] })],
);

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull().references(() => projects.id),
    kind: text('kind', { enum: ['write', 'analyst', 'admin', 'backend'] }).notNull(),
    /** SHA-256 of the whole key; keys are random, so a fast hash is enough. */
    hash: text('hash').notNull(),
    label: text('label').notNull().default(''),
    createdAt: integer('created_at').notNull(),
    revokedAt: integer('revoked_at'),
  },
  (table) => [uniqueIndex('api_keys_hash').on(table.hash), index('api_keys_project').on(table.projectId)],
);

export const subjects = sqliteTable(
  'subjects',
  {
    projectId: text('project_id').notNull(),
    pseudonym: text('pseudonym').notNull(),
    /** Which pseudonymisation key made the pseudonym, so the key can be rotated. */
    keyId: text('key_id').notNull(),
    createdAt: integer('created_at').notNull(),
    tz: text('tz'),
    device: text('device'),
    consentVersion: text('consent_version'),
    /** JSON array of granted consent-based purposes. */
    consentGranted: text('consent_granted').notNull().default('[]'),
    consentWithdrawn: integer('consent_withdrawn', { mode: 'boolean' }).notNull().default(false),
    consentAt: integer('consent_at'),
    /** JSON array of legitimate-interest purposes objected to (Art. 21). */
    objected: text('objected').notNull().default('[]'),
    restricted: integer('restricted', { mode: 'boolean' }).notNull().default(false),
    /** Art. 17 done: the row is the suppression record (pseudonym only). */
    erased: integer('erased', { mode: 'boolean' }).notNull().default(false),
    lastSeenAt: integer('last_seen_at'),
    /**
     * Values the subject corrected (Art. 16), JSON: they take precedence over what later
     * batches report, wherever the subject is read (subject-row.ts).
     */
    corrected: text('corrected').notNull().default('{}'),
    /** A legal hold (Art. 17(3)): erasure is refused and retention waits, with the ground, until `hold_until`. */
    holdGround: text('hold_ground'),
    holdReason: text('hold_reason'),
    holdUntil: integer('hold_until'),
  },
  (table) => [primaryKey({ columns: [table.projectId, table.pseudonym] })],
);

/** Append-only; each entry hashes the previous one of its project (tamper evidence). */
export const consentLedger = sqliteTable(
  'consent_ledger',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    projectId: text('project_id').notNull(),
    pseudonym: text('pseudonym').notNull(),
    action: text('action').notNull(),
    policyVersion: text('policy_version').notNull(),
    /** JSON of the action's details (purposes granted and denied, GPC, objections...). */
    detail: text('detail').notNull(),
    at: integer('at').notNull(),
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
export const ledgerHeads = sqliteTable('ledger_heads', {
  projectId: text('project_id').primaryKey(),
  seq: integer('seq').notNull(),
  hash: text('hash').notNull(),
});

/**
 * Subject tokens (Bearer for `/v1/me`), stored as SHA-256 digests. A subject may hold several
 * (a second device, a link minted by the platform's backend); each has an id the ledger names.
 */
export const subjectTokens = sqliteTable(
  'subject_tokens',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull(),
    pseudonym: text('pseudonym').notNull(),
    hash: text('hash').notNull(),
    createdAt: integer('created_at').notNull(),
    /** The channel of the verified caller it was issued to. */
    channel: text('channel').notNull(),
  },
  (table) => [uniqueIndex('subject_tokens_hash').on(table.hash), index('subject_tokens_subject').on(table.projectId, table.pseudonym)],
);

/**
 * Project identity secrets, without the secret: it is derived from `salt` under the identity
 * master key, which lives apart from the database (identity/secrets.ts).
 */
export const identitySecrets = sqliteTable(
  'identity_secrets',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull().references(() => projects.id),
    salt: text('salt').notNull(),
    masterKeyId: text('master_key_id').notNull(),
    createdAt: integer('created_at').notNull(),
    /** The end of a rotation's overlap period; null while it is the project's newest. */
    expiresAt: integer('expires_at'),
  },
  (table) => [index('identity_secrets_project').on(table.projectId)],
);

/**
 * Every policy document the server has put in force, by the SHA-256 of its text (what each
 * ledger entry records): the wording a user agreed to stays servable
 * (`GET /v1/policy/versions/:version`). `project_id` is '' for the server's own policy.
 */
export const policyVersions = sqliteTable(
  'policy_versions',
  {
    hash: text('hash').primaryKey(),
    projectId: text('project_id').notNull(),
    version: text('version').notNull(),
    document: text('document').notNull(),
    archivedAt: integer('archived_at').notNull(),
  },
  (table) => [index('policy_versions_line').on(table.projectId, table.version)],
);

/**
 * Where each project's consent ledger starts after retention pruned its oldest entries: the
 * seq and hash of the last pruned entry, sealed with the ledger key, so the remaining chain
 * still verifies from a point nobody holding only the database could move.
 */
export const ledgerCheckpoints = sqliteTable('ledger_checkpoints', {
  projectId: text('project_id').primaryKey(),
  seq: integer('seq').notNull(),
  hash: text('hash').notNull(),
  pruned: integer('pruned').notNull(),
  at: integer('at').notNull(),
  keyId: text('key_id').notNull(),
  seal: text('seal').notNull(),
});

export const events = sqliteTable(
  'events',
  {
    /**
     * The rowid, named so that VACUUM keeps it: `subject_runs` points at ranges of it, and
     * retention deletes the oldest arrivals first in its order.
     */
    seq: integer('seq').primaryKey(),
    projectId: text('project_id').notNull(),
    id: text('id').notNull(),
    pseudonym: text('pseudonym').notNull(),
    sessionId: text('session_id').notNull(),
    type: text('type').notNull(),
    ts: integer('ts').notNull(),
    receivedAt: integer('received_at').notNull(),
    name: text('name'),
    durationMs: integer('duration_ms'),
    activeMs: integer('active_ms'),
    props: text('props'),
    /** Comma-separated purposes the event was aggregated under, so erasure can take it out. */
    purposes: text('purposes').notNull(),
  },
  // The key that dedupes retries is (project, ts, id), not (project, id): a retry resends an
  // event unchanged, ts included, and ts clusters the key. Keyed by a random id alone, every
  // insert dirtied its own index page and each commit wrote about one WAL page per event;
  // keyed by time, a commit's events share the few pages at the tree's right edge.
  (table) => [uniqueIndex('events_key').on(table.projectId, table.ts, table.id)],
);

/**
 * Where a subject's events are, as ranges of `events.seq`: one row per batch and subject (a
 * batch's events are inserted one after another), instead of an index entry per event. An
 * index on (project, pseudonym) took inserts at one place per subject all over its tree, so
 * page splits there were 40% of the pages each ingest commit wrote; these rows cost one
 * insert per batch. A range may also hold other subjects' events (a batch may mix subjects),
 * so readers always filter on the pseudonym as well.
 */
export const subjectRuns = sqliteTable(
  'subject_runs',
  {
    projectId: text('project_id').notNull(),
    pseudonym: text('pseudonym').notNull(),
    firstSeq: integer('first_seq').notNull(),
    lastSeq: integer('last_seq').notNull(),
  },
  // last_seq: retention drops the runs that end before the oldest event left.
  (table) => [primaryKey({ columns: [table.projectId, table.pseudonym, table.firstSeq] }), index('subject_runs_last').on(table.lastSeq)],
);

export const sessions = sqliteTable(
  'sessions',
  {
    projectId: text('project_id').notNull(),
    sessionId: text('session_id').notNull(),
    pseudonym: text('pseudonym').notNull(),
    startedAt: integer('started_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    endedAt: integer('ended_at'),
    activeMs: integer('active_ms').notNull().default(0),
    events: integer('events').notNull().default(0),
    /**
     * Rises with every write, in commit order (writers are serialised), and is never given
     * twice (`sessionFeedHead`): the session cache of `activity-index/` reads only the rows
     * changed since its last read.
     */
    changed: integer('changed').notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.projectId, table.sessionId] }),
    index('sessions_subject').on(table.projectId, table.pseudonym),
    index('sessions_changed').on(table.changed),
  ],
);

/**
 * One row: the highest `sessions.changed` a deleted session had (migration 0010's trigger sets
 * it on every delete). A write takes one more than the highest of this and the rows left:
 * with the rows alone, deleting the newest sessions (an erasure, retention) gave their numbers
 * again, at or below the cursor of a cache that had read them, which then never read the new
 * session.
 */
export const sessionFeedHead = sqliteTable('session_feed_head', {
  value: integer('value').notNull(),
});

/** One row per subject, purpose and bucket it was active in: distinct-subject counts. */
export const activity = sqliteTable(
  'activity',
  {
    projectId: text('project_id').notNull(),
    purpose: text('purpose').notNull(),
    grain: text('grain', { enum: ['hour', 'day'] }).notNull(),
    bucket: integer('bucket').notNull(),
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
export const aggregates = sqliteTable(
  'aggregates',
  {
    projectId: text('project_id').notNull(),
    purpose: text('purpose').notNull(),
    grain: text('grain', { enum: ['hour', 'day'] }).notNull(),
    bucket: integer('bucket').notNull(),
    metric: text('metric').notNull(),
    dim: text('dim').notNull().default(''),
    value: integer('value').notNull(),
  },
  // Metric before bucket: every read asks for a few metrics over a range of buckets, and
  // with bucket first it walked every metric of every hour in the range (21k rows for 7k).
  (table) => [primaryKey({ columns: [table.projectId, table.purpose, table.grain, table.metric, table.bucket, table.dim] })],
);

/** What was not stored, as numbers only, per UTC day and reason. */
export const suppressions = sqliteTable(
  'suppressions',
  {
    projectId: text('project_id').notNull(),
    day: integer('day').notNull(),
    reason: text('reason').notNull(),
    count: integer('count').notNull(),
  },
  (table) => [primaryKey({ columns: [table.projectId, table.day, table.reason] })],
);

export const rightsRequests = sqliteTable(
  'rights_requests',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id').notNull(),
    pseudonym: text('pseudonym').notNull(),
    kind: text('kind').notNull(),
    via: text('via').notNull(),
    receivedAt: integer('received_at').notNull(),
    dueAt: integer('due_at').notNull(),
    completedAt: integer('completed_at'),
    outcome: text('outcome'),
    /** received -> extended -> completed | refused (rights/requests.ts). */
    state: text('state', { enum: ['received', 'extended', 'completed', 'refused'] }).notNull().default('received'),
    /** The one-month due date before any extension: an extension adds at most two months to it (Art. 12(3)). */
    originalDueAt: integer('original_due_at'),
    extensionReason: text('extension_reason'),
    /** When the subject was told of the extension and its reasons (within the first month). */
    noticeAt: integer('notice_at'),
    /** Why a request was refused: a ground from a fixed list, with `outcome` as the reason in words. */
    refusalGround: text('refusal_ground'),
  },
  (table) => [index('rights_requests_project').on(table.projectId, table.dueAt)],
);
