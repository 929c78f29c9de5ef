import type { Actor } from '../../auth/actor';
import type { TokenKeys } from '../../auth/jwt';
import { hashPassword, verifyPassword } from '../../auth/password';
import { passwordProblem } from '../../auth/password-policy';
import type { StaffDirectory } from '../../auth/staff-directory';
import type { PrismaClient } from '../../db/client';
import type { StaffUser } from '../../generated/prisma/client';
import { DomainError } from '../../shared/domain-error';
import { recordAudit } from '../audit/audit';
import type { LoginAttempt, LoginThrottle } from './login-throttle.service';

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: StaffUser;
}

export class AuthService {
  // Compared against when the e-mail is unknown, so a login takes as long either way.
  private readonly decoyHash = hashPassword('decoy password for timing parity');

  constructor(
    private readonly prisma: PrismaClient,
    private readonly keys: TokenKeys,
    private readonly throttle: LoginThrottle,
    private readonly directory: StaffDirectory,
  ) {}

  /** Throws RateLimitedError while the account or address is locked, even for the right password. */
  async login(email: string, password: string, address: string | null): Promise<LoginResult> {
    const attempt: LoginAttempt = { email, address };
    const hasFailures = await this.throttle.assertOpen(attempt);
    const mark = this.directory.mark();
    const user = await this.prisma.staffUser.findUnique({ where: { email: email.trim().toLowerCase() } });
    const valid = await verifyPassword(password, user?.passwordHash ?? (await this.decoyHash));
    if (!user?.active || !user.passwordHash || !valid) {
      await this.throttle.recordFailure(attempt, user?.id ?? null);
      throw new DomainError('INVALID_CREDENTIALS', 'E-mail or password is wrong', ['input', 'password']);
    }
    if (hasFailures) await this.throttle.recordSuccess(attempt);
    this.directory.prime(user, mark);
    const { token, expiresAt } = this.keys.issue(user.id, user.tokenVersion);
    return { token, expiresAt, user };
  }

  /**
   * Changes the caller's own password after checking the current one; every other token of the
   * caller stops working (token version), and a fresh token is returned for this session.
   */
  async changePassword(
    actor: Actor,
    currentPassword: string,
    newPassword: string,
    address: string | null,
  ): Promise<LoginResult> {
    const attempt: LoginAttempt = { email: actor.email, address };
    await this.throttle.assertOpen(attempt); // a stolen token must not become a password oracle
    const user = await this.prisma.staffUser.findUnique({ where: { id: actor.id } });
    if (!user) throw new DomainError('NOT_FOUND', 'Staff user not found', null);
    if (!user.passwordHash || !(await verifyPassword(currentPassword, user.passwordHash))) {
      await this.throttle.recordFailure(attempt, user.id);
      throw new DomainError('INVALID_CREDENTIALS', 'The current password is wrong', ['input', 'currentPassword']);
    }
    const problem = passwordProblem(newPassword, user.email);
    if (problem) throw new DomainError('VALIDATION', problem, ['input', 'newPassword']);
    if (await verifyPassword(newPassword, user.passwordHash))
      throw new DomainError('VALIDATION', 'The new password must differ from the current one', [
        'input',
        'newPassword',
      ]);
    const passwordHash = await hashPassword(newPassword);
    const notified = this.directory.notified(user.id);
    const updated = await this.prisma.$transaction(async (tx) => {
      const row = await tx.staffUser.update({
        where: { id: user.id },
        data: { passwordHash, tokenVersion: { increment: 1 } },
      });
      await recordAudit(tx, actor, {
        action: 'staff.passwordChange',
        entityType: 'StaffUser',
        entityId: user.id,
        changedFields: ['password'],
      });
      return row;
    });
    this.directory.forget(user.id);
    await notified.done;
    const { token, expiresAt } = this.keys.issue(updated.id, updated.tokenVersion);
    return { token, expiresAt, user: updated };
  }
}
