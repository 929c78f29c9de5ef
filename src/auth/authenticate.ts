// From an Authorization header to the Actor of a request: the token proves who the caller is,
// the stored staff record decides whether they may still act and with which role.
import type { PrismaClient } from '../db/client';
import type { StaffRole } from '../generated/prisma/enums';
import { recordAudit } from '../modules/audit/audit';
import type { Actor } from './actor';
import type { TokenIdentity, TokenKeys } from './jwt';
import type { StaffDirectory, StaffRecord } from './staff-directory';

// RFC 7235: the scheme is case-insensitive ("bearer", "BEARER").
const BEARER = /^bearer[ \t]+([A-Za-z0-9._~+/=-]+)[ \t]*$/i;
const STAFF_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function bearerToken(header: string | undefined): string | null {
  if (!header || header.length > 8192) return null;
  return BEARER.exec(header)?.[1] ?? null;
}

export interface ProvisionSettings {
  /** Create a staff user for an unknown external subject (JWT_PROVISION_EXTERNAL). */
  enabled: boolean;
  role: StaffRole;
}

export class Authenticator {
  constructor(
    private readonly keys: TokenKeys,
    private readonly directory: StaffDirectory,
    private readonly prisma: PrismaClient,
    private readonly provision: ProvisionSettings,
  ) {}

  /** The actor of a request, or null (no token, bad token, unknown, inactive or revoked user). */
  async authenticate(header: string | undefined): Promise<Actor | null> {
    const token = bearerToken(header);
    const identity = token ? this.keys.verify(token) : null;
    if (!identity) return null;
    const record = await this.recordOf(identity);
    if (!record?.active) return null;
    if (identity.kind === 'own' && identity.tokenVersion !== record.tokenVersion) return null;
    // The stored role, never a claim of the token.
    return { id: record.id, role: record.role, email: record.email, name: record.name };
  }

  private async recordOf(identity: TokenIdentity): Promise<StaffRecord | null> {
    if (identity.kind === 'own') return this.directory.get(identity.staffId);
    const linked = await this.directory.getByExternalSubject(identity.subject);
    if (linked) return linked;
    // An identity provider may use our staff ids as subjects (accounts created here first).
    if (STAFF_ID.test(identity.subject)) {
      const byId = await this.directory.get(identity.subject);
      if (byId) return byId;
    }
    return this.provision.enabled ? this.provisionExternal(identity) : null;
  }

  /**
   * First sight of an external subject: a new staff user with the configured (least) role. An
   * e-mail that already belongs to someone is refused rather than linked: the identity provider
   * must not take over an existing account.
   */
  private async provisionExternal(identity: Extract<TokenIdentity, { kind: 'external' }>): Promise<StaffRecord | null> {
    const email = identity.email?.trim().toLowerCase();
    if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) return null;
    const created = await this.prisma
      .$transaction(async (tx) => {
        const inserted = await tx.$queryRaw<{ id: string }[]>`
          INSERT INTO staff_users (email, name, role, external_subject, updated_at)
          VALUES (${email}, ${identity.name ?? email}, ${this.provision.role}::"StaffRole", ${identity.subject}, now())
          ON CONFLICT DO NOTHING RETURNING id`;
        if (inserted.length === 0) return null;
        const staffId = inserted[0]!.id;
        await recordAudit(tx, null, {
          action: 'staff.provisionExternal',
          entityType: 'StaffUser',
          entityId: staffId,
          changedFields: ['email', 'name', 'role'],
          reason: 'first token of the external identity provider',
        });
        return staffId;
      })
      .catch(() => null);
    return created ? this.directory.get(created) : this.directory.getByExternalSubject(identity.subject);
  }
}
