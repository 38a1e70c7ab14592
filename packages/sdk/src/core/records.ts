/**
 * Small JSON records in storage under one prefix (`heed:consent`, `heed:queue`). Storage
 * can throw (quota, private mode, a corrupt value): every failure is reported, never thrown,
 * and a record that cannot be read counts as absent.
 */
import type { Storage } from './platform.js';

export type RecordName = 'consent' | 'queue';

export interface Records {
  read<T>(name: RecordName): T | undefined;
  write(name: RecordName, value: unknown): void;
  remove(name: RecordName): void;
  key(name: RecordName): string;
}

/**
 * @example createRecords(storage, 'heed:', onStorageError).read<DecisionRecord>('consent')
 */
export function createRecords(storage: Storage, prefix: string, report: (error: unknown) => void): Records {
  const key = (name: RecordName) => prefix + name;
  return {
    key,
    read<T>(name: RecordName) {
      try {
        const text = storage.get(key(name));
        return text ? (JSON.parse(text) as T) : undefined;
      } catch (error) {
        report(error);
        return undefined;
      }
    },
    write(name, value) {
      try {
        storage.set(key(name), JSON.stringify(value));
      } catch (error) {
        report(error);
      }
    },
    remove(name) {
      try {
        storage.remove(key(name));
      } catch (error) {
        report(error);
      }
    },
  };
}
