// Staff management (ADMIN only, enforced by the resolvers): create, change role, deactivate,
// reactivate, reset password. Every change is audited in its transaction; a trigger on
// staff_users tells every instance's staff cache at commit (src/auth/staff-directory.ts).
import { randomBytes } from 'node:crypto';
import type { Actor } from '../../auth/actor';
import { hashPassword } from '../../auth/password';
import { passwordProblem } from '../../auth/password-policy';
import type { StaffDirectory } from '../../auth/staff-directory';
import type { PrismaClient, Tx } from '../../db/client';
import type { StaffUser } from '../../generated/prisma/client';
import type { StaffRole } from '../../generated/prisma/enums';
import { DomainError, notFound, Validator } from '../../shared/domain-error';
import { recordAudit } from '../audit/audit';

export interface StaffCreateInput {
  email: string;
  name: string;
  role: StaffRole;
  /** Omitted: a random one is generated and returned once. */
  password?: string | null;
}

export interface WithPassword {
  staff: StaffUser;
  /** Set only when the server generated the password: shown once, never stored in clear. */
  generatedPassword: string | null;
}

const STAFF_CHANGE_LOCK = 7_320_451; // pg_advisory_xact_lock key of staff changes

/** 20 random characters from a 64-symbol alphabet: 120 bits. */
export const generatePassword = () => randomBytes(15).toString('base64url');

export class StaffService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly directory: StaffDirectory,
  ) {}

  async create(actor: Actor | null, input: StaffCreateInput): Promise<WithPassword> {
    const email = input.email.trim().toLowerCase();
    const name = input.name.trim();
    const password = input.password ?? generatePassword();
    new Validator()
      .check(name.length >= 1 && name.length <= 200, ['input', 'name'], 'Name must be 1 to 200 characters')
      .check(email.length <= 254, ['input', 'email'], 'E-mail must be at most 254 characters')
      .throwIfInvalid();
    const problem = passwordProblem(password, email);
    if (problem) throw new DomainError('VALIDATION', problem, ['input', 'password']);
    const passwordHash = await hashPassword(password);
    const staff = await this.prisma.$transaction(async (tx) => {
      const [created] = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO staff_users (email, name, role, password_hash, updated_at)
        VALUES (${email}, ${name}, ${input.role}::"StaffRole", ${passwordHash}, now())
        ON CONFLICT (email) DO NOTHING RETURNING id`;
      if (!created)
        throw new DomainError('DUPLICATE', 'A staff user with this e-mail already exists', ['input', 'email']);
      await recordAudit(tx, actor, {
        action: 'staff.create',
        entityType: 'StaffUser',
        entityId: created.id,
        changedFields: ['email', 'name', 'role', 'password'],
      });
      return tx.staffUser.findUniqueOrThrow({ where: { id: created.id } });
    });
    return { staff, generatedPassword: input.password ? null : password };
  }

  async updateRole(actor: Actor, id: string, role: StaffRole): Promise<StaffUser> {
    if (id === actor.id) throw new DomainError('FORBIDDEN', 'You cannot change your own role', ['id']);
    return this.change(actor, id, 'staff.updateRole', ['role'], async (tx, current) => {
      if (current.role === 'ADMIN' && role !== 'ADMIN') await this.assertAnotherActiveAdmin(tx, id);
      return tx.staffUser.update({ where: { id }, data: { role } });
    });
  }

  async deactivate(actor: Actor, id: string): Promise<StaffUser> {
    if (id === actor.id) throw new DomainError('FORBIDDEN', 'You cannot deactivate yourself', ['id']);
    return this.change(actor, id, 'staff.deactivate', ['active'], async (tx, current) => {
      if (current.role === 'ADMIN') await this.assertAnotherActiveAdmin(tx, id);
      return tx.staffUser.update({ where: { id }, data: { active: false, tokenVersion: { increment: 1 } } });
    });
  }

  async reactivate(actor: Actor, id: string): Promise<StaffUser> {
    return this.change(actor, id, 'staff.reactivate', ['active'], (tx) =>
      tx.staffUser.update({ where: { id }, data: { active: true } }),
    );
  }

  /** Sets a new password (given, or generated and returned once); the user's tokens stop working. */
  async resetPassword(actor: Actor, id: string, password?: string | null): Promise<WithPassword> {
    const target = await this.prisma.staffUser.findUnique({ where: { id } });
    if (!target) throw notFound('Staff user');
    const next = password ?? generatePassword();
    const problem = passwordProblem(next, target.email);
    if (problem) throw new DomainError('VALIDATION', problem, ['input', 'password']);
    const passwordHash = await hashPassword(next);
    const staff = await this.change(actor, id, 'staff.resetPassword', ['password'], (tx) =>
      tx.staffUser.update({ where: { id }, data: { passwordHash, tokenVersion: { increment: 1 } } }),
    );
    return { staff, generatedPassword: password ? null : next };
  }

  /** Locks the row, applies `apply` and audits; the trigger makes every instance drop its cached copy. */
  private async change(
    actor: Actor,
    id: string,
    action: string,
    fields: string[],
    apply: (tx: Tx, current: StaffUser) => Promise<StaffUser>,
  ): Promise<StaffUser> {
    const notified = this.directory.notified(id);
    const staff = await this.prisma.$transaction(async (tx) => {
      // Staff changes are rare: one at a time (a transaction-scoped lock), so two demotions of
      // the last two admins cannot both pass the check below, and no two of them deadlock.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${STAFF_CHANGE_LOCK})`;
      const [locked] = await tx.$queryRaw<
        { id: string }[]
      >`SELECT id FROM staff_users WHERE id = ${id}::uuid FOR UPDATE`;
      if (!locked) throw notFound('Staff user');
      const current = await tx.staffUser.findUniqueOrThrow({ where: { id } });
      const updated = await apply(tx, current);
      await recordAudit(tx, actor, { action, entityType: 'StaffUser', entityId: id, changedFields: fields });
      return updated;
    });
    this.directory.forget(id);
    await notified.done;
    return staff;
  }

  /** The last active ADMIN stays: otherwise nobody could manage staff any more. */
  private async assertAnotherActiveAdmin(tx: Tx, exceptId: string): Promise<void> {
    const admins = await tx.$queryRaw<
      { id: string }[]
    >`SELECT id FROM staff_users WHERE role = 'ADMIN' AND active AND id <> ${exceptId}::uuid`;
    if (admins.length === 0)
      throw new DomainError('FORBIDDEN', 'This is the last active ADMIN; make someone else ADMIN first', ['id']);
  }
}
