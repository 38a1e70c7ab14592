/**
 * `markCounts` on PostgreSQL, the freshness check every statistics request makes: the
 * `subjects` counter of every cell of its purposes, one series per purpose, with slot 0 kept
 * in memory while the counters' epoch holds (`folded-series.ts`).
 */
import type { Sql } from 'postgres';
import type { MarkCounts, MarkGrain } from '../../stats-store.js';
import { createFoldedSeries } from './folded-series.js';

/**
 * @example const markCounts = createMarkCounts(sql); await markCounts('p_1', 'hour', ['statistics'], from, to)
 */
export function createMarkCounts(sql: Sql<Record<string, never>>) {
  const series = createFoldedSeries(sql, (sql, grain) => sql`purpose = k.key AND grain = ${grain} AND metric = 'subjects' AND dim = ''`);
  return async (projectId: string, grain: MarkGrain, purposes: readonly string[], from: number, to: number): Promise<MarkCounts[]> =>
    (await series(projectId, grain, purposes, from, to)).map((cells, index) => ({ purpose: purposes[index]!, buckets: cells.buckets, subjects: cells.values }));
}
