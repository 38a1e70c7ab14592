/**
 * The server's configuration, parsed once at start from flags and environment into one typed
 * object. A bad value stops the start with a message that names the variable.
 */
import { join, resolve } from 'node:path';
import { z } from 'zod';

const csv = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean));

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const configSchema = z.object({
  HEED_PORT: integer(0, 65_535).default(8787),
  HEED_HOST: z.string().min(1).default('127.0.0.1'),
  HEED_DATA_DIR: z.string().min(1).default('./data'),
  /** A file path for SQLite (default `<data dir>/heed.db`), or `postgres://...`. */
  HEED_DATABASE_URL: z.string().min(1).optional(),
  HEED_POLICY_FILE: z.string().min(1).optional(),
  HEED_PSEUDONYM_KEY: z.string().min(1).optional(),
  /** The key that seals the consent ledger (hex or base64, 32+ bytes); unset, `<data dir>/ledger.key`. */
  HEED_LEDGER_KEY: z.string().min(1).optional(),
  /** The master key project identity secrets derive from; unset, `<data dir>/identity.key`. */
  HEED_IDENTITY_KEY: z.string().min(1).optional(),
  /** The longest an identity assertion may claim to live (a backend cannot sign forever). */
  HEED_IDENTITY_MAX_TTL_MS: integer(60_000, 30 * 86_400_000).default(7 * 86_400_000),
  /** Consent decisions one subject may record per minute (per process). */
  HEED_CONSENT_PER_SUBJECT_PER_MINUTE: integer(1, 10_000).default(10),
  /** Failed identity verifications a project may cause per minute before they are answered 429 (per process). */
  HEED_IDENTITY_FAILURES_PER_MINUTE: integer(1, 1_000_000).default(60),
  /** Origins that may call the read and rights routes from a browser; never `null`. */
  HEED_CORS_ORIGINS: csv.default([]).refine((origins) => !origins.includes('null'), 'the origin "null" is never allowed'),
  /** Origins that may send events; `*` by default because the write key is public. */
  HEED_INGEST_ORIGINS: csv.default(['*']),
  /** Overrides the policy's body limit (bytes). */
  HEED_BODY_LIMIT: integer(1_024, 10 * 1024 * 1024).optional(),
  HEED_RATE_PER_SECOND: integer(1, 1_000_000).default(200),
  HEED_RATE_BURST: integer(1, 1_000_000).default(400),
  HEED_KEY_CACHE_MS: integer(0, 3_600_000).default(5_000),
  HEED_BUSY_TIMEOUT_MS: integer(0, 60_000).default(2_000),
  HEED_SYNCHRONOUS: z.enum(['NORMAL', 'FULL']).default('NORMAL'),
  /** The server's public base URL (behind a proxy), for the privacy links the backend routes hand out. */
  HEED_PUBLIC_URL: z.url().optional(),
  /** Bearer token for GET /metrics; unset, only loopback clients may read it. */
  HEED_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  HEED_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  HEED_SHUTDOWN_GRACE_MS: integer(0, 120_000).default(10_000),
  /** How often the server runs the retention job; 0 leaves it to `heed retention run`. */
  HEED_RETENTION_INTERVAL_MS: integer(0, 7 * 86_400_000).default(3_600_000),
  /** How often the server brings every project's statistics caches up to date; 0 leaves them to requests. */
  HEED_STATS_KEEP_INTERVAL_MS: integer(0, 86_400_000).default(60_000),
  /** PostgreSQL only: connections per process (N processes need N x this under max_connections). */
  HEED_PG_POOL_SIZE: integer(1, 1_000).default(10),
  /** PostgreSQL only: ingest groups written at once per process (group commit); half the pool when unset. */
  HEED_PG_INGEST_GROUPS: integer(1, 1_000).optional(),
  /** PostgreSQL only: a statement running longer is cancelled and the request answered 503. */
  HEED_PG_STATEMENT_TIMEOUT_MS: integer(0, 600_000).default(30_000),
  /** PostgreSQL only: TLS off, on without verification, or verified (against HEED_PG_SSL_CA). */
  HEED_PG_SSL: z.enum(['disable', 'require', 'verify-full']).optional(),
  HEED_PG_SSL_CA: z.string().min(1).optional(),
});

/** Every environment variable the configuration reads: `heed --help` lists them, docs/operations.md explains each. */
export const CONFIG_VARIABLES = Object.keys(configSchema.shape) as readonly (keyof typeof configSchema.shape)[];

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly database: { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string };
  readonly policyFile: string | undefined;
  readonly pseudonymKey: string | undefined;
  readonly pseudonymKeyFile: string;
  readonly ledgerKey: string | undefined;
  readonly ledgerKeyFile: string;
  readonly identityKey: string | undefined;
  readonly identityKeyFile: string;
  readonly identityMaxTtlMs: number;
  readonly consentPerSubjectPerMinute: number;
  readonly identityFailuresPerMinute: number;
  readonly corsOrigins: readonly string[];
  readonly ingestOrigins: readonly string[];
  readonly bodyLimit: number | undefined;
  readonly rate: { readonly perSecond: number; readonly burst: number };
  readonly keyCacheMs: number;
  readonly busyTimeoutMs: number;
  readonly synchronous: 'NORMAL' | 'FULL';
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly metricsToken: string | undefined;
  readonly publicUrl: string | undefined;
  readonly shutdownGraceMs: number;
  readonly retentionIntervalMs: number;
  readonly statsKeepIntervalMs: number;
  /** PostgreSQL settings; ignored for SQLite. `busyTimeoutMs` is PostgreSQL's `lock_timeout`. */
  readonly postgres: {
    readonly poolSize: number;
    /** Ingest groups in flight per process; undefined: half the pool. */
    readonly ingestGroups: number | undefined;
    readonly statementTimeoutMs: number;
    readonly ssl: { readonly mode: 'disable' | 'require' | 'verify-full'; readonly caFile?: string } | undefined;
  };
}

export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Flag names map to variables: `--port 9000` is `HEED_PORT=9000`, `--db x` is `HEED_DATABASE_URL=x`. */
const FLAG_ALIASES: Record<string, string> = { db: 'HEED_DATABASE_URL', 'data-dir': 'HEED_DATA_DIR', policy: 'HEED_POLICY_FILE' };

/**
 * @example loadConfig({ HEED_PORT: '0' }, { db: ':memory:' }).port // 0
 */
export function loadConfig(env: Record<string, string | undefined>, flags: Record<string, string | undefined> = {}): Config {
  const merged: Record<string, string | undefined> = { ...env };
  for (const [flag, value] of Object.entries(flags)) {
    if (value === undefined) continue;
    merged[FLAG_ALIASES[flag] ?? `HEED_${flag.toUpperCase().replace(/-/g, '_')}`] = value;
  }
  const relevant = Object.fromEntries(Object.entries(merged).filter(([key, value]) => key.startsWith('HEED_') && value !== ''));
  const parsed = configSchema.safeParse(relevant);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const value = parsed.data;
  const dataDir = resolve(value.HEED_DATA_DIR);
  const url = value.HEED_DATABASE_URL ?? join(dataDir, 'heed.db');
  return {
    port: value.HEED_PORT,
    host: value.HEED_HOST,
    dataDir,
    database: /^postgres(ql)?:\/\//.test(url) ? { kind: 'postgres', url } : { kind: 'sqlite', path: url === ':memory:' ? url : resolve(url) },
    policyFile: value.HEED_POLICY_FILE,
    pseudonymKey: value.HEED_PSEUDONYM_KEY,
    pseudonymKeyFile: join(dataDir, 'pseudonym.key'),
    ledgerKey: value.HEED_LEDGER_KEY,
    ledgerKeyFile: join(dataDir, 'ledger.key'),
    identityKey: value.HEED_IDENTITY_KEY,
    identityKeyFile: join(dataDir, 'identity.key'),
    identityMaxTtlMs: value.HEED_IDENTITY_MAX_TTL_MS,
    consentPerSubjectPerMinute: value.HEED_CONSENT_PER_SUBJECT_PER_MINUTE,
    identityFailuresPerMinute: value.HEED_IDENTITY_FAILURES_PER_MINUTE,
    corsOrigins: value.HEED_CORS_ORIGINS,
    ingestOrigins: value.HEED_INGEST_ORIGINS,
    bodyLimit: value.HEED_BODY_LIMIT,
    rate: { perSecond: value.HEED_RATE_PER_SECOND, burst: value.HEED_RATE_BURST },
    keyCacheMs: value.HEED_KEY_CACHE_MS,
    busyTimeoutMs: value.HEED_BUSY_TIMEOUT_MS,
    synchronous: value.HEED_SYNCHRONOUS,
    logLevel: value.HEED_LOG_LEVEL,
    metricsToken: value.HEED_METRICS_TOKEN,
    publicUrl: value.HEED_PUBLIC_URL,
    shutdownGraceMs: value.HEED_SHUTDOWN_GRACE_MS,
    retentionIntervalMs: value.HEED_RETENTION_INTERVAL_MS,
    statsKeepIntervalMs: value.HEED_STATS_KEEP_INTERVAL_MS,
    postgres: {
      poolSize: value.HEED_PG_POOL_SIZE,
      ingestGroups: value.HEED_PG_INGEST_GROUPS,
      statementTimeoutMs: value.HEED_PG_STATEMENT_TIMEOUT_MS,
      ssl: value.HEED_PG_SSL === undefined && value.HEED_PG_SSL_CA === undefined
        ? undefined
        : { mode: value.HEED_PG_SSL ?? 'verify-full', ...(value.HEED_PG_SSL_CA === undefined ? {} : { caFile: resolve(value.HEED_PG_SSL_CA) }) },
    },
  };
}
