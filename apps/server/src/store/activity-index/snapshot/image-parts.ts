/**
 * A snapshot image kept as rows of a database (`stats_snapshots` on both stores): parts (1 MiB,
 * or a store's own size), written from the caches' own arrays and read back part by part, so
 * neither direction holds the whole image (tens of MB at 100,000 subjects) beside the caches.
 */
import type { ImageSource } from './cache-image.js';

/** Bytes per part unless a store says otherwise: one row, one statement, one message to the database. */
export const PART_BYTES = 1 << 20;

/**
 * The image's parts, in order, each a copy of at most `PART_BYTES` (the last one shorter).
 * Read them before the caches change: the chunks are views on live arrays.
 */
export function* imageParts(chunks: readonly Uint8Array[], partBytes = PART_BYTES): Generator<Buffer> {
  let part = Buffer.allocUnsafe(partBytes);
  let filled = 0;
  for (const chunk of chunks) {
    for (let at = 0; at < chunk.length; ) {
      const taken = Math.min(partBytes - filled, chunk.length - at);
      part.set(chunk.subarray(at, at + taken), filled);
      filled += taken;
      at += taken;
      if (filled === partBytes) {
        yield part;
        part = Buffer.allocUnsafe(partBytes);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield part.subarray(0, filled);
}

/**
 * The image spread over `sizes.length` parts, read through `partAt` when a section needs it:
 * only the part being read is held (a snapshot is read from its start to its end).
 */
export function partsSource(sizes: readonly number[], partAt: (part: number) => Uint8Array): ImageSource {
  const starts: number[] = [];
  let size = 0;
  for (const bytes of sizes) {
    starts.push(size);
    size += bytes;
  }
  let held: { part: number; bytes: Uint8Array } | undefined;
  const bytesOf = (part: number): Uint8Array => {
    if (held?.part !== part) {
      const bytes = partAt(part);
      if (bytes.length !== sizes[part]) throw new Error('cache snapshot part changed while reading');
      held = { part, bytes };
    }
    return held.bytes;
  };
  return {
    size,
    readInto(position, target) {
      for (let done = 0; done < target.length; ) {
        const at = position + done;
        const part = partHolding(starts, at);
        const bytes = bytesOf(part);
        const from = at - starts[part]!;
        const taken = Math.min(bytes.length - from, target.length - done);
        target.set(bytes.subarray(from, from + taken), done);
        done += taken;
      }
    },
  };
}

/** The index of the last start at or before `at` (binary search: SQLite's images have hundreds of parts). */
function partHolding(starts: readonly number[], at: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if (starts[middle]! <= at) low = middle;
    else high = middle - 1;
  }
  return low;
}
