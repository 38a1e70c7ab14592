/**
 * What every part of the PostgreSQL store shares: the connection pool (postgres.js), write
 * transactions that retry deadlocks and turn lock and statement time-outs into
 * `StoreBusyError`.
 */
import { readFileSync } from 'node:fs';
import postgres, { type PendingQuery, type Row, type Sql, type TransactionSql } from 'postgres';
import { StoreBusyError } from '../store.js';

export interface PostgresOptions {
  /** `postgres://user@host:port/database` (an `sslmode` in the URL is honoured too). */
  readonly url: string;
  /** Connections per server process; the sum over processes must stay under `max_connections`. */
  readonly poolSize?: number;
  /** Any statement running longer is cancelled (and answered 503). 0 turns the limit off. */
  readonly statementTimeoutMs?: number;
  /** How long a write waits for a row or advisory lock before giving up with 503. */
  readonly lockTimeoutMs?: number;
  /** TLS: off, encrypted without verification (`require`), or verified against a CA (`verify-full`). */
  readonly ssl?: { readonly mode: 'disable' | 'require' | 'verify-full'; readonly caFile?: string };
  readonly applicationName?: string;
}

/** The transaction-scoped client every write helper receives. */
export type Tx = Sql<Record<string, never>> | TransactionSql<Record<string, never>>;

export interface PostgresConnection {
  readonly sql: Sql<Record<string, never>>;
  /** Runs `work` in a transaction; retries it on deadlock or serialisation failure. */
  writeTransaction<T>(work: (tx: TransactionSql<Record<string, never>>) => Promise<T>): Promise<T>;
  /**
   * As `writeTransaction`, two round trips shorter: BEGIN goes out with the first statement
   * `work` sends, and the statements `work` returns as `last` go out together with COMMIT
   * (postgres.js pipelines them on the reserved connection). `last` are queries not yet run:
   * this function sends them, in order, before COMMIT. Were the caller to start them itself, a
   * query started through `await` leaves a microtask later than one started with `.execute()`
   * and can reach PostgreSQL after COMMIT, in a transaction of its own, where a crash between
   * the two commits keeps the events and loses their counters.
   *
   * @example await pipelinedTransaction(async (tx) => { const rows = await tx`...`; return { result: rows, last: [tx`...`] }; })
   */
  pipelinedTransaction<T>(work: (tx: Sql<Record<string, never>>) => Promise<PipelinedWork<T>>): Promise<T>;
}

/** What a pipelined transaction's work answers: its result, and the statements to send with COMMIT. */
export interface PipelinedWork<T> {
  readonly result: T;
  readonly last: readonly PendingQuery<Row[]>[];
}

/** SQLSTATEs a retry of the whole transaction cures: deadlock, serialisation failure. */
const RETRY_TRANSACTION = new Set(['40P01', '40001']);
/**
 * SQLSTATEs and client errors that mean "busy, try again shortly" (503 + Retry-After, and the
 * SDK retries with the same event ids): lock_timeout, statement_timeout, too many
 * connections, the server starting or shutting down, and a pool that cannot reach it.
 */
const BUSY = new Set(['55P03', '57014', '53300', '57P01', '57P03', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT', 'ECONNREFUSED', 'ECONNRESET']);
const MAX_ATTEMPTS = 4;

/** A fixed first key for our advisory locks, so they never collide with another application's. */
const LOCK_CLASS = 0x48656564; // 'Heed'

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isBusyError(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && BUSY.has(code);
}

/** postgres.js's `ssl` option for our config; undefined leaves the URL's `sslmode` in charge. */
export function sslOption(ssl: PostgresOptions['ssl']) {
  if (ssl === undefined) return undefined;
  if (ssl.mode === 'disable') return false;
  if (ssl.mode === 'require') return 'require' as const;
  return ssl.caFile === undefined ? ('verify-full' as const) : { ca: readFileSync(ssl.caFile, 'utf8'), rejectUnauthorized: true };
}

/**
 * Opens a pool. Nothing connects until the first query.
 *
 * @example const { sql } = connectPostgres({ url: 'postgres://root@127.0.0.1:5432/heed', poolSize: 10 });
 */
export function connectPostgres(options: PostgresOptions): PostgresConnection {
  const ssl = sslOption(options.ssl);
  const sql = postgres(options.url, {
    max: options.poolSize ?? 10,
    ...(ssl === undefined ? {} : { ssl }),
    onnotice: () => {},
    connection: {
      application_name: options.applicationName ?? 'heed',
      statement_timeout: options.statementTimeoutMs ?? 30_000,
      lock_timeout: options.lockTimeoutMs ?? 2_000,
    },
    // int8 and numeric (sums, counts) as numbers: epoch milliseconds and counters stay far below 2^53.
    types: {
      bigint: { to: 20, from: [20, 1700], serialize: (value: number) => String(value), parse: (value: string) => Number(value) },
    },
  }) as unknown as Sql<Record<string, never>>;

  /** Runs one attempt after another; retries what a retry cures, turns busy into StoreBusyError. */
  async function retrying<T>(attempt: () => Promise<T>): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        const code = codeOf(error);
        if (code !== undefined && RETRY_TRANSACTION.has(code) && n < MAX_ATTEMPTS) continue;
        if (isBusyError(error)) throw new StoreBusyError({ cause: error });
        throw error;
      }
    }
  }

  return {
    sql,
    writeTransaction: <T>(work: (tx: TransactionSql<Record<string, never>>) => Promise<T>) =>
      retrying(async () => (await sql.begin((tx) => work(tx as TransactionSql<Record<string, never>>))) as T),

    pipelinedTransaction: <T>(work: (tx: Sql<Record<string, never>>) => Promise<PipelinedWork<T>>) =>
      retrying(async () => {
        const reserved = (await sql.reserve()) as unknown as Sql<Record<string, never>> & { release(): void };
        try {
          const begin = reserved`BEGIN`.execute();
          // A failed BEGIN fails the statements behind it too; those carry the error.
          begin.catch(() => undefined);
          try {
            const { result, last } = await work(reserved);
            // Started in one synchronous run, so they leave in this order, COMMIT last.
            const sent = [...last.map((query) => query.execute()), reserved`COMMIT`.execute()];
            await Promise.all([begin, ...sent]);
            return result;
          } catch (error) {
            // After a failed statement PostgreSQL answers a pipelined COMMIT with a rollback; a
            // ROLLBACK here ends a transaction the work left open (and only warns otherwise).
            await reserved`ROLLBACK`.execute().catch(() => undefined);
            throw error;
          }
        } finally {
          reserved.release();
        }
      }),
  };
}

export { LOCK_CLASS };
