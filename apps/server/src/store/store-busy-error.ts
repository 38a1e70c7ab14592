/** Thrown when the store stays locked past its busy timeout; the server answers 503. */
export class StoreBusyError extends Error {
  readonly code = 'store_busy';
  constructor(options: { cause: unknown }) {
    super('the store is busy: another writer holds the lock', options);
    this.name = 'StoreBusyError';
  }
}
