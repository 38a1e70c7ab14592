/**
 * The byte layout of a cache snapshot: a JSON header, then typed arrays and strings back to
 * back, each at an 8-byte boundary, each read straight into the array that keeps it (a
 * snapshot of 100,000 subjects holds tens of millions of ordinals: never twice in memory).
 *
 * Layout: "HEEDIMG1", header length (uint32 LE), header JSON, padding, sections.
 */

const MAGIC = 'HEEDIMG1';
const ALIGN = 8;

type Numbers = Float64Array | Uint32Array | Int32Array | Uint16Array | Uint8Array;
const KINDS = { f64: Float64Array, u32: Uint32Array, i32: Int32Array, u16: Uint16Array, u8: Uint8Array } as const;
type Kind = keyof typeof KINDS;

interface Section {
  readonly kind: Kind | 'text';
  readonly offset: number;
  /** Elements (lines for text). */
  readonly length: number;
  readonly bytes: number;
}

const kindOf = (array: Numbers): Kind =>
  array instanceof Float64Array ? 'f64' : array instanceof Uint32Array ? 'u32' : array instanceof Int32Array ? 'i32' : array instanceof Uint16Array ? 'u16' : 'u8';

/**
 * Collects a header and named sections, then lays them out as chunks to write one after the
 * other: the sections are views on the caches' own arrays, not copies, so writing a snapshot
 * of 100,000 subjects does not hold a second copy of the caches in memory. The chunks must be
 * written before the caches change (synchronously).
 */
export class ImageWriter {
  private readonly parts: { name: string; kind: Kind | 'text'; chunks: Uint8Array[]; bytes: number; length: number }[] = [];

  numbers(name: string, array: Numbers): void {
    this.joined(name, [array]);
  }

  /** One section made of several arrays of one kind, as if concatenated. */
  joined(name: string, arrays: readonly Numbers[], kind: Kind = arrays[0] ? kindOf(arrays[0]) : 'u32'): void {
    if (arrays.some((array) => kindOf(array) !== kind)) throw new TypeError(`section ${name} mixes kinds`);
    const chunks = arrays.map((array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    const length = arrays.reduce((sum, array) => sum + array.length, 0);
    this.parts.push({ name, kind, chunks, bytes: length * KINDS[kind].BYTES_PER_ELEMENT, length });
  }

  /** Strings without a newline (pseudonyms, purposes), one per line. */
  lines(name: string, values: readonly string[]): void {
    const bytes = Buffer.from(values.join('\n'), 'utf8');
    this.parts.push({ name, kind: 'text', chunks: [bytes], bytes: bytes.length, length: values.length });
  }

  toChunks(header: Record<string, unknown>): Uint8Array[] {
    const sections: Record<string, Section> = {};
    let offset = 0;
    for (const part of this.parts) {
      sections[part.name] = { kind: part.kind, offset, length: part.length, bytes: part.bytes };
      offset = align(offset + part.bytes);
    }
    const head = Buffer.from(JSON.stringify({ ...header, sections }), 'utf8');
    const start = Buffer.alloc(align(MAGIC.length + 4 + head.length));
    start.write(MAGIC, 0, 'latin1');
    start.writeUInt32LE(head.length, MAGIC.length);
    head.copy(start, MAGIC.length + 4);
    const chunks: Uint8Array[] = [start];
    for (const part of this.parts) {
      chunks.push(...part.chunks);
      const padding = align(part.bytes) - part.bytes;
      if (padding > 0) chunks.push(new Uint8Array(padding));
    }
    return chunks;
  }
}

/**
 * A snapshot's bytes, read where they are needed: a file is read section by section into the
 * arrays that keep them, never whole into memory beside them.
 */
export interface ImageSource {
  readonly size: number;
  /** Fills `target` with the bytes at `position`. */
  readInto(position: number, target: Uint8Array): void;
}

/** @example new ImageReader(bytesSource(buffer)) */
export function bytesSource(bytes: Uint8Array): ImageSource {
  return { size: bytes.length, readInto: (position, target) => target.set(bytes.subarray(position, position + target.length)) };
}

/** Reads what `ImageWriter` wrote; any damage (truncation, another format) throws. */
export class ImageReader {
  readonly header: Record<string, unknown>;
  private readonly sections: Record<string, Section>;
  private readonly start: number;

  constructor(private readonly source: ImageSource) {
    const lead = this.read(0, MAGIC.length + 4, 'its header');
    if (lead.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error('not a cache snapshot');
    const headLength = lead.readUInt32LE(MAGIC.length);
    const parsed = JSON.parse(this.read(MAGIC.length + 4, headLength, 'its header').toString('utf8')) as Record<string, unknown> & { sections: Record<string, Section> };
    this.sections = parsed.sections;
    this.header = parsed;
    this.start = align(MAGIC.length + 4 + headLength);
  }

  /** A section as a new array of its own length. */
  numbers<K extends Kind>(name: string, kind: K): InstanceType<(typeof KINDS)[K]> {
    const target = new KINDS[kind](this.section(name, kind).length) as InstanceType<(typeof KINDS)[K]>;
    this.numbersInto(name, kind, target);
    return target;
  }

  /** Reads a section into the start of `target` (which may be longer: room to grow); returns its length. */
  numbersInto(name: string, kind: Kind, target: Numbers): number {
    const section = this.section(name, kind);
    if (kindOf(target) !== kind || target.length < section.length) throw new RangeError(`section ${name} does not fit its target`);
    const bytes = section.length * KINDS[kind].BYTES_PER_ELEMENT;
    this.check(this.start + section.offset, bytes, name);
    this.source.readInto(this.start + section.offset, new Uint8Array(target.buffer, target.byteOffset, bytes));
    return section.length;
  }

  lines(name: string): string[] {
    const section = this.section(name, 'text');
    if (section.length === 0) return [];
    const values = this.read(this.start + section.offset, section.bytes, name).toString('utf8').split('\n');
    if (values.length !== section.length) throw new Error(`cache snapshot damaged in ${name}`);
    return values;
  }

  private read(position: number, length: number, what: string): Buffer {
    this.check(position, length, what);
    const bytes = Buffer.alloc(length);
    this.source.readInto(position, bytes);
    return bytes;
  }

  private check(position: number, length: number, what: string): void {
    if (position + length > this.source.size) throw new Error(`cache snapshot truncated in ${what}`);
  }

  private section(name: string, kind: Kind | 'text'): Section {
    const section = this.sections[name];
    if (!section || section.kind !== kind) throw new Error(`cache snapshot has no ${kind} section ${name}`);
    return section;
  }
}

const align = (n: number) => Math.ceil(n / ALIGN) * ALIGN;
