/**
 * The error PostgreSQL raises for a row whose day has no events partition yet (SQLSTATE 23514,
 * "no partition of relation ... found for row"): the ingest writer creates the partitions and
 * writes once more, instead of answering 500.
 */
export function isMissingPartition(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === '23514' && typeof message === 'string' && message.includes('no partition of relation');
}
