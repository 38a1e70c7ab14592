/**
 * The names of the aggregate counters, as one union: the plan writes them, the stores upsert
 * them and the statistics read them back by name, so a misspelt metric is a type error rather
 * than a figure that silently stays zero.
 */
import type { SKETCH_METRIC } from './duration-sketch.js';

/**
 * Summed per (purpose, grain, bucket, dim). `dim` is '' for `sessions` and `active_ms`, and
 * the event name for the per-feature ones (`events`, `timed`, `duration_ms`), and
 * `<bucket>:<event name>` for `duration_sketch` (see `duration-sketch.ts`).
 */
export type CounterMetric = 'sessions' | 'active_ms' | 'events' | 'timed' | 'duration_ms' | typeof SKETCH_METRIC;

/**
 * Every metric of the `aggregates` table. `subjects` (dim '') is not planned: the store adds
 * 1 for each distinct-subject mark it newly inserts, and takes 1 for each it deletes.
 */
export type MetricName = CounterMetric | 'subjects';
