/**
 * The load generator shared by every ingest figure: autocannon on loopback, 10 connections,
 * a fresh batch per request (new ids, so nothing is a cheap duplicate).
 */
import autocannon from 'autocannon';
import { makeBatch } from './event-rows.js';
import type { BenchSubject } from './server-process.js';

export interface LoadResult {
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export async function postBatches(options: { url: string; writeKey: string; subjects: readonly BenchSubject[]; batchSize: number; seconds: number }): Promise<LoadResult> {
  const result = await autocannon({
    url: `${options.url}/v1/batch`,
    connections: 10,
    duration: options.seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        setupRequest: (request) => ({ ...request, body: JSON.stringify(makeBatch(options.writeKey, options.subjects, options.batchSize, Date.now())) }),
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`load run had ${result.non2xx} non-2xx and ${result.errors} errors`);
  return { eventsPerSecond: (result.requests.total * options.batchSize) / options.seconds, p50Ms: result.latency.p50, p99Ms: result.latency.p99 };
}
