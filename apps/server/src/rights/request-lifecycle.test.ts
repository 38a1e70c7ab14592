/**
 * A request's life as staff handle it (Art. 12), a legal hold refusing erasure (Art. 17(3)),
 * and a correction that sticks (Art. 16): over the admin API and the subject's own routes,
 * on each store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { storesUnderTest } from '../testing/test-databases.js';
import { TEST_START, startTestServer, type TestServer } from '../testing/test-server.js';
import { addMonths } from './requests.js';

const DAY = 86_400_000;
let t: TestServer;
afterEach(() => t?.close());

const admin = () => ({ authorization: `Bearer ${t.project.adminKey}` });
const json = async <T>(response: Response) => (await response.json()) as T;
type Row = { id: string; state: string; dueAt: number; originalDueAt: number; extensionReason: string | null; noticeAt: number | null; refusalGround: string | null; outcome: string | null; overdue?: boolean };
const openRequest = async (kind: string, receivedAt: number) => json<Row>(await t.post('/v1/admin/requests', { kind, receivedAt }, admin()));

describe.each(storesUnderTest())('on %s', (store) => {
  it('extends a request by at most two months, within the first month, with its reason and notice', async () => {
    t = await startTestServer({ store });
    const request = await openRequest('access', TEST_START);
    const due = addMonths(TEST_START, 1);
    expect(request).toMatchObject({ state: 'received', dueAt: due, originalDueAt: due });
    const extend = (until: number, noticeAt = TEST_START + DAY) => t.post(`/v1/admin/requests/${request.id}/extend`, { until, reason: 'a complex request', noticeAt }, admin());
    // Past two more months: refused, naming the field and the latest date.
    const tooFar = await extend(addMonths(due, 2) + 1);
    expect(tooFar.status).toBe(422);
    expect((await json<{ errors: { field: string; message: string }[] }>(tooFar)).errors).toEqual([{ field: 'until', message: `at most two months more: no later than ${new Date(addMonths(due, 2)).toISOString()}` }]);
    const extended = await json<Row>(await extend(addMonths(due, 2)));
    expect(extended).toMatchObject({ state: 'extended', dueAt: addMonths(due, 2), originalDueAt: due, extensionReason: 'a complex request', noticeAt: TEST_START + DAY });
    // Completed: closed, with its outcome.
    expect(await json<Row>(await t.post(`/v1/admin/requests/${request.id}/complete`, { outcome: 'sent by mail' }, admin()))).toMatchObject({ state: 'completed', outcome: 'sent by mail' });
    expect((await t.post(`/v1/admin/requests/${request.id}/complete`, { outcome: 'again' }, admin())).status).toBe(404);
  });

  it('refuses an extension decided after the first month', async () => {
    t = await startTestServer({ store });
    const request = await openRequest('erasure', TEST_START);
    t.clock.set(addMonths(TEST_START, 1) + 1);
    const late = await t.post(`/v1/admin/requests/${request.id}/extend`, { until: addMonths(TEST_START, 2), reason: 'late', noticeAt: TEST_START }, admin());
    expect(late.status).toBe(422);
    expect((await json<{ errors: { field: string }[] }>(late)).errors.map((error) => error.field)).toEqual(['until']);
  });

  it('refuses a request on a ground from the list, with the reason', async () => {
    t = await startTestServer({ store });
    const request = await openRequest('access', TEST_START);
    expect((await t.post(`/v1/admin/requests/${request.id}/refuse`, { ground: 'because', reason: 'no' }, admin())).status).toBe(400);
    const refused = await json<Row>(await t.post(`/v1/admin/requests/${request.id}/refuse`, { ground: 'manifestly_unfounded', reason: 'the tenth identical request this week' }, admin()));
    expect(refused).toMatchObject({ state: 'refused', refusalGround: 'manifestly_unfounded', outcome: 'the tenth identical request this week' });
  });

  it('orders the log overdue first, then open, then closed', async () => {
    t = await startTestServer({ store });
    const closed = await openRequest('access', TEST_START - 10 * DAY);
    await t.post(`/v1/admin/requests/${closed.id}/complete`, { outcome: 'done' }, admin());
    const overdue = await openRequest('erasure', TEST_START - 40 * DAY);
    const open = await openRequest('objection', TEST_START - 5 * DAY);
    const log = await json<{ requests: Row[] }>(await fetch(`${t.url}/v1/admin/requests`, { headers: admin() }));
    expect(log.requests.map((row) => [row.id, row.state, row.overdue])).toEqual([[overdue.id, 'received', true], [open.id, 'received', false], [closed.id, 'completed', false]]);
  });

  it('answers erasure 409 with the ground under a legal hold, logs the refusal, and erases once it ends', async () => {
    t = await startTestServer({ store });
    const { subjectToken } = await json<{ subjectToken: string }>(await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor('ann'), policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START }));
    expect((await t.post('/v1/admin/subjects/hold', { userId: 'ann', ground: 'legal_claims', reason: 'case 2026/41', until: TEST_START + DAY }, admin())).status).toBe(200);
    const erase = () => fetch(`${t.url}/v1/me`, { method: 'DELETE', headers: { authorization: `Bearer ${subjectToken}` } });
    const refused = await erase();
    expect(refused.status).toBe(409);
    expect(await json(refused)).toMatchObject({ type: 'https://heed.dev/problems/legal-hold', errors: [{ field: 'ground', message: 'legal_claims' }] });
    expect((await t.post('/v1/admin/subjects/erase', { userId: 'ann' }, admin())).status).toBe(409);
    const log = await json<{ requests: Row[] }>(await fetch(`${t.url}/v1/admin/requests`, { headers: admin() }));
    expect(log.requests.map((row) => [row.state, row.refusalGround, row.outcome])).toEqual([['refused', 'legal_claims', 'case 2026/41'], ['refused', 'legal_claims', 'case 2026/41']]);
    expect(await t.query('SELECT erased FROM subjects')).toEqual([{ erased: 0 }]);
    const access = async () => (await json<{ subject: { legalHold: unknown } }>(await fetch(`${t.url}/v1/me`, { headers: { authorization: `Bearer ${subjectToken}` } }))).subject.legalHold;
    t.clock.set(TEST_START + DAY - 1);
    expect(await access()).toEqual({ ground: 'legal_claims', reason: 'case 2026/41', until: new Date(TEST_START + DAY).toISOString() });
    t.clock.set(TEST_START + DAY);
    // At its end the hold binds nothing: the answer no longer shows it, and erasure goes ahead.
    expect(await access()).toBeNull();
    expect((await erase()).status).toBe(200);
  });

  it('keeps a corrected time zone and device class when later batches report others', async () => {
    t = await startTestServer({ store });
    const { subjectToken } = await json<{ subjectToken: string }>(await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor('ann'), policyVersion: '2026-11-01', purposes: { statistics: true }, ts: TEST_START }));
    const batch = (id: string) => t.post('/v1/batch', {
      writeKey: t.project.writeKey, sentAt: TEST_START, tz: 'America/New_York', device: 'mobile', sdk: 'test/1',
      events: [{ id, type: 'session_start', subject: t.subjectFor('ann'), sessionId: 'ses_rectify_001', ts: TEST_START }],
    });
    await batch('evt_rectify_0001');
    const me = (init: RequestInit = {}) => fetch(`${t.url}/v1/me`, { ...init, headers: { authorization: `Bearer ${subjectToken}`, 'content-type': 'application/json' } });
    expect(await json(await me({ method: 'PATCH', body: JSON.stringify({ tz: 'Europe/Brussels', device: 'desktop' }) }))).toEqual({ corrected: ['tz', 'device'] });
    await batch('evt_rectify_0002');
    expect((await json<{ subject: unknown }>(await me())).subject).toMatchObject({ timeZone: 'Europe/Brussels', deviceClass: 'desktop', corrected: ['tz', 'device'] });
  });
});
