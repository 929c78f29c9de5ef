import type { Actor } from '../../auth/actor';
import { issueToken, type JwtSettings } from '../../auth/jwt';
import { hashPassword, verifyPassword } from '../../auth/password';
import type { PrismaClient } from '../../db/client';
import type { StaffUser } from '../../generated/prisma/client';
import { DomainError } from '../../shared/domain-error';

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
    private readonly jwt: JwtSettings,
  ) {}

  async login(email: string, password: string): Promise<LoginResult> {
    const user = await this.prisma.staffUser.findUnique({ where: { email: email.trim().toLowerCase() } });
    const valid = await verifyPassword(password, user?.passwordHash ?? (await this.decoyHash));
    if (!user || !user.active || !user.passwordHash || !valid) {
      throw new DomainError('INVALID_CREDENTIALS', 'E-mail or password is wrong', ['input', 'password']);
    }
    const actor: Actor = { id: user.id, role: user.role, email: user.email, name: user.name };
    const { token, expiresAt } = issueToken(actor, this.jwt);
    return { token, expiresAt, user };
  }
}
