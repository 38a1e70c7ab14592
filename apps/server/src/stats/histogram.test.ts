/** Duration bins and interpolated quantiles, exact. */
import { describe, expect, it } from 'vitest';
import { binOfMetric, durationBin, durationBinMetric } from '../aggregates/duration-bins.js';
import { histogramQuantile } from './histogram.js';

describe('duration histogram', () => {
  it('bins by lower edge and names bins so they sort', () => {
    expect([0, 99, 100, 420, 500, 59_999, 60_000, 14_400_000, 1e9].map(durationBin)).toEqual([0, 0, 1, 2, 3, 8, 9, 17, 17]);
    expect(durationBinMetric(2)).toBe('duration_bin:02');
    expect(binOfMetric('duration_bin:17')).toBe(17);
    expect(binOfMetric('duration_bin:18')).toBeUndefined();
    expect(binOfMetric('duration_ms')).toBeUndefined();
  });

  it('interpolates the nearest rank inside its bin', () => {
    expect(histogramQuantile([0, 0, 2], 0.5)).toBe(375);
    expect(histogramQuantile([0, 0, 2], 1)).toBe(500);
    // 10 values: 4 in [0,100), 6 in [100,250): p50 = rank 5 = 1st of 6 in bin 1 -> 100 + 150/6 = 125.
    expect(histogramQuantile([4, 6], 0.5)).toBe(125);
    expect(histogramQuantile([4, 6], 0.9)).toBe(100 + 150 * 5 / 6);
    expect(histogramQuantile([], 0.5)).toBeNull();
    const open = new Array(18).fill(0);
    open[17] = 3;
    expect(histogramQuantile(open, 0.9)).toBe(14_400_000);
  });
});
