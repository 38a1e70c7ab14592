/**
 * GET /metrics over real HTTP on a real SQLite file: the exposition parses strictly as
 * Prometheus text 0.0.4, each counter moves by exactly what the test sends, no label
 * carries personal data, and only the configured readers get in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import { runRetention } from '../retention/run-retention.js';
import { buildServices } from '../server.js';
import { parsePrometheusText, sampleValue, type MetricFamily } from '../testing/prometheus-text.js';
import { TEST_START, startTestServer, type TestServer } from '../testing/test-server.js';

const DAY = 86_400_000;
let t: TestServer;
afterEach(() => t.close());

async function scrape(headers: Record<string, string> = {}): Promise<Map<string, MetricFamily>> {
  const response = await fetch(`${t.url}/metrics`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parsePrometheusText(await response.text());
}

const ev = (id: string, subject: string, ts: number) => ({ id, type: 'session_start', subject, sessionId: `ses_${subject.slice(0, 12)}`, ts });
const batchOf = (events: unknown[]) => ({ writeKey: t.project.writeKey, sentAt: t.clock.now(), tz: 'UTC', device: 'desktop', sdk: 'test/1', events });

describe('GET /metrics', () => {
  it('moves each counter by exactly what a batch did: 3 accepted, 1 duplicate, 2 suppressed as no_decision, 1 rejected', async () => {
    t = await startTestServer();
    const alice = t.subjectFor('alice');
    const bob = t.subjectFor('bob'); // never decides: no_decision
    expect((await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: alice, policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START })).status).toBe(200);
    expect((await t.post('/v1/batch', batchOf([ev('evt_metrics_first', alice, TEST_START)]))).status).toBe(200);
    const before = await scrape();

    const response = await t.post('/v1/batch', batchOf([
      ev('evt_metrics_0001', alice, TEST_START + 1),
      ev('evt_metrics_0002', alice, TEST_START + 2),
      ev('evt_metrics_0003', alice, TEST_START + 3),
      ev('evt_metrics_first', alice, TEST_START),
      ev('evt_metrics_bob1', bob, TEST_START + 4),
      ev('evt_metrics_bob2', bob, TEST_START + 5),
      ev('evt_metrics_late', alice, TEST_START + 30 * DAY),
    ]));
    expect(await response.json()).toMatchObject({ accepted: 3, duplicates: 1, suppressed: 2, reasons: { no_decision: 2 }, rejected: 1, rejections: { in_future: 1 } });
    const after = await scrape();

    const delta = (name: string, labels: Record<string, string> = {}) => sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(delta('heed_events_accepted_total')).toBe(3);
    expect(delta('heed_events_duplicate_total')).toBe(1);
    expect(delta('heed_events_suppressed_total', { reason: 'no_decision' })).toBe(2);
    for (const reason of ['policy_superseded', 'withdrawn', 'not_granted', 'objected', 'restricted', 'erased']) {
      expect(delta('heed_events_suppressed_total', { reason })).toBe(0);
    }
    expect(delta('heed_events_rejected_total', { reason: 'in_future' })).toBe(1);
    expect(delta('heed_events_rejected_total', { reason: 'too_old' })).toBe(0);
    expect(delta('heed_batch_duration_seconds_count')).toBe(1);
    expect(delta('heed_batch_duration_seconds_bucket', { le: '+Inf' })).toBe(1);
    expect(delta('heed_http_requests_total', { method: 'POST', route: '/v1/batch', status: '200' })).toBe(1);
    // A scrape is itself a request, counted once it has answered: the first one shows here.
    expect(sampleValue(after, 'heed_http_requests_total', { method: 'GET', route: '/metrics', status: '200' })).toBe(1);
    expect(after.get('heed_batch_duration_seconds')?.type).toBe('histogram');
    expect(after.get('heed_events_accepted_total')?.type).toBe('counter');
  });

  it('labels requests by route pattern, never by path, and carries no personal data', async () => {
    t = await startTestServer();
    const subject = t.subjectFor('carol');
    const consent = await t.post('/v1/consent', { writeKey: t.project.writeKey, subject, policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START });
    const { subjectToken } = (await consent.json()) as { subjectToken: string };
    await t.post('/v1/batch', batchOf([ev('evt_carol_00001', subject, TEST_START)]));
    // Paths that match no route may carry a token or an id: both count as `unmatched`.
    expect((await fetch(`${t.url}/v1/me/${subjectToken}`)).status).toBe(401);
    expect((await fetch(`${t.url}/v1/subjects/${subject}`)).status).toBe(404);
    expect((await fetch(`${t.url}/v1/stats/usage`)).status).toBe(401);
    expect((await fetch(`${t.url}/v1/me`, { headers: { authorization: `Bearer ${subjectToken}` } })).status).toBe(200);

    const text = await (await fetch(`${t.url}/metrics`)).text();
    const families = parsePrometheusText(text);
    expect(sampleValue(families, 'heed_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(sampleValue(families, 'heed_http_requests_total', { method: 'GET', route: 'unmatched', status: '401' })).toBe(1);
    expect(sampleValue(families, 'heed_http_requests_total', { method: 'GET', route: '/v1/stats/usage', status: '401' })).toBe(1);
    expect(sampleValue(families, 'heed_http_requests_total', { method: 'GET', route: '/v1/me', status: '200' })).toBe(1);
    const pseudonyms = await t.query<{ pseudonym: string }>('SELECT pseudonym FROM subjects');
    expect(pseudonyms).toHaveLength(1);
    for (const secret of [subject, subjectToken, pseudonyms[0]!.pseudonym, t.project.projectId, t.project.writeKey, t.project.analystKey, 'carol']) {
      expect(text).not.toContain(secret);
    }
    // Every label value comes from a closed set.
    const routes = new Set([...families.get('heed_http_requests_total')!.samples].map((s) => s.labels.route));
    expect([...routes].sort()).toEqual(['/v1/batch', '/v1/consent', '/v1/me', '/v1/stats/usage', 'unmatched']);
  });

  it('counts a busy store, and each retention run with the rows it deleted per class', async () => {
    t = await startTestServer({ env: { HEED_BUSY_TIMEOUT_MS: '50' } });
    const subject = t.subjectFor('dave');
    await t.post('/v1/consent', { writeKey: t.project.writeKey, subject, policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START });
    await t.post('/v1/batch', batchOf([ev('evt_dave_000001', subject, TEST_START), ev('evt_dave_000002', subject, TEST_START + 1)]));

    const blocker = new Database(t.dbPath);
    blocker.exec('BEGIN IMMEDIATE');
    try {
      expect((await t.post('/v1/batch', batchOf([ev('evt_dave_000003', subject, TEST_START + 2)]))).status).toBe(503);
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
    t.clock.set(TEST_START + 31 * DAY);
    const report = await runRetention(t.server.services);
    expect(report.deleted.rawEvents).toBe(2);

    const families = await scrape();
    expect(sampleValue(families, 'heed_store_errors_total', { kind: 'busy' })).toBe(1);
    expect(sampleValue(families, 'heed_store_errors_total', { kind: 'other' })).toBe(0);
    expect(sampleValue(families, 'heed_http_requests_total', { method: 'POST', route: '/v1/batch', status: '503' })).toBe(1);
    expect(sampleValue(families, 'heed_retention_runs_total', { outcome: 'ok' })).toBe(1);
    expect(sampleValue(families, 'heed_retention_runs_total', { outcome: 'error' })).toBe(0);
    for (const [dataClass, n] of Object.entries(report.deleted)) {
      expect(sampleValue(families, 'heed_retention_deleted_rows_total', { class: dataClass })).toBe(n);
    }
  });
});

describe('who may read /metrics', () => {
  it('with HEED_METRICS_TOKEN set, only the bearer of that token', async () => {
    t = await startTestServer({ env: { HEED_METRICS_TOKEN: 'metrics-token-0123456789' } });
    const none = await fetch(`${t.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toBe('application/problem+json');
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456788' } })).status).toBe(401);
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${t.project.adminKey}` } })).status).toBe(401);
    await scrape({ authorization: 'Bearer metrics-token-0123456789' });
  });

  it('without a token, clients on this machine only', async () => {
    t = await startTestServer();
    await scrape();
    // The peer address as @hono/node-server passes it; a public address is refused.
    const dataDir = mkdtempSync(join(tmpdir(), 'heed-metrics-'));
    const services = buildServices(loadConfig({ HEED_DATA_DIR: dataDir }));
    try {
      const app = createApp(services, { bodyLimit: 65_536, rate: { perSecond: 10, burst: 10 }, ingestOrigins: ['*'], corsOrigins: [] });
      const from = (remoteAddress: string) => app.request('/metrics', {}, { incoming: { socket: { remoteAddress } } });
      expect((await from('203.0.113.7')).status).toBe(403);
      expect((await from('::ffff:10.0.0.2')).status).toBe(403);
      expect((await from('::1')).status).toBe(200);
      expect((await from('::ffff:127.0.0.1')).status).toBe(200);
      expect((await app.request('/metrics')).status).toBe(403);
    } finally {
      await services.store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
