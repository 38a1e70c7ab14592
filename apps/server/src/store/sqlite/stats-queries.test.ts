/** The JSON-array reads' ordering guard: SQLite promises no order inside `json_group_array`. */
import { describe, expect, it } from 'vitest';
import { inBucketOrder } from './stats-queries.js';

describe('inBucketOrder', () => {
  it('keeps arrays already in bucket order as they are', () => {
    const buckets = [0, 3_600_000, 7_200_000];
    const values = [5, 1, 2];
    const ordered = inBucketOrder(buckets, values);
    expect(ordered.buckets).toBe(buckets);
    expect(ordered.values).toBe(values);
  });

  it('sorts the pairs by bucket when they came out of order', () => {
    expect(inBucketOrder([7_200_000, 0, 3_600_000], [2, 5, 1])).toEqual({ buckets: [0, 3_600_000, 7_200_000], values: [5, 1, 2] });
  });
});
