import type { CustomerStatus, StaffRole } from '../../generated/prisma/enums';
import type { UserErrorCode } from '../../shared/domain-error';

export interface TransitionRefusal {
  code: UserErrorCode;
  message: string;
}

const SUPERVISORS: StaffRole[] = ['ADMIN', 'MANAGER'];

/**
 * SPEC §3: ACTIVE ⇄ INACTIVE; any → SUSPENDED (MANAGER/ADMIN only); SUSPENDED → ACTIVE
 * (MANAGER/ADMIN); DELETED only via the privacy operations. Returns null when allowed.
 */
export function refuseStatusTransition(
  from: CustomerStatus,
  to: CustomerStatus,
  role: StaffRole,
): TransitionRefusal | null {
  if (from === to) return { code: 'INVALID_TRANSITION', message: `Customer is already ${to}` };
  if (to === 'DELETED' || from === 'DELETED') {
    return { code: 'INVALID_TRANSITION', message: 'DELETED is reached and left only through the privacy operations' };
  }
  if (to === 'SUSPENDED' || from === 'SUSPENDED') {
    if (from === 'SUSPENDED' && to !== 'ACTIVE')
      return {
        code: 'INVALID_TRANSITION',
        message: 'A suspended customer can only be reactivated (SUSPENDED → ACTIVE)',
      };
    if (!SUPERVISORS.includes(role))
      return { code: 'FORBIDDEN', message: `Only a manager or admin may move a customer ${from} → ${to}` };
    return null;
  }
  return null; // ACTIVE ⇄ INACTIVE
}
