import type { StaffRole } from '../generated/prisma/enums';
import type { ApiKeyScope } from '../modules/apikey/apikey.scopes';
import { masksPersonalDataFor } from './masking';

/** The API key a service authenticated with (x-api-key). */
export interface ApiKeyIdentity {
  id: string;
  /** The visible start of its secret ("cak_…"), for logs. */
  prefix: string;
  scopes: ReadonlySet<ApiKeyScope>;
}

/**
 * On whose behalf a request runs: a staff member, or a service's API key. A key's `role` is
 * API_KEY_ROLE (how the business rules treat it); what it may call at all is decided by its
 * scopes (src/modules/apikey/apikey.guard.ts), and the audit records it as API_KEY.
 */
export interface Actor {
  id: string;
  role: StaffRole;
  email: string;
  name: string;
  apiKey?: ApiKeyIdentity;
}

/** The rules a key's calls run under: every customer visible, supervisory checks of its callable fields pass. */
export const API_KEY_ROLE: StaffRole = 'MANAGER';

/** The actor_role of audit entries: the staff role, or API_KEY (actor_id is then the key's id). */
export const auditRoleOf = (actor: Actor): string => (actor.apiKey ? 'API_KEY' : actor.role);

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
