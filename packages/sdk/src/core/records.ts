/**
 * Small JSON records in storage under one prefix (`heed:consent`, `heed:queue`). Storage
 * can throw (quota, private mode, a corrupt value): every failure is reported, never thrown,
 * and a record that cannot be read counts as absent.
 */
import type { Storage } from './platform.js';

export type RecordName = 'consent' | 'queue';

export interface Records {
  _read<T>(name: RecordName): T | undefined;
  _write(name: RecordName, value: unknown): void;
  _remove(name: RecordName): void;
}

/**
 * @example createRecords(storage, 'heed:', onStorageError)._read<StoredConsent>('consent')
 */
export function createRecords(storage: Storage, prefix: string, report: (error: unknown) => void): Records {
  function attempt<T>(action: () => T): T | undefined {
    try {
      return action();
    } catch (error) {
      // Reported, and the caller carries on with what it holds in memory.
      report(error);
      return undefined;
    }
  }
  return {
    _read: (name) =>
      attempt(() => {
        const text = storage.get(prefix + name);
        return text ? JSON.parse(text) : undefined;
      }),
    _write: (name, value) => attempt(() => storage.set(prefix + name, JSON.stringify(value))),
    _remove: (name) => attempt(() => storage.remove(prefix + name)),
  };
}
