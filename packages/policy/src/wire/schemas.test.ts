import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../document/default-policy.js';
import { describeIssues } from './issues.js';
import { createWireSchemas, rectificationSchema, wireSchemas } from './schemas.js';

const SUBJECT = 'A'.repeat(43);
const event = (extra: Record<string, unknown>) => ({
  id: 'evt_0000000001',
  ts: 1_764_000_000_000,
  sessionId: 'ses_0000000001',
  subject: SUBJECT,
  ...extra,
});
const batch = (events: unknown[], extra: Record<string, unknown> = {}) => ({
  writeKey: 'wk_demo',
  sentAt: 1_764_000_000_500,
  tz: 'Europe/Brussels',
  device: 'desktop',
  sdk: 'heed-js/0.1.0',
  events,
  ...extra,
});
const fields = (result: { success: boolean; error?: unknown }) =>
  result.success ? [] : describeIssues(result.error as never).map((issue) => issue.field);

describe('batch schema', () => {
  it('accepts the four event kinds of the wire format', () => {
    const body = batch([
      event({ type: 'session_start' }),
      event({ id: 'evt_0000000002', type: 'heartbeat', activeMs: 15_000 }),
      event({ id: 'evt_0000000003', type: 'track', name: 'report.exported', durationMs: 420, props: { format: 'pdf' } }),
      event({ id: 'evt_0000000004', type: 'session_end', activeMs: 3_000 }),
    ]);
    expect(wireSchemas.batch.parse(body)).toEqual(body);
  });

  it('names the failing field', () => {
    expect(fields(wireSchemas.batch.safeParse(batch([event({ type: 'heartbeat', activeMs: -1 })])))).toEqual(['events.0.activeMs']);
    expect(fields(wireSchemas.batch.safeParse(batch([event({ type: 'track', name: '' })])))).toEqual(['events.0.name']);
    expect(fields(wireSchemas.batch.safeParse(batch([event({ type: 'teleport' })])))).toEqual(['events.0.type']);
    expect(fields(wireSchemas.batch.safeParse(batch([event({ type: 'session_start', subject: 'raw-user-42' })])))).toEqual([
      'events.0.subject',
    ]);
    expect(fields(wireSchemas.batch.safeParse(batch([event({ type: 'session_start' })], { tz: 'Mars/Olympus' })))).toEqual(['tz']);
    expect(fields(wireSchemas.batch.safeParse(batch([event({ type: 'session_start' })], { device: 'fridge' })))).toEqual(['device']);
    expect(fields(wireSchemas.batch.safeParse(batch([])))).toEqual(['events']);
  });

  it('enforces the events-per-batch limit at its edge', () => {
    const limit = DEFAULT_POLICY.limits.maxEventsPerBatch;
    const events = (n: number) => Array.from({ length: n }, (_, i) => event({ id: `evt_${String(i).padStart(10, '0')}`, type: 'session_start' }));
    expect(wireSchemas.batch.safeParse(batch(events(limit))).success).toBe(true);
    expect(fields(wireSchemas.batch.safeParse(batch(events(limit + 1))))).toEqual(['events']);
  });

  it('enforces the name length limit at its edge', () => {
    const max = DEFAULT_POLICY.limits.maxNameLength;
    expect(wireSchemas.event.safeParse(event({ type: 'track', name: 'x'.repeat(max) })).success).toBe(true);
    expect(fields(wireSchemas.event.safeParse(event({ type: 'track', name: 'x'.repeat(max + 1) })))).toEqual(['name']);
  });

  it('bounds props by keys, depth, bytes and forbidden keys, naming the path', () => {
    const { maxPropsKeys, maxPropsBytes } = DEFAULT_POLICY.limits;
    const track = (props: unknown) => wireSchemas.event.safeParse(event({ type: 'track', name: 'x', props }));
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    expect(track(keys(maxPropsKeys)).success).toBe(true);
    expect(fields(track(keys(maxPropsKeys + 1)))).toEqual(['props']);
    expect(track({ plan: { tier: 'pro' } }).success).toBe(true);
    expect(fields(track({ plan: { tier: { deep: 1 } } }))).toEqual(['props.plan.tier']);
    expect(fields(track(JSON.parse('{"a":{"__proto__":{"polluted":true}}}')))).toEqual(['props.a.__proto__']);
    expect(fields(track({ constructor: 1 }))).toEqual(['props.constructor']);
    // Fill strings (each within maxStringLength) until the JSON is exactly `bytes` long.
    const sized = (bytes: number) => {
      const props: Record<string, string> = {};
      for (let i = 0; JSON.stringify(props).length < bytes; i++) {
        const room = bytes - JSON.stringify({ ...props, [`k${i}`]: '' }).length;
        props[`k${i}`] = 'x'.repeat(Math.min(room, DEFAULT_POLICY.limits.maxStringLength));
      }
      expect(JSON.stringify(props).length).toBe(bytes);
      return props;
    };
    expect(track(sized(maxPropsBytes)).success).toBe(true);
    expect(fields(track(sized(maxPropsBytes + 1)))).toEqual(['props']);
  });

  it('never throws on arbitrary JSON, and accepts only what it reports as valid', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = wireSchemas.batch.safeParse(value);
        if (!result.success) expect(describeIssues(result.error).length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (props) => {
        wireSchemas.event.safeParse(event({ type: 'track', name: 'x', props }));
      }),
      { numRuns: 500 },
    );
  });

  it('follows tighter limits from the policy', () => {
    const tight = createWireSchemas({ ...DEFAULT_POLICY.limits, maxEventsPerBatch: 1 });
    expect(fields(tight.batch.safeParse(batch([event({ type: 'session_start' }), event({ type: 'session_start' })])))).toEqual(['events']);
  });
});

describe('consent schema', () => {
  const decision = {
    writeKey: 'wk_demo',
    subject: SUBJECT,
    policyVersion: '2026-11-01',
    purposes: { statistics: true, update_timing: true, marketing: false },
    ts: 1_764_000_000_000,
  };

  it('fills gpc and objections with their defaults', () => {
    expect(wireSchemas.consent.parse(decision)).toEqual({ ...decision, gpc: false, objections: [] });
  });

  it('names the failing field', () => {
    expect(fields(wireSchemas.consent.safeParse({ ...decision, policyVersion: 'latest' }))).toEqual(['policyVersion']);
    expect(fields(wireSchemas.consent.safeParse({ ...decision, purposes: { statistics: 'yes' } }))).toEqual(['purposes.statistics']);
    expect(fields(wireSchemas.consent.safeParse({ ...decision, writeKey: undefined }))).toEqual(['writeKey']);
  });
});

describe('rectification schema', () => {
  it('corrects time zone and device class and refuses anything else', () => {
    expect(rectificationSchema.parse({ tz: 'Europe/Amsterdam' })).toEqual({ tz: 'Europe/Amsterdam' });
    expect(fields(rectificationSchema.safeParse({ subject: 'x' }))).toEqual(['']);
  });
});
