/**
 * What the retention job asks the store to delete: a data class, per project, in chunks.
 */
/**
 * Data classes the retention job deletes row by row. The consent ledger is not among them: its
 * entries are chained, so they go behind a sealed checkpoint (`Store.pruneLedger`, `LedgerCut`).
 */
export type PrunableClass = 'rawEvents' | 'sessions' | 'activity' | 'aggregates' | 'rightsRequests' | 'subjects';

/** One chunk of retention for one project. */
export interface PruneCut {
  readonly projectId: string;
  /** Rows from this instant or before go (by each class's time column): their whole period has passed. */
  readonly before: number;
  readonly limit: number;
  /**
   * The clock: a subject restricted (Art. 18: kept, not used) or under a legal hold that has not
   * ended by now keeps its rows, whatever their age.
   */
  readonly now: number;
}
