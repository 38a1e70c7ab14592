/**
 * Tells store failures apart from other errors for the `heed_store_errors_total` counter.
 * Drivers do not share an error class, so this reads the cause chain for the names and
 * codes the two stores' drivers use (better-sqlite3, postgres.js, drizzle's wrapper).
 */
import { StoreBusyError } from '../store/store.js';

export type StoreErrorKind = 'busy' | 'other';

const DRIVER_ERRORS = new Set(['SqliteError', 'PostgresError', 'DrizzleQueryError']);

/**
 * @example classifyStoreError(new StoreBusyError({ cause: e })) // 'busy'
 */
export function classifyStoreError(error: unknown): StoreErrorKind | undefined {
  let current: unknown = error;
  // A bounded walk: a cause chain can be cyclic.
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    if (current instanceof StoreBusyError) return 'busy';
    const code = (current as { code?: unknown }).code;
    if (DRIVER_ERRORS.has(current.name) || (typeof code === 'string' && code.startsWith('SQLITE_'))) return 'other';
    current = current.cause;
  }
  return undefined;
}
