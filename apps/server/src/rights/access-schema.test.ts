/**
 * The access answer is complete (Art. 15(1)(a)-(h), from the policy in force) and matches its
 * published JSON Schema: docs/access-answer.schema.json is what the code generates, and a real
 * subject's answer (events, a correction, a hold, an extended request) validates against that
 * file, on each store.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_POLICY } from '@heed/policy';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storesUnderTest } from '../testing/test-databases.js';
import { TEST_START, startTestServer, type TestServer } from '../testing/test-server.js';
import { accessAnswerJsonSchema } from './access-schema.js';

const DOCS = new URL('../../../../docs/access-answer.schema.json', import.meta.url);

it('publishes in docs/ exactly the schema the code answers with', () => {
  expect(JSON.parse(readFileSync(DOCS, 'utf8'))).toEqual(accessAnswerJsonSchema());
});

describe.each(storesUnderTest())('a real answer on %s', (store) => {
  let t: TestServer;
  let answer: Record<string, unknown> & { purposes: { id: string; basis: string; processed: boolean; title: { nl: string } }[] };

  beforeAll(async () => {
    t = await startTestServer({ store });
    const admin = { authorization: `Bearer ${t.project.adminKey}` };
    const consent = await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor('ann'), policyVersion: '2026-11-01', purposes: { statistics: true }, objections: ['update_timing'], ts: TEST_START });
    const { subjectToken } = (await consent.json()) as { subjectToken: string };
    await t.post('/v1/batch', {
      writeKey: t.project.writeKey, sentAt: TEST_START, tz: 'Europe/Brussels', device: 'mobile', sdk: 'test/1',
      events: [{ id: 'evt_schema_000001', type: 'track', name: 'report.exported', durationMs: 420, props: { format: 'pdf' }, subject: t.subjectFor('ann'), sessionId: 'ses_schema_0001', ts: TEST_START }],
    });
    await fetch(`${t.url}/v1/me`, { method: 'PATCH', headers: { authorization: `Bearer ${subjectToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ device: 'desktop' }) });
    await t.post('/v1/admin/subjects/hold', { userId: 'ann', ground: 'legal_claims', reason: 'case 2026/41', until: TEST_START + 90 * 86_400_000 }, admin);
    const request = (await (await t.post('/v1/admin/requests', { kind: 'access', userId: 'ann', receivedAt: TEST_START }, admin)).json()) as { id: string };
    await t.post(`/v1/admin/requests/${request.id}/extend`, { until: TEST_START + 50 * 86_400_000, reason: 'many requests at once', noticeAt: TEST_START }, admin);
    answer = (await (await fetch(`${t.url}/v1/me`, { headers: { authorization: `Bearer ${subjectToken}` } })).json()) as typeof answer;
  });
  afterAll(() => t.close());

  it('validates against docs/access-answer.schema.json', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(DOCS, 'utf8')) as object);
    expect(validate(answer) ? [] : validate.errors).toEqual([]);
  });

  it('(a) names each purpose with its legal basis and texts, and whether it is processed now', () => {
    // Consented to statistics, objected to update timing, marketing never granted.
    expect(answer.purposes.map((purpose) => [purpose.id, purpose.basis, purpose.processed, (purpose as { notProcessedBecause?: string }).notProcessedBecause])).toEqual([
      ['statistics', 'consent', true, undefined], ['update_timing', 'legitimate_interest', false, 'objected'], ['marketing', 'consent', false, 'not_granted'],
    ]);
    expect(answer.purposes[0]!.title.nl).toBe(DEFAULT_POLICY.purposes[0]!.title.nl);
  });

  it('(b) lists the categories of data of each purpose', () => {
    expect((answer.purposes as unknown as { dataCategories: string[] }[]).map((purpose) => purpose.dataCategories)).toEqual(DEFAULT_POLICY.purposes.map((purpose) => purpose.dataCategories));
  });

  it('(c) lists the recipients', () => {
    expect(answer.recipients).toEqual(DEFAULT_POLICY.recipients);
  });

  it('(d) gives the retention of each data class, and why data may be kept longer', () => {
    expect((answer.retention as { dataClass: string; period: string }[]).map((row) => [row.dataClass, row.period])).toEqual(Object.entries(DEFAULT_POLICY.retention));
    expect((answer.keptLonger as { en: string }).en).toContain('restricted');
  });

  it('(e) lists the rights and how to use each', () => {
    expect((answer.rights as { right: string }[]).map((row) => row.right)).toEqual(['access', 'portability', 'rectification', 'erasure', 'restriction', 'objection', 'withdrawal', 'complaint']);
  });

  it('(f) names the supervisory authority and its address for a complaint', () => {
    expect(answer.complaint).toEqual({ authority: 'Gegevensbeschermingsautoriteit, Drukpersstraat 35, 1000 Brussel, contact@apd-gba.be', article: 'Art. 77' });
  });

  it('(g) says where the data comes from', () => {
    expect((answer.source as { en: string }).en).toMatch(/^From your own device/);
  });

  it('(h) states that no automated decision is made', () => {
    expect((answer.automatedDecisions as { made: boolean }).made).toBe(false);
  });

  it('shows the correction, the hold and the extended request', () => {
    expect(answer.subject).toMatchObject({ deviceClass: 'desktop', corrected: ['device'], legalHold: { ground: 'legal_claims', reason: 'case 2026/41' } });
    expect((answer.rightsRequests as { state: string; extensionReason: string | null }[]).filter((request) => request.state === 'extended')).toEqual([
      expect.objectContaining({ extensionReason: 'many requests at once', dueAt: new Date(TEST_START + 50 * 86_400_000).toISOString() }),
    ]);
  });
});
