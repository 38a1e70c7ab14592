import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../document/default-policy.js';
import { renderRecordOfProcessing } from './record-of-processing.js';

describe('renderRecordOfProcessing', () => {
  const markdown = renderRecordOfProcessing(DEFAULT_POLICY);

  it('lists every purpose with its legal basis', () => {
    expect(markdown).toContain('| Statistics (`statistics`) | Consent, Art. 6(1)(a) | yes |');
    expect(markdown).toContain('(`update_timing`) | Legitimate interest, Art. 6(1)(f) | yes |');
    expect(markdown).toContain('| Marketing (`marketing`) | Consent, Art. 6(1)(a) | no |');
  });

  it('states the controller, retention and security measures', () => {
    expect(markdown).toContain('- Name: CloudPiling BV');
    expect(markdown).toContain('| Raw usage events (pseudonymous) | P30D |');
    expect(markdown).toContain('| Hourly and daily aggregates (k-anonymised on read) | P25M |');
    expect(markdown).toContain('at least 5 distinct subjects');
  });

  it('escapes table cells', () => {
    const policy = structuredClone(DEFAULT_POLICY);
    policy.purposes[0]!.description.en = 'a | b';
    expect(renderRecordOfProcessing(policy)).toContain('a \\| b');
  });
});
