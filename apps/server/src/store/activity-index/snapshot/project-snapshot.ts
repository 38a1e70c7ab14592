/**
 * One project's caches as one snapshot: the project's subject dictionary once, and the mark
 * cache and the session cache over it with the facts they were valid under. A snapshot only saves the first request after a start the reading
 * of every mark and session (7-10 s at 100,000 subjects x 12 weeks); it is never trusted
 * beyond what the database says on the next request: cells whose `subjects` counter differs
 * are read again, sessions changed after the cursor are read again, a snapshot taken under an
 * older `stats_epoch` (a removal since) is brought on by the logged removals (or dropped at the
 * first refresh when the log no longer reaches it), and one under a later epoch or ahead of the
 * database's session feed (an older copy of the database) is dropped.
 */
import { MarkCache, type MarkCacheHeader } from '../mark-cache.js';
import { SessionCache, type SessionCacheHeader } from '../session-cache.js';
import { SubjectDictionary } from '../subject-dictionary.js';
import { ImageReader, ImageWriter, type ImageSource } from './cache-image.js';

/** Where snapshots are kept: a driver's adapter (both stores keep them in their database, `stats_snapshots`). */
export interface CacheSnapshots {
  /** The project's snapshot, read section by section in `use` (a file stays open only that long); undefined when there is none. */
  read<T>(projectId: string, use: (source: ImageSource) => T): Promise<T | undefined>;
  /**
   * Writes the chunks, in order, as the project's snapshot. The chunks are views on live
   * caches: they are read (written or copied) before it returns, the promise (if any) says
   * when the snapshot is stored.
   */
  write(projectId: string, chunks: readonly Uint8Array[]): void | Promise<void>;
  /** Deletes the project's snapshot, if there is one. */
  remove(projectId: string): void | Promise<void>;
}

/** Bumped whenever the layout of a cache changes: an older snapshot is then ignored. */
const FORMAT = 7;

interface SnapshotHeader {
  readonly format: number;
  readonly projectId: string;
  readonly marks?: MarkCacheHeader;
  readonly sessions?: SessionCacheHeader;
}

/** @example snapshots.write('p_1', encodeSnapshot('p_1', dictionary, marks, sessions)) */
export function encodeSnapshot(projectId: string, dictionary: SubjectDictionary, marks: MarkCache | undefined, sessions: SessionCache | undefined): Uint8Array[] {
  if ((marks && marks.dictionary !== dictionary) || (sessions && sessions.dictionary !== dictionary)) throw new Error('the caches of a snapshot must share its dictionary');
  const image = new ImageWriter();
  // Only the names some cache still holds: an erased subject's pseudonym is not written again.
  const held = new Uint32Array((dictionary.size + 32) >>> 5);
  marks?.heldOrdinals(held);
  sessions?.heldOrdinals(held);
  dictionary.toImage(image, 'd.', (ordinal) => (held[ordinal >>> 5]! & (1 << (ordinal & 31))) !== 0);
  const header: SnapshotHeader = {
    format: FORMAT,
    projectId,
    ...(marks ? { marks: marks.toImage(image, 'm.') } : {}),
    ...(sessions ? { sessions: sessions.toImage(image, 's.', marks) } : {}),
  };
  return image.toChunks({ ...header });
}

/** What the database says now, against which a snapshot is checked. */
export interface CurrentFacts {
  readonly projectId: string;
  /** Whether caches under this stats epoch can be used: the current one, or one the logged removals may lead on from. */
  usableEpoch(epoch: number): boolean;
  /** The session feed's highest change (`SessionFeed.head`); undefined where there is no feed. */
  readonly feedHead: number | undefined;
}

/**
 * The caches a snapshot holds that are still valid under `now`; an unreadable or damaged
 * snapshot throws (the caller logs it and starts empty).
 */
export function decodeSnapshot(source: ImageSource, now: CurrentFacts): { dictionary?: SubjectDictionary; marks?: MarkCache; sessions?: SessionCache } {
  const image = new ImageReader(source);
  const header = image.header as unknown as SnapshotHeader;
  if (header.format !== FORMAT || header.projectId !== now.projectId) return {};
  const dictionary = SubjectDictionary.fromImage(image, 'd.');
  const marks = header.marks && now.usableEpoch(header.marks.epoch) ? MarkCache.fromImage(image, 'm.', header.marks, dictionary) : undefined;
  const sessions =
    header.sessions && now.usableEpoch(header.sessions.epoch) && now.feedHead !== undefined && header.sessions.cursor <= now.feedHead
      ? SessionCache.fromImage(image, 's.', header.sessions, marks, dictionary)
      : undefined;
  return { dictionary, ...(marks ? { marks } : {}), ...(sessions ? { sessions } : {}) };
}
