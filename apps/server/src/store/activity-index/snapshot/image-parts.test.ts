/**
 * An image cut into parts and read back part by part is the image, byte for byte, wherever the
 * chunks, the parts and the reads begin and end.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { imageParts, partsSource } from './image-parts.js';

const chunks = fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 12 });

it('cuts the chunks into parts of partBytes, the last one shorter, and reads any range of them back', () => {
  fc.assert(
    fc.property(chunks, fc.integer({ min: 1, max: 17 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 8 }), (input, partBytes, reads) => {
      const image = Buffer.concat(input);
      const parts = [...imageParts(input, partBytes)];
      expect(Buffer.concat(parts)).toEqual(image);
      expect(parts.length).toBe(Math.ceil(image.length / partBytes));
      parts.slice(0, -1).forEach((part) => expect(part.length).toBe(partBytes));

      const asked: number[] = [];
      const source = partsSource(parts.map((part) => part.length), (part) => (asked.push(part), parts[part]!));
      expect(source.size).toBe(image.length);
      for (const [a, b] of reads) {
        if (image.length === 0) break;
        const from = a % image.length;
        const target = new Uint8Array(b % (image.length - from + 1));
        source.readInto(from, target);
        expect(Buffer.from(target)).toEqual(image.subarray(from, from + target.length));
      }
    }),
  );
});

it('holds one part at a time, asking for each once when the image is read from start to end', () => {
  const image = Buffer.from(Array.from({ length: 100 }, (_, i) => i));
  const parts = [...imageParts([image.subarray(0, 33), image.subarray(33)], 10)];
  const asked: number[] = [];
  const source = partsSource(parts.map((part) => part.length), (part) => (asked.push(part), parts[part]!));
  const target = new Uint8Array(7);
  for (let at = 0; at < 98; at += 7) source.readInto(at, target);
  expect(asked).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

it('refuses a part whose length changed since the sizes were read', () => {
  const source = partsSource([4, 4], (part) => (part === 0 ? new Uint8Array(4) : new Uint8Array(3)));
  expect(() => source.readInto(2, new Uint8Array(4))).toThrow('cache snapshot part changed while reading');
});
