/**
 * Sessions and active time with the manual clock and the fake lifecycle: visible and
 * recently active is the only time that counts; the inactivity gap ends a session; pagehide
 * sends what is queued plus session_end by beacon in chunks of at most 64 KiB.
 */
import { DEFAULT_POLICY, type BatchRequest, type WireEvent } from '@heed/policy';
import { createTestPlatform } from '@heed/sdk/testing';
import { describe, expect, it } from 'vitest';
import { createClient } from './client.js';

const MINUTE = 60_000;

async function granted(options: Record<string, unknown> = {}) {
  const test = createTestPlatform();
  const heed = createClient(
    { endpoint: 'https://heed.test', writeKey: 'wk', projectId: 'acme', policy: DEFAULT_POLICY, flushIntervalMs: 1_000, ...options },
    test.platform,
  );
  await test.clock.runUntil(heed.consent.grant(['statistics']));
  const sent = (): WireEvent[] =>
    test.transport.requests.filter((request) => request.path === '/v1/batch').flatMap((request) => (request.json as BatchRequest).events);
  const summary = () => sent().filter((event) => event.type !== 'track').map((event) => [event.type, 'activeMs' in event ? event.activeMs : null]);
  return { heed, sent, summary, ...test };
}

describe('sessions and active time', () => {
  it('starts at the grant and sends heartbeats with active-time deltas every 15 s', async () => {
    const test = await granted();
    for (let second = 0; second < 30; second += 5) {
      test.lifecycle.fire('activity');
      await test.clock.advance(5_000);
    }
    await test.clock.advance(1_000);
    expect(test.summary()).toEqual([
      ['session_start', null],
      ['heartbeat', 15_000],
      ['heartbeat', 15_000],
    ]);
    const sessions = new Set(test.sent().map((event) => event.sessionId));
    expect(sessions.size).toBe(1);
  });

  it('stops counting once the user is idle for idleAfterMs (60 s default)', async () => {
    const test = await granted();
    await test.clock.advance(2 * MINUTE);
    expect(test.summary()).toEqual([
      ['session_start', null],
      ['heartbeat', 15_000],
      ['heartbeat', 15_000],
      ['heartbeat', 15_000],
      ['heartbeat', 15_000],
    ]);
  });

  it('a hidden page stops active time and reports the delta when it hides', async () => {
    const test = await granted();
    await test.clock.advance(10_000);
    test.lifecycle.fire('hidden');
    await test.clock.advance(0);
    test.lifecycle.fire('activity');
    await test.clock.advance(5 * MINUTE);
    test.lifecycle.fire('visible');
    await test.clock.advance(3_000);
    test.lifecycle.fire('hidden');
    await test.clock.advance(0);
    expect(test.summary()).toEqual([
      ['session_start', null],
      ['heartbeat', 10_000],
      ['heartbeat', 3_000],
    ]);
  });

  it('ends the session after the inactivity gap (30 min default) and starts a new one on activity', async () => {
    const test = await granted();
    await test.clock.advance(31 * MINUTE);
    const [first, second] = [test.summary().at(-1), test.sent().filter((event) => event.type === 'session_end')];
    expect(first).toEqual(['session_end', 0]);
    expect(second).toHaveLength(1);
    test.lifecycle.fire('activity');
    await test.clock.advance(1_000);
    const starts = test.sent().filter((event) => event.type === 'session_start');
    expect(starts).toHaveLength(2);
    expect(starts[0]!.sessionId).not.toBe(starts[1]!.sessionId);
  });

  it('honours a configured gap, idle threshold and heartbeat interval', async () => {
    const test = await granted({ sessionGapMs: 5 * MINUTE, idleAfterMs: 20_000, heartbeatMs: 10_000 });
    await test.clock.advance(6 * MINUTE);
    expect(test.summary()).toEqual([
      ['session_start', null],
      ['heartbeat', 10_000],
      ['heartbeat', 10_000],
      ['session_end', 0],
    ]);
  });

  it('pagehide sends the queue and session_end by beacon, each chunk at most 64 KiB, session_end first', async () => {
    const test = await granted({ flushIntervalMs: 3_600_000 });
    test.transport.handler = () => 'network';
    const big = { note: 'x'.repeat(200) };
    for (let n = 0; n < 900; n++) test.heed.track(`feature.${n}`, big);
    await test.clock.advance(4_000);
    test.transport.handler = undefined;
    test.lifecycle.fire('pagehide');
    const beacons = test.transport.requests.filter((request) => request.beacon);
    expect(beacons.length).toBeGreaterThan(3);
    for (const beacon of beacons) {
      expect(beacon.path).toBe('/v1/batch');
      expect(new TextEncoder().encode(beacon.body).length).toBeLessThanOrEqual(65_536);
    }
    const firstEvents = (beacons[0]!.json as BatchRequest).events;
    expect(firstEvents.at(-1)).toMatchObject({ type: 'session_end', activeMs: 4_000 });
    const tracked = beacons.flatMap((beacon) => (beacon.json as BatchRequest).events).filter((event) => event.type === 'track');
    expect(new Set(tracked.map((event) => event.id)).size).toBe(900);
    expect(test.storage.get('heed:queue')).toBeNull();
  });

  it('keeps what the beacon refused for the next page', async () => {
    const test = await granted();
    test.heed.track('a');
    test.transport.beaconAccepts = false;
    test.lifecycle.fire('pagehide');
    const stored = JSON.parse(test.storage.get('heed:queue')!) as WireEvent[];
    expect(stored.map((event) => event.type)).toEqual(['session_start', 'track', 'session_end']);
  });

  it('time() tracks the duration between start and stop', async () => {
    const test = await granted();
    const stop = test.heed.time('export.pdf');
    await test.clock.advance(420);
    stop({ pages: 3 });
    await test.clock.runUntil(test.heed.flush());
    expect(test.sent().find((event) => event.type === 'track')).toMatchObject({ name: 'export.pdf', durationMs: 420, props: { pages: 3 } });
  });
});
