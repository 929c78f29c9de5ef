// The claim status machine (SPEC §3): FILED → IN_REVIEW → APPROVED or REJECTED; APPROVED → PAID.
// A pure transition table, tested table-driven; the service consults it inside its transaction.
import type { ClaimStatus } from '../../generated/prisma/enums';

export const CLAIM_TRANSITIONS: Readonly<Record<ClaimStatus, readonly ClaimStatus[]>> = {
  FILED: ['IN_REVIEW'],
  IN_REVIEW: ['APPROVED', 'REJECTED'],
  APPROVED: ['PAID'],
  REJECTED: [],
  PAID: [],
};

/** Statuses a claim never leaves. */
export const FINAL_CLAIM_STATUSES: readonly ClaimStatus[] = (Object.keys(CLAIM_TRANSITIONS) as ClaimStatus[]).filter(
  (s) => CLAIM_TRANSITIONS[s].length === 0,
);

/** Null when `from → to` is allowed, else the reason it is not. */
export function refuseClaimTransition(from: ClaimStatus, to: ClaimStatus): string | null {
  if (CLAIM_TRANSITIONS[from].includes(to)) return null;
  if (from === to) return `The claim is already ${to}`;
  const allowed = CLAIM_TRANSITIONS[from];
  return allowed.length === 0
    ? `The claim is ${from}, which is final`
    : `A claim in ${from} can only move to ${allowed.join(' or ')}, not ${to}`;
}

export const formatClaimNumber = (n: number) => `CLM-${String(n).padStart(6, '0')}`;

/** "clm-42", "CLM-000042" or "42" → 42; null when it cannot be a claim number. */
export function parseClaimNumber(text: string): number | null {
  const match = /^\s*(?:clm-?)?0*(\d{1,9})\s*$/i.exec(text);
  return match ? Number(match[1]) : null;
}
