/**
 * The byte layout of a cache snapshot: a JSON header, then typed arrays and strings back to
 * back, each at an 8-byte boundary so that decoding makes views on the file's bytes instead
 * of copies (a snapshot of 100,000 subjects holds tens of millions of ordinals).
 *
 * Layout: "HEEDIMG1", header length (uint32 LE), header JSON, padding, sections.
 */

const MAGIC = 'HEEDIMG1';
const ALIGN = 8;

type Numbers = Float64Array | Uint32Array | Int32Array | Uint16Array;
const KINDS = { f64: Float64Array, u32: Uint32Array, i32: Int32Array, u16: Uint16Array } as const;
type Kind = keyof typeof KINDS;

interface Section {
  readonly kind: Kind | 'text';
  readonly offset: number;
  /** Elements (lines for text). */
  readonly length: number;
  readonly bytes: number;
}

const kindOf = (array: Numbers): Kind =>
  array instanceof Float64Array ? 'f64' : array instanceof Uint32Array ? 'u32' : array instanceof Int32Array ? 'i32' : 'u16';

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

/** Reads what `ImageWriter` wrote; any damage (truncation, another format) throws. */
export class ImageReader {
  readonly header: Record<string, unknown>;
  private readonly sections: Record<string, Section>;
  private readonly start: number;
  private readonly bytes: Uint8Array;

  constructor(buffer: Uint8Array) {
    // A copy at offset 0 of its own ArrayBuffer: typed-array views need aligned offsets.
    this.bytes = buffer.byteOffset % ALIGN === 0 ? buffer : Uint8Array.from(buffer);
    if (Buffer.from(this.bytes.buffer, this.bytes.byteOffset, MAGIC.length).toString('latin1') !== MAGIC) throw new Error('not a cache snapshot');
    const headLength = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length).readUInt32LE(MAGIC.length);
    const head = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + MAGIC.length + 4, headLength).toString('utf8');
    const parsed = JSON.parse(head) as Record<string, unknown> & { sections: Record<string, Section> };
    this.sections = parsed.sections;
    this.header = parsed;
    this.start = align(MAGIC.length + 4 + headLength);
  }

  numbers<K extends Kind>(name: string, kind: K): InstanceType<(typeof KINDS)[K]> {
    const section = this.section(name, kind);
    const Type = KINDS[kind];
    const end = this.start + section.offset + section.length * Type.BYTES_PER_ELEMENT;
    if (end > this.bytes.length) throw new Error(`cache snapshot truncated in ${name}`);
    return new Type(this.bytes.buffer as ArrayBuffer, this.bytes.byteOffset + this.start + section.offset, section.length) as InstanceType<(typeof KINDS)[K]>;
  }

  lines(name: string): string[] {
    const section = this.section(name, 'text');
    if (section.length === 0) return [];
    const at = this.start + section.offset;
    if (at + section.bytes > this.bytes.length) throw new Error(`cache snapshot truncated in ${name}`);
    const values = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + at, section.bytes).toString('utf8').split('\n');
    if (values.length !== section.length) throw new Error(`cache snapshot damaged in ${name}`);
    return values;
  }

  private section(name: string, kind: Kind | 'text'): Section {
    const section = this.sections[name];
    if (!section || section.kind !== kind) throw new Error(`cache snapshot has no ${kind} section ${name}`);
    return section;
  }
}

const align = (n: number) => Math.ceil(n / ALIGN) * ALIGN;
