/**
 * For each right and principle the policy promises, the tests that prove Heed keeps it, as
 * data. `heed compliance` prints it after the Art. 30 record; `evidence.test.ts` checks that
 * every file named here exists and still holds a test with exactly that title, so the
 * report fails the build instead of rotting when a test is renamed or removed.
 */

/** A test: the file from the repository root, and the exact title passed to `it()`. */
export interface Proof {
  readonly file: string;
  readonly test: string;
}

export interface Principle {
  readonly id: PrincipleId;
  readonly title: string;
  /** Where the GDPR (or ePrivacy) states it. */
  readonly article: string;
  /** What Heed does, in one sentence. */
  readonly how: string;
  readonly proofs: readonly Proof[];
}

export const PRINCIPLE_IDS = [
  'access', 'portability', 'rectification', 'erasure', 'restriction', 'objection', 'withdrawal', 'consent_gate',
  'purpose_limitation', 'data_minimisation', 'pseudonymisation', 'storage_limitation', 'consent_proof', 'identity_verification',
  'security', 'request_deadlines', 'policy_versions',
] as const;
export type PrincipleId = (typeof PRINCIPLE_IDS)[number];

const RIGHTS = 'apps/server/src/rights/rights.test.ts';
const DECIDE = 'packages/policy/src/decision/decide.test.ts';
const INGEST = 'apps/server/src/ingest/ingest.test.ts';
const SECURITY = 'apps/server/src/http/security.test.ts';
const STATS = 'apps/server/src/routes/stats.test.ts';
const ANSWER = 'apps/server/src/rights/access-schema.test.ts';
const LIFECYCLE = 'apps/server/src/rights/request-lifecycle.test.ts';
const RETENTION = 'apps/server/src/retention/run-retention.test.ts';
const ON_DISK = 'apps/server/src/rights/deleted-on-disk.test.ts';
const RETENTION_TEST = 'ends each class at its period, keeps restricted and held data until lifted, and prunes the ledger behind a checkpoint';

export const EVIDENCE: readonly Principle[] = [
  {
    id: 'access', title: 'Right of access', article: 'Art. 15',
    how: 'GET /v1/me (subject token) and the admin API by user id answer everything held and every Art. 15(1) item from the project\'s policy, validated against docs/access-answer.schema.json, and log the request.',
    proofs: [
      { file: RIGHTS, test: 'answers everything held as versioned JSON, and logs the request' },
      { file: RIGHTS, test: 'covers every table that stores per-subject data' },
      { file: ANSWER, test: 'validates against docs/access-answer.schema.json' },
      { file: ANSWER, test: '(a) names each purpose with its legal basis and texts, and whether it is processed now' },
      { file: ANSWER, test: '(b) lists the categories of data of each purpose' },
      { file: ANSWER, test: '(c) lists the recipients' },
      { file: ANSWER, test: '(d) gives the retention of each data class, and why data may be kept longer' },
      { file: ANSWER, test: '(e) lists the rights and how to use each' },
      { file: ANSWER, test: '(f) names the supervisory authority and its address for a complaint' },
      { file: ANSWER, test: '(g) says where the data comes from' },
      { file: ANSWER, test: '(h) states that no automated decision is made' },
    ],
  },
  {
    id: 'portability', title: 'Right to data portability', article: 'Art. 20',
    how: 'The same answer as CSV files in a zip: structured, commonly used, machine-readable.',
    proofs: [{ file: RIGHTS, test: 'exports one CSV file per table in a zip' }],
  },
  {
    id: 'rectification', title: 'Right to rectification', article: 'Art. 16',
    how: 'PATCH /v1/me corrects the correctable fields (time zone, device class) and refuses the rest.',
    proofs: [
      { file: RIGHTS, test: 'corrects the time zone and refuses anything else with the field named' },
      { file: 'packages/policy/src/wire/schemas.test.ts', test: 'corrects time zone and device class and refuses anything else' },
      { file: LIFECYCLE, test: 'keeps a corrected time zone and device class when later batches report others' },
    ],
  },
  {
    id: 'erasure', title: 'Right to erasure', article: 'Art. 17',
    how: 'DELETE /v1/me deletes held data and its aggregate share; a pseudonym-only suppression record keeps later events dropped. On SQLite the deleted rows are overwritten in the database file and its WAL before the answer. Under a legal hold (Art. 17(3)) it answers 409 with the ground and logs the refusal. Restoring a backup (heed restore, on either store) erases again whoever the database it replaces shows erased.',
    proofs: [
      { file: RIGHTS, test: 'deletes held data, takes it out of the aggregates, keeps the proof and says so' },
      { file: RIGHTS, test: 'keeps the pseudonym only in the consent proof and the suppression record (every table scanned)' },
      { file: ON_DISK, test: 'an erased person’s events, session and texts are in neither the database file nor its WAL once the erasure answered' },
      { file: DECIDE, test: 'allows nothing under restriction or after erasure, whatever else holds' },
      { file: LIFECYCLE, test: 'answers erasure 409 with the ground under a legal hold, logs the refusal, and erases once it ends' },
      { file: 'apps/server/src/cli/restore-commands.test.ts', test: 'puts the backup back and applies again the erasure, restriction, withdrawal and objection made since' },
      { file: 'apps/server/src/cli/restore-postgres.test.ts', test: 'applies again, from the database a pg_restore replaces, the erasure, restriction, withdrawal and objection made since the dump' },
    ],
  },
  {
    id: 'restriction', title: 'Right to restriction of processing', article: 'Art. 18',
    how: 'Nothing new is collected; held data leaves every aggregate and statistic and is kept (retention waits) until lifted; staff lifting it record that the subject was told (Art. 18(3)).',
    proofs: [
      { file: RIGHTS, test: 'takes held events out of every aggregate, collects nothing new, and puts them back when lifted' },
      { file: STATS, test: 'an objector to update_timing counts in usage, not in the heatmap or windows; a restricted subject in neither' },
      { file: RETENTION, test: RETENTION_TEST },
    ],
  },
  {
    id: 'objection', title: 'Right to object', article: 'Art. 21',
    how: 'An objection stops a legitimate-interest purpose at once, on every server process.',
    proofs: [
      { file: RIGHTS, test: 'stops counting for the legitimate-interest purpose and points consent purposes to withdrawal' },
      { file: DECIDE, test: 'drops for objection only legitimate-interest purposes' },
      { file: 'test/multi-process.test.ts', test: 'stops counting for update timing through process B as soon as the objection through process A has answered' },
    ],
  },
  {
    id: 'withdrawal', title: 'Withdrawal of consent', article: 'Art. 7(3)',
    how: 'Withdrawal is as easy as giving consent, is recorded in the ledger and closes the gate for every purpose.',
    proofs: [
      { file: RIGHTS, test: 'is recorded in the ledger and takes effect at once' },
      { file: DECIDE, test: 'closes the gate after withdrawal for every purpose' },
      { file: 'test/sdk-browser.test.ts', test: 'sends nothing after withdrawal' },
    ],
  },
  {
    id: 'consent_gate', title: 'Consent before tracking', article: 'Art. 6(1)(a), Art. 7; ePrivacy Art. 5(3)',
    how: 'The SDK records nothing before a decision; the server re-decides every event and asks again after a substantial policy change.',
    proofs: [
      { file: DECIDE, test: 'allows nothing before any decision' },
      { file: DECIDE, test: 'allows nothing when a substantial change superseded the consented version' },
      { file: INGEST, test: 'stores nothing from subjects without consent, withdrawn, restricted or erased, and counts them by reason' },
      { file: INGEST, test: 'supersedes earlier consent: events are dropped as policy_superseded until the user decides again' },
      { file: 'test/sdk-browser.test.ts', test: 'records nothing before consent, then sessions and active time that land in the aggregates' },
    ],
  },
  {
    id: 'purpose_limitation', title: 'Purpose limitation (the decision table)', article: 'Art. 5(1)(b)',
    how: 'Each event is aggregated only under the purposes its subject state allows; usage never feeds marketing.',
    proofs: [
      { file: DECIDE, test: 'allows a consent-based purpose only with an explicit, current, unwithdrawn grant' },
      { file: DECIDE, test: 'allows a legitimate-interest purpose when some consent purpose is granted and it is not objected to' },
      { file: DECIDE, test: 'answers every purpose and state without throwing (total)' },
      { file: DECIDE, test: 'never lets usage tracking feed marketing, even when granted' },
      { file: INGEST, test: 'keeps exact aggregates per purpose, and each purpose counts only what it may serve' },
    ],
  },
  {
    id: 'data_minimisation', title: 'Data minimisation: no IP address, no raw id', article: 'Art. 5(1)(c), Art. 25',
    how: 'No address, raw user id or secret reaches storage, logs or metrics; props are bounded; statistics hide cells under k.',
    proofs: [
      { file: 'apps/server/src/crypto/no-raw-identifiers.test.ts', test: 'keeps raw identifiers, addresses and secrets out of storage and logs' },
      { file: 'apps/server/src/observability/metrics.test.ts', test: 'labels requests by route pattern, never by path, and carries no personal data' },
      { file: 'packages/policy/src/wire/schemas.test.ts', test: 'bounds props by keys, depth, bytes and forbidden keys, naming the path' },
      { file: STATS, test: 'suppresses cells under k, keeps totals equal to the visible cells, and reports features only from k people' },
    ],
  },
  {
    id: 'pseudonymisation', title: 'Pseudonymisation', article: 'Art. 4(5), Art. 25, Art. 32(1)(a)',
    how: 'The device sends a project-scoped hash; the server keys it with an HMAC kept apart from the database.',
    proofs: [
      { file: SECURITY, test: 'keeps the same user apart in two projects: two subjects, two tokens, two pseudonyms' },
      { file: 'apps/server/src/crypto/no-raw-identifiers.test.ts', test: 'keeps raw identifiers, addresses and secrets out of storage and logs' },
    ],
  },
  {
    id: 'storage_limitation', title: 'Storage limitation (retention)', article: 'Art. 5(1)(e)',
    how: 'A scheduled job deletes, per project, each data class of the record (raw events, sessions, activity, subject rows, aggregates, closed requests, the consent ledger behind a sealed checkpoint) at the end of its policy period, keeping restricted and held data; on SQLite what it deleted is overwritten in the files.',
    proofs: [
      { file: RETENTION, test: RETENTION_TEST },
      { file: ON_DISK, test: 'raw events that retention deleted are in neither file after the run' },
      { file: 'apps/server/src/observability/metrics.test.ts', test: 'counts a busy store, and each retention run with the rows it deleted per class' },
    ],
  },
  {
    id: 'consent_proof', title: 'Integrity of the consent proof (the keyed ledger)', article: 'Art. 7(1), Art. 5(2), Art. 32',
    how: 'Each ledger entry says who decided and how they were authenticated, and is chained by an HMAC under a ledger key kept apart from the database: a rewritten, deleted or forged entry is found, even by someone holding the whole database; an anchored head also shows a chain cut short.',
    proofs: [
      { file: 'apps/server/src/ledger/ledger.test.ts', test: 'verifies an untouched ledger' },
      { file: 'apps/server/src/ledger/ledger.test.ts', test: 'fails at the changed row when a grant is rewritten' },
      { file: 'apps/server/src/ledger/ledger.test.ts', test: 'fails at the row after a deleted one' },
      { file: 'apps/server/src/ledger/ledger.test.ts', test: 'fails where someone with only the database rewrote a grant and recomputed every hash after it' },
      { file: 'apps/server/src/ledger/ledger.test.ts', test: 'records who decided and how they were authenticated, with the policy text hash' },
      { file: 'apps/server/src/ledger/ledger.test.ts', test: 'catches a chain cut short at its end against an anchored head' },
      { file: 'apps/server/src/ledger/ledger-upgrade.test.ts', test: 'opens, keeps its token, reports instead of refusing, and re-seals its ledger so it verifies' },
    ],
  },
  {
    id: 'identity_verification', title: 'Only the data subject acts for the data subject', article: 'Art. 7(1), Art. 32',
    how: 'An identified subject\'s decisions, events and tokens need an assertion the platform\'s backend signed for its logged-in user; an anonymous subject is proven by its random id, whose hash the server derives itself. Knowing a user\'s id and the public write key is not enough.',
    proofs: [
      { file: 'test/forgery.test.ts', test: 'cannot capture a token or record a decision with the hash alone' },
      { file: 'test/forgery.test.ts', test: 'cannot inject events, unsigned or under their own signature' },
      { file: 'test/forgery.test.ts', test: 'cannot tamper with a signature: a forged mac, a longer expiry, an invented secret, garbage' },
      { file: 'test/forgery.test.ts', test: 'cannot replay an expired signature, nor sign for longer than the server allows' },
      { file: 'test/forgery.test.ts', test: 'cannot use a signature from another project' },
      { file: 'test/forgery.test.ts', test: 'cannot pass the victim\'s hash off as anonymous' },
      { file: 'test/forgery.test.ts', test: 'reaches no one\'s data with a guessed anonymous id, nor with a replayed one' },
      { file: 'test/forgery.test.ts', test: 'would have succeeded with enforcement off: this suite catches its loss' },
      { file: 'apps/server/src/identity/identity.test.ts', test: 'report mode accepts and counts unsigned traffic; enforce refuses the same requests' },
      { file: 'test/sdk-identity.test.ts', test: 'keeps an objection made on the privacy page through a later grant from the SDK' },
    ],
  },
  {
    id: 'security', title: 'Security of processing and isolation', article: 'Art. 32',
    how: 'Keys reach their own project and kind only, tokens their own subject; secure headers, strict CORS, rate limits, bounded bodies.',
    proofs: [
      { file: SECURITY, test: 'lets an admin key reach only its own project\'s subjects and requests' },
      { file: SECURITY, test: 'refuses a write or analyst key on the admin routes, and a write key cannot read' },
      { file: SECURITY, test: 'lets a subject token reach only its own subject' },
      { file: SECURITY, test: 'sets the secure headers on every answer' },
      { file: SECURITY, test: 'answers CORS on read and admin routes for configured origins only, never null' },
      { file: 'apps/server/src/http/errors.test.ts', test: 'limits per project with Retry-After, and another project still gets through' },
      { file: 'apps/server/src/identity/identity.test.ts', test: 'bounds consent decisions per subject per minute at the edge, changing nothing beyond it' },
      { file: 'apps/server/src/identity/identity.test.ts', test: 'bounds failed verifications per project at the edge: then 429, still refused, while valid proofs pass' },
      { file: 'apps/server/src/http/hostile-input.test.ts', test: 'refuses a chunked body over the limit, and survives incomplete and abandoned requests' },
    ],
  },
  {
    id: 'request_deadlines', title: 'Answering rights requests within a month', article: 'Art. 12(3)',
    how: 'Every request is logged with its due date, one calendar month on; overdue requests come first.',
    proofs: [
      { file: RIGHTS, test: 'gives each request its due date and lists overdue requests first' },
      { file: 'apps/server/src/rights/requests.test.ts', test: 'always lands in the next calendar month, 28 to 31 days later' },
      { file: LIFECYCLE, test: 'extends a request by at most two months, within the first month, with its reason and notice' },
      { file: LIFECYCLE, test: 'refuses an extension decided after the first month' },
      { file: LIFECYCLE, test: 'refuses a request on a ground from the list, with the reason' },
      { file: LIFECYCLE, test: 'orders the log overdue first, then open, then closed' },
    ],
  },
  {
    id: 'policy_versions', title: 'Policy changes announced, and the text each decision was made under', article: 'Art. 7(1), Art. 12(1), Art. 13(3)',
    how: 'A version that widens what is processed is refused unless marked substantial (then everyone is asked again); every text is archived and served, and each ledger entry carries its hash; each project answers under its own policy.',
    proofs: [
      { file: 'packages/policy/src/document/policy-change.test.ts', test: 'refuses each widening not marked substantial, naming the field' },
      { file: 'apps/server/src/policies/policies.test.ts', test: 'refuses to start on a widening version not marked substantial, and archives and serves every text it put in force' },
      { file: 'apps/server/src/policies/policies.test.ts', test: 'lets two projects with different policies decide, count and answer each by its own' },
    ],
  },
];
