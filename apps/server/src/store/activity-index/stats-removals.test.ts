/**
 * The removals a connection committed, as the caches ask for them: every step between two
 * epochs or none, the oldest forgotten past the limit, nothing staged before its commit.
 */
import { expect, it } from 'vitest';
import { REMOVALS_KEPT, StatsRemovals } from './stats-removals.js';

it('answers every step between two epochs, or nothing when one is missing', () => {
  const removals = new StatsRemovals();
  removals.stage('p_1', 1, { subject: 'a' });
  expect(removals.between('p_1', 0, 1)).toBeUndefined();
  removals.commit();
  removals.stage('p_1', 3, { marksThrough: 7 });
  removals.stage('p_2', 2, { subject: 'b' });
  removals.commit();
  expect(removals.between('p_1', 0, 1)).toEqual([{ subject: 'a' }]);
  expect(removals.between('p_1', 1, 1)).toEqual([]);
  // Epoch 2 of p_1 was raised by someone else.
  expect(removals.between('p_1', 0, 3)).toBeUndefined();
  expect(removals.between('p_1', 2, 3)).toEqual([{ marksThrough: 7 }]);
  expect(removals.between('p_2', 1, 2)).toEqual([{ subject: 'b' }]);
  // A cache ahead of the database (another copy): not a step back.
  expect(removals.between('p_1', 3, 2)).toBeUndefined();
});

it('keeps the newest removals up to its limit, and a discarded stage never commits', () => {
  expect(REMOVALS_KEPT).toBe(1_024);
  const removals = new StatsRemovals(3);
  for (let epoch = 1; epoch <= 4; epoch++) removals.stage('p_1', epoch, { subject: `s${epoch}` });
  removals.commit();
  expect(removals.between('p_1', 1, 4)).toEqual([{ subject: 's2' }, { subject: 's3' }, { subject: 's4' }]);
  expect(removals.between('p_1', 0, 4)).toBeUndefined();
  const mark = removals.mark;
  removals.stage('p_1', 5, { subject: 'rolled back' });
  removals.discard(mark);
  removals.commit();
  expect(removals.between('p_1', 4, 5)).toBeUndefined();
});

it('forgets the removals every cache has applied', () => {
  const removals = new StatsRemovals();
  for (let epoch = 1; epoch <= 3; epoch++) removals.stage('p_1', epoch, { sessionKeys: [epoch] });
  removals.commit();
  removals.forgetThrough('p_1', 2);
  expect(removals.between('p_1', 1, 3)).toBeUndefined();
  expect(removals.between('p_1', 2, 3)).toEqual([{ sessionKeys: [3] }]);
  removals.forgetThrough('p_1', 3);
  expect(removals.between('p_1', 2, 3)).toBeUndefined();
  expect(removals.between('p_1', 3, 3)).toEqual([]);
});
