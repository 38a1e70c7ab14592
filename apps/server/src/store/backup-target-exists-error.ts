/** Thrown by `Store.backup` when its file already exists: a backup never overwrites one. */
export class BackupTargetExistsError extends Error {
  constructor(readonly file: string) {
    super(`${file} already exists: a backup goes into a new file`);
    this.name = 'BackupTargetExistsError';
  }
}
