/**
 * One project's sessions held in memory for the duration distribution: start, duration bin
 * and sketch bucket, and subject per session, in flat arrays, updated from the store's feed
 * of changed rows (a request usually reads none or a few). Which subjects may count is
 * cached beside them under the store's eligibility version; each session's bin is computed
 * for the cache's edges when its row arrives (it only changes when the feed brings the row
 * again). Each range asked keeps a view (`session-view.ts`) that the slots changed since its
 * last request update, so a request does not pass over every session; a change log here
 * tells each view which slots changed.
 */
import { sketchBucket } from '../../aggregates/duration-sketch.js';
import { HOUR_MS } from '../../aggregates/time-units.js';
import type { SessionChange, SessionDurations, StatsRemoval } from '../stats-store.js';
import type { CellSets } from './cell-series.js';
import type { ImageReader, ImageWriter } from './snapshot/cache-image.js';
import { SessionView, type SessionColumns } from './session-view.js';
import { SubjectDictionary } from './subject-dictionary.js';

/** What a snapshot keeps of a session cache beside its sections. */
export interface SessionCacheHeader {
  readonly epoch: number;
  readonly cursor: number;
  readonly size: number;
  /** The bin floors the `bin` column was computed for. */
  readonly binFloors?: readonly number[];
  /** One below the first key the cache saw (`key` holds distances from it); absent before any. */
  readonly keyBase?: number;
  /** The marked state was asked of the mark cache saved beside it (and is saved). */
  readonly followsMarks: boolean;
}

/**
 * A purpose's hour marks as the mark cache holds them: a session counts for the purpose when
 * its start hour holds its subject's mark (docs/stats.md, "Whose data counts").
 */
export interface MarkedHours {
  /** The mark cache itself: another object means other sets, and every slot is asked again. */
  readonly source: object;
  readonly cells: CellSets;
  /** Whose ordinals `cells` holds: the project's one dictionary, the session cache's own. */
  readonly dictionary: SubjectDictionary;
}

/**
 * `marked` values up to SIZE_CAP: the size the hour's set had when the slot's mark was not in
 * it. A larger size is kept as SIZE_CAP, which no larger size equals (an hour's set only grows
 * under one mark cache), so such a slot is asked on every request and 16 bits stay exact.
 */
const SIZE_CAP = 0xfffd;
const NOT_ASKED = 0xfffe;
const MARKED = 0xffff;
/** The start of a deleted session's slot: after every range, so no view counts it. */
const DELETED = Number.POSITIVE_INFINITY;
/** The highest key distance the `key` column holds: keys further from the first go to `lateSlots`. */
const MAX_KEY_DISTANCE = 0xffff_ffff;
/** Slots past which the columns grow by an eighth, not by half (`grow`). */
const BIG_COLUMNS = 1 << 20;
/** Ranges kept as views at a time. */
const MAX_VIEWS = 4;
/** Changed slots kept for the views; past this, views are built again (a pass over the sessions) and the log starts over. */
const MAX_LOG = 65_536;

export class SessionCache {
  /** Where the next read of the feed starts (the feed's `next`). */
  cursor = -1;
  /**
   * Each slot's row key, as its distance from `keyBase` (one below the first key seen). New
   * rows get ever higher keys (SQLite's rowid, PostgreSQL's `row_key`) and take the next slot,
   * so keys ascend with slots and a key's slot is found by binary search over this column: a
   * Map of 2.4 million sessions (100,000 subjects over 12 weeks) held about 130 MB, this 4
   * bytes a session. A key at or below the highest (a rowid reused after the last row was
   * deleted), or past the 4 billion rows the column spans, goes to `lateSlots` instead, and its
   * slot repeats the value before it, so the column stays in order and a search finds the
   * first slot of a key.
   */
  private key = new Uint32Array(1024);
  private keyBase: number | undefined;
  private readonly lateSlots = new Map<number, number>();
  private started = new Float64Array(1024);
  private subject = new Uint32Array(1024);
  /**
   * Bin per slot under `binFloors`, set when the row arrives. The durations themselves are not
   * kept (10.8 MB at 100,000 subjects): a cache bins for one edge list, and another one empties
   * it so the feed fills it again (`useEdges`; the server asks with one list).
   */
  private bin = new Uint8Array(1024);
  /** Duration-sketch bucket per slot: fixed by the duration alone, so set when the row arrives. */
  private sketch = new Uint16Array(1024);
  private binFloors: readonly number[] | undefined;
  private size = 0;
  /** Slots of deleted sessions, until `compact` takes them out. */
  private deleted = 0;
  private eligibleKey: string | undefined;
  /** Per ordinal below `settled`, whether the subject may count (1) under `eligibleKey`. */
  private eligible = new Uint8Array(1024);
  /** Ordinals whose `eligible` flag is set: those numbered since take theirs from `eligibleUnseen`. */
  private settled = 0;
  /**
   * Eligible pseudonyms without a settled ordinal (not yet numbered when eligibility was
   * read): they take their flag once numbered. The rest are kept as flags, not as 100,000 strings.
   */
  private eligibleUnseen = new Set<string>();
  /**
   * Per slot, whether its start hour holds its subject's mark: MARKED (marks are only added
   * under one mark cache), else the size the hour's set had when it did not (NOT_ASKED: not
   * asked yet; SIZE_CAP: that size or more), so a slot is asked again only when its hour
   * gained marks. 2 bytes a session.
   */
  private marked = new Uint16Array(1024).fill(NOT_ASKED);
  private markSource: object | undefined;
  /** Slots changed since the views' log positions (`session-view.ts`). */
  private log: number[] = [];
  /** Raised whenever every view must be built again. */
  private generation = 0;
  private readonly views = new Map<string, { view: SessionView; generation: number; eligibleKey: string | undefined }>();

  constructor(
    public epoch: number,
    /** The project's subjects, shared with its mark cache. */
    readonly dictionary = new SubjectDictionary(),
  ) {}

  /** Sets the bit of the subject of every session held (`bits`: a bit per ordinal of the dictionary). */
  heldOrdinals(bits: Uint32Array): void {
    for (let slot = 0; slot < this.size; slot++) {
      if (this.started[slot] === DELETED) continue;
      const ordinal = this.subject[slot]!;
      bits[ordinal >>> 5]! |= 1 << (ordinal & 31);
    }
  }

  /**
   * Applies the removals that raised the epoch to `epoch` (the removal log,
   * `rules/stats-removal-log.ts`): deleted sessions leave, and whether a session's start hour holds its subject's mark is asked
   * again where marks were taken out or put back (the subject's sessions, those up to a
   * retention cut-off, and those not found in their hour). Eligibility follows the ledger as
   * always. Every view is built again.
   */
  advance(epoch: number, removals: readonly StatsRemoval[]): void {
    const touched = new Uint8Array(this.dictionary.size);
    let through = Number.NEGATIVE_INFINITY;
    for (const removal of removals) {
      const ordinal = removal.subject === undefined ? undefined : this.dictionary.ordinalOf(removal.subject);
      if (ordinal !== undefined) touched[ordinal] = 1;
      if (removal.marksThrough !== undefined) through = Math.max(through, removal.marksThrough);
      for (const key of removal.sessionKeys ?? []) {
        const slot = this.slotOf(key);
        if (slot === undefined || this.started[slot] === DELETED) continue;
        this.started[slot] = DELETED;
        this.deleted++;
      }
    }
    // An hour cell at the cut-off holds the hour after it: sessions started in it are asked again too.
    const askedBefore = through + HOUR_MS;
    // A slot not found in its hour remembers the hour's size then; a subject taken out of the
    // hour can leave that size equal with other members, so those slots are asked again too.
    const sizesChanged = removals.some((removal) => removal.subject !== undefined);
    for (let slot = 0; slot < this.size; slot++) {
      const stale = touched[this.subject[slot]!] === 1 || this.started[slot]! < askedBefore || (sizesChanged && this.marked[slot]! <= SIZE_CAP);
      if (stale) this.marked[slot] = NOT_ASKED;
    }
    this.epoch = epoch;
    // Past a quarter of the slots, the deleted ones cost more in every pass than a copy does once.
    if (this.deleted > this.size >> 2) this.compact();
    this.invalidateViews();
  }

  /** Takes the deleted sessions' slots out: every column (the keys too) is copied without them. */
  private compact(): void {
    const moved = new Int32Array(this.size);
    let size = 0;
    for (let slot = 0; slot < this.size; slot++) moved[slot] = this.started[slot] === DELETED ? -1 : size++;
    const capacity = Math.max(1024, size + (size >> 3));
    this.remapSlots((array, make) => {
      const next = make(capacity);
      for (let slot = 0; slot < this.size; slot++) if (moved[slot]! >= 0) next[moved[slot]!] = array[slot]!;
      return next;
    });
    for (const [key, slot] of [...this.lateSlots]) {
      if (moved[slot]! < 0) this.lateSlots.delete(key);
      else this.lateSlots.set(key, moved[slot]!);
    }
    this.size = size;
    this.deleted = 0;
    // A late slot repeats the key before it, which may have been taken out.
    for (const slot of [...this.lateSlots.values()].sort((a, b) => a - b)) this.key[slot] = this.highestKey(slot);
  }

  apply(changes: readonly SessionChange[], next: number): void {
    for (const change of changes) {
      let slot = this.slotOf(change.key);
      const known = slot !== undefined;
      if (slot === undefined) {
        slot = this.size++;
        if (slot === this.started.length) this.grow();
        this.keyBase ??= change.key - 1;
        const distance = change.key - this.keyBase;
        const highest = this.highestKey(slot);
        if (distance <= highest || distance > MAX_KEY_DISTANCE) {
          this.lateSlots.set(change.key, slot);
          this.key[slot] = highest;
        } else this.key[slot] = distance;
      } else if (this.started[slot] === DELETED) this.deleted--;
      const ordinal = this.dictionary.ordinalFor(change.pseudonym);
      // A slot's subject never changes but for a reused key: views count by subject, so they start over.
      if (known && this.subject[slot] !== ordinal) this.invalidateViews();
      this.started[slot] = change.startedAt;
      this.sketch[slot] = sketchBucket(change.durationMs);
      this.marked[slot] = NOT_ASKED;
      this.bin[slot] = binOf(this.floors(), change.durationMs);
      this.subject[slot] = ordinal;
      this.log.push(slot);
    }
    this.cursor = next;
    if (this.log.length > MAX_LOG) this.invalidateViews();
  }

  /**
   * Writes the cache into a snapshot under `prefix`, bins with the floors they are for.
   * Eligibility is left out (read again at the first request); whether a session's hour holds
   * its mark is kept when it was asked of `marks`, the mark cache saved beside it.
   */
  toImage(image: ImageWriter, prefix: string, marks: object | undefined): SessionCacheHeader {
    const { size } = this;
    const followsMarks = marks !== undefined && this.markSource === marks;
    image.numbers(`${prefix}key`, this.key.subarray(0, size));
    image.numbers(`${prefix}lateKeys`, Float64Array.from(this.lateSlots.keys()));
    image.numbers(`${prefix}lateSlots`, Uint32Array.from(this.lateSlots.values()));
    image.numbers(`${prefix}started`, this.started.subarray(0, size));
    image.numbers(`${prefix}bin`, this.bin.subarray(0, size));
    image.numbers(`${prefix}subject`, this.subject.subarray(0, size));
    image.numbers(`${prefix}sketch`, this.sketch.subarray(0, size));
    if (followsMarks) {
      image.numbers(`${prefix}marked`, this.marked.subarray(0, size));
    }
    return {
      epoch: this.epoch, cursor: this.cursor, size, followsMarks,
      ...(this.keyBase === undefined ? {} : { keyBase: this.keyBase }), ...(this.binFloors === undefined ? {} : { binFloors: this.binFloors }),
    };
  }

  /**
   * The cache `toImage` wrote, read into arrays with room to grow, over the dictionary read
   * from the same snapshot. `markSource` is the mark cache restored from it, else undefined
   * (every session's mark is asked again).
   */
  static fromImage(image: ImageReader, prefix: string, header: SessionCacheHeader, markSource: object | undefined, dictionary: SubjectDictionary): SessionCache {
    const cache = new SessionCache(header.epoch, dictionary);
    const { size } = header;
    const capacity = Math.max(1024, size + (size >> 3));
    const read = <T extends Float64Array | Uint32Array | Int32Array | Uint16Array>(name: string, kind: 'f64' | 'u32' | 'i32' | 'u16', into: T, length: number): T => {
      if (image.numbersInto(`${prefix}${name}`, kind, into) !== length) throw new Error(`cache snapshot damaged: ${name} of another length`);
      return into;
    };
    cache.key = read('key', 'u32', new Uint32Array(capacity), size);
    cache.keyBase = header.keyBase;
    const lateKeys = image.numbers(`${prefix}lateKeys`, 'f64');
    const lateSlots = image.numbers(`${prefix}lateSlots`, 'u32');
    lateKeys.forEach((key, index) => cache.lateSlots.set(key, lateSlots[index]!));
    cache.started = read('started', 'f64', new Float64Array(capacity), size);
    if (image.numbersInto(`${prefix}bin`, 'u8', (cache.bin = new Uint8Array(capacity))) !== size) throw new Error('cache snapshot damaged: bin of another length');
    cache.binFloors = header.binFloors;
    cache.subject = read('subject', 'u32', new Uint32Array(capacity), size);
    cache.sketch = read('sketch', 'u16', new Uint16Array(capacity), size);
    cache.marked = new Uint16Array(capacity).fill(NOT_ASKED);
    if (markSource !== undefined && header.followsMarks) {
      read('marked', 'u16', cache.marked, size);
      cache.markSource = markSource;
    }
    cache.size = size;
    cache.cursor = header.cursor;
    for (let slot = 0; slot < size; slot++) {
      if (cache.subject[slot]! >= dictionary.size) throw new Error('cache snapshot damaged: a session without its subject');
      if (cache.started[slot] === DELETED) cache.deleted++;
    }
    for (const slot of cache.lateSlots.values()) if (slot >= size) throw new Error('cache snapshot damaged: a key without its session');
    for (let slot = 1; slot < size; slot++) if (cache.key[slot]! < cache.key[slot - 1]!) throw new Error('cache snapshot damaged: keys out of order');
    return cache;
  }

  /** Whether the eligible set for this key is loaded; else `setEligible` must be called. */
  hasEligible(key: string): boolean {
    return this.eligibleKey === key;
  }

  /**
   * Brings eligibility from the key held to `key` by the subjects whose consent or flags
   * changed in between, each with whether it may count now: their sessions go through the
   * views' change log, so the views are updated rather than built again (a pass over 2.4
   * million sessions, and reading 100,000 eligible pseudonyms, after every consent or erasure
   * at 100,000 subjects).
   */
  updateEligible(key: string, changes: readonly { readonly pseudonym: string; readonly eligible: boolean }[]): void {
    this.settleEligible();
    const flipped = new Uint8Array(this.settled);
    let any = false;
    for (const change of changes) {
      const ordinal = this.dictionary.ordinalOf(change.pseudonym);
      if (ordinal === undefined || ordinal >= this.settled) {
        if (change.eligible) this.eligibleUnseen.add(change.pseudonym);
        else this.eligibleUnseen.delete(change.pseudonym);
        continue;
      }
      const now = change.eligible ? 1 : 0;
      if (this.eligible[ordinal] === now) continue;
      this.eligible[ordinal] = now;
      flipped[ordinal] = 1;
      any = true;
    }
    if (any) for (let slot = 0; slot < this.size; slot++) if (flipped[this.subject[slot]!] === 1) this.log.push(slot);
    for (const entry of this.views.values()) if (entry.eligibleKey === this.eligibleKey) entry.eligibleKey = key;
    this.eligibleKey = key;
    if (this.log.length > MAX_LOG) this.invalidateViews();
  }

  setEligible(key: string, pseudonyms: readonly string[]): void {
    this.eligibleUnseen = new Set();
    this.settled = this.dictionary.size;
    if (this.eligible.length < this.settled) this.eligible = new Uint8Array(this.settled * 2);
    else this.eligible.fill(0);
    for (const pseudonym of pseudonyms) {
      const ordinal = this.dictionary.ordinalOf(pseudonym);
      if (ordinal === undefined || ordinal >= this.settled) this.eligibleUnseen.add(pseudonym);
      else this.eligible[ordinal] = 1;
    }
    this.eligibleKey = key;
  }

  /** Sets the flags of the ordinals numbered since they were last set (by either cache of the project). */
  private settleEligible(): void {
    const size = this.dictionary.size;
    if (this.settled === size) return;
    if (this.eligible.length < size) {
      const eligible = new Uint8Array(size * 2);
      eligible.set(this.eligible.subarray(0, this.settled));
      this.eligible = eligible;
    }
    for (let ordinal = this.settled; ordinal < size; ordinal++) this.eligible[ordinal] = this.eligibleUnseen.delete(this.dictionary.nameOf(ordinal)) ? 1 : 0;
    this.settled = size;
  }

  /**
   * Sessions started in [from, to) of eligible subjects, binned by duration with the given
   * lower edges (bin i when duration >= floor(edges[i]), the first bin also below edges[1]),
   * with distinct subjects per bin and each bin's sessions per sketch bucket (bins with no
   * session are absent, as from SQL), and the distinct subjects of the bins with at least
   * `shownAt` subjects. Each range keeps a view (`session-view.ts`) that the sessions changed
   * since its last request update; it is built again when what every session's count depends
   * on changed (eligibility, the mark cache, the edges).
   */
  bins(from: number, to: number, edges: readonly number[], hours: MarkedHours, shownAt = 1): SessionDurations {
    if (edges.length > 32) throw new RangeError(`at most 32 duration bins, not ${edges.length}`);
    const floors = edges.map(Math.floor);
    if (!sameFloors(this.binFloors, floors)) throw new Error('the session cache bins for other edges: call useEdges before reading the feed');
    if (hours.dictionary !== this.dictionary) throw new Error('the marks number subjects in another dictionary than the sessions');
    this.followMarks(hours);
    const columns = this.columns();
    const key = `${from}\u0000${to}\u0000${floors.join(',')}`;
    let entry = this.views.get(key);
    if (!entry || entry.generation !== this.generation || entry.eligibleKey !== this.eligibleKey) {
      const view = new SessionView(from, to, edges.length);
      view.build(columns);
      view.logAt = this.log.length;
      entry = { view, generation: this.generation, eligibleKey: this.eligibleKey };
      this.views.delete(key);
      this.views.set(key, entry);
      // A few ranges at a time (the dashboard's and the API's); the oldest goes first.
      if (this.views.size > MAX_VIEWS) this.views.delete(this.views.keys().next().value!);
    } else if (entry.view.logAt < this.log.length) {
      entry.view.update(columns, this.log.slice(entry.view.logAt));
      entry.view.logAt = this.log.length;
    }
    const waiting = entry.view.waiting();
    if (waiting.length > 0) {
      this.askMarks(waiting, hours);
      entry.view.countMarked(columns);
    }
    return entry.view.answer(shownAt);
  }

  /** The columns as views read them, with eligibility extended to every ordinal. */
  private columns(): SessionColumns {
    this.settleEligible();
    const { marked } = this;
    return {
      size: this.size, started: this.started, subject: this.subject, sketch: this.sketch, bin: this.bin,
      eligible: this.eligible, subjects: this.dictionary.size,
      isMarked: (slot) => marked[slot] === MARKED,
    };
  }

  /** Every view is built again at its next request, and the change log starts over. */
  private invalidateViews(): void {
    this.generation++;
    this.log = [];
  }

  /** `marked` for this mark cache: another one (sets filled anew) has every slot asked again. */
  private followMarks(hours: MarkedHours): void {
    if (hours.source === this.markSource) return;
    this.markSource = hours.source;
    this.marked.fill(NOT_ASKED);
    this.invalidateViews();
  }

  /**
   * Brings `marked` up to date for `slots` (none of them MARKED): those not yet asked, or whose
   * hour gained marks since, are grouped by hour, and each hour's set is stamped once and read
   * for all of them (a first request costs the sessions plus the marks of their hours).
   */
  private askMarks(slots: readonly number[], hours: MarkedHours): void {
    const pending = new Map<number, number[]>();
    for (const slot of slots) {
      const hour = Math.floor(this.started[slot]! / HOUR_MS) * HOUR_MS;
      const seen = this.marked[slot]!;
      // NOT_ASKED and MARKED are above SIZE_CAP: an hour of exactly their size is not mistaken for "asked at it".
      if (seen <= SIZE_CAP && seen === (hours.cells.get(hour)?.length ?? 0)) continue;
      const list = pending.get(hour);
      if (list) list.push(slot);
      else pending.set(hour, [slot]);
    }
    if (pending.size === 0) return;
    const stamp = new Uint32Array(this.dictionary.size);
    let round = 0;
    for (const [hour, list] of pending) {
      const set = hours.cells.get(hour);
      round++;
      set?.forEach((ordinal) => (stamp[ordinal] = round));
      for (const slot of list) this.marked[slot] = stamp[this.subject[slot]!] === round ? MARKED : Math.min(set?.length ?? 0, SIZE_CAP);
    }
  }

  /**
   * Makes the cache bin with `edges` (lower edges, as `bins` takes them). Under other edges
   * it empties itself and returns true: its cursor is back at the start, so the next read of
   * the feed brings every session again. Called before each read of the feed.
   */
  useEdges(edges: readonly number[]): boolean {
    const floors = edges.map(Math.floor);
    if (sameFloors(this.binFloors, floors)) return false;
    const emptied = this.binFloors !== undefined;
    this.binFloors = floors;
    if (emptied) {
      this.size = 0;
      this.deleted = 0;
      this.keyBase = undefined;
      this.lateSlots.clear();
      this.cursor = -1;
      this.invalidateViews();
    }
    return emptied;
  }

  private floors(): readonly number[] {
    if (!this.binFloors) throw new Error('the session cache has no edges yet: call useEdges before reading the feed');
    return this.binFloors;
  }

  /** The slot of a key: the first slot holding it (late slots after it only repeat it), else a late one. */
  private slotOf(key: number): number | undefined {
    const distance = this.keyBase === undefined ? 0 : key - this.keyBase;
    if (distance < 1 || distance > MAX_KEY_DISTANCE) return this.lateSlots.get(key);
    let low = 0;
    let high = this.size;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.key[middle]! < distance) low = middle + 1;
      else high = middle;
    }
    return low < this.size && this.key[low] === distance ? low : this.lateSlots.get(key);
  }

  /** The highest key distance held before `slot` (0: none): a new key at or below it is late. */
  private highestKey(slot: number): number {
    return slot === 0 ? 0 : this.key[slot - 1]!;
  }

  /**
   * Room for more slots: half as many again while the columns are small, an eighth once they
   * hold a million (a live server of 100,000 subjects then keeps at most 7 MB of empty slots,
   * not 28, for a copy of the columns every eighth more sessions: tens of milliseconds at 2.7
   * million slots).
   */
  private grow(): void {
    const length = this.started.length;
    const capacity = length >= BIG_COLUMNS ? length + (length >> 3) : Math.ceil(length * 1.5);
    const grow: Remap = (array, make) => {
      const next = make(capacity);
      next.set(array);
      return next;
    };
    this.remapSlots(grow);
  }

  /** Replaces every per-slot column with what `remap` makes of it (grown, or compacted). */
  private remapSlots(remap: Remap): void {
    this.key = remap(this.key, (n) => new Uint32Array(n));
    this.started = remap(this.started, (n) => new Float64Array(n));
    this.subject = remap(this.subject, (n) => new Uint32Array(n));
    this.bin = remap(this.bin, (n) => new Uint8Array(n));
    this.sketch = remap(this.sketch, (n) => new Uint16Array(n));
    this.marked = remap(this.marked, (n) => new Uint16Array(n).fill(NOT_ASKED));
  }
}

/** A column made anew from an old one, with `make` allocating an array of its kind. */
type Remap = <T extends Float64Array | Uint32Array | Int32Array | Uint16Array | Uint8Array>(array: T, make: (n: number) => T) => T;

function sameFloors(held: readonly number[] | undefined, floors: readonly number[]): boolean {
  return held !== undefined && held.length === floors.length && floors.every((floor, index) => floor === held[index]);
}

/** Bin i when duration >= floors[i] (the first bin also below floors[1]). */
function binOf(floors: readonly number[], duration: number): number {
  let bin = floors.length - 1;
  while (bin > 0 && duration < floors[bin]!) bin--;
  return bin;
}

/** The eligibility cache key: the store's version and the purpose. */
export function eligibilityKey(version: number, purpose: string): string {
  return `${version}\u0000${purpose}`;
}
