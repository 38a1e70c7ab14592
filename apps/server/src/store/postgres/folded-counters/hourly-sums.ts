/**
 * `hourlySums` on PostgreSQL: a purpose's metrics per UTC hour, summed over dimensions, one
 * series per metric (usage: three metrics over every hour of its weeks), with slot 0 kept in
 * memory while the counters' epoch holds (`folded-series.ts`).
 */
import type { Sql } from 'postgres';
import type { MetricName } from '../../../aggregates/metrics.js';
import type { HourlySeries } from '../../stats-store.js';
import { createFoldedSeries } from './folded-series.js';

/**
 * @example const hourlySums = createHourlySums(sql); await hourlySums('p_1', 'statistics', from, to, ['sessions'])
 */
export function createHourlySums(sql: Sql<Record<string, never>>) {
  const series = createFoldedSeries(sql, (sql, purpose) => sql`purpose = ${purpose} AND grain = 'hour' AND metric = k.key`);
  return async (projectId: string, purpose: string, from: number, to: number, metrics: readonly MetricName[]): Promise<HourlySeries[]> =>
    (await series(projectId, purpose, metrics, from, to)).map((cells, index) => ({ metric: metrics[index]!, buckets: cells.buckets, values: cells.values }));
}
