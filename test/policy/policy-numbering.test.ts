import { formatPolicyNumber, normalisePolicyNumber } from '../../src/modules/policy/policy.numbering';

describe('policy numbers', () => {
  it('are formatted and normalised per type', () => {
    expect(formatPolicyNumber('AUTO', 1)).toBe('AUTO-000001');
    expect(formatPolicyNumber('TRAVEL', 1234567)).toBe('TRAVEL-1234567');
    expect([' auto-1 ', 'AUTO-000001', 'home-0000042', 'AUTO000001', 'AUTO-', '-1'].map(normalisePolicyNumber)).toEqual(
      ['AUTO-000001', 'AUTO-000001', 'HOME-000042', null, null, null],
    );
  });
});
