import { describe, expect, it } from 'vitest';
import { describeIssues } from '../wire/issues.js';
import { DEFAULT_POLICY } from './default-policy.js';
import { policyDocumentSchema } from './schema.js';

const fieldsOf = (input: unknown) => {
  const result = policyDocumentSchema.safeParse(input);
  return result.success ? [] : describeIssues(result.error).map((issue) => issue.field);
};

describe('policyDocumentSchema', () => {
  it('accepts the default policy as it is', () => {
    expect(policyDocumentSchema.parse(DEFAULT_POLICY)).toEqual(DEFAULT_POLICY);
  });

  it('derives statistics, update_timing and marketing from the privacy policy', () => {
    const bases = Object.fromEntries(DEFAULT_POLICY.purposes.map((p) => [p.id, [p.basis, p.usageTracking]]));
    expect(bases).toEqual({
      statistics: ['consent', true],
      update_timing: ['legitimate_interest', true],
      marketing: ['consent', false],
    });
  });

  it('names the failing field of a malformed document', () => {
    expect(fieldsOf({ ...DEFAULT_POLICY, version: 'v2' })).toEqual(['version']);
    expect(fieldsOf({ ...DEFAULT_POLICY, retention: { ...DEFAULT_POLICY.retention, rawEvents: '30 days' } })).toEqual([
      'retention.rawEvents',
    ]);
    expect(fieldsOf({ ...DEFAULT_POLICY, kAnonymity: 1 })).toEqual(['kAnonymity']);
    expect(fieldsOf({ ...DEFAULT_POLICY, controller: { ...DEFAULT_POLICY.controller, contact: 'nobody' } })).toEqual([
      'controller.contact',
    ]);
    const badBasis = structuredClone(DEFAULT_POLICY) as unknown as { purposes: { basis: string }[] };
    badBasis.purposes[1]!.basis = 'vital_interest';
    expect(fieldsOf(badBasis)).toEqual(['purposes.1.basis']);
    expect(fieldsOf({ ...DEFAULT_POLICY, limits: { ...DEFAULT_POLICY.limits, maxEventsPerBatch: 0 } })).toEqual([
      'limits.maxEventsPerBatch',
    ]);
  });

  it('refuses duplicate purposes and versions that do not increase', () => {
    expect(fieldsOf({ ...DEFAULT_POLICY, purposes: [...DEFAULT_POLICY.purposes, DEFAULT_POLICY.purposes[0]] })).toEqual([
      'purposes.3.id',
    ]);
    expect(fieldsOf({ ...DEFAULT_POLICY, history: [{ version: '2027-01-01', substantial: true }] })).toEqual(['version']);
  });
});
