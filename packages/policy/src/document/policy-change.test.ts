/** A new policy version may keep earlier consent only if it does not widen what is processed. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from './default-policy.js';
import { checkPolicyChange, effectiveDateOf } from './policy-change.js';
import type { PolicyDocument } from './schema.js';

const next = (change: (draft: PolicyDocument) => void, substantial = false): PolicyDocument => {
  const draft = structuredClone({ ...DEFAULT_POLICY, version: '2026-12-01', substantial, history: [{ version: '2026-11-01', substantial: false }] }) as PolicyDocument;
  change(draft);
  return draft;
};
const fields = (change: (draft: PolicyDocument) => void, substantial = false) => checkPolicyChange(DEFAULT_POLICY, next(change, substantial)).map((issue) => issue.field);

describe('checkPolicyChange', () => {
  it('lets a change that widens nothing keep earlier consent', () => {
    expect(checkPolicyChange(DEFAULT_POLICY, next((draft) => {
      draft.purposes[0]!.description.en = 'Clearer wording of the same purpose.';
      draft.retention.rawEvents = 'P14D';
      draft.kAnonymity = 10;
    }))).toEqual([]);
  });

  it('refuses each widening not marked substantial, naming the field', () => {
    expect(fields((draft) => {
      draft.purposes.push({ ...draft.purposes[0]!, id: 'profiling' });
    })).toEqual(['purposes.3.id']);
    expect(fields((draft) => { draft.purposes[2]!.basis = 'legitimate_interest'; })).toEqual(['purposes.2.basis']);
    expect(fields((draft) => { draft.purposes[2]!.usageTracking = true; })).toEqual(['purposes.2.usageTracking']);
    expect(fields((draft) => { draft.purposes[1]!.dataCategories.push('location'); })).toEqual(['purposes.1.dataCategories']);
    expect(fields((draft) => { draft.recipients.push('an advertising network'); })).toEqual(['recipients']);
    expect(fields((draft) => { draft.retention.rawEvents = 'P31D'; })).toEqual(['retention.rawEvents']);
    expect(fields((draft) => { draft.kAnonymity = 3; })).toEqual(['kAnonymity']);
    const [issue] = checkPolicyChange(DEFAULT_POLICY, next((draft) => { draft.retention.consentProof = 'P10Y'; }));
    expect(issue).toEqual({ field: 'retention.consentProof', message: 'consentProof is kept longer: P5Y -> P10Y (a widening change: mark the version substantial)' });
  });

  it('accepts the same widenings when the version is marked substantial (consent is asked again)', () => {
    expect(fields((draft) => {
      draft.purposes[2]!.basis = 'legitimate_interest';
      draft.retention.rawEvents = 'P90D';
    }, true)).toEqual([]);
  });

  it('refuses an older version and a history that forgets the one in force', () => {
    expect(checkPolicyChange(DEFAULT_POLICY, { ...DEFAULT_POLICY, version: '2026-10-01' }).map((issue) => issue.field)).toEqual(['version']);
    expect(checkPolicyChange(DEFAULT_POLICY, { ...DEFAULT_POLICY, version: '2026-12-01', history: [] }).map((issue) => issue.field)).toEqual(['history']);
  });

  it('takes the effective date from the document, else from the version', () => {
    expect(effectiveDateOf(DEFAULT_POLICY)).toBe('2026-11-01');
    expect(effectiveDateOf({ version: '2027-02-03.2' })).toBe('2027-02-03');
    expect(effectiveDateOf({ version: '2027-02-03', effectiveDate: '2027-03-01' })).toBe('2027-03-01');
  });
});
