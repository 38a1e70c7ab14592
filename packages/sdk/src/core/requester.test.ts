/**
 * The retry matrix, exactly: which answers are tried again, which are final, how many
 * requests a retry cap allows, and that Retry-After is waited out.
 */
import { createFakeTransport, createManualClock } from '@heed/sdk/testing';
import { describe, expect, it } from 'vitest';
import type { HeedError } from './errors.js';
import { createRequester } from './requester.js';
import { parseRetryAfter, retryDelay } from './retry-delay.js';

function setup(maxRetries = 3) {
  const transport = createFakeTransport();
  const clock = createManualClock(0);
  const errors: HeedError[] = [];
  const requester = createRequester(
    { transport, clock, random: () => 1 },
    { maxRetries, retryBaseMs: 1_000, retryMaxMs: 30_000 },
    (error) => errors.push(error),
  );
  const send = () => clock.runUntil(requester._send({ method: 'POST', path: '/v1/batch', body: '{}', contentType: 'text' }, () => true));
  return { transport, clock, errors, send };
}

describe('retry matrix', () => {
  it.each(['network', 408, 429, 500, 502, 503, 504] as const)('retries %s, then succeeds with the same body', async (answer) => {
    const test = setup();
    test.transport.script(answer, answer);
    const outcome = await test.send();
    expect(outcome._response?.status).toBe(200);
    expect(test.transport.requests).toHaveLength(3);
    expect(new Set(test.transport.requests.map((request) => request.body))).toEqual(new Set(['{}']));
    expect(test.errors).toEqual([]);
  });

  it.each([400, 401, 403, 413, 415, 422])('sends %s once, reports it and gives the batch up', async (status) => {
    const test = setup();
    test.transport.script(status);
    const outcome = await test.send();
    expect(outcome).toEqual({ _final: true });
    expect(test.transport.requests).toHaveLength(1);
    expect(test.errors.map((error) => [error.code, error.message])).toEqual([['http', `[POST] /v1/batch: ${status} fake ${status}`]]);
  });

  it.each(['network', 408, 429, 500, 502, 503, 504] as const)('with a retry cap of 3, %s makes exactly 4 requests', async (answer) => {
    const test = setup(3);
    test.transport.handler = () => answer;
    const outcome = await test.send();
    expect(outcome).toEqual({ _final: false });
    expect(test.transport.requests).toHaveLength(4);
    expect(test.errors.map((error) => error.code)).toEqual([answer === 'network' ? 'network' : 'http']);
  });

  it('waits out Retry-After (seconds) on 429 before the next request', async () => {
    const test = setup();
    test.transport.script({ status: 429, headers: { 'retry-after': '7' } });
    const times: number[] = [];
    const send = test.transport.send.bind(test.transport);
    test.transport.send = (request) => (times.push(test.clock.now()), send(request));
    await test.send();
    expect(times).toEqual([0, 7_000]);
  });

  it('waits out Retry-After as an HTTP date on 503', async () => {
    const test = setup();
    test.transport.script({ status: 503, headers: { 'retry-after': new Date(12_000).toUTCString() } });
    const times: number[] = [];
    const send = test.transport.send.bind(test.transport);
    test.transport.send = (request) => (times.push(test.clock.now()), send(request));
    await test.send();
    expect(times).toEqual([0, 12_000]);
  });

  it('stops retrying as soon as the caller is no longer live', async () => {
    const test = setup();
    test.transport.handler = () => 503;
    let live = true;
    const clock = test.clock;
    const requester = createRequester({ transport: test.transport, clock, random: () => 1 }, { maxRetries: 10, retryBaseMs: 1_000, retryMaxMs: 30_000 }, () => undefined);
    const pending = requester._send({ method: 'POST', path: '/v1/batch', body: '{}' }, () => live);
    await clock.advance(0);
    live = false;
    requester._wake();
    expect(await pending).toEqual({});
    expect(test.transport.requests).toHaveLength(1);
  });
});

describe('retryDelay and parseRetryAfter', () => {
  it('is full jitter over a capped exponential', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((attempt) => retryDelay(attempt, 1_000, 30_000, 1))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(retryDelay(3, 1_000, 30_000, 0.5)).toBe(4_000);
    expect(retryDelay(3, 1_000, 30_000, 0)).toBe(0);
  });

  it('reads delta seconds and HTTP dates, ignores garbage', () => {
    expect(parseRetryAfter('2', 0)).toBe(2_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:05 GMT', 1_000)).toBe(4_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:05 GMT', 9_000)).toBe(0);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
  });
});
