/**
 * One range's session distribution, kept up to date instead of recomputed: which sessions it
 * counts (and in which bin and sketch bucket), sessions and sketch counts per bin, and per
 * subject how many of its sessions each bin holds, so distinct subjects per bin follow a
 * session in or out at once. A request then costs the sessions changed since the last one
 * plus a pass over the subjects, not a pass over every session: 2.4 million sessions at
 * 100,000 subjects x 12 weeks took 50-140 ms a request.
 *
 * `session-cache.ts` owns the sessions and decides when a view must be built again (other
 * eligibility, other mark cache, a session that changed subject); the view only counts.
 */
import { SKETCH_BUCKETS } from '../../aggregates/duration-sketch.js';
import type { SessionBin, SessionDurations } from '../stats-store.js';

/** The session cache's columns as the view reads them (replaced when they grow). */
export interface SessionColumns {
  readonly size: number;
  readonly started: Float64Array;
  readonly subject: Uint32Array;
  readonly sketch: Uint16Array;
  /** Bin per slot under the view's edges. */
  readonly bin: Uint8Array;
  /** Eligibility per subject ordinal (1: may count). */
  readonly eligible: Uint8Array;
  /** How many subject ordinals there are. */
  readonly subjects: number;
  /** Whether the slot's start hour holds its subject's mark. */
  isMarked(slot: number): boolean;
}

/** A slot the view does not count: out of range, not eligible, or its mark not found. */
const NONE = 0;
/** A slot in range of an eligible subject whose mark was not found yet: asked again each request. */
const PENDING = 1;
/** What a counted slot holds: COUNTED + bin * SKETCH_BUCKETS + sketch bucket, 16 bits for every bin a view can have. */
const COUNTED = 2;
const MAX_BINS = 32;
if (COUNTED + MAX_BINS * SKETCH_BUCKETS > 0x1_0000) throw new Error('a counted slot no longer fits 16 bits: widen SessionView.counted');

export class SessionView {
  /**
   * Per slot: NONE, PENDING, or what it is counted as (COUNTED + bin * SKETCH_BUCKETS +
   * sketch bucket): 2 bytes a session, 4.8 MB for each range kept at 100,000 subjects.
   */
  private counted = new Uint16Array(0);
  private pending: number[] = [];
  private readonly sessions: Uint32Array;
  private readonly sketches: Uint32Array;
  private readonly subjectsPerBin: Uint32Array;
  /**
   * Per subject and bin, the subject's counted sessions in that bin: 16 bits (3.6 MB at
   * 100,000 subjects and 18 bins), widened to 32 the first time a count would pass 65,535.
   */
  private perSubject: Uint16Array | Uint32Array = new Uint16Array(0);
  /** Per subject, the bins holding at least one of its counted sessions (bit per bin). */
  private masks = new Uint32Array(0);
  /** The position in the cache's change log up to which this view is current. */
  logAt = 0;

  constructor(
    readonly from: number,
    readonly to: number,
    readonly binCount: number,
  ) {
    if (binCount > MAX_BINS) throw new RangeError(`at most 32 duration bins, not ${binCount}`);
    this.sessions = new Uint32Array(binCount);
    this.sketches = new Uint32Array(binCount * SKETCH_BUCKETS);
    this.subjectsPerBin = new Uint32Array(binCount);
  }

  /** Counts every slot from nothing. */
  build(columns: SessionColumns): void {
    this.counted = new Uint16Array(columns.started.length);
    this.pending = [];
    this.fitSubjects(columns.subjects);
    // The counting loop is written out here: a call per session cost half of a pass.
    const { started, subject, sketch, bin, eligible, size } = columns;
    const { from, to, counted, sessions, sketches, subjectsPerBin, masks, binCount } = this;
    let { perSubject } = this;
    for (let slot = 0; slot < size; slot++) {
      const at = started[slot]!;
      const ordinal = subject[slot]!;
      if (at < from || at >= to || eligible[ordinal] !== 1) continue;
      if (!columns.isMarked(slot)) {
        counted[slot] = PENDING;
        this.pending.push(slot);
        continue;
      }
      const b = bin[slot]!;
      const k = sketch[slot]!;
      sessions[b]!++;
      sketches[b * SKETCH_BUCKETS + k]!++;
      const cell = ordinal * binCount + b;
      if (perSubject[cell] === 0xffff) perSubject = this.widened();
      if (perSubject[cell]!++ === 0) {
        subjectsPerBin[b]!++;
        masks[ordinal] = masks[ordinal]! | (1 << b);
      }
      counted[slot] = COUNTED + b * SKETCH_BUCKETS + k;
    }
  }

  /** Takes the changed slots out as they were counted and puts them in as they are now. */
  update(columns: SessionColumns, slots: Iterable<number>): void {
    if (this.counted.length < columns.started.length) {
      const grown = new Uint16Array(columns.started.length);
      grown.set(this.counted);
      this.counted = grown;
    }
    this.fitSubjects(columns.subjects);
    for (const slot of slots) {
      this.remove(columns, slot);
      const at = columns.started[slot]!;
      if (at < this.from || at >= this.to || columns.eligible[columns.subject[slot]!] !== 1) continue;
      this.counted[slot] = PENDING;
      this.pending.push(slot);
    }
  }

  /** The slots waiting for their mark: the cache asks the marks of those not yet found. */
  waiting(): number[] {
    this.pending = this.pending.filter((slot) => this.counted[slot] === PENDING);
    return this.pending;
  }

  /** Counts the waiting slots whose mark is now found. */
  countMarked(columns: SessionColumns): void {
    this.pending = this.pending.filter((slot) => {
      if (this.counted[slot] !== PENDING) return false;
      if (!columns.isMarked(slot)) return true;
      this.add(columns, slot);
      return false;
    });
  }

  /** The distribution as `StatsStore.sessionDurations` answers it. */
  answer(shownAt: number): SessionDurations {
    const bins: SessionBin[] = [];
    let shownMask = 0;
    for (let b = 0; b < this.binCount; b++) {
      if (this.sessions[b] === 0) continue;
      const sketch = new Map<number, number>();
      for (let bucket = 0; bucket < SKETCH_BUCKETS; bucket++) {
        const count = this.sketches[b * SKETCH_BUCKETS + bucket]!;
        if (count > 0) sketch.set(bucket, count);
      }
      bins.push({ bin: b, sessions: this.sessions[b]!, subjects: this.subjectsPerBin[b]!, sketch });
      if (this.subjectsPerBin[b]! >= shownAt) shownMask |= 1 << b;
    }
    let shownSubjects = 0;
    const { masks } = this;
    for (let ordinal = 0; ordinal < masks.length; ordinal++) if ((masks[ordinal]! & shownMask) !== 0) shownSubjects++;
    return { bins, shownSubjects };
  }

  private add(columns: SessionColumns, slot: number): void {
    const b = columns.bin[slot]!;
    const k = columns.sketch[slot]!;
    const ordinal = columns.subject[slot]!;
    this.sessions[b]!++;
    this.sketches[b * SKETCH_BUCKETS + k]!++;
    const cell = ordinal * this.binCount + b;
    if (this.perSubject[cell] === 0xffff) this.widened();
    if (this.perSubject[cell]!++ === 0) {
      this.subjectsPerBin[b]!++;
      this.masks[ordinal] = this.masks[ordinal]! | (1 << b);
    }
    this.counted[slot] = COUNTED + b * SKETCH_BUCKETS + k;
  }

  /** Takes a slot out as it was counted (its subject cannot have changed: the cache rebuilds then). */
  private remove(columns: SessionColumns, slot: number): void {
    const value = this.counted[slot]!;
    this.counted[slot] = NONE;
    if (value === NONE || value === PENDING) return;
    const b = Math.floor((value - COUNTED) / SKETCH_BUCKETS);
    const ordinal = columns.subject[slot]!;
    this.sessions[b]!--;
    this.sketches[value - COUNTED]!--;
    if (--this.perSubject[ordinal * this.binCount + b]! === 0) {
      this.subjectsPerBin[b]!--;
      this.masks[ordinal] = this.masks[ordinal]! & ~(1 << b);
    }
  }

  /** `perSubject` in 32 bits (once a count reaches 65,535; a no-op after). */
  private widened(): Uint16Array | Uint32Array {
    if (this.perSubject instanceof Uint16Array) this.perSubject = Uint32Array.from(this.perSubject);
    return this.perSubject;
  }

  private fitSubjects(subjects: number): void {
    if (this.masks.length >= subjects) return;
    const capacity = Math.max(subjects, Math.ceil(this.masks.length * 1.5));
    const masks = new Uint32Array(capacity);
    masks.set(this.masks);
    this.masks = masks;
    const perSubject = this.perSubject instanceof Uint16Array ? new Uint16Array(capacity * this.binCount) : new Uint32Array(capacity * this.binCount);
    perSubject.set(this.perSubject);
    this.perSubject = perSubject;
  }
}
