/** The strict exposition parser refuses what Prometheus refuses, so a passing scrape means something. */
import { expect, it } from 'vitest';
import { parsePrometheusText, sampleValue } from './prometheus-text.js';

const GOOD = `# HELP a_total Things.\n# TYPE a_total counter\na_total{k="x\\"y\\\\z"} 3\n# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 3.5\nh_count 2\n`;

it('reads counters, escaped label values and histograms', () => {
  const families = parsePrometheusText(GOOD);
  expect(sampleValue(families, 'a_total', { k: 'x"y\\z' })).toBe(3);
  expect(families.get('a_total')).toMatchObject({ type: 'counter', help: 'Things.' });
  expect(sampleValue(families, 'h_count')).toBe(2);
});

it.each([
  ['no final newline', 'up 1'],
  ['a bad metric name', '0up 1\n'],
  ['an unquoted label value', 'up{a=b} 1\n'],
  ['a bad escape', 'up{a="\\t"} 1\n'],
  ['a bad value', 'up one\n'],
  ['a duplicate series', 'up{a="1"} 1\nup{a="1"} 2\n'],
  ['a TYPE after samples', 'up 1\n# TYPE up gauge\n'],
  ['interleaved families', '# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x="1"} 2\n'],
  ['a negative counter', '# TYPE c_total counter\nc_total -1\n'],
  ['a non-cumulative histogram', '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n'],
  ['a +Inf bucket unequal to _count', '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 1\n'],
])('refuses %s', (_name, text) => {
  expect(() => parsePrometheusText(text)).toThrow();
});
