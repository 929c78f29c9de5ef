// The customer status machine (SPEC §3), table-driven over every (from, to, role): ACTIVE ⇄
// INACTIVE for any writer; SUSPENDED only by MANAGER/ADMIN and left only to ACTIVE; DELETED only
// through the privacy operations.
import type { CustomerStatus, StaffRole } from '../../src/generated/prisma/enums';
import { refuseStatusTransition } from '../../src/modules/customer/customer.status';

const STATUSES: CustomerStatus[] = ['ACTIVE', 'INACTIVE', 'SUSPENDED', 'DELETED'];
const ROLES: StaffRole[] = ['ADMIN', 'MANAGER', 'AGENT', 'ANALYST'];

/** The expected outcome, written out independently of the implementation. */
function expected(from: CustomerStatus, to: CustomerStatus, role: StaffRole): string {
  if (from === to) return `INVALID_TRANSITION: Customer is already ${to}`;
  if (from === 'DELETED' || to === 'DELETED')
    return 'INVALID_TRANSITION: DELETED is reached and left only through the privacy operations';
  if (from === 'SUSPENDED' && to === 'INACTIVE')
    return 'INVALID_TRANSITION: A suspended customer can only be reactivated (SUSPENDED → ACTIVE)';
  const supervisor = role === 'ADMIN' || role === 'MANAGER';
  if ((from === 'SUSPENDED' || to === 'SUSPENDED') && !supervisor)
    return `FORBIDDEN: Only a manager or admin may move a customer ${from} → ${to}`;
  return 'allowed';
}

const cases = STATUSES.flatMap((from) => STATUSES.flatMap((to) => ROLES.map((role) => [from, to, role] as const)));

describe('refuseStatusTransition', () => {
  it.each(cases)('%s → %s by %s', (from, to, role) => {
    const refusal = refuseStatusTransition(from, to, role);
    expect(refusal ? `${refusal.code}: ${refusal.message}` : 'allowed').toBe(expected(from, to, role));
  });

  it.each<[CustomerStatus, CustomerStatus, StaffRole, string]>([
    ['ACTIVE', 'INACTIVE', 'AGENT', 'allowed'],
    ['INACTIVE', 'ACTIVE', 'AGENT', 'allowed'],
    ['ACTIVE', 'SUSPENDED', 'AGENT', 'FORBIDDEN'],
    ['ACTIVE', 'SUSPENDED', 'MANAGER', 'allowed'],
    ['SUSPENDED', 'ACTIVE', 'AGENT', 'FORBIDDEN'],
    ['SUSPENDED', 'ACTIVE', 'ADMIN', 'allowed'],
    ['SUSPENDED', 'INACTIVE', 'ADMIN', 'INVALID_TRANSITION'],
    ['ACTIVE', 'DELETED', 'ADMIN', 'INVALID_TRANSITION'],
    ['DELETED', 'ACTIVE', 'ADMIN', 'INVALID_TRANSITION'],
  ])('SPEC examples: %s → %s by %s is %s', (from, to, role, outcome) => {
    expect(refuseStatusTransition(from, to, role)?.code ?? 'allowed').toBe(outcome);
  });
});
