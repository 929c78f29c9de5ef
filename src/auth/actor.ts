import type { StaffRole } from '../generated/prisma/enums';
import { masksPersonalDataFor } from './masking';

/** The authenticated staff member on whose behalf a request runs. */
export interface Actor {
  id: string;
  role: StaffRole;
  email: string;
  name: string;
}

export const ALL_ROLES: StaffRole[] = ['ADMIN', 'MANAGER', 'AGENT', 'ANALYST'];
/** Roles that may change data (ANALYST is read-only). */
export const WRITER_ROLES: StaffRole[] = ['ADMIN', 'MANAGER', 'AGENT'];
/** Roles that see every customer and may take supervisory actions. */
export const SUPERVISOR_ROLES: StaffRole[] = ['ADMIN', 'MANAGER'];

export const isSupervisor = (actor: Actor) => actor.role === 'ADMIN' || actor.role === 'MANAGER';
/** Agents only ever see the customers they own; everyone else sees all. */
export const ownerScope = (actor: Actor): string | undefined => (actor.role === 'AGENT' ? actor.id : undefined);
/** The caller sees personal data masked (the fields of src/auth/masking.ts). */
export const masksPersonalData = (actor: Actor) => masksPersonalDataFor(actor.role);
