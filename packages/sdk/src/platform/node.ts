/**
 * The Node platform: global fetch, node:crypto, memory storage or an optional JSON file, and
 * a lifecycle that is always visible and online (a process has no tabs; the host calls
 * `shutdown()` before exiting). Server-side and CLI usage of the platform being measured.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { nanoid } from 'nanoid';
import { createMemoryStorage } from '../core/memory-storage.js';
import type { Platform, Storage } from '../core/platform.js';
import { createFetchTransport } from './fetch-transport.js';

/**
 * Storage in one JSON file, rewritten atomically (temp file + rename) with owner-only
 * permissions: queued events and the subject token survive a restart.
 *
 * @example createHeed({ ..., platform: { storage: createFileStorage('./.heed-state.json') } })
 */
export function createFileStorage(path: string): Storage {
  let data: Record<string, string> | undefined;
  const load = (): Record<string, string> => {
    if (data) return data;
    try {
      data = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
    } catch (error) {
      // No file yet (ENOENT) or a torn one: start empty; anything else shows on the first write.
      void error;
      data = {};
    }
    return data;
  };
  const save = () => {
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(data), { mode: 0o600 });
    renameSync(temp, path);
  };
  return {
    get: (key) => load()[key] ?? null,
    set(key, value) {
      load()[key] = value;
      save();
    },
    remove(key) {
      if (!(key in load())) return;
      delete load()[key];
      save();
    },
  };
}

/**
 * The platform for Node 20+.
 *
 * @example createClient(options, createNodePlatform(options.endpoint))
 */
export function createNodePlatform(endpoint: string): Platform {
  return {
    transport: createFetchTransport(endpoint),
    storage: createMemoryStorage(),
    lifecycle: { visible: () => true, online: () => true, subscribe: () => () => undefined },
    clock: {
      now: Date.now,
      setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    },
    hasher: { sha256: async (text) => createHash('sha256').update(text).digest('base64url') },
    environment: {
      timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
      device: () => 'other',
      privacySignal: () => false,
    },
    newId: () => nanoid(),
    random: Math.random,
  };
}
