/** One dictionary per project: ordinals in order of first sight, kept through a snapshot, and shared by both caches. */
import { expect, it } from 'vitest';
import { MarkCache } from './mark-cache.js';
import { SessionCache } from './session-cache.js';
import { encodeSnapshot } from './snapshot/project-snapshot.js';
import { bytesSource, ImageReader, ImageWriter } from './snapshot/cache-image.js';
import { SubjectDictionary } from './subject-dictionary.js';

it('numbers pseudonyms in order of first sight and reads them back from a snapshot', () => {
  const dictionary = new SubjectDictionary();
  expect(['b', 'a', 'b', 'c'].map((name) => dictionary.ordinalFor(name))).toEqual([0, 1, 0, 2]);
  expect(dictionary.ordinalOf('c')).toBe(2);
  expect(dictionary.ordinalOf('d')).toBeUndefined();
  expect(dictionary.size).toBe(3);
  const image = new ImageWriter();
  dictionary.toImage(image, 'd.');
  const read = SubjectDictionary.fromImage(new ImageReader(bytesSource(Buffer.concat(image.toChunks({})))), 'd.');
  expect([0, 1, 2].map((ordinal) => read.nameOf(ordinal))).toEqual(['b', 'a', 'c']);
});

it('holds a subject once for both caches: a session of a subject the marks numbered takes its ordinal', () => {
  const dictionary = new SubjectDictionary();
  const marks = new MarkCache(0, dictionary);
  marks.fill('hour', [{ purpose: 'statistics', bucket: 0 }], [{ purpose: 'statistics', bucket: 0, pseudonyms: ['ann', 'bob'] }]);
  const sessions = new SessionCache(0, dictionary);
  sessions.useEdges([0]);
  sessions.apply([{ key: 1, pseudonym: 'bob', startedAt: 0, durationMs: 1_000, changed: 1 }], 1);
  expect(dictionary.size).toBe(2);
  // A snapshot writes the dictionary once, and refuses caches over another one.
  expect(() => encodeSnapshot('p', dictionary, marks, new SessionCache(0))).toThrow('share its dictionary');
  const header = new ImageReader(bytesSource(Buffer.concat(encodeSnapshot('p', dictionary, marks, sessions)))).header as { sections: Record<string, unknown> };
  expect(Object.keys(header.sections).filter((name) => name.endsWith('names'))).toEqual(['d.names']);
});
