import type { ClaimStatus } from '../../src/generated/prisma/enums';
import {
  CLAIM_TRANSITIONS,
  FINAL_CLAIM_STATUSES,
  formatClaimNumber,
  parseClaimNumber,
  refuseClaimTransition,
} from '../../src/modules/claim/claim.status';

const ALL: ClaimStatus[] = ['FILED', 'IN_REVIEW', 'APPROVED', 'REJECTED', 'PAID'];

// Every (from, to) pair: exactly these five moves are allowed.
const ALLOWED = new Set(['FILED→IN_REVIEW', 'IN_REVIEW→APPROVED', 'IN_REVIEW→REJECTED', 'APPROVED→PAID']);

describe('claim status machine', () => {
  const pairs = ALL.flatMap((from) => ALL.map((to) => [from, to] as const));

  it.each(pairs)('%s → %s', (from, to) => {
    const refusal = refuseClaimTransition(from, to);
    if (ALLOWED.has(`${from}→${to}`)) expect(refusal).toBeNull();
    else expect(refusal).toEqual(expect.any(String));
  });

  it.each([
    ['FILED', 'APPROVED', 'A claim in FILED can only move to IN_REVIEW, not APPROVED'],
    ['FILED', 'PAID', 'A claim in FILED can only move to IN_REVIEW, not PAID'],
    ['IN_REVIEW', 'PAID', 'A claim in IN_REVIEW can only move to APPROVED or REJECTED, not PAID'],
    ['REJECTED', 'IN_REVIEW', 'The claim is REJECTED, which is final'],
    ['PAID', 'APPROVED', 'The claim is PAID, which is final'],
    ['APPROVED', 'APPROVED', 'The claim is already APPROVED'],
  ] as const)('explains why %s → %s is refused', (from, to, message) => {
    expect(refuseClaimTransition(from, to)).toBe(message);
  });

  it('is a table in which REJECTED and PAID are the final statuses and every status is reachable from FILED', () => {
    expect(FINAL_CLAIM_STATUSES).toEqual(['REJECTED', 'PAID']);
    const reached = new Set<ClaimStatus>(['FILED']);
    for (let i = 0; i < ALL.length; i++)
      for (const s of [...reached]) CLAIM_TRANSITIONS[s].forEach((t) => reached.add(t));
    expect([...reached].sort()).toEqual([...ALL].sort());
  });

  it.each([
    [1, 'CLM-000001'],
    [123456, 'CLM-123456'],
    [1234567, 'CLM-1234567'],
  ])('numbers claim %i as %s', (n, text) => {
    expect(formatClaimNumber(n)).toBe(text);
    expect(parseClaimNumber(text.toLowerCase())).toBe(n);
  });

  it('parses the documented short forms: "42", "clm42", " CLM-000042 "', () => {
    expect(['42', 'clm42', ' CLM-000042 '].map(parseClaimNumber)).toEqual([42, 42, 42]);
  });

  it('does not parse what is not a claim number', () => {
    expect(['CLM-', 'AUTO-000001', 'CLM-1.5', ''].map(parseClaimNumber)).toEqual([null, null, null, null]);
  });
});
