/**
 * Delivery under faults, as a property: with random failures (network, 408, 429, 5xx),
 * responses lost after the server stored the batch, crashes and restarts from storage and
 * time passing, every tracked event reaches the server at least once and always with the id
 * it got when it was tracked; after withdrawal nothing more is sent.
 */
import { DEFAULT_POLICY, type TrackEvent } from '@heed/policy';
import { createFakeLifecycle, createManualClock, createTestPlatform, settle, type FakeAnswer } from '@heed/sdk/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createClient } from './client.js';
import type { Heed } from './heed.js';

type Command =
  | { kind: 'track'; count: number }
  | { kind: 'fail'; answers: FakeAnswer[] }
  | { kind: 'lose'; count: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'restart' }
  | { kind: 'offline' }
  | { kind: 'flush' };

const failure = fc.constantFrom<FakeAnswer>('network', 408, 429, 500, 502, 503, 504, { status: 503, headers: { 'retry-after': '3' } });
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('track' as const), count: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ kind: fc.constant('fail' as const), answers: fc.array(failure, { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('lose' as const), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 180_000 }) }),
  fc.constant({ kind: 'restart' as const }),
  fc.constant({ kind: 'offline' as const }),
  fc.constant({ kind: 'flush' as const }),
);

const OPTIONS = { endpoint: 'https://heed.test', writeKey: 'wk', projectId: 'acme', policy: DEFAULT_POLICY, maxRetries: 3 };

describe('delivery under faults', () => {
  it('delivers every event at least once with its original id, and nothing after withdrawal', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 25 }), async (commands) => {
        let test = createTestPlatform();
        const { storage, transport } = test;
        let heed: Heed = createClient(OPTIONS, test.platform);
        await test.clock.runUntil(heed.consent.grant(['statistics']));
        let tracked = 0;
        let lose = 0;
        transport.handler = (request) => {
          if (lose > 0 && request.path === '/v1/batch') {
            lose--;
            // The server stored the batch, but the answer never arrived: the client must retry, the server dedupes.
            void transport.beacon(request.path, request.body!);
            transport.requests.pop();
            return 'network';
          }
          return undefined;
        };

        for (const step of commands) {
          if (step.kind === 'track') for (let n = 0; n < step.count; n++) heed.track(`e${tracked++}`);
          if (step.kind === 'fail') transport.script(...step.answers);
          if (step.kind === 'lose') lose += step.count;
          if (step.kind === 'advance') await test.clock.advance(step.ms);
          if (step.kind === 'flush') await test.clock.runUntil(heed.flush());
          if (step.kind === 'offline') test.lifecycle.fire('offline');
          if (step.kind === 'restart') {
            // A crash: the old client's timers die with its clock; storage and the server remain.
            // The queue is stored once per macrotask, so the crash comes at a macrotask
            // boundary: the write scheduled for it (a 0 ms timer) has landed, nothing later has.
            await test.clock.advance(0);
            await settle();
            test = createTestPlatform({ storage, transport, clock: createManualClock(test.clock.now()), lifecycle: createFakeLifecycle() });
            heed = createClient(OPTIONS, test.platform);
          }
        }

        transport.handler = undefined;
        transport.script();
        test.lifecycle.fire('online');
        for (let round = 0; round < 5; round++) {
          await test.clock.advance(120_000);
          await test.clock.runUntil(heed.flush());
        }

        const byName = new Map<string, Set<string>>();
        for (const stored of transport.stored.values()) {
          const event = stored as TrackEvent;
          if (event.type !== 'track') continue;
          byName.set(event.name, (byName.get(event.name) ?? new Set()).add(event.id));
        }
        for (let n = 0; n < tracked; n++) expect(byName.get(`e${n}`)?.size, `e${n}`).toBe(1);
        expect(storage.get('heed:queue')).toBeNull();

        await test.clock.runUntil(heed.consent.withdraw());
        const sent = transport.requests.length;
        for (let n = 0; n < 20; n++) heed.track(`late${n}`);
        await test.clock.advance(600_000);
        await heed.flush();
        test.lifecycle.fire('pagehide');
        expect(transport.requests.length).toBe(sent);
        // Only the subject and its token stay (rights over what was collected); no event does.
        expect(storage.keys()).toEqual(['heed:consent']);
        expect(Object.keys(JSON.parse(storage.get('heed:consent')!))).toEqual(['subject']);
      }),
      { numRuns: 60 },
    );
  });
});

describe('a full queue while a batch waits for its retry', () => {
  it('never sends the events it dropped: delivered plus dropped equals tracked', async () => {
    const test = createTestPlatform();
    const dropped: number[] = [];
    const heed = createClient(
      {
        ...OPTIONS, maxQueueEvents: 10, maxRetries: 50, retryBaseMs: 1_000, retryMaxMs: 1_000, heartbeatMs: 3_600_000,
        onError: (error) => {
          const count = /dropped (\d+)/.exec(error.message)?.[1];
          if (count) dropped.push(Number(count));
        },
      },
      test.platform,
    );
    await test.clock.runUntil(heed.consent.grant(['statistics']));
    // The server is down: the first batch (events 0-4) waits for its retry while more arrive.
    test.transport.handler = (request) => (request.path === '/v1/batch' ? 503 : undefined);
    for (let n = 0; n < 5; n++) heed.track('outage', { n });
    await test.clock.advance(6_000);
    for (let n = 5; n < 25; n++) heed.track('outage', { n });
    test.transport.handler = undefined;
    for (let round = 0; round < 5; round++) {
      await test.clock.advance(2_000);
      await test.clock.runUntil(heed.flush());
    }
    const stored = [...test.transport.stored.values()] as TrackEvent[];
    const delivered = stored.filter((event) => event.type === 'track').map((event) => (event.props as { n: number }).n).sort((a, b) => a - b);
    // 26 events were queued (session_start and 25 tracks) into a queue of 10: exactly 16 dropped, the oldest.
    expect(stored).toHaveLength(10);
    expect(dropped.reduce((a, b) => a + b, 0)).toBe(16);
    expect(delivered).toEqual(Array.from({ length: 10 }, (_, i) => 15 + i));
  });
});
